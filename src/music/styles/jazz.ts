import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';

/** Swung eighths, seventh chords, walking bass and ride cymbal: for warm, low light. */
export const jazz = defineStyle({
  id: 'jazz',
  names: { en: 'Jazz', zh: '爵士' },
  words: { en: ['jazz', 'jazzy', 'swing', 'bebop'], zh: ['爵士'] },
  reason: 'warm low light → jazz: swung eighths, seventh chords, walking bass, ride cymbal',
  tempo: [96, 150],
  reverb: 44,
  densityOffset: 0.1,
  swing: 1 / 3,
  sevenths: true,
  barsPerChord: 1,
  mix: {
    melody: { level: 112, pan: 68, reverb: 44, chorus: 0, width: 1, spread: 0.15 },
    chords: { level: 84, pan: 48, reverb: 44, chorus: 10, width: 1.3, spread: 0.3, gainDb: 4 },
    bass: { level: 100, pan: 64, reverb: 15, chorus: 0, width: 0.3, highPassHz: 0 },
    pad: { level: 76, pan: 84, reverb: 44, chorus: 30, width: 1.2, spread: 0.4 },
    drums: {
      level: 80,
      pan: 64,
      reverb: 22,
      chorus: 0,
      width: 1.3,
      spread: 0.25,
      highPassHz: 0,
      gainDb: 4,
    },
    bus: {
      reverb: { type: 'room', seconds: 1.1, preDelayMs: 10, returnDb: 0 },
      delay: { beats: 0.5, feedback: 0.25, returnDb: -60 },
      tone: { trebleHz: 6000, trebleDb: 4, bassDb: 0 },
      compression: { thresholdDb: 3, ratio: 2, attackMs: 15, releaseMs: 180 },
      tailSeconds: 2.5,
    },
  },
  band: ({ warm, cool }) => ({
    melody: warm ? INSTRUMENTS.altoSax : cool ? INSTRUMENTS.vibraphone : INSTRUMENTS.mutedTrumpet,
    chords: INSTRUMENTS.piano,
    bass: INSTRUMENTS.acousticBass,
    pad: null,
    drums: INSTRUMENTS.jazzKit,
  }),
});
