import { FastDattorroPlate } from '../render/dattorro-reverb.js';
import type { StereoAudio } from '../render/render.js';
import {
  copyOfSamples,
  giveBackSamples,
  takeSamples,
  takeSamplesToOverwrite,
} from '../sample-buffers.js';
import type { BusMix, PartMix, ReverbType } from '../styles/style-declaration.js';
import { filterChain, highPass, highShelf, lowPass, lowShelf, type Biquad } from './filters.js';

/**
 * One part's channel strip, from the synth's dry output to what it adds to the bus: high-pass,
 * the style's tone, the lo-fi tape chain, width and pseudo-stereo, sidechain ducking, then its
 * own sends into the style's reverb and delay, returned into the same stereo pair. Every step is
 * per part, so the parts' outputs sum to the mix exactly and each is a stem as it stands; the
 * bus afterwards only applies gain envelopes (master.ts), which the stems share.
 */

export interface PartMixInput {
  /** The synth's dry output for this part; processed in place and returned. */
  audio: StereoAudio;
  role: string;
  part: PartMix;
  bus: BusMix;
  tempoBpm: number;
  /** Kick onsets in seconds (for `duckDb`). */
  kickSeconds: readonly number[];
}

/** A part the style's mix does not name (a role added by a later composer): centred, modest. */
export const NEUTRAL_PART: PartMix = { level: 100, pan: 64, reverb: 40, chorus: 0 };

/** Default high-pass for parts that do not carry the low end. */
const DEFAULT_HIGH_PASS_HZ = 35;
/** Reverb input band: lows and the harshest highs stay out of the tail. */
const REVERB_INPUT_HIGH_PASS_HZ = 180;
const REVERB_INPUT_LOW_PASS_HZ = 9000;
/** Pseudo-stereo delays per role, ms: different per part, so parts do not comb alike. */
const SPREAD_MS: Record<string, number> = { melody: 13, chords: 17, pad: 23, drums: 7, bass: 11 };

/** Tank geometry per reverb type (delay scale, damping, input low-pass, excursion). */
const SPACES: Record<ReverbType, { size: number; damping: number; preLPF: number }> = {
  room: { size: 0.42, damping: 0.45, preLPF: 0.65 },
  plate: { size: 1, damping: 0.22, preLPF: 0.85 },
  hall: { size: 1.55, damping: 0.32, preLPF: 0.6 },
};
/** One trip round the published plate's figure-eight tank, seconds (sum of its tank delays). */
const TANK_LOOP_SECONDS = 0.7256;

const dbToGain = (db: number): number => 10 ** (db / 20);

function strip(audio: StereoAudio, sections: Biquad[]): void {
  if (sections.length === 0) return;
  filterChain(audio.left, sections);
  filterChain(audio.right, sections);
}

/**
 * tanh saturation with unit slope at low level, driven relative to the part's own RMS (parts
 * come out of the synth at very different levels): at drive 1 the part's RMS level sits where
 * the curve bends, so loud notes round off and quiet detail stays clean.
 */
function saturate(audio: StereoAudio, drive: number): void {
  if (drive <= 0) return;
  let power = 0;
  for (let i = 0; i < audio.left.length; i++) {
    power += (audio.left[i] as number) ** 2 + (audio.right[i] as number) ** 2;
  }
  const rms = Math.sqrt(power / Math.max(1, 2 * audio.left.length));
  if (rms <= 0) return;
  const k = drive / rms / 3;
  for (const channel of [audio.left, audio.right]) {
    for (let i = 0; i < channel.length; i++) channel[i] = Math.tanh(k * (channel[i] as number)) / k;
  }
}

/**
 * An exciter for samples without a top octave: the part's band above 2.5 kHz, full-wave
 * rectified (|x| doubles every frequency in it: 3–5 kHz becomes 6–10 kHz, the octave a shelf
 * cannot lift when the samples hold nothing there; tanh would only add odd harmonics, above it),
 * high-passed at 5 kHz to keep only the new harmonics, and mixed in `airDb` under the part.
 */
