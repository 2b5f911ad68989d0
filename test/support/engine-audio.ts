import { inspectWav } from '../../src/music/encode/wav-encode.js';
import { audibleLabelOverlay } from '../../src/music/label/aigc-cue.js';
import type { StereoAudio } from '../../src/music/render/render.js';

/** For the engine's tests: reading back what it wrote, and finding its audible label in it. */

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.from(a).equals(Buffer.from(b));

/** Both channels of a 16-bit stereo WAV as floats. */
export function decodeWav(wav: Uint8Array): StereoAudio {
  const info = inspectWav(wav);
  if (!info) throw new Error('not a WAV');
  const view = new DataView(wav.buffer, wav.byteOffset + info.dataOffset, info.dataBytes);
  const channel = (offset: number): Float32Array =>
    Float32Array.from(
      { length: info.frames },
      (_, i) => view.getInt16(i * 4 + offset, true) / 32768,
    );
  return { sampleRate: info.sampleRate, left: channel(0), right: channel(2) };
}

/**
 * Least-squares gain of the audible label in the signal relative to its nominal level: ≈ 1 where
 * the cue is, ≈ 0 where it is not. `from` shifts the place looked at (default: the file start).
 */
export function cueGain(samples: Float32Array, from = 0): number {
  const cue = audibleLabelOverlay(44_100);
  let dot = 0;
  let energy = 0;
  for (let i = 0; i < cue.samples.length; i++) {
    dot += (samples[cue.at + from + i] ?? 0) * (cue.samples[i] ?? 0);
    energy += (cue.samples[i] ?? 0) ** 2;
  }
  return dot / energy;
}
