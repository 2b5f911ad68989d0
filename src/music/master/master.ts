import type { StereoAudio } from '../render/render.js';

/**
 * Mastering v0, in this order:
 *  1. a raised-cosine fade over the release tail, so the file never ends on a cut;
 *  2. integrated loudness per ITU-R BS.1770-4 (K-weighting, 400 ms blocks with 75 % overlap,
 *     −70 LUFS absolute gate, −10 LU relative gate);
 *  3. one static gain towards the target (−14 LUFS, the level streaming services normalise to),
 *     capped so the limiter never has to take off more than `maxLimiterReductionDb`: transient-
 *     heavy music ends up a little quieter rather than squashed;
 *  4. a linked-stereo look-ahead peak limiter driven by a 4× oversampled (true-peak) envelope,
 *     with a small margin under the ceiling;
 *  5. a final true-peak check that trims any remaining overshoot, so output ≤ −1 dBTP.
 * No compression, EQ or stereo processing: the arrangement sets the balance.
 */

export interface MasterOptions {
  targetLufs?: number;
  truePeakCeilingDb?: number;
  fadeOutSeconds?: number;
  maxLimiterReductionDb?: number;
  /**
   * Mono samples mixed into both channels at their own level (not scaled by the loudness gain),
   * after loudness normalisation and before the limiter, so they can never push the output
   * over the true-peak ceiling. Used for the audible AI-content label.
   */
  overlay?: { samples: Float32Array; at: number } | undefined;
}

export interface MasterReport {
  /** Integrated loudness before mastering; null when everything is below the −70 LUFS gate. */
  inputLufs: number | null;
  outputLufs: number | null;
  gainDb: number;
  /** Largest gain reduction the limiter applied. */
  limiterReductionDb: number;
  truePeakDb: number;
}

const DEFAULTS = {
  targetLufs: -14,
  truePeakCeilingDb: -1,
  fadeOutSeconds: 1.2,
  maxLimiterReductionDb: 6,
} as const;

/** Never boost more than this: beyond it we would only be amplifying the synth's noise floor. */
const MAX_GAIN_DB = 30;
/** Limiter aims this far under the ceiling; the oversampled envelope is an estimate. */
const LIMITER_MARGIN_DB = 0.3;
const LOOKAHEAD_SECONDS = 0.0015;
const RELEASE_SECONDS = 0.08;

const dbToGain = (db: number): number => 10 ** (db / 20);
const gainToDb = (gain: number): number => (gain > 0 ? 20 * Math.log10(gain) : -Infinity);
const round2 = (v: number): number => Math.round(v * 100) / 100;

// ---------------------------------------------------------------------------------------------
// Loudness (BS.1770-4)

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
      const x = samples[i] ?? 0;
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

