import type { StereoAudio } from '../render/render.js';

/**
 * Mastering, as gain envelopes computed on the summed mix so the stems can share them:
 *  1. integrated loudness per ITU-R BS.1770-4 (K-weighting, 400 ms blocks with 75 % overlap,
 *     −70 LUFS absolute gate, −10 LU relative gate);
 *  2. a gentle bus compressor (RMS detector, soft knee) whose threshold sits relative to the
 *     target loudness: it takes the crest factor down a few dB before the limiter, so a peaky
 *     mix reaches −14 LUFS without the limiter having to squash it;
 *  3. a linked-stereo look-ahead peak limiter driven by a 4× oversampled (true-peak) envelope;
 *  4. steps 2–3 repeated with the static gain corrected by the loudness they produced (limiting
 *     and compression take loudness off), until the output lands within 0.1 LU of the target;
 *  5. a raised-cosine fade over the last of the tail (the reverb has died by then) and a final
 *     true-peak check that trims any remaining overshoot.
 * The result is one gain per sample: `output = gain · (mix + overlay)`, and a stem is
 * `gain · (stem + its share of the overlay)`, so stems sum to the master exactly.
 */

export interface BusCompression {
  /** Threshold relative to the target loudness, dB (a short-term RMS above it is reduced). */
  thresholdDb: number;
  ratio: number;
  attackMs: number;
  releaseMs: number;
}

export interface MasterOptions {
  targetLufs?: number;
  /** Ceiling for the files; the WAV lands under it with `LIMITER_MARGIN_DB` to spare. */
  truePeakCeilingDb?: number;
  fadeOutSeconds?: number;
  compression?: BusCompression | undefined;
  /**
   * Mono samples mixed into both channels at their own level (not scaled by the loudness gain),
   * before the compressor and limiter, so they can never push the output over the ceiling. Used
   * for the audible AI-content label.
   */
  overlay?: { samples: Float32Array; at: number } | undefined;
  /**
   * Measure loudness only from this sample on (a loop is mastered as two periods, so the
   * dynamics are in their steady state where the file is cut; the first period is run-in).
   */
  measureFrom?: number;
}

export interface MasterReport {
  /** Integrated loudness before mastering; null when everything is below the −70 LUFS gate. */
  inputLufs: number | null;
  outputLufs: number | null;
  /** Static gain, dB. */
  gainDb: number;
  /** Largest gain reduction of the bus compressor. */
  compressionDb: number;
  /** Largest gain reduction the limiter applied. */
  limiterReductionDb: number;
  truePeakDb: number;
}

export interface MasterGain {
  /** Gain per sample (linked stereo). */
  gain: Float32Array;
  /** The overlay is mixed in pre-gain scaled by this, so that it lands at its own level. */
  overlayScale: number;
  report: MasterReport;
}

const DEFAULTS = {
  targetLufs: -14,
  truePeakCeilingDb: -1,
  fadeOutSeconds: 1.2,
} as const;

/** Never boost more than this: beyond it we would only be amplifying the synth's noise floor. */
const MAX_GAIN_DB = 40;
/**
 * Limiter aims this far under the ceiling: the oversampled envelope is an estimate, and MP3
 * encoding adds a few tenths of a dB of overshoot on top of the WAV's peaks (read back on
 * encode, see encode/mp3-encode.ts).
 */
export const LIMITER_MARGIN_DB = 0.4;
const LOOKAHEAD_SECONDS = 0.0015;
const RELEASE_SECONDS = 0.08;
const LOUDNESS_TOLERANCE_LU = 0.1;
const MAX_PASSES = 8;
/** The limiter's envelope is exact for peaks within this much of the ceiling. */
const ENVELOPE_HEADROOM_DB = 6;
/** Samples per step of the compressor's control signal. */
const CONTROL_STEP = 32;

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

const NO_OVERLAY = new Float32Array(0);

