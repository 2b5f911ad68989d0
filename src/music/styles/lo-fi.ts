import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';

/** Swung Rhodes sevenths over soft boom-bap: for muted, wistful, unhurried pictures. */
export const loFi = defineStyle({
  id: 'lo-fi',
  names: { en: 'Lo-fi', zh: 'Lo-fi' },
  words: { en: ['lofi', 'chillhop', 'chill', 'beats'], zh: ['低保真'] },
  reason: 'muted, wistful and unhurried → lo-fi: swung Rhodes sevenths, soft boom-bap drums',
  tempo: [70, 88],
  reverb: 40,
  densityOffset: -0.1,
  swing: 0.2,
  sevenths: true,
  barsPerChord: 1,
  band: ({ warm, cool }) => ({
    melody: cool
      ? INSTRUMENTS.vibraphone
      : warm
        ? INSTRUMENTS.mutedTrumpet
        : INSTRUMENTS.jazzGuitar,
    chords: INSTRUMENTS.electricPiano,
    bass: INSTRUMENTS.fingerBass,
    pad: null,
    drums: INSTRUMENTS.standardKit,
  }),
});
