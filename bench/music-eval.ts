/**
 * Composition benchmark (not a test): `npm run eval:music`.
 *
 * Composes a fixed set at 60 s — ten contrasting photos of ../shared/data/images with no text ×
 * seeds 1–3, and the red-barn photo in each style × seeds 1–3 — and prints, per style and overall,
 * the figures issue 12 sets targets on, beside the Nottingham folk corpus measured the same way:
 * melody above the accompaniment, theme return, sections on a 4/8-bar grid, nearest-earlier-bar
 * similarity, strong-beat non-chord tones, melody range, controller events and pedal, distinct
 * drum bars and drum overlap between seeds, non-diatonic chords; then distinct (style, key) pairs
 * over the ten photos and over the whole set, and the time to compose 180 s.
 * Definitions are in bench/music-metrics.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMidi } from 'midi-file';
import { Note } from 'tonal';
import { composeScore } from '../src/music/compose/compose-score.js';
import type { Score } from '../src/music/compose/score.js';
import { readImage } from '../src/music/engine.js';
import type { ImageFeatures } from '../src/music/perception/image-features.js';
import type { ImageReading } from '../src/music/plan/content-choices.js';
import { readTextCues } from '../src/music/perception/text-cues.js';
import { createMusicPlan, type MusicPlan } from '../src/music/plan/music-plan.js';
import { STYLES, type Style } from '../src/music/styles/style-registry.js';
import {
  barTicksOf,
  chordAtTick,
  controllerStats,
  distinctDrumBarShare,
  exactBarRepeats,
  identicalDrumBars,
  melodyAboveAccompaniment,
  melodyOf,
  melodyRange,
  nearestEarlierBarSimilarity,
  nonDiatonicChordShare,
  sectionsOnGrid,
  strongBeatNonChordTones,
  themeReturns,
  type MelodyNote,
} from './music-metrics.js';

const SHARED = fileURLToPath(new URL('../../shared/data', import.meta.url));
const IMAGES = path.join(SHARED, 'images');
const NOTTINGHAM = path.join(SHARED, 'corpora', 'nottingham', 'MIDI');
const SECONDS = 60;
const SEEDS = [1, 2, 3];
/** Ten contrasting pictures: calm snow and water, storms, city nights, sport, flowers, art. */
const TEN_PHOTOS = [
  'kodak_kodim22_red_barn.jpg',
  'kodak_kodim23_parrots.jpg',
  'kodak_kodim05_motocross.jpg',
  'gcompris_tower_bridge_night.jpg',
  'pd_evening_snow_at_kanbara.jpg',
  'pd_great_wave.jpg',
  'pd_the_scream.jpg',
  'lomiri_forest_stream.jpg',
  'mate_YellowFlower.jpg',
  'plasma_DarkestHour.jpg',
];
const STYLE_IMAGE = 'kodak_kodim22_red_barn.jpg';

interface Piece {
  label: string;
  plan: MusicPlan;
  scores: Score[]; // one per seed
}

interface PieceFigures {
  above: number;
  returns: boolean;
  grid: { onGrid: number; total: number };
  similarity: number;
  exactRepeats: number;
  nct: number;
  range: number;
  controllers: number;
  pedal: boolean;
  distinctDrums: number | undefined;
  nonDiatonic: number;
}