/** `gain · (samples + overlay · overlayScale)`, read on the fly instead of written out. */
interface GainedSignal {
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

function interiorTruePeak(
  x: Float32Array,
  envelope: Float32Array,
  from: number,
  to: number,
  k1: Float64Array,
  k2: Float64Array,
  k3: Float64Array,
): void {
  const [p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11] = k1 as unknown as number[];
  const [q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11] = k2 as unknown as number[];
  const [r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11] = k3 as unknown as number[];
  const offset = TP_TAPS / 2 - 1;
  for (let i = from; i < to; i++) {
    const b = i - offset;
    const x0 = x[b] as number;
    const x1 = x[b + 1] as number;
    const x2 = x[b + 2] as number;
    const x3 = x[b + 3] as number;
    const x4 = x[b + 4] as number;
    const x5 = x[b + 5] as number;
    const x6 = x[b + 6] as number;
    const x7 = x[b + 7] as number;
    const x8 = x[b + 8] as number;
    const x9 = x[b + 9] as number;
    const x10 = x[b + 10] as number;
    const x11 = x[b + 11] as number;
    const a1 =
      x0 * p0! +
      x1 * p1! +
      x2 * p2! +
      x3 * p3! +
      x4 * p4! +
      x5 * p5! +
      x6 * p6! +
      x7 * p7! +
      x8 * p8! +
      x9 * p9! +
      x10 * p10! +
      x11 * p11!;
    const a2 =
      x0 * q0! +
      x1 * q1! +
      x2 * q2! +
      x3 * q3! +
      x4 * q4! +
      x5 * q5! +
      x6 * q6! +
      x7 * q7! +
      x8 * q8! +
      x9 * q9! +
      x10 * q10! +
      x11 * q11!;
    const a3 =
      x0 * r0! +
      x1 * r1! +
      x2 * r2! +
      x3 * r3! +
      x4 * r4! +
      x5 * r5! +
      x6 * r6! +
      x7 * r7! +
      x8 * r8! +
      x9 * r9! +
      x10 * r10! +
      x11 * r11!;
    let peak = x5 < 0 ? -x5 : x5;
    const m1 = a1 < 0 ? -a1 : a1;
    const m2 = a2 < 0 ? -a2 : a2;
    const m3 = a3 < 0 ? -a3 : a3;
    if (m1 > peak) peak = m1;
    if (m2 > peak) peak = m2;
    if (m3 > peak) peak = m3;
    if (peak > (envelope[i] as number)) envelope[i] = peak;
  }
}

/** The largest L1 norm of the three kernels: no interpolated point exceeds it × the taps' peak. */
const TP_KERNEL_BOUND = Math.max(
  ...TP_KERNELS.map((k) => k.reduce((sum, v) => sum + Math.abs(v), 0)),
);
const TP_BLOCK = 64;

/**
 * Per-sample true-peak envelope: the largest magnitude, over both channels, of the sample and
 * the three interpolated points that follow it. Where no point of a 64-sample block can reach
 * `floor` (only peaks at or above it matter to the caller), the block keeps its sample peaks.
 */
export function truePeakEnvelope(audio: StereoAudio, floor = 0): Float32Array {
  const n = audio.left.length;
  const envelope = new Float32Array(n);
  const offset = TP_TAPS / 2 - 1; // kernel tap j reads sample i − offset + j
  const [k1, k2, k3] = TP_KERNELS as [Float64Array, Float64Array, Float64Array];
  for (const channel of [audio.left, audio.right]) {
    for (let block = 0; block < n; block += TP_BLOCK) {
      const blockEnd = Math.min(n, block + TP_BLOCK);
      // Every interpolated point of the block is bounded by the largest sample its taps read
      // times the kernel's L1 norm: a block that cannot reach `floor` keeps its sample peaks.
      let local = 0;
      const readFrom = Math.max(0, block - offset);
      const readTo = Math.min(n, blockEnd - offset + TP_TAPS);
      for (let i = readFrom; i < readTo; i++) {
        const v = Math.abs(channel[i] as number);
        if (v > local) local = v;
      }
      if (local * TP_KERNEL_BOUND < floor) {
        for (let i = block; i < blockEnd; i++) {
          const v = Math.abs(channel[i] as number);
          if (v > (envelope[i] as number)) envelope[i] = v;
        }
        continue;
      }
      // Interior blocks: the 36 multiply-adds written out with the kernels in locals (about
      // three times faster than the loop below, which handles the edges of the signal).
      if (block - offset >= 0 && blockEnd - offset + TP_TAPS <= n) {
        interiorTruePeak(channel, envelope, block, blockEnd, k1, k2, k3);
        continue;
      }
      for (let i = block; i < blockEnd; i++) {
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
  }
  return envelope;
}

/**
 * True peak in dBTP. Only blocks whose samples could reach within 6 dB of the sample peak are
 * interpolated (the others cannot hold the maximum), which makes this a few times cheaper.
 */
export function measureTruePeakDb(audio: StereoAudio): number {
  let samplePeak = 0;
  for (const channel of [audio.left, audio.right]) {
    for (let i = 0; i < channel.length; i++) {
      const v = Math.abs(channel[i] as number);
      if (v > samplePeak) samplePeak = v;
    }
  }
  const envelope = truePeakEnvelope(audio, samplePeak);
  let peak = 0;
  for (const v of envelope) if (v > peak) peak = v;
  return gainToDb(peak);
}

// ---------------------------------------------------------------------------------------------
// Limiter

/**
 * Minimum over [i − radius, i + radius] (van Herk / Gil-Werman: a running minimum forwards and
 * one backwards within blocks of the window's width, then one comparison per sample; three
 * passes whatever the radius).
 */
function slidingMin(
  values: Float32Array,
  radius: number,
  forward: Float32Array = new Float32Array(values.length),
  backward: Float32Array = new Float32Array(values.length),
): Float32Array {
  const n = values.length;
  const w = 2 * radius + 1;
  for (let start = 0; start < n; start += w) {
    const end = Math.min(n, start + w);
    let m = Infinity;
    for (let i = start; i < end; i++) {
      const v = values[i] as number;
      if (v < m) m = v;
      forward[i] = m;
    }
    m = Infinity;
    for (let i = end - 1; i >= start; i--) {
      const v = values[i] as number;
      if (v < m) m = v;
      backward[i] = m;
    }
  }
  // The window [lo, hi] spans at most two blocks: the tail of lo's (backward[lo]) and the head
  // of hi's (forward[hi]); at the ends it is clipped to the signal.
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - radius);
    const hi = Math.min(n - 1, i + radius);
    const a = backward[lo] as number;
    const b = forward[hi] as number;
    const sameBlock = Math.floor(lo / w) === Math.floor(hi / w);
    // Within one block, backward[lo] covers lo..block end, which may pass hi: use forward
    // from lo's block start only when clipped ranges fall in one block.
    forward[i] = sameBlock ? minRange(values, lo, hi) : a < b ? a : b;
  }
  return forward;
}

function minRange(values: Float32Array, lo: number, hi: number): number {
  let m = Infinity;
  for (let i = lo; i <= hi; i++) if ((values[i] as number) < m) m = values[i] as number;
  return m;
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
  scratch?: { needed: Float32Array; forward: Float32Array; backward: Float32Array },
): { gain: Float32Array; maxReduction: number } {
  const n = envelope.length;
  // `needed` may be the envelope's own memory: each value is read before it is overwritten.
  const needed = scratch?.needed ?? new Float32Array(n);
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
  const gain = movingAverage(
    slidingMin(needed, radius, scratch?.forward, scratch?.backward),
    radius,
    needed,
  );
  let minGain = 1;
  for (const g of gain) if (g < minGain) minGain = g;
  return { gain, maxReduction: -gainToDb(minGain) };
}

// ---------------------------------------------------------------------------------------------
// Bus compressor

/** Short-term RMS (10 ms window) of the louder channel, dBFS, per sample. */
function rmsLevelDb(audio: StereoAudio): Float32Array {
  const n = audio.left.length;
  const out = new Float32Array(Math.ceil(n / CONTROL_STEP));
  const coefficient = 1 - Math.exp(-1 / (0.01 * audio.sampleRate));
  let power = 0;
  for (let i = 0; i < n; i++) {
    const l = audio.left[i] as number;
    const r = audio.right[i] as number;
    power += coefficient * (Math.max(l * l, r * r) - power);
    if (i % CONTROL_STEP === 0)
      out[i / CONTROL_STEP] = power > 1e-12 ? 10 * Math.log10(power) : -120;
  }
  return out;
}

/**
 * Gain of a soft-knee (6 dB) compressor on the level `levelDb + makeupDb`, smoothed with
 * attack/release in the dB domain. Computed at the control rate (every `CONTROL_STEP` samples,
 * under a millisecond, far shorter than the attack) and interpolated linearly between.
 */
function compressorGain(
  levelDb: Float32Array,
  makeupDb: number,
  thresholdDb: number,
  settings: BusCompression,
  sampleRate: number,
  out: Float32Array,
): { gain: Float32Array; maxReductionDb: number } {
  const knee = 6;
  const slope = 1 - 1 / Math.max(1, settings.ratio);
  const controlRate = sampleRate / CONTROL_STEP;
  const attack = Math.exp(-1 / ((settings.attackMs / 1000) * controlRate));
  const release = Math.exp(-1 / ((settings.releaseMs / 1000) * controlRate));
  let reduction = 0;
  let maxReduction = 0;
  let previousGain = 1;
  for (let c = 0; c < levelDb.length; c++) {
    const over = (levelDb[c] as number) + makeupDb - thresholdDb;
    const wanted =
      over <= -knee / 2
        ? 0
        : over >= knee / 2
          ? slope * over
          : (slope * (over + knee / 2) ** 2) / (2 * knee);
    const k = wanted > reduction ? attack : release;
    reduction = wanted + k * (reduction - wanted);
    if (reduction > maxReduction) maxReduction = reduction;
    const g = dbToGain(-reduction);
    const from = c * CONTROL_STEP;
    const to = Math.min(out.length, from + CONTROL_STEP);
    const step = (g - previousGain) / CONTROL_STEP;
    for (let i = from; i < to; i++) out[i] = previousGain + step * (i - from + 1);
    previousGain = g;
  }
  return { gain: out, maxReductionDb: maxReduction };
}

// ---------------------------------------------------------------------------------------------

function fadeOutCurve(gain: Float32Array, samples: number): void {
  const n = gain.length;
  const length = Math.min(n, samples);
  for (let i = 0; i < length; i++) {
    const index = n - length + i;
    gain[index] = (gain[index] as number) * 0.5 * (1 + Math.cos((Math.PI * (i + 1)) / length));
  }
}

/** `gain · (audio + overlay · overlayScale)`, written into `out` (which may be `audio`). */
export function applyMasterGain(
  audio: StereoAudio,
  master: Pick<MasterGain, 'gain' | 'overlayScale'>,
  overlay?: { samples: Float32Array; at: number; share?: number },
  out: StereoAudio = audio,
): StereoAudio {
  const { gain } = master;
  const n = Math.min(audio.left.length, gain.length);
  for (let i = 0; i < n; i++) {
    const g = gain[i] as number;
    out.left[i] = (audio.left[i] as number) * g;
    out.right[i] = (audio.right[i] as number) * g;
  }
  if (overlay) {
    const scale = master.overlayScale * (overlay.share ?? 1);
    const { samples, at } = overlay;
    for (let i = 0; i < samples.length && at + i < n; i++) {
      const v = (samples[i] as number) * scale * (gain[at + i] as number);
      out.left[at + i] = (out.left[at + i] as number) + v;
      out.right[at + i] = (out.right[at + i] as number) + v;
    }
  }
  return out;
}

function loudnessOf(audio: StereoAudio, from: number, gained?: GainedSignal): number | null {
  if (from <= 0) return measureIntegratedLoudness(audio, gained);
  const tail = (a: Float32Array): Float32Array => a.subarray(from);
  return measureIntegratedLoudness(
    { sampleRate: audio.sampleRate, left: tail(audio.left), right: tail(audio.right) },
    gained && {
      ...gained,
      gain: tail(gained.gain),
      overlayAt: gained.overlayAt - from,
    },
  );
}

/**
 * Computes the master gain for a summed mix (not changed). The caller applies it to the mix
 * and to every stem with `applyMasterGain`, and checks the applied mix with `verifyTruePeak`.
 * Memory: six arrays of the mix's length (no copy of the mix itself).
 */
export function computeMasterGain(mix: StereoAudio, options: MasterOptions = {}): MasterGain {
  const settings = { ...DEFAULTS, ...options };
  const sr = mix.sampleRate;
  const n = mix.left.length;
  const from = settings.measureFrom ?? 0;
  const inputLufs = loudnessOf(mix, from);
  let gainDb = inputLufs === null ? 0 : Math.min(MAX_GAIN_DB, settings.targetLufs - inputLufs);

  // The overlay's own envelope, so the limiter also sees it (it is added at its own level).
  const overlay = settings.overlay;
  const overlayEnvelope = overlay
    ? truePeakEnvelope({ sampleRate: sr, left: overlay.samples, right: overlay.samples })
    : null;
  // Only peaks that the limiter might have to hold matter: those within 6 dB of the ceiling at
  // the starting gain (passes move the gain by a few dB at most; see the check below).
  const floorFor = (db: number): number =>
    dbToGain(settings.truePeakCeilingDb - LIMITER_MARGIN_DB - db - ENVELOPE_HEADROOM_DB);
  let envelopeGainDb = gainDb;
  let envelope = truePeakEnvelope(mix, floorFor(envelopeGainDb));
  const level = settings.compression ? rmsLevelDb(mix) : null;
  const ceiling = dbToGain(settings.truePeakCeilingDb - LIMITER_MARGIN_DB);
  const fadeSamples = Math.round(settings.fadeOutSeconds * sr);

  const compressed = new Float32Array(n);
  const scratch = {
    needed: new Float32Array(n),
    forward: new Float32Array(n),
    backward: new Float32Array(n),
  };
  const gain = new Float32Array(n);
  let compressionDb = 0;
  let limiterDb = 0;
  let overlayScale = 1;
  let outputLufs: number | null = null;
  let previous: { gainDb: number; out: number } | null = null;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    if (gainDb > envelopeGainDb + ENVELOPE_HEADROOM_DB / 2) {
      envelopeGainDb = gainDb;
      envelope = truePeakEnvelope(mix, floorFor(envelopeGainDb));
    }
    const makeup = dbToGain(gainDb);
    overlayScale = 1 / makeup;
    if (level && settings.compression) {
      const c = compressorGain(
        level,
        gainDb,
        settings.targetLufs + settings.compression.thresholdDb,
        settings.compression,
        sr,
        compressed,
      );
      compressionDb = c.maxReductionDb;
    } else {
      compressed.fill(1);
    }
    // The limiter works on the true-peak envelope after static gain and compression (the
    // compressor's gain moves slowly next to the peaks, so scaling the envelope is exact enough;
    // `verifyTruePeak` catches the rest).
    const scaled = scratch.needed;
    for (let i = 0; i < n; i++) scaled[i] = (envelope[i] as number) * (compressed[i] as number);
    if (overlay && overlayEnvelope) {
      for (let i = 0; i < overlayEnvelope.length && overlay.at + i < n; i++) {
        const j = overlay.at + i;
        // The overlay lands at its own level: divide by the makeup the envelope gets next.
        scaled[j] = (scaled[j] as number) + (overlayEnvelope[i] as number) * overlayScale;
      }
    }
    const limited = limiterGain(scaled, makeup, ceiling, sr, scratch);
    limiterDb = limited.maxReduction;
    for (let i = 0; i < n; i++) {
      gain[i] = makeup * (limited.gain[i] as number) * (compressed[i] as number);
    }
    fadeOutCurve(gain, fadeSamples);
    const out = loudnessOf(mix, from, {
      gain,
      overlay: overlay?.samples ?? NO_OVERLAY,
      overlayAt: overlay?.at ?? 0,
      overlayScale,
    });
    outputLufs = out;
    if (out === null || inputLufs === null) break;
    const miss = settings.targetLufs - out;
    if (Math.abs(miss) <= LOUDNESS_TOLERANCE_LU || gainDb >= MAX_GAIN_DB) break;
    // Secant step: where the limiter is working, a dB of gain buys less than a dB of loudness.
    const slope = previous
      ? Math.min(1, Math.max(0.15, (out - previous.out) / (gainDb - previous.gainDb || 1)))
      : 1;
    previous = { gainDb, out };
    gainDb = Math.min(MAX_GAIN_DB, gainDb + miss / slope);
  }
  return {
    gain,
    overlayScale,
    report: {
      inputLufs: inputLufs === null ? null : round2(inputLufs),
      outputLufs: outputLufs === null ? null : round2(outputLufs),
      gainDb: round2(gainDb),
      compressionDb: round2(compressionDb),
      limiterReductionDb: round2(Math.max(0, limiterDb)),
      truePeakDb: NaN,
    },
  };
}

