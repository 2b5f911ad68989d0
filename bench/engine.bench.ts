/**
 * Engine benchmark (not a test): `npm run bench:engine`.
 *  1. image → labelled MP3 (+ WAV) for 60 s, median of RUNS runs, with per-stage medians;
 *  2. the same MIDI through `fluidsynth` + `lame -b 192` if both are on PATH, and the ratio;
 *  3. per-style loudness and true peak after mastering;
 *  4. corpus-style statistics of the scores: in-key ratio, note density, melody intervals
 *     (Nottingham folk melodies: repeats/steps/thirds/larger ≈ 12/50/23/15 %), and which
 *     styles the shared image set lands on without any text.
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
import { readAigcLabel } from '../src/music/aigc-label.js';
import { composeScore } from '../src/music/compose.js';
import { composeTrackWithReport, type ComposeReport } from '../src/music/compose-track.js';
import { extractImageFeatures } from '../src/music/image-features.js';
import { createMusicPlan, STYLES, type MusicPlan, type Style } from '../src/music/music-plan.js';
import { defaultSoundFontPath } from '../src/music/soundfont.js';
import { readTextCues } from '../src/music/text-cues.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECONDS = 60;
const IMAGES = fileURLToPath(new URL('../../shared/data/images', import.meta.url));
const IMAGE = path.join(IMAGES, 'kodak_kodim23_parrots.jpg');

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

async function corpusStatistics(): Promise<void> {
  console.log('\n== score statistics per style (60 s, 20 seeds each) ==');
  const features = await extractImageFeatures(readFileSync(IMAGE));
  console.log(
    '  style        in-key  notes/s (mel/chd/bass/drum)  melody repeat/step/third/larger %',
  );
  for (const style of STYLES) {
    const plan = createMusicPlan({ features, text: readTextCues(STYLE_WORD[style]), seconds: 60 });
    let inKey = 0;
    let pitched = 0;
    const perRole = new Map<string, number>();
    const intervals = [0, 0, 0, 0];
    let seconds = 0;
    for (let seed = 0; seed < 20; seed++) {
      const score = composeScore(plan, seed);
      seconds += score.durationSeconds;
      const ok = allowed(plan);
      for (const track of score.tracks) {
        perRole.set(track.role, (perRole.get(track.role) ?? 0) + track.notes.length);
        if (track.role === 'drums') continue;
        for (const n of track.notes) {
          pitched++;
          if (ok.has(n.pitch % 12)) inKey++;
        }
        if (track.role !== 'melody') continue;
        for (let i = 1; i < track.notes.length; i++) {
          const d = Math.abs((track.notes[i]?.pitch ?? 0) - (track.notes[i - 1]?.pitch ?? 0));
          intervals[d === 0 ? 0 : d <= 2 ? 1 : d <= 4 ? 2 : 3]! += 1;
        }
      }
    }
    const rate = (role: string): string => ((perRole.get(role) ?? 0) / seconds).toFixed(1);
    const total = intervals.reduce((a, b) => a + b, 0);
    console.log(
      `  ${style.padEnd(11)} ${((100 * inKey) / pitched).toFixed(1).padStart(6)} %  ` +
        `${[rate('melody'), rate('chords'), rate('bass'), rate('drums')].join(' / ').padEnd(27)}  ` +
        intervals.map((v) => Math.round((100 * v) / total)).join('/'),
    );
  }

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
