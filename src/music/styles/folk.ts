import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';

/** Finger-picked steel guitar, a fiddle or flute tune, tambourine: for warm, natural pictures. */
export const folk = defineStyle({
  id: 'folk',
  names: { en: 'Folk', zh: '民谣' },
  words: { en: ['folk', 'acoustic', 'guitar', 'country'], zh: ['民谣', '吉他', '乡村'] },
  reason: 'warm and natural → folk: finger-picked steel guitar, tambourine',
  tempo: [84, 120],
  reverb: 56,
  densityOffset: 0.05,
  swing: 0,
  sevenths: false,
  barsPerChord: 1,
  mix: {
    melody: { level: 112, pan: 68, reverb: 56, chorus: 0, width: 1, spread: 0.2 },
    chords: { level: 100, pan: 48, reverb: 56, chorus: 10, width: 1.3, spread: 0.4 },
    bass: { level: 86, pan: 64, reverb: 19, chorus: 0, width: 0.3, highPassHz: 0 },
    pad: { level: 76, pan: 84, reverb: 56, chorus: 30, width: 1.2, spread: 0.4 },
    drums: {
      level: 80,
      pan: 64,
      reverb: 28,
      chorus: 0,
      width: 1.2,
      highPassHz: 0,
      gainDb: 5,
      spread: 0.2,
    },
    bus: {
      reverb: { type: 'room', seconds: 1.3, preDelayMs: 12, returnDb: 0 },
      delay: { beats: 0.5, feedback: 0.25, returnDb: -60 },
      tone: { trebleHz: 6000, trebleDb: 3, bassDb: 0 },
      compression: { thresholdDb: 3, ratio: 2, attackMs: 15, releaseMs: 180 },
      tailSeconds: 2.5,
    },
  },
  band: ({ valence, cool }) => ({
    melody: cool ? INSTRUMENTS.flute : valence > 0.4 ? INSTRUMENTS.harmonica : INSTRUMENTS.violin,
    chords: INSTRUMENTS.steelGuitar,
    bass: INSTRUMENTS.acousticBass,
    pad: null,
    drums: INSTRUMENTS.standardKit,
  }),
});