/**
 * The applied mix's real true peak; if the limiter's estimate let a peak through, `output` and
 * the gain (which the stems still get) are trimmed under the ceiling together.
 */
export function verifyTruePeak(
  output: StereoAudio,
  master: MasterGain,
  truePeakCeilingDb: number = DEFAULTS.truePeakCeilingDb,
): MasterGain {
  let truePeakDb = measureTruePeakDb(output);
  const limit = truePeakCeilingDb - LIMITER_MARGIN_DB / 2;
  let { gainDb, outputLufs } = master.report;
  if (truePeakDb > limit) {
    const trimDb = limit - truePeakDb;
    const trim = dbToGain(trimDb);
    for (const channel of [output.left, output.right]) {
      for (let i = 0; i < channel.length; i++) channel[i] = (channel[i] as number) * trim;
    }
    for (let i = 0; i < master.gain.length; i++) master.gain[i] = (master.gain[i] as number) * trim;
    truePeakDb = measureTruePeakDb(output);
    gainDb = round2(gainDb + trimDb);
    outputLufs = outputLufs === null ? null : round2(outputLufs + trimDb);
  }
  return {
    ...master,
    report: { ...master.report, gainDb, outputLufs, truePeakDb: round2(truePeakDb) },
  };
}

/** Masters in place (the buffers are large) and returns the same audio with a report. */
export function masterAudio(
  audio: StereoAudio,
  options: MasterOptions = {},
): { audio: StereoAudio; report: MasterReport } {
  const master = computeMasterGain(audio, options);
  applyMasterGain(audio, master, options.overlay);
  const checked = verifyTruePeak(audio, master, options.truePeakCeilingDb);
  return { audio, report: checked.report };
}