function addAir(audio: StereoAudio, airDb: number): void {
  const sr = audio.sampleRate;
  const gain = dbToGain(airDb);
  for (const channel of [audio.left, audio.right]) {
    const band = copyOfSamples(channel);
    filterChain(band, [highPass(sr, 2500), highPass(sr, 2500)]);
    for (let i = 0; i < band.length; i++) band[i] = Math.abs(band[i] as number);
    filterChain(band, [highPass(sr, 5000), highPass(sr, 5000)]);
    for (let i = 0; i < band.length; i++) {
      channel[i] = (channel[i] as number) + gain * (band[i] as number);
    }
    giveBackSamples(band);
  }
}

/**
 * Tape wow and flutter: a slowly modulated fractional delay (linear interpolation). The
 * modulation depends only on the sample index, so every part wobbles together, as on one tape.
 */
function wowAndFlutter(audio: StereoAudio, wowCents: number, flutterCents: number): void {
  const sr = audio.sampleRate;
  const wowHz = 0.55;
  const flutterHz = 5.3;
  // A sinusoidal delay D·sin(ωt) shifts pitch by at most D·ω; one cent ≈ 5.78e-4 in ratio.
  const wowDepth = ((wowCents * 5.78e-4) / (2 * Math.PI * wowHz)) * sr;
  const flutterDepth = ((flutterCents * 5.78e-4) / (2 * Math.PI * flutterHz)) * sr;
  const base = Math.ceil(wowDepth + flutterDepth) + 2;
  for (const channel of [audio.left, audio.right]) {
    const source = copyOfSamples(channel);
    for (let i = 0; i < channel.length; i++) {
      const t = i / sr;
      const d =
        base +
        wowDepth * Math.sin(2 * Math.PI * wowHz * t) +
        flutterDepth * Math.sin(2 * Math.PI * flutterHz * t + 1.1);
      const at = i - d;
      const j = Math.floor(at);
      const frac = at - j;
      const a = j >= 0 ? (source[j] as number) : 0;
      const b = j + 1 >= 0 && j + 1 < source.length ? (source[j + 1] as number) : 0;
      channel[i] = a + (b - a) * frac;
    }
    giveBackSamples(source);
  }
}

/**
 * Mid/side width, then a Lauridsen pseudo-stereo pair (sums back to the mid in mono). The
 * delayed mid comes from a ring of the delay's length (float, as a whole copy held it), so the
 * spread never feeds on itself and costs no copy of the part.
 */
function widen(audio: StereoAudio, width: number, spread: number, spreadMs: number): void {
  const { left, right } = audio;
  const delay = Math.round((spreadMs / 1000) * audio.sampleRate);
  const ring = spread > 0 && delay > 0 ? new Float32Array(delay) : null;
  for (let i = 0; i < left.length; i++) {
    const l = left[i] as number;
    const r = right[i] as number;
    const m = (l + r) / 2;
    const s = ((l - r) / 2) * width;
    left[i] = m + s;
    right[i] = m - s;
    if (!ring) continue;
    const slot = i % delay;
    if (i >= delay) {
      const d = spread * (ring[slot] as number);
      left[i] = (left[i] as number) + d;
      right[i] = (right[i] as number) - d;
    }
    ring[slot] = m;
  }
}

/**
 * Sidechain envelope: down by `depthDb` at each kick, back over ~a third of a beat
 * (exponential), with a 4 ms ramp into the dip so the duck itself never clicks.
 */
export function duckEnvelope(
  length: number,
  sampleRate: number,
  kickSeconds: readonly number[],
  depthDb: number,
  tempoBpm: number,
): Float32Array {
  const env = takeSamplesToOverwrite(length).fill(1);
  const depth = 1 - dbToGain(-depthDb);
  const recover = (60 / tempoBpm / 3) * sampleRate;
  const attack = Math.round(0.004 * sampleRate);
  for (const kick of kickSeconds) {
    const start = Math.round(kick * sampleRate);
    const end = Math.min(length, start + Math.round(recover * 5));
    for (let i = Math.max(0, start - attack); i < end; i++) {
      const t = i - start;
      const amount = t < 0 ? depth * (1 + t / attack) : depth * Math.exp(-t / recover);
      const g = 1 - amount;
      if (g < (env[i] as number)) env[i] = g;
    }
  }
  return env;
}

