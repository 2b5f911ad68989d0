/**
 * Engine benchmark (not a test): `npm run bench:engine`.
 *  1. image → labelled MP3 (+ WAV) for 60 s, median of RUNS runs, with per-stage medians;
 *  2. the same MIDI through `fluidsynth` + `lame -b 192` if both are on PATH, and the ratio;
 *  3. per-style loudness and true peak after mastering;
 *  4. score statistics per style and mode against the corpora in ../shared/data/corpora, read
 *     at bench time (scripts/harmony-corpus.ts): in-key ratio, note density per part, melody
 *     intervals and key-relative pitch classes vs Nottingham melodies, chord vocabulary (distinct
 *     degrees, share on the source's top-5 degrees, degree distribution vs Nottingham and Bach);
 *     then which styles the shared image set lands on without any text.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Key, Note } from 'tonal';
import { readAigcLabel } from '../src/music/label/aigc-label.js';
import { composeScore } from '../src/music/compose/compose-score.js';
import { chordDegrees } from '../src/music/compose/score-analysis.js';
import { composeTrackWithReport, type ComposeReport } from '../src/music/engine.js';
import { extractImageFeatures } from '../src/music/perception/image-features.js';
import type { CorpusSource } from '../src/music/compose/corpus-stats.js';
import { HARMONY_SOURCE } from '../src/music/compose/legacy/legacy-trained-harmony.js';
import { createMusicPlan, type Mode, type MusicPlan } from '../src/music/plan/music-plan.js';
import { STYLES, type Style } from '../src/music/styles/style-registry.js';
import { defaultSoundFontPath } from '../src/music/render/soundfont.js';
import { readTextCues } from '../src/music/perception/text-cues.js';
import {
  corporaPresent,
  DEGREE_NAMES,
  intervalClass,
  MODES,
  readBach,
  readNottingham,
  reduceHarmony,
  reduceMelody,
  type DegreeStats,
  type MelodyStats,
} from '../scripts/harmony-corpus.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECONDS = 60;
const IMAGES = fileURLToPath(new URL('../../shared/data/images', import.meta.url));
const IMAGE = path.join(IMAGES, 'kodak_kodim23_parrots.jpg');
const CORPORA = fileURLToPath(new URL('../../shared/data/corpora', import.meta.url));

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const ms = (v: number): string => `${Math.round(v)} ms`;
const timed = (fn: () => void): number => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const onPath = (tool: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

async function endToEnd(): Promise<{ midi: Uint8Array; renderToMp3Ms: number }> {
  const image = readFileSync(IMAGE);
  const reports: ComposeReport[] = [];
  let midi: Uint8Array = new Uint8Array();
  // Run 0 warms the sound bank cache (its load is reported on its own).
  for (let run = 0; run <= RUNS; run++) {
    const { track, report } = await composeTrackWithReport({
      image,
      text: 'happy parrots',
      seconds: SECONDS,
      seed: 7,
      produceId: `bench-${run}`,
    });
    if (!readAigcLabel(track.mp3) || !readAigcLabel(track.wav)) throw new Error('label missing');
    midi = track.midi;
    if (run === 0) {
      console.log(
        `first run (cold sound bank ${ms(report.timingsMs.soundFont)}): ${ms(report.timingsMs.total)}`,
      );
      continue;
    }
    reports.push(report);
  }
  const stage = (k: keyof ComposeReport['timingsMs']): number =>
    median(reports.map((r) => r.timingsMs[k]));
  const total = stage('total');
  console.log(`\n== image → labelled MP3 + WAV, ${SECONDS} s, median of ${RUNS} warm runs ==`);
  for (const k of [
    'perception',
    'compose',
    'soundFont',
    'render',
    'master',
    'encode',
    'total',
  ] as const) {
    console.log(`  ${k.padEnd(10)} ${ms(stage(k)).padStart(9)}`);
  }
  console.log(`  real-time factor: ${(SECONDS / (total / 1000)).toFixed(1)}×`);
  return { midi, renderToMp3Ms: stage('render') + stage('master') + stage('encode') };
}

function versusFluidsynth(midi: Uint8Array, oursMs: number): void {
  console.log(
    '\n== MIDI → MP3: ours (render + master + label + MP3/WAV encode) vs fluidsynth + lame ==',
  );
  if (!onPath('fluidsynth') || !onPath('lame')) {
    console.log('  fluidsynth and/or lame not on PATH: skipped (apt-get install fluidsynth lame)');
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'instune-bench-'));
  try {
    const sf = path.join(dir, 'bank.sf3');
    copyFileSync(defaultSoundFontPath(), sf);
    const mid = path.join(dir, 'in.mid');
    writeFileSync(mid, midi);
    const synth: number[] = [];
    const encode: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      synth.push(
        timed(() =>
          execFileSync(
            'fluidsynth',
            ['-ni', '-q', '-F', path.join(dir, 'out.wav'), '-r', '44100', sf, mid],
            {
              stdio: 'ignore',
            },
          ),
        ),
      );
      encode.push(
        timed(() =>
          execFileSync(
            'lame',
            ['--quiet', '-b', '192', path.join(dir, 'out.wav'), path.join(dir, 'out.mp3')],
            {
              stdio: 'ignore',
            },
          ),
        ),
      );
    }
    const theirs = median(synth) + median(encode);
    const wavBytes = statSync(path.join(dir, 'out.wav')).size;
    console.log(
      `  fluidsynth ${ms(median(synth))} (+ process start), lame ${ms(median(encode))}, total ${ms(theirs)}`,
    );
    console.log(`  fluidsynth output ${(wavBytes / 176_400).toFixed(1)} s of audio`);
    console.log(`  ours ${ms(oursMs)}; ratio ours/theirs = ${(oursMs / theirs).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STYLE_WORD: Record<Style, string> = {
  ambient: 'ambient',
  'pop-ballad': 'ballad',
  upbeat: 'electronic',
  'lo-fi': 'lo-fi',
  cinematic: 'cinematic',
  folk: 'folk',
  'piano-solo': 'piano',
  jazz: 'jazz',
};

async function perStyleLoudness(): Promise<void> {
  console.log('\n== per-style mastering (20 s, parrots image, style named in the text) ==');
  const image = readFileSync(IMAGE);
  for (const style of STYLES) {
    const { track, report } = await composeTrackWithReport({
      image,
      text: STYLE_WORD[style],
      seconds: 20,
      seed: 11,
    });
    const m = report.master;
    console.log(
      `  ${style.padEnd(11)} ${String(m.outputLufs).padStart(7)} LUFS  TP ${String(m.truePeakDb).padStart(6)} dBTP` +
        `  in ${String(m.inputLufs).padStart(7)}  limiter ${m.limiterReductionDb} dB  (${track.plan.style})`,
    );
  }
}

function allowed(plan: MusicPlan): Set<number> {
  const scale =
    plan.key.mode === 'major'
      ? Key.majorKey(plan.key.tonic).scale
      : [
          ...Key.minorKey(plan.key.tonic).natural.scale,
          ...Key.minorKey(plan.key.tonic).harmonic.scale,
        ];
  return new Set(scale.map((n) => Note.chroma(n)));
}

/** Jensen–Shannon distance: square root of the base-2 JS divergence, 0 (same) .. 1 (disjoint). */
function jsDistance(p: readonly number[], q: readonly number[]): number {
  const sum = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) || 1;
  const a = p.map((v) => v / sum(p));
  const b = q.map((v) => v / sum(q));
  const m = a.map((v, i) => (v + (b[i] ?? 0)) / 2);
  const kl = (x: readonly number[]): number =>
    x.reduce((s, v, i) => s + (v > 0 ? v * Math.log2(v / (m[i] ?? 1)) : 0), 0);
  return Math.sqrt(Math.max(0, (kl(a) + kl(b)) / 2));
}

