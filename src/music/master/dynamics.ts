import type { StereoAudio } from '../render/render.js';
import { dbToGain, gainToDb } from './decibels.js';

/**
 * The gain curves of the master: a look-ahead peak limiter and a soft-knee bus compressor.
 */

export interface BusCompression {
  /** Threshold relative to the target loudness, dB (a short-term RMS above it is reduced). */
  thresholdDb: number;
  ratio: number;
  attackMs: number;
  releaseMs: number;
}

/** The limiter ramps into a peak over this much (it reads the envelope this far ahead). */
export const LOOKAHEAD_SECONDS = 0.0015;
const RELEASE_SECONDS = 0.08;
/** Samples per step of the compressor's control signal. */
export const CONTROL_STEP = 32;

// ---------------------------------------------------------------------------------------------
// Limiter

/**
 * Minimum over [i − radius, i + radius] (van Herk / Gil-Werman: a running minimum forwards and
 * one backwards within blocks of the window's width, then one comparison per sample; three
 * passes whatever the radius). The backward minima are needed only for the block the window's
 * start is in, so they are made one block at a time into `backward` (the window's width long).
 */
export function slidingMin(
  values: Float32Array,
  radius: number,
  forward: Float32Array = new Float32Array(values.length),
  backward: Float32Array = new Float32Array(2 * radius + 1),
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
  }
  // The backward minima of lo's block, made when lo enters it (lo moves one block at a time).
  let loBlockStart = 0;
  const backwardOfBlock = (start: number): void => {
    let m = Infinity;
    for (let i = Math.min(n, start + w) - 1; i >= start; i--) {
      const v = values[i] as number;
      if (v < m) m = v;
      backward[i - start] = m;
    }
  };
  backwardOfBlock(0);
  // The window [lo, hi] spans at most two blocks: the tail of lo's (backward[lo]) and the head
  // of hi's (forward[hi]); at the ends it is clipped to the signal. Block positions are kept
  // as lo moves instead of divided out per sample (this loop is most of the limiter's time).
  for (let i = 0; i < n; i++) {
    const lo = i > radius ? i - radius : 0;
    const hi = i + radius < n ? i + radius : n - 1;
    if (lo >= loBlockStart + w) {
      loBlockStart += w;
      backwardOfBlock(loBlockStart);
    }
    // Within one block, backward[lo] covers lo..block end, which may pass hi: take the range
    // itself then (only where the window is clipped or starts exactly at a block).
    if (hi < loBlockStart + w) {
      forward[i] = minRange(values, lo, hi);
    } else {
      const a = backward[lo - loBlockStart] as number;
      const b = forward[hi] as number;
      forward[i] = a < b ? a : b;
    }
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
export function limiterGain(
  envelope: Float32Array,
  makeup: number,
  ceiling: number,
  sampleRate: number,
  scratch?: { needed: Float32Array; forward: Float32Array },
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
  const gain = movingAverage(slidingMin(needed, radius, scratch?.forward), radius, needed);
  let minGain = 1;
  for (let i = 0; i < n; i++) {
    const g = gain[i] as number;
    if (g < minGain) minGain = g;
  }
  return { gain, maxReduction: -gainToDb(minGain) };
}

// ---------------------------------------------------------------------------------------------
// Bus compressor

/** Short-term RMS (10 ms window) of the louder channel, dBFS, per sample. */
export function rmsLevelDb(audio: StereoAudio): Float32Array {
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
export function compressorGain(
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