/** Decay coefficient of the tank for a wanted RT60, given the tank's size. */
function tankDecay(seconds: number, size: number): number {
  const loop = TANK_LOOP_SECONDS * size;
  return Math.min(0.93, 10 ** ((-3 * loop) / (2 * Math.max(0.2, seconds))));
}

/** Mono send of a stereo source, scaled. */
function sendOf(source: StereoAudio, send: number): Float32Array {
  const input = takeSamplesToOverwrite(source.left.length);
  for (let i = 0; i < input.length; i++) {
    input[i] = (((source.left[i] as number) + (source.right[i] as number)) / 2) * send;
  }
  return input;
}

/**
 * The reverb's input: the mono send of `source`, averaged in pairs down to half rate (a zero at
 * the new Nyquist), then band-limited at that rate, so the tank never holds the lows or the
 * harsh top. Taken before any return is added to the part (the sends read the dry signal).
 */
function reverbInput(source: StereoAudio, send: number): Float32Array {
  const half = Math.ceil(source.left.length / 2);
  const rate = source.sampleRate / 2;
  const decimated = takeSamplesToOverwrite(half);
  const { left, right } = source;
  for (let i = 0; i < half; i++) {
    const a = 2 * i;
    decimated[i] =
      (((left[a] as number) + (right[a] as number) + (left[a + 1] ?? 0) + (right[a + 1] ?? 0)) *
        send) /
      4;
  }
  filterChain(decimated, [
    highPass(rate, REVERB_INPUT_HIGH_PASS_HZ),
    lowPass(rate, REVERB_INPUT_LOW_PASS_HZ),
  ]);
  return decimated;
}

/**
 * The part's reverb return, added into `audio`: the send (`reverbInput`) through the space. The
 * tank runs at half the sample rate (its input is band-limited under 9 kHz, and a diffuse tail
 * has little above that): half the cost of what was the most expensive step of the mix.
 */
function addReverb(decimated: Float32Array, audio: StereoAudio, bus: BusMix): void {
  const sr = audio.sampleRate;
  const n = audio.left.length;
  const space = SPACES[bus.reverb.type];
  const half = decimated.length;
  const rate = sr / 2;
  const plate = new FastDattorroPlate(rate, space.size);
  plate.preDelay = Math.round((bus.reverb.preDelayMs / 1000) * rate);
  plate.preLPF = space.preLPF;
  plate.damping = space.damping;
  plate.decay = tankDecay(bus.reverb.seconds, space.size);
  plate.gain = dbToGain(bus.reverb.returnDb);
  // The tank adds into its outputs: they start zeroed.
  const wetL = takeSamples(half + 1);
  const wetR = takeSamples(half + 1);
  // The tank is run in blocks (as the synth ran it): its pre-delay ring holds one second.
  const block = 128;
  for (let start = 0; start < half; start += block) {
    const count = Math.min(block, half - start);
    plate.process(decimated.subarray(start, start + count), wetL, wetR, start, count);
  }
  // Back to the full rate by linear interpolation (its sinc² response damps the images of a
  // tail that holds little above 8 kHz anyway), added straight into the part.
  const outL = audio.left;
  const outR = audio.right;
  for (let j = 0; j < half; j++) {
    const i = 2 * j;
    const l0 = wetL[j] as number;
    const r0 = wetR[j] as number;
    outL[i] = (outL[i] as number) + l0;
    outR[i] = (outR[i] as number) + r0;
    if (i + 1 < n) {
      outL[i + 1] = (outL[i + 1] as number) + (l0 + (wetL[j + 1] as number)) / 2;
      outR[i + 1] = (outR[i + 1] as number) + (r0 + (wetR[j + 1] as number)) / 2;
    }
  }
  giveBackSamples(wetL, wetR);
}

/**
 * Tempo-synced ping-pong delay with a darkening feedback path, added into `audio`. `input` is
 * the mono send, taken from the dry part. The delay lines are rings of one lag (float, as whole
 * lines held them): each step reads what it wrote one lag ago, feeds it back and outputs it.
 */
