import type { StereoAudio } from '../render/render.js';
import { giveBackSamples, takeSamplesToOverwrite } from '../sample-buffers.js';
import { dbToGain } from './decibels.js';
import { compressorGain, limiterGain, rmsLevelDb, type BusCompression } from './dynamics.js';
import { measureIntegratedLoudness, NO_OVERLAY, type GainedSignal } from './loudness.js';
import { measureTruePeakDb, truePeakEnvelope } from './true-peak.js';

export type { BusCompression } from './dynamics.js';

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
const LOUDNESS_TOLERANCE_LU = 0.1;
const MAX_PASSES = 8;
/** The limiter's envelope is exact for peaks within this much of the ceiling. */
const ENVELOPE_HEADROOM_DB = 6;

const round2 = (v: number): number => Math.round(v * 100) / 100;

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
 * Memory: four arrays of the mix's length (no copy of the mix itself).
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

  // The compressor's gain is written where the master gain goes: each pass reads it for the
  // limiter, then turns it, sample by sample, into the gain.
  const gain = new Float32Array(n);
  const compressed = gain;
  // Both are written in full before they are read (limiterGain).
  const scratch = { needed: takeSamplesToOverwrite(n), forward: takeSamplesToOverwrite(n) };
  let compressionDb = 0;
  let limiterDb = 0;
  let overlayScale = 1;
  let outputLufs: number | null = null;
  let previous: { gainDb: number; out: number } | null = null;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    if (gainDb > envelopeGainDb + ENVELOPE_HEADROOM_DB / 2) {
      envelopeGainDb = gainDb;
      giveBackSamples(envelope);
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
      // compressed[i] is read before gain[i] (the same memory) is written.
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
  giveBackSamples(envelope, scratch.needed, scratch.forward);
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

/** Where `verifyTruePeak` trims to: half the limiter's margin under the ceiling. */
function truePeakLimitDb(truePeakCeilingDb: number): number {
  return truePeakCeilingDb - LIMITER_MARGIN_DB / 2;
}

/**
 * Whether `verifyTruePeak` will trim (and so change) an output whose true peak is this: a caller
 * that lets another thread read the output meanwhile stops that reader first.
 */
export function truePeakNeedsTrim(
  truePeakDb: number,
  truePeakCeilingDb: number = DEFAULTS.truePeakCeilingDb,
): boolean {
  return truePeakDb > truePeakLimitDb(truePeakCeilingDb);
}

/**
 * The applied mix's real true peak (`measuredTruePeakDb` when the caller has measured it
 * already); if the limiter's estimate let a peak through, `output` and
 * the gain (which the stems still get) are trimmed under the ceiling together.
 */
export function verifyTruePeak(
  output: StereoAudio,
  master: MasterGain,
  truePeakCeilingDb: number = DEFAULTS.truePeakCeilingDb,
  measuredTruePeakDb: number = measureTruePeakDb(output),
): MasterGain {
  let truePeakDb = measuredTruePeakDb;
  let { gainDb, outputLufs } = master.report;
  if (truePeakNeedsTrim(truePeakDb, truePeakCeilingDb)) {
    const limit = truePeakLimitDb(truePeakCeilingDb);
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
