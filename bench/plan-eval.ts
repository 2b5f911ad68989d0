/**
 * How well does the image → emotion → plan mapping follow what people see in a picture?
 *
 * For every image in ../shared/data/images (MANIFEST.tsv gives one human mood label per image)
 * it runs perception + plan with no text and reports:
 *   - Spearman ρ between the expected and the produced valence, and the same for arousal;
 *   - a confusion table by mood group: major/minor, tempo band, style;
 *   - median perception time per image (decode + features; render of 30 s is ~1 s).
 *
 * Run: npx tsx bench/plan-eval.ts [--images DIR] [--json] [--verbose] [--safety]
 *      (--safety also times the nsfwjs content check per image and counts images it would refuse)
 *
 * The labels are one person's subjective reading, not ground truth, and there are six of them,
 * so expected ranks are heavily tied; ρ here measures "does the engine order images the way the
 * labels do", not accuracy. Do not tune against individual files.
 *
 * Ceiling check (2025, engine v2 features): the best leave-one-out linear fit of any 1–4 of ~17
 * global colour/edge statistics reached ρ ≈ 0.50 (valence) and ≈ 0.37 (arousal) on this set;
 * the labels carry scene meaning (an execution, a shipwreck, a race) that colour statistics
 * cannot see. Reaching 0.7 needs semantic perception (objects, scenes) or the user's words.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  extractImageFeatures,
  type ImageFeatures,
} from '../src/music/perception/image-features.js';
import { readImage } from '../src/music/engine.js';
import { assessImageSafety } from '../src/music/perception/image-safety.js';
import { createMusicPlan, type MusicPlan } from '../src/music/plan/music-plan.js';
import { readTextCues } from '../src/music/perception/text-cues.js';
import { spearman } from './rank-correlation.js';

/**
 * Where each mood label sits on Russell's circumplex (valence, arousal in −1..1). Placement
 * follows the usual reading of these words (Russell 1980; Posner et al. 2005), not the engine:
 *   bright-happy     pleasant, moderately active
 *   energetic        pleasant, very active
 *   calm-peaceful    pleasant, deactivated
 *   mysterious       slightly unpleasant/uncertain, somewhat deactivated
 *   sad-melancholic  unpleasant, deactivated
 *   dark-tense       unpleasant, activated
 * Expected mode: major for the pleasant three, minor for the others.
 */
const MOOD_TARGETS: Record<string, { valence: number; arousal: number; mode: 'major' | 'minor' }> =
  {
    'bright-happy': { valence: 0.8, arousal: 0.4, mode: 'major' },
    energetic: { valence: 0.5, arousal: 0.8, mode: 'major' },
    'calm-peaceful': { valence: 0.5, arousal: -0.6, mode: 'major' },
    mysterious: { valence: -0.2, arousal: -0.2, mode: 'minor' },
    'sad-melancholic': { valence: -0.7, arousal: -0.5, mode: 'minor' },
    'dark-tense': { valence: -0.6, arousal: 0.6, mode: 'minor' },
  };

const TEMPO_BANDS: readonly [label: string, upTo: number][] = [
  ['<76', 76],
  ['76-95', 96],
  ['96-115', 116],
  ['≥116', Infinity],
];