export function measureIntegratedLoudness(audio: StereoAudio): number | null {
  const step = Math.round(audio.sampleRate / 10);
  const left = kWeightedStepEnergy(audio.left, audio.sampleRate, step);
  const right = kWeightedStepEnergy(audio.right, audio.sampleRate, step);
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

// ---------------------------------------------------------------------------------------------
// True peak

const TP_TAPS = 12;
const TP_PHASES = 4;

/** Windowed-sinc interpolation kernels for the 3 in-between points of 4× oversampling. */
const TP_KERNELS: Float64Array[] = (() => {
  const half = TP_TAPS / 2;
  const kernels: Float64Array[] = [];
  for (let phase = 1; phase < TP_PHASES; phase++) {
    const frac = phase / TP_PHASES;
    const kernel = new Float64Array(TP_TAPS);
    for (let j = 0; j < TP_TAPS; j++) {
      const t = j - (half - 1) - frac; // sample offset (n + j − half + 1) relative to n + frac
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
      const window = 0.5 * (1 + Math.cos((Math.PI * t) / half));
      kernel[j] = sinc * window;
    }
    kernels.push(kernel);
  }
  return kernels;
})();

/**
 * Per-sample true-peak envelope: the largest magnitude, over both channels, of the sample and
 * the three interpolated points that follow it.
 */
export function truePeakEnvelope(audio: StereoAudio): Float32Array {
  const n = audio.left.length;
  const envelope = new Float32Array(n);
  const offset = TP_TAPS / 2 - 1; // kernel tap j reads sample i − offset + j
  const [k1, k2, k3] = TP_KERNELS as [Float64Array, Float64Array, Float64Array];
  for (const channel of [audio.left, audio.right]) {
    for (let i = 0; i < n; i++) {
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      const base = i - offset;
      // Only the first and last few samples need the bounds checks (zeros outside the signal).
      const from = Math.max(0, -base);
      const to = Math.min(TP_TAPS, n - base);
      for (let j = from; j < to; j++) {
        const x = channel[base + j] as number;
        a1 += x * (k1[j] as number);
        a2 += x * (k2[j] as number);
        a3 += x * (k3[j] as number);
      }
      const peak = Math.max(
        Math.abs(channel[i] as number),
        Math.abs(a1),
        Math.abs(a2),
        Math.abs(a3),
      );
      if (peak > (envelope[i] as number)) envelope[i] = peak;
    }
  }
  return envelope;
}

export function measureTruePeakDb(audio: StereoAudio): number {
  const envelope = truePeakEnvelope(audio);
  let peak = 0;
  for (const v of envelope) if (v > peak) peak = v;
  return gainToDb(peak);
}

// ---------------------------------------------------------------------------------------------
// Limiter

/** Minimum over [i − radius, i + radius], with a ring-buffer deque no larger than the window. */
function slidingMin(values: Float32Array, radius: number): Float32Array {
  const n = values.length;
  const out = new Float32Array(n);
  const size = 2 * radius + 2;
  const ring = new Int32Array(size);
  let head = 0; // position of the front (smallest) index
  let count = 0;
  let next = 0; // next sample index to admit
  const at = (k: number): number => ring[(head + k) % size] as number;
  for (let i = 0; i < n; i++) {
    const windowEnd = Math.min(n - 1, i + radius);
    while (next <= windowEnd) {
      const value = values[next] as number;
      while (count > 0 && (values[at(count - 1)] as number) >= value) count--;
      ring[(head + count) % size] = next++;
      count++;
    }
    while (count > 0 && at(0) < i - radius) {
      head = (head + 1) % size;
      count--;
    }
    out[i] = values[at(0)] as number;
  }
  return out;
}

/** Mean over [i − radius, i + radius] (clipped at the ends), written into `out`. */
function movingAverage(values: Float32Array, radius: number, out: Float32Array): Float32Array {
  const n = values.length;
  let sum = 0;
  let count = 0;
  for (let j = 0; j <= Math.min(radius, n - 1); j++) {
    sum += values[j] as number;
    count++;
  }
  for (let i = 0; i < n; i++) {
    out[i] = sum / count;
    const add = i + radius + 1;
    const drop = i - radius;
    if (add < n) {
      sum += values[add] as number;
      count++;
    }
    if (drop >= 0) {
      sum -= values[drop] as number;
      count--;
    }
  }
  return out;
}

/**
 * Gain curve that keeps `envelope · makeup · gain` under `ceiling`. The sliding minimum over
 * ±radius followed by a moving average over ±radius is guaranteed to stay at or below the
 * needed gain at every sample (each averaged value already covers that sample), while ramping
 * smoothly into each peak over the look-ahead instead of clicking.
 */
function limiterGain(
  envelope: Float32Array,
  makeup: number,
  ceiling: number,
  sampleRate: number,
): { gain: Float32Array; maxReduction: number } {
  const n = envelope.length;
  const needed = new Float32Array(n);
  const release = Math.exp(-1 / (RELEASE_SECONDS * sampleRate));
  let previous = 1;
  for (let i = 0; i < n; i++) {
    const level = (envelope[i] ?? 0) * makeup;
    const target = level > ceiling ? ceiling / level : 1;
    previous = Math.min(target, 1 - (1 - previous) * release);
    needed[i] = previous;
  }
  const radius = Math.max(1, Math.round(LOOKAHEAD_SECONDS * sampleRate));
  // `needed` is no longer read once the minimum is taken, so the average reuses its memory.
  const gain = movingAverage(slidingMin(needed, radius), radius, needed);
  let minGain = 1;
  for (const g of gain) if (g < minGain) minGain = g;
  return { gain, maxReduction: -gainToDb(minGain) };
}

// ---------------------------------------------------------------------------------------------

function applyFadeOut(audio: StereoAudio, seconds: number): void {
  const n = audio.left.length;
  const length = Math.min(n, Math.round(seconds * audio.sampleRate));
  for (let i = 0; i < length; i++) {
    const index = n - length + i;
    const g = 0.5 * (1 + Math.cos((Math.PI * (i + 1)) / length));
    audio.left[index] = (audio.left[index] ?? 0) * g;
    audio.right[index] = (audio.right[index] ?? 0) * g;
  }
}

/** Masters in place (the buffers are large) and returns the same audio with a report. */
export function masterAudio(
  audio: StereoAudio,
  options: MasterOptions = {},
): { audio: StereoAudio; report: MasterReport } {
  const settings = { ...DEFAULTS, ...options };
  applyFadeOut(audio, settings.fadeOutSeconds);

  const inputLufs = measureIntegratedLoudness(audio);
  if (settings.overlay) {
    // Pre-divided by the gain the music is about to get, so it lands at its own level.
    const target = inputLufs === null ? 0 : Math.min(MAX_GAIN_DB, settings.targetLufs - inputLufs);
    const scale = 1 / dbToGain(target);
    const { samples, at } = settings.overlay;
    for (let i = 0; i < samples.length && at + i < audio.left.length; i++) {
      const v = (samples[i] ?? 0) * scale;
      audio.left[at + i] = (audio.left[at + i] ?? 0) + v;
      audio.right[at + i] = (audio.right[at + i] ?? 0) + v;
    }
  }
  const envelope = truePeakEnvelope(audio);
  let inputPeak = 0;
  for (const v of envelope) if (v > inputPeak) inputPeak = v;
  const inputPeakDb = gainToDb(inputPeak);

  const limiterCeilingDb = settings.truePeakCeilingDb - LIMITER_MARGIN_DB;
  let gainDb = inputLufs === null ? 0 : Math.min(MAX_GAIN_DB, settings.targetLufs - inputLufs);
  const reductionNeeded = inputPeakDb + gainDb - limiterCeilingDb;
  if (reductionNeeded > settings.maxLimiterReductionDb) {
    gainDb -= reductionNeeded - settings.maxLimiterReductionDb;
  }
  const makeup = dbToGain(gainDb);
  const { gain, maxReduction } = limiterGain(
    envelope,
    makeup,
    dbToGain(limiterCeilingDb),
    audio.sampleRate,
  );
  for (let i = 0; i < audio.left.length; i++) {
    const g = makeup * (gain[i] ?? 1);
    audio.left[i] = (audio.left[i] ?? 0) * g;
    audio.right[i] = (audio.right[i] ?? 0) * g;
  }

  let truePeakDb = measureTruePeakDb(audio);
  if (truePeakDb > settings.truePeakCeilingDb) {
    const trim = dbToGain(settings.truePeakCeilingDb - truePeakDb - 0.01);
    for (let i = 0; i < audio.left.length; i++) {
      audio.left[i] = (audio.left[i] ?? 0) * trim;
      audio.right[i] = (audio.right[i] ?? 0) * trim;
    }
    gainDb += gainToDb(trim);
    truePeakDb = measureTruePeakDb(audio);
  }
  const outputLufs = measureIntegratedLoudness(audio);
  return {
    audio,
    report: {
      inputLufs: inputLufs === null ? null : round2(inputLufs),
      outputLufs: outputLufs === null ? null : round2(outputLufs),
      gainDb: round2(gainDb),
      limiterReductionDb: round2(Math.max(0, maxReduction)),
      truePeakDb: round2(truePeakDb),
    },
  };
}
