import type { StereoAudio } from '../render/render.js';

/**
 * Integrated loudness per ITU-R BS.1770-4, read from a mix or from a mix under a gain curve
 * without writing the gained signal out.
 */

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two K-weighting stages, recomputed for any sample rate (constants from BS.1770 / libebur128). */
function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  const shelfF0 = 1681.974450955533;
  const shelfGainDb = 3.999843853973347;
  const shelfQ = 0.7071752369554196;
  let k = Math.tan((Math.PI * shelfF0) / sampleRate);
  const vh = 10 ** (shelfGainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / shelfQ + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / shelfQ + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / shelfQ + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / shelfQ + k * k) / a0,
  };
  const highPassF0 = 38.13547087602444;
  const highPassQ = 0.5003270373238773;
  k = Math.tan((Math.PI * highPassF0) / sampleRate);
  a0 = 1 + k / highPassQ + k * k;
  const highPass: Biquad = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / highPassQ + k * k) / a0,
  };
  return [shelf, highPass];
}

/** Sum of squared K-weighted samples per 100 ms step (the 400 ms blocks are four steps). */
function kWeightedStepEnergy(
  samples: Float32Array,
  sampleRate: number,
  step: number,
  gained?: GainedSignal,
): Float64Array {
  const [f1, f2] = kWeightingFilters(sampleRate);
  const steps = Math.floor(samples.length / step);
  const energy = new Float64Array(steps);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  let z1 = 0;
  let z2 = 0;
  for (let s = 0; s < steps; s++) {
    let sum = 0;
    const end = (s + 1) * step;
    for (let i = s * step; i < end; i++) {
      let x = samples[i] ?? 0;
      if (gained) {
        const k = i - gained.overlayAt;
        if (k >= 0 && k < gained.overlay.length)
          x += (gained.overlay[k] ?? 0) * gained.overlayScale;
        x *= gained.gain[i] ?? 1;
      }
      const y = f1.b0 * x + f1.b1 * x1 + f1.b2 * x2 - f1.a1 * y1 - f1.a2 * y2;
      x2 = x1;
      x1 = x;
      const z = f2.b0 * y + f2.b1 * y1 + f2.b2 * y2 - f2.a1 * z1 - f2.a2 * z2;
      y2 = y1;
      y1 = y;
      z2 = z1;
      z1 = z;
      sum += z * z;
    }
    energy[s] = sum;
  }
  return energy;
}

export const NO_OVERLAY = new Float32Array(0);

/** `gain · (samples + overlay · overlayScale)`, read on the fly instead of written out. */
export interface GainedSignal {
  gain: Float32Array;
  overlay: Float32Array;
  overlayAt: number;
  overlayScale: number;
}

export function measureIntegratedLoudness(
  audio: StereoAudio,
  gained?: GainedSignal,
): number | null {
  const step = Math.round(audio.sampleRate / 10);
  const left = kWeightedStepEnergy(audio.left, audio.sampleRate, step, gained);
  const right = kWeightedStepEnergy(audio.right, audio.sampleRate, step, gained);
  const blockPowers: number[] = [];
  for (let j = 0; j + 4 <= left.length; j++) {
    let sum = 0;
    for (let k = j; k < j + 4; k++) sum += (left[k] ?? 0) + (right[k] ?? 0);
    blockPowers.push(sum / (4 * step));
  }
  const loudness = (power: number): number => -0.691 + 10 * Math.log10(power);
  const absolute = blockPowers.filter((p) => p > 0 && loudness(p) > -70);
  if (absolute.length === 0) return null;
  const relativeGate = loudness(absolute.reduce((a, b) => a + b, 0) / absolute.length) - 10;
  const gated = absolute.filter((p) => loudness(p) > relativeGate);
  if (gated.length === 0) return null;
  return loudness(gated.reduce((a, b) => a + b, 0) / gated.length);
}
