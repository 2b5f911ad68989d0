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
    melody: { level: 112, pan: 68, reverb: 44, chorus: 0 },
    chords: { level: 84, pan: 48, reverb: 44, chorus: 10 },
    bass: { level: 100, pan: 64, reverb: 15, chorus: 0 },
    pad: { level: 76, pan: 84, reverb: 44, chorus: 30 },
    drums: { level: 80, pan: 64, reverb: 22, chorus: 0 },
  },
  band: ({ warm, cool }) => ({
    melody: warm ? INSTRUMENTS.altoSax : cool ? INSTRUMENTS.vibraphone : INSTRUMENTS.mutedTrumpet,
    chords: INSTRUMENTS.piano,
    bass: INSTRUMENTS.acousticBass,
    pad: null,
    drums: INSTRUMENTS.jazzKit,
  }),
});
