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
  band: ({ warm, cool }) => ({
    melody: warm ? INSTRUMENTS.altoSax : cool ? INSTRUMENTS.vibraphone : INSTRUMENTS.mutedTrumpet,
    chords: INSTRUMENTS.piano,
    bass: INSTRUMENTS.acousticBass,
    pad: null,
    drums: INSTRUMENTS.jazzKit,
  }),
});
