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
    melody: { level: 112, pan: 68, reverb: 56, chorus: 0 },
    chords: { level: 100, pan: 48, reverb: 56, chorus: 10 },
    bass: { level: 86, pan: 64, reverb: 19, chorus: 0 },
    pad: { level: 76, pan: 84, reverb: 56, chorus: 30 },
    drums: { level: 80, pan: 64, reverb: 28, chorus: 0 },
  },
  band: ({ valence, cool }) => ({
    melody: cool ? INSTRUMENTS.flute : valence > 0.4 ? INSTRUMENTS.harmonica : INSTRUMENTS.violin,
    chords: INSTRUMENTS.steelGuitar,
    bass: INSTRUMENTS.acousticBass,
    pad: null,
    drums: INSTRUMENTS.standardKit,
  }),
});