function addDelay(input: Float32Array, audio: StereoAudio, bus: BusMix, tempoBpm: number): void {
  const sr = audio.sampleRate;
  const n = audio.left.length;
  const lag = Math.max(1, Math.round(((bus.delay.beats * 60) / tempoBpm) * sr));
  const feedback = Math.min(0.9, Math.max(0, bus.delay.feedback));
  const ret = dbToGain(bus.delay.returnDb);
  const ringL = new Float32Array(lag);
  const ringR = new Float32Array(lag);
  const damp = 0.35;
  let lpL = 0;
  let lpR = 0;
  for (let i = 0; i < n; i++) {
    const slot = i % lag;
    const fromL = i >= lag ? (ringL[slot] as number) : 0;
    const fromR = i >= lag ? (ringR[slot] as number) : 0;
    // Left takes the dry send and the right's echo; right takes the left's echo: ping-pong.
    lpL += damp * (fromR - lpL);
    lpR += damp * (fromL - lpR);
    ringL[slot] = (input[i] as number) + feedback * lpL;
    ringR[slot] = feedback * lpR;
    // The first echo is one lag late: output the lines delayed, not the input itself.
    if (i >= lag) {
      audio.left[i] = (audio.left[i] as number) + ret * fromL;
      audio.right[i] = (audio.right[i] as number) + ret * fromR;
    }
  }
}

/** Runs the whole strip on one part (in place) and returns it. */
export function mixPart(input: PartMixInput): StereoAudio {
  const { audio, part, bus, role } = input;
  const sr = audio.sampleRate;
  const sections: Biquad[] = [];
  const hp = part.highPassHz ?? DEFAULT_HIGH_PASS_HZ;
  if (hp > 0) sections.push(highPass(sr, hp));
  if (bus.tone.bassDb !== 0) sections.push(lowShelf(sr, 120, bus.tone.bassDb));
  if (bus.tone.trebleDb !== 0) sections.push(highShelf(sr, bus.tone.trebleHz, bus.tone.trebleDb));
  strip(audio, sections);
  if (bus.tone.airDb !== undefined) addAir(audio, bus.tone.airDb);
  const trim = dbToGain(part.gainDb ?? 0);
  if (trim !== 1) {
    for (let i = 0; i < audio.left.length; i++) {
      audio.left[i] = (audio.left[i] as number) * trim;
      audio.right[i] = (audio.right[i] as number) * trim;
    }
  }

  const lofi = bus.lofi;
  if (lofi) {
    saturate(audio, lofi.drive);
    strip(audio, [lowPass(sr, lofi.lowPassHz, 0.6)]);
    wowAndFlutter(audio, lofi.wowCents, lofi.flutterCents);
  }

  widen(audio, part.width ?? 1, part.spread ?? 0, SPREAD_MS[role] ?? 19);

  if ((part.duckDb ?? 0) > 0 && input.kickSeconds.length > 0) {
    const env = duckEnvelope(
      audio.left.length,
      sr,
      input.kickSeconds,
      part.duckDb ?? 0,
      input.tempoBpm,
    );
    for (let i = 0; i < env.length; i++) {
      audio.left[i] = (audio.left[i] as number) * (env[i] as number);
      audio.right[i] = (audio.right[i] as number) * (env[i] as number);
    }
    giveBackSamples(env);
  }

  // Both sends are taken from the processed dry signal before either return is added, so the
  // delay does not feed the reverb (nor the reverb the delay), and no copy of the part is needed.
  const reverbSend = part.reverb / 127;
  const delaySend = part.delay ?? 0;
  const toReverb = reverbSend > 0 ? reverbInput(audio, reverbSend) : null;
  const toDelay = delaySend > 0 && bus.delay.returnDb > -60 ? sendOf(audio, delaySend) : null;
  if (toReverb) addReverb(toReverb, audio, bus);
  if (toDelay) addDelay(toDelay, audio, bus, input.tempoBpm);
  if (toReverb) giveBackSamples(toReverb);
  if (toDelay) giveBackSamples(toDelay);
  return audio;
}