function figuresOf(plan: MusicPlan, score: Score): PieceFigures {
  const melody = melodyOf(score);
  const barTicks = barTicksOf(score);
  const controllers = controllerStats(score);
  return {
    above: melodyAboveAccompaniment(score),
    returns: themeReturns(score),
    grid: sectionsOnGrid(score),
    similarity: nearestEarlierBarSimilarity(melody, barTicks, score.ticksPerBeat),
    exactRepeats: exactBarRepeats(melody, barTicks, score.ticksPerBeat),
    nct: strongBeatNonChordTones(melody, chordAtTick(score), {
      beatsPerBar: score.beatsPerBar,
      beatUnit: score.beatUnit,
      ticksPerBeat: score.ticksPerBeat,
    }).share,
    range: melodyRange(melody),
    controllers: controllers.events,
    pedal: controllers.pedalOnEveryPianoPart,
    distinctDrums: distinctDrumBarShare(score),
    nonDiatonic: nonDiatonicChordShare(
      score,
      Note.chroma(plan.key.tonic),
      plan.key.mode === 'minor',
    ),
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const mean = (values: readonly number[]): number =>
  values.length === 0 ? NaN : values.reduce((s, v) => s + v, 0) / values.length;
const pct = (v: number): string =>
  Number.isNaN(v) ? '   –' : `${(100 * v).toFixed(0).padStart(3)}%`;
const num = (v: number, digits = 2): string => (Number.isNaN(v) ? '–' : v.toFixed(digits));

const readings = new Map<string, Promise<{ features: ImageFeatures; reading: ImageReading }>>();
/** The engine's own reading of a picture: colour and light, and what it shows. */
function readingOf(file: string): Promise<{ features: ImageFeatures; reading: ImageReading }> {
  const cached = readings.get(file) ?? readImage(readFileSync(path.join(IMAGES, file)));
  readings.set(file, cached);
  return cached;
}

function compose(plan: MusicPlan): Score[] {
  return SEEDS.map((seed) => composeScore(plan, seed));
}

async function buildSet(): Promise<{ photos: Piece[]; styles: Piece[] }> {
  const photos: Piece[] = [];
  for (const file of TEN_PHOTOS) {
    const plan = createMusicPlan({
      ...(await readingOf(file)),
      text: readTextCues(undefined),
      seconds: SECONDS,
    });
    photos.push({ label: file.replace(/\.jpg$/, ''), plan, scores: compose(plan) });
  }
  const barn = await readingOf(STYLE_IMAGE);
  const styles: Piece[] = STYLES.map((style) => {
    const plan = createMusicPlan({
      ...barn,
      text: readTextCues(undefined),
      seconds: SECONDS,
      controls: { style },
    });
    return { label: `barn ${style}`, plan, scores: compose(plan) };
  });
  return { photos, styles };
}

interface Row {
  name: string;
  figures: PieceFigures[];
  drumOverlap: number[];
}

function row(name: string, pieces: readonly Piece[]): Row {
  const figures = pieces.flatMap((p) => p.scores.map((s) => figuresOf(p.plan, s)));
  const drumOverlap: number[] = [];
  for (const p of pieces) {
    const [first, ...others] = p.scores;
    if (!first) continue;
    for (const other of others) {
      const overlap = identicalDrumBars(first, other);
      if (overlap !== undefined) drumOverlap.push(overlap);
    }
  }
  return { name, figures, drumOverlap };
}

function printRows(rows: readonly Row[]): void {
  const header =
    'set                 pieces  above  return  grid   simil  exact  sbNCT  range  CCs  pedal  drumDist  drumSame  nonDia';
  console.log(header);
  for (const r of rows) {
    const f = r.figures;
    const grid =
      f.reduce((s, x) => s + x.grid.onGrid, 0) /
      Math.max(
        1,
        f.reduce((s, x) => s + x.grid.total, 0),
      );
    const drums = f.map((x) => x.distinctDrums).filter((v): v is number => v !== undefined);
    console.log(
      [
        r.name.padEnd(19),
        String(f.length).padStart(6),
        pct(median(f.map((x) => x.above))).padStart(6),
        `${f.filter((x) => x.returns).length}/${f.length}`.padStart(7),
        pct(grid).padStart(5),
        num(median(f.map((x) => x.similarity))).padStart(7),
        pct(median(f.map((x) => x.exactRepeats))).padStart(6),
        pct(median(f.map((x) => x.nct))).padStart(6),
        String(median(f.map((x) => x.range))).padStart(6),
        String(median(f.map((x) => x.controllers))).padStart(4),
        `${f.filter((x) => x.pedal).length}/${f.length}`.padStart(6),
        (drums.length ? num(median(drums)) : '–').padStart(9),
        (r.drumOverlap.length ? pct(median(r.drumOverlap)) : '–').padStart(9),
        pct(mean(f.map((x) => x.nonDiatonic))).padStart(7),
      ].join(' '),
    );
  }
}

/** The same melody figures on Nottingham tunes in 4/4 (melody = track 0, chords = track 1). */
function nottinghamReference(): void {
  let files: string[];
  try {
    files = readdirSync(NOTTINGHAM)
      .filter((f) => f.endsWith('.mid'))
      .sort();
  } catch {
    console.log('(Nottingham corpus not found; reference skipped)');
    return;
  }
  const similarity: number[] = [];
  const exact: number[] = [];
  const nct: number[] = [];
  const ranges: number[] = [];
  for (const file of files) {
    const midi = parseMidi(readFileSync(path.join(NOTTINGHAM, file)));
    const tpb = midi.header.ticksPerBeat ?? 480;
    const meters = midi.tracks.flat().filter((e) => e.type === 'timeSignature');
    if (meters.length === 0 || meters.some((m) => m.numerator !== 4 || m.denominator !== 4))
      continue;
    const notesOf = (track: number): MelodyNote[] => {
      const out: MelodyNote[] = [];
      const open = new Map<number, number>();
      let tick = 0;
      for (const e of midi.tracks[track] ?? []) {
        tick += e.deltaTime;
        if (e.type === 'noteOn' && e.velocity > 0) open.set(e.noteNumber, tick);
        else if (e.type === 'noteOff' || (e.type === 'noteOn' && e.velocity === 0)) {
          const start = open.get(e.noteNumber);
          if (start !== undefined)
            out.push({ tick: start, duration: tick - start, pitch: e.noteNumber });
          open.delete(e.noteNumber);
        }
      }
      return out;
    };
    const melody = notesOf(0);
    const chords = notesOf(1);
    if (melody.length < 8) continue;
    const barTicks = 4 * tpb;
    similarity.push(nearestEarlierBarSimilarity(melody, barTicks, tpb));
    exact.push(exactBarRepeats(melody, barTicks, tpb));
    ranges.push(melodyRange(melody));
    if (chords.length > 0) {
      const chordAt = (tick: number): number[] =>
        chords.filter((c) => c.tick <= tick && tick < c.tick + c.duration).map((c) => c.pitch % 12);
      nct.push(
        strongBeatNonChordTones(melody, chordAt, { beatsPerBar: 4, beatUnit: 4, ticksPerBeat: tpb })
          .share,
      );
    }
  }
  console.log(
    `Nottingham (4/4, ${similarity.length} tunes): similarity ${num(median(similarity))} (mean ${num(mean(similarity))}), ` +
      `exact bar repeats ${pct(median(exact))}, strong-beat NCT ${pct(median(nct))} (mean ${pct(mean(nct))}), ` +
      `range ${median(ranges)} semitones`,
  );
}

async function variety(): Promise<void> {
  const all = readdirSync(IMAGES)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort();
  const plans = new Map<string, MusicPlan>();
  for (const file of all) {
    plans.set(
      file,
      createMusicPlan({
        ...(await readingOf(file)),
        text: readTextCues(undefined),
        seconds: SECONDS,
      }),
    );
  }
  const describe = (files: readonly string[]): string => {
    const chosen = files.map((f) => plans.get(f)).filter((p): p is MusicPlan => p !== undefined);
    const pairs = new Set(chosen.map((p) => `${p.style}|${p.key.name}`));
    const styles = new Set(chosen.map((p) => p.style));
    const keys = new Set(chosen.map((p) => p.key.name));
    const meters = new Set(chosen.map((p) => `${p.meter.beatsPerBar}/${p.meter.beatUnit}`));
    const leads = new Set(chosen.map((p) => p.instrumentation.melody.name));
    const tempos = chosen.map((p) => Math.round(p.tempoBpm)).sort((a, b) => a - b);
    return (
      `${pairs.size} distinct (style, key) pairs of ${chosen.length}; ${styles.size} styles, ${keys.size} keys, ` +
      `${meters.size} meters (${[...meters].join(', ')}), ${leads.size} lead instruments; tempos ${tempos.join(' ')}`
    );
  };
  console.log(`ten photos: ${describe(TEN_PHOTOS)}`);
  for (const f of TEN_PHOTOS) {
    const p = plans.get(f);
    if (p)
      console.log(
        `  ${f.padEnd(36)} ${p.style.padEnd(10)} ${p.key.name.padEnd(9)} ${p.meter.beatsPerBar}/${p.meter.beatUnit} ${Math.round(p.tempoBpm)} BPM ${p.instrumentation.melody.name}`,
      );
  }
  console.log(`all ${all.length} shared images: ${describe(all)}`);
}

function composeSpeed(plan: MusicPlan): void {
  const times: number[] = [];
  for (let i = 0; i < 11; i++) {
    const start = performance.now();
    composeScore(plan, i + 1);
    if (i > 0) times.push(performance.now() - start);
  }
  console.log(
    `compose 180 s (${plan.style}, ${plan.form.bars} bars): median ${num(median(times), 1)} ms`,
  );
}

async function main(): Promise<void> {
  const { photos, styles } = await buildSet();
  const byStyle = new Map<Style, Piece[]>();
  for (const p of [...photos, ...styles]) {
    const list = byStyle.get(p.plan.style) ?? [];
    list.push(p);
    byStyle.set(p.plan.style, list);
  }
  console.log(
    `# eval:music — ${SECONDS} s pieces, seeds ${SEEDS.join(', ')}; medians over pieces\n`,
  );
  printRows([
    ...STYLES.filter((s) => byStyle.has(s)).map((s) => row(s, byStyle.get(s) ?? [])),
    row('ten photos', photos),
    row('barn × styles', styles),
    row('overall', [...photos, ...styles]),
  ]);
  console.log(
    '\nabove: melody notes above every accompaniment note sounding; return: theme opening found again after its section;' +
      '\ngrid: sections whose length is a multiple of 4 bars; simil: nearest-earlier-bar Jaccard (mean over bars);' +
      '\nexact: bars repeating an earlier bar exactly; sbNCT: strong-beat melody notes outside the chord;' +
      '\nCCs: controller events after tick 0; drumDist: distinct drum bars / drum bars; drumSame: identical drum bars,' +
      '\nseed 1 vs seeds 2 and 3; nonDia: chords with a note outside the key.\n',
  );
  nottinghamReference();
  console.log('');
  await variety();
  const long = createMusicPlan({
    ...(await readingOf(STYLE_IMAGE)),
    text: readTextCues(undefined),
    seconds: 180,
  });
  composeSpeed(long);
}

await main();
