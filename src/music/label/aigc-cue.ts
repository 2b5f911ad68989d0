/**
 * The explicit audio label (GB 45438-2025 asks for an audible cue in generated audio; its
 * example is the rhythm short-long-short-short, Morse "L" for label). We ring a soft bell in
 * that rhythm at the start of every file. Pure arithmetic on the sample index: the same sample
 * rate always gives the same samples.
 */

export interface CueNote {
  /** Seconds from the start of the cue. */
  onset: number;
  /** Seconds the note sounds before its release. */
  length: number;
  kind: 'short' | 'long';
}

export const AUDIBLE_LABEL_RHYTHM: readonly CueNote[] = [
  { onset: 0, length: 0.09, kind: 'short' },
  { onset: 0.2, length: 0.38, kind: 'long' },
  { onset: 0.7, length: 0.09, kind: 'short' },
  { onset: 0.9, length: 0.09, kind: 'short' },
];
/** Where the cue starts in the file: just after the first downbeat's attack. */
export const AUDIBLE_LABEL_START_SECONDS = 0.1;
/** Peak level after mastering: about 7 LU under the −14 LUFS programme, heard but not loud. */
export const AUDIBLE_LABEL_PEAK_DB = -18;
/** C6 with two inharmonic partials, like a small bell. */
export const AUDIBLE_LABEL_HZ = 1046.5;
const PARTIALS = [
  { ratio: 1, amplitude: 1, decay: 1 },
  { ratio: 2.76, amplitude: 0.28, decay: 1.8 },
  { ratio: 5.4, amplitude: 0.08, decay: 3 },
] as const;
const ATTACK_SECONDS = 0.004;
const RELEASE_SECONDS = 0.03;

/** Mono cue at a peak of 1.0 (scale it to the level you need). */
export function renderAudibleLabel(sampleRate: number): Float32Array {
  const last = AUDIBLE_LABEL_RHYTHM.at(-1);
  const total =
    Math.ceil(((last?.onset ?? 0) + (last?.length ?? 0) + RELEASE_SECONDS) * sampleRate) + 1;
  const out = new Float32Array(total);
  for (const note of AUDIBLE_LABEL_RHYTHM) {
    const start = Math.round(note.onset * sampleRate);
    const gate = note.length;
    // A short ping dies away fast; the long note is held like a bowed bell so it reads as long.
    const tau = note.kind === 'short' ? 0.05 : 0.6;
    const n = Math.ceil((gate + RELEASE_SECONDS) * sampleRate);
    for (let i = 0; i < n && start + i < total; i++) {
      const t = i / sampleRate;
      const attack = Math.min(1, t / ATTACK_SECONDS);
      const release =
        t <= gate ? 1 : 0.5 * (1 + Math.cos((Math.PI * (t - gate)) / RELEASE_SECONDS));
      let sample = 0;
      for (const p of PARTIALS) {
        sample +=
          p.amplitude *
          Math.exp((-t * p.decay) / tau) *
          Math.sin(2 * Math.PI * AUDIBLE_LABEL_HZ * p.ratio * t);
      }
      out[start + i] = (out[start + i] ?? 0) + attack * release * sample;
    }
  }
  let peak = 0;
  for (const v of out) peak = Math.max(peak, Math.abs(v));
  if (peak > 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / peak;
  return out;
}

/** The overlay masterAudio mixes in after loudness normalisation and before the limiter. */
export function audibleLabelOverlay(sampleRate: number): { samples: Float32Array; at: number } {
  const gain = 10 ** (AUDIBLE_LABEL_PEAK_DB / 20);
  const samples = renderAudibleLabel(sampleRate).map((v) => v * gain);
  return { samples, at: Math.round(AUDIBLE_LABEL_START_SECONDS * sampleRate) };
}
