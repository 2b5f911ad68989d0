import { measureIntegratedLoudness } from '../master/loudness.js';
import type { StereoAudio } from '../render/render.js';
import { deriveRng } from '../random.js';
import { filterChain, highPass, lowPass } from './filters.js';

/**
 * Vinyl surface for the lo-fi style: band-limited hiss (independent in each channel) with sparse
 * crackle, scaled to `lufs`. Seeded from the request, so the same request gives the same noise
 * to the sample; the texture is its own stem, so a producer can drop it.
 */

/** Crackles per second, on average. */
const CRACKLE_RATE = 2.5;

export function vinylTexture(
  length: number,
  sampleRate: number,
  lufs: number,
  seed: number,
): StereoAudio {
  const rng = deriveRng(seed, 'vinyl');
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    left[i] = rng.next() * 2 - 1;
    right[i] = rng.next() * 2 - 1;
  }
  const band = [highPass(sampleRate, 700), lowPass(sampleRate, 6000), lowPass(sampleRate, 9000)];
  filterChain(left, band);
  filterChain(right, band);
  // Crackle: short decaying clicks at random times, panned at random, ~12 dB over the hiss.
  const clicks = Math.round((length / sampleRate) * CRACKLE_RATE);
  for (let c = 0; c < clicks; c++) {
    const at = rng.int(0, Math.max(0, length - 200));
    const amplitude = 3 + 5 * rng.next();
    const pan = rng.next();
    const sign = rng.chance(0.5) ? 1 : -1;
    for (let k = 0; k < 160 && at + k < length; k++) {
      const v = sign * amplitude * Math.exp(-k / 18) * (k % 2 === 0 ? 1 : -0.6);
      left[at + k] = (left[at + k] as number) + v * (1 - pan);
      right[at + k] = (right[at + k] as number) + v * pan;
    }
  }
  const texture: StereoAudio = { sampleRate, left, right };
  const now = measureIntegratedLoudness(texture);
  const g = now === null ? 0 : 10 ** ((lufs - now) / 20);
  for (let i = 0; i < length; i++) {
    left[i] = (left[i] as number) * g;
    right[i] = (right[i] as number) * g;
  }
  return texture;
}
