import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';

/** String ostinato, a horn or violin theme, toms and swells: for dramatic light and tension. */
export const cinematic = defineStyle({
  id: 'cinematic',
  names: { en: 'Cinematic', zh: '电影配乐' },
  words: {
    en: ['cinematic', 'film', 'movie', 'orchestral', 'orchestra', 'soundtrack'],
    zh: ['电影', '史诗', '管弦', '交响', '配乐'],
  },
  reason: 'dramatic light → cinematic: string ostinato, horn theme, toms and swells',
  tempo: [64, 110],
  reverb: 100,
  densityOffset: -0.1,
  swing: 0,
  sevenths: false,
  barsPerChord: 2,
  mix: {
    melody: { level: 112, pan: 68, reverb: 100, chorus: 0 },
    chords: { level: 100, pan: 48, reverb: 100, chorus: 10 },
    bass: { level: 96, pan: 64, reverb: 33, chorus: 0 },
    pad: { level: 76, pan: 84, reverb: 100, chorus: 30 },
    drums: { level: 92, pan: 64, reverb: 50, chorus: 0 },
  },
  band: ({ valence, warm }) => ({
    melody: valence < -0.3 ? INSTRUMENTS.cello : warm ? INSTRUMENTS.frenchHorn : INSTRUMENTS.violin,
    chords: INSTRUMENTS.strings,
    bass: INSTRUMENTS.contrabass,
    pad: INSTRUMENTS.choirPad,
    drums: INSTRUMENTS.standardKit,
  }),
});