interface Row {
  file: string;
  mood: string;
  features: ImageFeatures;
  plan: MusicPlan;
  perceptionMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function tempoBand(bpm: number): string {
  return TEMPO_BANDS.find(([, upTo]) => bpm < upTo)?.[0] ?? '?';
}

function readManifest(tsv: string): { file: string; mood: string }[] {
  const [header, ...lines] = tsv.split('\n').filter((l) => l.trim() !== '');
  const columns = (header ?? '').split('\t');
  const fileCol = columns.indexOf('file');
  const moodCol = columns.indexOf('mood');
  if (fileCol < 0 || moodCol < 0) throw new Error('MANIFEST.tsv needs file and mood columns');
  return lines.map((line) => {
    const cells = line.split('\t');
    return { file: cells[fileCol] ?? '', mood: (cells[moodCol] ?? '').trim() };
  });
}

const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const fixed = (v: number): string => (v >= 0 ? ' ' : '') + v.toFixed(2);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      images: {
        type: 'string',
        default: fileURLToPath(new URL('../../shared/data/images', import.meta.url)),
      },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      safety: { type: 'boolean', default: false },
      'colour-only': { type: 'boolean', default: false },
    },
  });
  const dir = values.images;
  const manifest = readManifest(await readFile(`${dir}/MANIFEST.tsv`, 'utf8'));
  const noText = readTextCues(undefined);

  const rows: Row[] = [];
  const skipped: string[] = [];
  // One warm-up decode so the first image does not pay for sharp's start-up.
  const first = manifest[0];
  if (first) await readImage(await readFile(`${dir}/${first.file}`));
  for (const { file, mood } of manifest) {
    if (!(mood in MOOD_TARGETS)) {
      skipped.push(`${file} (mood "${mood}")`);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(`${dir}/${file}`);
    } catch {
      skipped.push(`${file} (missing)`);
      continue;
    }
    const started = performance.now();
    // The engine's path: colour and light plus what the picture shows (--colour-only: without).
    const { features, reading } = values['colour-only']
      ? { features: await extractImageFeatures(bytes), reading: undefined }
      : await readImage(bytes);
    const perceptionMs = performance.now() - started;
    const plan = createMusicPlan({ features, text: noText, seconds: 30, reading });
    rows.push({ file, mood, features, plan, perceptionMs });
  }

  let safety: { medianMs: number; loadMs: number; refused: string[] } | undefined;
  if (values.safety) {
    const loadStarted = performance.now();
    if (first) await assessImageSafety(await readFile(`${dir}/${first.file}`));
    const loadMs = performance.now() - loadStarted;
    const times: number[] = [];
    const refused: string[] = [];
    for (const row of rows) {
      const bytes = await readFile(`${dir}/${row.file}`);
      const started = performance.now();
      const verdict = await assessImageSafety(bytes);
      times.push(performance.now() - started);
      if (!verdict.safe) refused.push(row.file);
    }
    safety = { medianMs: median(times), loadMs, refused };
  }

  const target = (r: Row) => MOOD_TARGETS[r.mood] ?? { valence: 0, arousal: 0, mode: 'major' };
  const rhoValence = spearman(
    rows.map((r) => target(r).valence),
    rows.map((r) => r.plan.valence),
  );
  const rhoArousal = spearman(
    rows.map((r) => target(r).arousal),
    rows.map((r) => r.plan.arousal),
  );
  const modeHits = rows.filter((r) => r.plan.key.mode === target(r).mode).length;
  const medianMs = median(rows.map((r) => r.perceptionMs));

  const groups = Object.keys(MOOD_TARGETS).map((mood) => {
    const members = rows.filter((r) => r.mood === mood);
    const count = (pred: (r: Row) => boolean): number => members.filter(pred).length;
    return {
      mood,
      n: members.length,
      major: count((r) => r.plan.key.mode === 'major'),
      minor: count((r) => r.plan.key.mode === 'minor'),
      tempo: Object.fromEntries(
        TEMPO_BANDS.map(([band]) => [band, count((r) => tempoBand(r.plan.tempoBpm) === band)]),
      ),
      style: Object.fromEntries(
        [...new Set(rows.map((r) => r.plan.style))]
          .sort()
          .map((style) => [style, count((r) => r.plan.style === style)]),
      ),
      meanValence: members.reduce((s, r) => s + r.plan.valence, 0) / Math.max(1, members.length),
      meanArousal: members.reduce((s, r) => s + r.plan.arousal, 0) / Math.max(1, members.length),
      medianTempo: median(members.map((r) => r.plan.tempoBpm)),
    };
  });

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          images: rows.length,
          skipped,
          rhoValence,
          rhoArousal,
          modeAccuracy: modeHits / rows.length,
          medianPerceptionMs: medianMs,
          safety,
          groups,
          rows: rows.map((r) => ({
            file: r.file,
            mood: r.mood,
            valence: r.plan.valence,
            arousal: r.plan.arousal,
            mode: r.plan.key.mode,
            tempo: Math.round(r.plan.tempoBpm),
            style: r.plan.style,
          })),
        },
        null,
        2,
      ),
    );
    return;
  }

  if (values.verbose) {
    console.log(
      `${pad('file', 40)} ${pad('mood', 16)} bright  sat   warm  contr  text   val    aro   mode  bpm`,
    );
    for (const r of [...rows].sort((a, b) => a.mood.localeCompare(b.mood))) {
      const f = r.features;
      console.log(
        `${pad(r.file.slice(0, 40), 40)} ${pad(r.mood, 16)} ${f.brightness.toFixed(2)}  ${f.saturation.toFixed(2)} ` +
          `${fixed(f.warmth)}  ${f.contrast.toFixed(2)}  ${f.texture.toFixed(2)}  ${fixed(r.plan.valence)} ` +
          `${fixed(r.plan.arousal)}  ${pad(r.plan.key.mode, 5)} ${Math.round(r.plan.tempoBpm)}`,
      );
    }
    console.log('');
  }

  console.log(`images: ${rows.length}${skipped.length ? ` (skipped: ${skipped.join(', ')})` : ''}`);
  console.log(`Spearman ρ valence: ${rhoValence.toFixed(3)}   (target ≥ 0.7)`);
  console.log(`Spearman ρ arousal: ${rhoArousal.toFixed(3)}   (target ≥ 0.7)`);
  console.log(
    `mode matches expectation (major for happy/energetic/calm, minor otherwise): ` +
      `${modeHits}/${rows.length} (${((100 * modeHits) / rows.length).toFixed(0)} %)`,
  );
  console.log(
    `median perception time: ${medianMs.toFixed(1)} ms per image (decode + features; ` +
      'rendering 30 s of audio takes ~1000 ms)',
  );
  if (safety) {
    console.log(
      `content safety (nsfwjs MobileNetV2Mid, wasm): median ${safety.medianMs.toFixed(1)} ms per image ` +
        `(model load + first image ${safety.loadMs.toFixed(0)} ms); refused ${safety.refused.length}` +
        (safety.refused.length > 0 ? `: ${safety.refused.join(', ')}` : ''),
    );
  }
  console.log('');
  const styles = [...new Set(rows.map((r) => r.plan.style))].sort();
  console.log(
    `${pad('mood', 16)} ${pad('n', 3)} ${pad('major', 6)}${pad('minor', 6)}` +
      TEMPO_BANDS.map(([band]) => pad(band, 7)).join('') +
      styles.map((s) => pad(s, 11)).join('') +
      'mean val  mean aro  median bpm',
  );
  for (const g of groups) {
    console.log(
      `${pad(g.mood, 16)} ${pad(g.n, 3)} ${pad(g.major, 6)}${pad(g.minor, 6)}` +
        TEMPO_BANDS.map(([band]) => pad(g.tempo[band] ?? 0, 7)).join('') +
        styles.map((s) => pad(g.style[s] ?? 0, 11)).join('') +
        `${pad(fixed(g.meanValence), 10)}${pad(fixed(g.meanArousal), 10)}${g.medianTempo.toFixed(0)}`,
    );
  }
}

await main();
