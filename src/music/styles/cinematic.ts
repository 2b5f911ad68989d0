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
    melody: { level: 112, pan: 68, reverb: 100, chorus: 0, width: 1, spread: 0.2 },
    chords: { level: 100, pan: 48, reverb: 100, chorus: 10, width: 1.3, spread: 0.35 },
    bass: { level: 96, pan: 64, reverb: 33, chorus: 0, width: 0.4, highPassHz: 0 },
    pad: { level: 76, pan: 84, reverb: 100, chorus: 30, width: 1.3, spread: 0.5 },
    drums: {
      level: 92,
      pan: 64,
      reverb: 50,
      chorus: 0,
      width: 1.2,
      highPassHz: 0,
      gainDb: 3,
      spread: 0.25,
    },
    bus: {
      reverb: { type: 'hall', seconds: 2.9, preDelayMs: 25, returnDb: -3 },
      delay: { beats: 0.75, feedback: 0.3, returnDb: -60 },
      tone: { trebleHz: 6000, trebleDb: 5, bassDb: 0 },
      compression: { thresholdDb: 3, ratio: 1.8, attackMs: 25, releaseMs: 250 },
      tailSeconds: 3.5,
    },
  },
  band: ({ valence, warm }) => ({
    melody: valence < -0.3 ? INSTRUMENTS.cello : warm ? INSTRUMENTS.frenchHorn : INSTRUMENTS.violin,
    chords: INSTRUMENTS.strings,
    bass: INSTRUMENTS.contrabass,
    pad: INSTRUMENTS.choirPad,
    drums: INSTRUMENTS.standardKit,
  }),
});
