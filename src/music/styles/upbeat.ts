import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';

/** The electronic/dance style ('upbeat' is its name since plan v1): for lively, bright pictures. */
export const upbeat = defineStyle({
  id: 'upbeat',
  names: { en: 'Upbeat', zh: '轻快' },
  words: {
    en: ['electronic', 'edm', 'techno', 'synth', 'synthwave', 'disco'],
    zh: ['电子', '电音'],
  },
  reason: 'high arousal → upbeat electronic groove: synth stabs, driving bass, full drums',
  tempo: [112, 136],
  reverb: 48,
  densityOffset: 0,
  swing: 0,
  sevenths: false,
  barsPerChord: 1,
  mix: {
    melody: { level: 112, pan: 68, reverb: 48, chorus: 0, width: 1, spread: 0.2, delay: 0.2 },
    chords: { level: 84, pan: 48, reverb: 48, chorus: 10, width: 1.4, spread: 0.45, duckDb: 4 },
    bass: { level: 86, pan: 64, reverb: 16, chorus: 0, width: 0.2, highPassHz: 0, duckDb: 5 },
    pad: { level: 76, pan: 84, reverb: 48, chorus: 30, width: 1.4, spread: 0.5, duckDb: 6 },
    drums: {
      level: 96,
      pan: 64,
      reverb: 24,
      chorus: 0,
      width: 1.2,
      highPassHz: 0,
      gainDb: 2,
      spread: 0.15,
    },
    bus: {
      reverb: { type: 'plate', seconds: 1.4, preDelayMs: 10, returnDb: -2 },
      delay: { beats: 0.75, feedback: 0.35, returnDb: -10 },
      tone: { trebleHz: 6000, trebleDb: 3, bassDb: 0 },
      compression: { thresholdDb: 2, ratio: 2.5, attackMs: 10, releaseMs: 120 },
      tailSeconds: 2.2,
    },
  },
  band: ({ valence, warm, features }) => ({
    melody:
      valence < -0.2
        ? INSTRUMENTS.sawLead
        : warm
          ? features.brightness > 0.55
            ? INSTRUMENTS.trumpet
            : INSTRUMENTS.altoSax
          : INSTRUMENTS.vibraphone,
    chords: INSTRUMENTS.polySynth,
    bass: INSTRUMENTS.synthBass,
    pad: null,
    drums: INSTRUMENTS.standardKit,
  }),
});