interface CorpusReference {
  melody: Record<Mode, MelodyStats>;
  harmony: Record<CorpusSource, Record<Mode, DegreeStats>>;
}

/** Recomputed from ../shared/data/corpora at bench time (the shipped JSON is not the judge). */
function readCorpusReference(): CorpusReference | null {
  if (!corporaPresent(CORPORA)) return null;
  const notts = readNottingham(path.join(CORPORA, 'nottingham'));
  const bach = readBach(path.join(CORPORA, 'bach-choral-harmony-uci'));
  const perMode = <T>(fn: (mode: Mode) => T): Record<Mode, T> => ({
    major: fn('major'),
    minor: fn('minor'),
  });
  return {
    melody: perMode((m) => reduceMelody(notts.melody[m])),
    harmony: {
      nottingham: perMode((m) => reduceHarmony(m, notts.harmony[m])),
      bach: perMode((m) => reduceHarmony(m, bach.harmony[m])),
    },
  };
}

const pct = (values: readonly number[]): string => {
  const total = values.reduce((a, b) => a + b, 0) || 1;
  return values.map((v) => Math.round((100 * v) / total)).join('/');
};

async function corpusStatistics(): Promise<void> {
  const started = performance.now();
  const ref = readCorpusReference();
  console.log('\n== score statistics per style vs the corpora (60 s, 20 seeds each) ==');
  if (!ref) {
    console.log(`  corpora not found at ${CORPORA}: corpus comparisons skipped (columns show —)`);
  } else {
    for (const mode of MODES) {
      const m = ref.melody[mode];
      const n = ref.harmony.nottingham[mode];
      const b = ref.harmony.bach[mode];
      console.log(
        `  Nottingham ${mode}: ${m.notes} melody notes, intervals r/s/t/l ${pct(m.intervals)} %; ` +
          `top-5 degrees ${n.top5.join(' ')} (${Math.round(100 * n.top5Share)} % of chords); ` +
          `Bach top-5 ${b.top5.join(' ')}`,
      );
    }
  }
  console.log(
    '  distances are Jensen–Shannon (√ of base-2 divergence, 0..1); pc = key-relative melody ' +
      'pitch classes vs Nottingham melodies; deg = chord degrees vs the corpus (* = style source);\n' +
      "  top5 = share of chord slots on the source's top-5 degrees (Nottingham for table styles)",
  );
  console.log(
    '  style       key       in-key  notes/s mel/chd/bass/drum  int r/s/t/l  int JS  pc JS' +
      '  degs  top5  deg JS: notts  bach',
  );
  const features = await extractImageFeatures(readFileSync(IMAGE));
  const f2 = (v: number | null | undefined): string =>
    v === undefined || v === null ? '—' : v.toFixed(2);
  for (const mode of MODES) {
    for (const style of STYLES) {
      const text = `${mode === 'minor' ? 'sad ' : ''}${STYLE_WORD[style]}`;
      const plan = createMusicPlan({ features, text: readTextCues(text), seconds: 60 });
      const planMode = plan.key.mode;
      const tonic = Note.chroma(plan.key.tonic);
      let inKey = 0;
      let pitched = 0;
      const perRole = new Map<string, number>();
      const intervals = [0, 0, 0, 0];
      const pcs = Array<number>(12).fill(0);
      const degrees = Array<number>(7).fill(0);
      let seconds = 0;
      const ok = allowed(plan);
      for (let seed = 0; seed < 20; seed++) {
        const score = composeScore(plan, seed);
        seconds += score.durationSeconds;
        for (const d of chordDegrees(plan.key, score)) if (d >= 0) degrees[d]! += 1;
        for (const track of score.tracks) {
          perRole.set(track.role, (perRole.get(track.role) ?? 0) + track.notes.length);
          if (track.role === 'drums') continue;
          for (const n of track.notes) {
            pitched++;
            if (ok.has(n.pitch % 12)) inKey++;
          }
          if (track.role !== 'melody') continue;
          for (const n of track.notes) pcs[(n.pitch - tonic + 120) % 12]! += 1;
          for (let i = 1; i < track.notes.length; i++) {
            const d = (track.notes[i]?.pitch ?? 0) - (track.notes[i - 1]?.pitch ?? 0);
            intervals[intervalClass(d)]! += 1;
          }
        }
      }
      const rate = (role: string): string => ((perRole.get(role) ?? 0) / seconds).toFixed(1);
      const trained = HARMONY_SOURCE[style]?.source;
      const names = DEGREE_NAMES[planMode];
      const top5 = ref?.harmony[trained ?? 'nottingham'][planMode].top5 ?? [];
      const onTop5 = degrees.reduce((s, c, d) => s + (top5.includes(names[d] ?? '') ? c : 0), 0);
      const chordTotal = degrees.reduce((a, b) => a + b, 0) || 1;
      const degJs = (source: CorpusSource): string => {
        const v = ref ? f2(jsDistance(degrees, ref.harmony[source][planMode].unigram)) : '—';
        return `${v}${trained === source ? '*' : ' '}`;
      };
      console.log(
        `  ${style.padEnd(11)} ${plan.key.name.padEnd(8)} ${((100 * inKey) / pitched).toFixed(1).padStart(6)} %  ` +
          `${[rate('melody'), rate('chords'), rate('bass'), rate('drums')].join(' / ').padEnd(22)}  ` +
          `${pct(intervals).padEnd(11)}  ${f2(ref && jsDistance(intervals, ref.melody[planMode].intervals)).padStart(6)}  ` +
          `${f2(ref && jsDistance(pcs, ref.melody[planMode].pitchClasses)).padStart(5)}  ` +
          `${String(degrees.filter((c) => c > 0).length).padStart(4)}  ` +
          `${ref ? `${Math.round((100 * onTop5) / chordTotal)} %`.padStart(5) : '    —'}  ` +
          `${degJs('nottingham').padStart(12)} ${degJs('bach').padStart(5)}`,
      );
    }
  }
  console.log(`  (${ms(performance.now() - started)} including reading the corpora)`);

  console.log('\n== styles chosen for the shared image set, no text ==');
  const counts = new Map<Style, string[]>();
  for (const file of readdirSync(IMAGES).filter((f) => /\.(jpe?g|png|webp)$/i.test(f))) {
    const f = await extractImageFeatures(readFileSync(path.join(IMAGES, file)));
    const plan = createMusicPlan({ features: f, text: readTextCues(undefined), seconds: 60 });
    counts.set(plan.style, [...(counts.get(plan.style) ?? []), file.replace(/\.\w+$/, '')]);
  }
  for (const style of STYLES) {
    const files = counts.get(style) ?? [];
    console.log(
      `  ${style.padEnd(11)} ${String(files.length).padStart(3)}  ${files.slice(0, 4).join(', ')}`,
    );
  }
}

const { midi, renderToMp3Ms } = await endToEnd();
versusFluidsynth(midi, renderToMp3Ms);
await perStyleLoudness();
await corpusStatistics();
