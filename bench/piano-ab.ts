/**
 * Piano A/B bench (not a test): `npx tsx bench/piano-ab.ts [sound|cold|all]`. Run it on the code
 * before and after a change of the piano (docs/decisions/0028-layered-piano.md), alternately, at
 * the same machine load.
 *  - sound: every picture of the shared image set as a 30 s piano piece (the description
 *    "piano" asks for the piano-solo style), seed 1: loudness and true peak of the WAV and the
 *    MP3 (read back), L/R correlation, side − mid, the 8 kHz and 16 kHz octaves relative to the
 *    total; min / median / max over the set;
 *  - cold: a 60 s piano piece (parrots picture, seed 7) in a fresh process, BENCH_RUNS times
 *    (default 3): wall time and peak resident memory, render threads included;
 *  - fluid: the same piece's MIDI through `fluidsynth -ni -F` (whole process, BENCH_RUNS times)
 *    with the banks our render plays it on (the GM bank, and the layered piano in front when
 *    the style asks for it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeTrackWithReport } from '../src/music/engine.js';
import { inspectMp3 } from '../src/music/encode/mp3-encode.js';
import { decodeMp3 } from '../src/music/encode/mp3-readback.js';
import { inspectWav } from '../src/music/encode/wav-encode.js';
import { measureIntegratedLoudness } from '../src/music/master/loudness.js';
import { measureTruePeakDb } from '../src/music/master/true-peak.js';
import { closeRenderThreads } from '../src/music/mix/part-render-pool.js';
import { pianoBankPath } from '../src/music/render/piano-bank.js';
import { defaultSoundFontPath } from '../src/music/render/soundfont.js';
import { requireStyle } from '../src/music/styles/style-registry.js';
import { decodeWav16, measureSound, OCTAVE_CENTRES } from './audio-metrics.js';

const IMAGES = fileURLToPath(new URL('../../shared/data/images', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const mode = process.argv[2] ?? 'all';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const range = (label: string, values: number[], digits = 1): string =>
  `  ${label.padEnd(24)} min ${Math.min(...values).toFixed(digits)}, median ${median(values).toFixed(digits)}, max ${Math.max(...values).toFixed(digits)}`;

async function sound(): Promise<void> {
  const pictures = readdirSync(IMAGES)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort();
  const rows: Record<string, number[]> = {
    'WAV LUFS': [],
    'WAV true peak dBTP': [],
    'MP3 LUFS': [],
    'MP3 true peak dBTP': [],
    'L/R correlation': [],
    'side − mid dB': [],
    '8 kHz octave dB': [],
    '16 kHz octave dB': [],
    'render ms': [],
  };
  const push = (k: string, v: number): void => {
    rows[k]?.push(v);
  };
  const styles = new Map<string, number>();
  const eight = OCTAVE_CENTRES.indexOf(8000);
  const sixteen = OCTAVE_CENTRES.indexOf(16000);
  for (const picture of pictures) {
    const { track, report } = await composeTrackWithReport({
      image: readFileSync(path.join(IMAGES, picture)),
      text: 'piano',
      seconds: 30,
      seed: 1,
      produceId: `piano-ab-${picture}`,
    });
    styles.set(track.plan.style, (styles.get(track.plan.style) ?? 0) + 1);
    const info = inspectWav(track.wav);
    if (!info) throw new Error('not a WAV');
    const wav = decodeWav16(track.wav, info.dataOffset, info.frames);
    const mp3 = await decodeMp3(track.mp3.subarray(inspectMp3(track.mp3)?.id3Bytes ?? 0));
    const figures = measureSound(wav);
    push('WAV LUFS', figures.lufs ?? -Infinity);
    push('WAV true peak dBTP', figures.truePeakDb);
    push('MP3 LUFS', measureIntegratedLoudness(mp3) ?? -Infinity);
    push('MP3 true peak dBTP', measureTruePeakDb(mp3));
    push('L/R correlation', figures.correlation);
    push('side − mid dB', figures.sideMinusMidDb);
    push('8 kHz octave dB', figures.bandsDb[eight] ?? -Infinity);
    push('16 kHz octave dB', figures.bandsDb[sixteen] ?? -Infinity);
    push('render ms', report.timingsMs.render);
  }
  await closeRenderThreads();
  console.log(`== ${pictures.length} pictures as 30 s piano pieces (seed 1) ==`);
  console.log(`  styles: ${[...styles].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  for (const [label, values] of Object.entries(rows)) {
    console.log(range(label, values, label.includes('correlation') ? 2 : 1));
  }
}

function cold(): void {
  const once = fileURLToPath(new URL('./engine-once.ts', import.meta.url));
  const image = path.join(IMAGES, 'kodak_kodim23_parrots.jpg');
  const walls: number[] = [];
  const peaks: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', once, image, '--text=piano'], {
      encoding: 'utf8',
    });
    walls.push(performance.now() - start);
    const last = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { maxRssMiB: number };
    peaks.push(last.maxRssMiB);
  }
  console.log(`== 60 s piano piece, whole fresh process (tsx), median of ${RUNS} ==`);
  console.log(
    `  wall ${Math.round(median(walls))} ms (${walls.map((w) => Math.round(w)).join(', ')}), ` +
      `peak memory ${Math.round(median(peaks))} MiB (${peaks.map((p) => Math.round(p)).join(', ')})`,
  );
}

async function fluid(): Promise<void> {
  const image = readFileSync(path.join(IMAGES, 'kodak_kodim23_parrots.jpg'));
  const { track } = await composeTrackWithReport({
    image,
    text: 'piano',
    seconds: 60,
    seed: 7,
    produceId: 'bench-cold',
  });
  await closeRenderThreads();
  const mix = requireStyle(track.plan.style).mix as unknown as Record<string, { layer?: string }>;
  const layered = Object.values(mix).some((part) => part.layer === 'grand-piano');
  const banks = [defaultSoundFontPath(), ...(layered ? [pianoBankPath()] : [])];
  if (!banks.every((b) => existsSync(b))) throw new Error('a bank is missing');
  const dir = mkdtempSync(path.join(tmpdir(), 'piano-ab-'));
  try {
    const mid = path.join(dir, 'in.mid');
    writeFileSync(mid, track.midi);
    console.log(`== the same piece (${track.plan.style}) through fluidsynth, median of ${RUNS} ==`);
    // The banks our render plays it on, and (when they differ) the GM bank alone for comparison.
    const sets = banks.length > 1 ? [banks, banks.slice(0, 1)] : [banks];
    for (const set of sets) {
      const walls: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const start = performance.now();
        execFileSync(
          'fluidsynth',
          ['-ni', '-q', '-F', path.join(dir, 'out.wav'), '-r', '44100', ...set, mid],
          { stdio: 'ignore' },
        );
        walls.push(performance.now() - start);
      }
      console.log(
        `  banks ${set.map((b) => path.basename(b)).join(' + ')}: ` +
          `${Math.round(median(walls))} ms (${walls.map((w) => Math.round(w)).join(', ')})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (mode === 'cold' || mode === 'all') cold();
if (mode === 'fluid' || mode === 'all') await fluid();
if (mode === 'sound' || mode === 'all') await sound();
