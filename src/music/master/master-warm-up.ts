import type { StereoAudio } from '../render/render.js';
import { applyMasterGain, computeMasterGain } from './master.js';
import { measureTruePeakDb } from './true-peak.js';

/**
 * Runs the master once on a second and a half of made-up audio, so that a fresh process
 * compiles its loops (loudness, true-peak envelope, compressor, limiter) before the piece's
 * master needs them. In a fresh process the first master took twice as long as later ones
 * (0.8–1.1 s against ~0.4 s for 60 s), most of it the loops running before the compiler had
 * optimised them; a one-shot process has the time spare while its picture is read on another
 * thread (docs/decisions/0029-sample-buffers.md). Pure: nothing it computes is kept, and the
 * made-up audio is the same every time. Once per thread.
 */
let warmed = false;

function madeUpMix(seconds: number, seed: number): StereoAudio {
  const n = Math.round(seconds * 44_100);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  let state = seed;
  for (let i = 0; i < n; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    // Noise under a slow swell: loud and quiet passages, peaks for the limiter to hold.
    left[i] = (state / 0x7fffffff - 0.5) * 0.4 * Math.sin(i / 900);
    right[i] = (left[i] as number) * 0.9;
  }
  return { sampleRate: 44_100, left, right };
}

export function warmUpMaster(): void {
  if (warmed) return;
  warmed = true;
  const overlay = { samples: new Float32Array(20_000).fill(0.01), at: 1_000 };
  const compression = { thresholdDb: 3, ratio: 2, attackMs: 15, releaseMs: 180 };
  const mix = madeUpMix(1.5, 7);
  const gains = computeMasterGain(mix, { compression, overlay, fadeOutSeconds: 0.5 });
  measureTruePeakDb(applyMasterGain(mix, gains, overlay));
}
