/**
 * Measurements of a stereo render for the engine bench (not used by the engine): L/R correlation,
 * side − mid, octave-band levels relative to the total, loudness range (EBU Tech 3342) and the
 * length of the audible tail. Plain arithmetic on the float samples, so the bench reads the same
 * numbers on every machine.
 */
import { measureIntegratedLoudness } from '../src/music/master/loudness.js';
import { measureTruePeakDb } from '../src/music/master/true-peak.js';
import type { StereoAudio } from '../src/music/render/render.js';

export const OCTAVE_CENTRES = [31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000] as const;

const db = (power: number): number => (power > 0 ? 10 * Math.log10(power) : -Infinity);

/** Pearson correlation of left and right over the whole file (1 = mono, 0 = unrelated). */
export function stereoCorrelation(audio: StereoAudio): number {
  let lr = 0;
  let ll = 0;
  let rr = 0;
  for (let i = 0; i < audio.left.length; i++) {
    const l = audio.left[i] as number;
    const r = audio.right[i] as number;
    lr += l * r;
    ll += l * l;
    rr += r * r;
  }
  return ll > 0 && rr > 0 ? lr / Math.sqrt(ll * rr) : 1;
}

/** Energy of the side signal relative to the mid signal, dB (−∞ = mono, 0 = as wide as deep). */
export function sideMinusMidDb(audio: StereoAudio): number {
  let mid = 0;
  let side = 0;
  for (let i = 0; i < audio.left.length; i++) {
    const l = audio.left[i] as number;
    const r = audio.right[i] as number;
    mid += (l + r) ** 2;
    side += (l - r) ** 2;
  }
  return db(side) - db(mid);
}

/** In-place iterative radix-2 FFT (re, im of length 2^k). */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const step = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(step * k);
        const wi = Math.sin(step * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = (re[b] as number) * wr - (im[b] as number) * wi;
        const ti = (re[b] as number) * wi + (im[b] as number) * wr;
        re[b] = (re[a] as number) - tr;
        im[b] = (im[a] as number) - ti;
        re[a] = (re[a] as number) + tr;
        im[a] = (im[a] as number) + ti;
      }
    }
  }
}

/**
 * Octave-band levels of the mono sum relative to its total power, dB, from a Hann-windowed
 * Welch average (8192-point frames, half overlap). Index i is OCTAVE_CENTRES[i].
 */
export function octaveBandsDb(audio: StereoAudio): number[] {
  const size = 8192;
  const hop = size / 2;
  const power = new Float64Array(size / 2);
  const window = Float64Array.from(
    { length: size },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size),
  );
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let start = 0; start + size <= audio.left.length; start += hop) {
    for (let i = 0; i < size; i++) {
      re[i] =
        (((audio.left[start + i] as number) + (audio.right[start + i] as number)) / 2) *
        (window[i] as number);
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < size / 2; k++) power[k]! += (re[k] as number) ** 2 + (im[k] as number) ** 2;
  }
  const binHz = audio.sampleRate / size;
  let total = 0;
  for (let k = 1; k < size / 2; k++) total += power[k] as number;
  return OCTAVE_CENTRES.map((centre) => {
    let sum = 0;
    const low = centre / Math.SQRT2;
    const high = centre * Math.SQRT2;
    for (let k = 1; k < size / 2; k++) {
      const f = k * binHz;
      if (f >= low && f < high) sum += power[k] as number;
    }
    return db(sum) - db(total);
  });
}

/** K-weighted loudness of [start, end) samples, LUFS, or −∞ for silence. */
function windowLoudness(audio: StereoAudio, start: number, end: number): number {
  const slice = {
    sampleRate: audio.sampleRate,
    left: audio.left.subarray(start, end),
    right: audio.right.subarray(start, end),
  };
  return measureIntegratedLoudness(slice) ?? -Infinity;
}

/**
 * Loudness range (EBU Tech 3342): short-term (3 s) loudness every second, absolute gate −70
 * LUFS, relative gate −20 LU under their power mean, then the 10th..95th percentile spread.
 */
export function loudnessRangeLu(audio: StereoAudio): number {
  const sr = audio.sampleRate;
  const values: number[] = [];
  for (let start = 0; start + 3 * sr <= audio.left.length; start += sr) {
    const l = windowLoudness(audio, start, start + 3 * sr);
    if (l > -70) values.push(l);
  }
  if (values.length < 2) return 0;
  const meanPower = values.reduce((s, v) => s + 10 ** (v / 10), 0) / values.length;
  const gate = 10 * Math.log10(meanPower) - 20;
  const gated = values.filter((v) => v > gate).sort((a, b) => a - b);
  if (gated.length < 2) return 0;
  const at = (q: number): number => gated[Math.round(q * (gated.length - 1))] as number;
  return at(0.95) - at(0.1);
}

/**
 * Seconds from the last note's end to where the file's level (50 ms RMS, both channels) last
 * rises above −60 dBFS: how long the release and reverb ring on. `lastNoteSeconds` from the score.
 */
export function tailSeconds(audio: StereoAudio, lastNoteSeconds: number): number {
  const sr = audio.sampleRate;
  const win = Math.round(0.05 * sr);
  const threshold = 10 ** (-60 / 10);
  let last = 0;
  for (let start = 0; start + win <= audio.left.length; start += win) {
    let sum = 0;
    for (let i = start; i < start + win; i++) {
      sum += ((audio.left[i] as number) ** 2 + (audio.right[i] as number) ** 2) / 2;
    }
    if (sum / win > threshold) last = (start + win) / sr;
  }
  return Math.max(0, last - lastNoteSeconds);
}

/** dBFS RMS of the last `seconds` of the file: a faded-while-audible tail shows up loud here. */
export function endLevelDb(audio: StereoAudio, seconds = 0.25): number {
  const n = Math.round(seconds * audio.sampleRate);
  let sum = 0;
  for (let i = audio.left.length - n; i < audio.left.length; i++) {
    sum += ((audio.left[i] as number) ** 2 + (audio.right[i] as number) ** 2) / 2;
  }
  return db(sum / n);
}

export interface SoundFigures {
  lufs: number | null;
  truePeakDb: number;
  lraLu: number;
  correlation: number;
  sideMinusMidDb: number;
  bandsDb: number[];
}

export function measureSound(audio: StereoAudio): SoundFigures {
  return {
    lufs: measureIntegratedLoudness(audio),
    truePeakDb: measureTruePeakDb(audio),
    lraLu: loudnessRangeLu(audio),
    correlation: stereoCorrelation(audio),
    sideMinusMidDb: sideMinusMidDb(audio),
    bandsDb: octaveBandsDb(audio),
  };
}

/** Reads a 16-bit PCM stereo WAV's samples back as floats. */
export function decodeWav16(bytes: Uint8Array, dataOffset: number, frames: number): StereoAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = view.getInt16(dataOffset + i * 4, true) / 32768;
    right[i] = view.getInt16(dataOffset + i * 4 + 2, true) / 32768;
  }
  return { sampleRate: 44_100, left, right };
}
