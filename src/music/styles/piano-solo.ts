import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';

/** One piano: tune, broken chords and bass. For calm, clear, positive pictures. */
export const pianoSolo = defineStyle({
  id: 'piano-solo',
  names: { en: 'Piano solo', zh: '钢琴独奏' },
  words: { en: ['piano'], zh: ['钢琴'] },
  reason: 'calm and clear → solo piano: broken chords under the tune, no drums',
  tempo: [60, 96],
  reverb: 80,
  densityOffset: 0,
  swing: 0,
  sevenths: false,
  barsPerChord: 1,
  // One instrument in three hands' worth of parts: tune, broken chords, bass octaves.
  band: () => ({
    melody: INSTRUMENTS.piano,
    chords: INSTRUMENTS.piano,
    bass: INSTRUMENTS.piano,
    pad: null,
    drums: null,
  }),
});
