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
  mix: {
    melody: { level: 112, pan: 68, reverb: 40, chorus: 0 },
    chords: { level: 92, pan: 48, reverb: 40, chorus: 30 },
    bass: { level: 92, pan: 64, reverb: 13, chorus: 0 },
    pad: { level: 76, pan: 84, reverb: 40, chorus: 30 },
    drums: { level: 82, pan: 64, reverb: 20, chorus: 0 },
  },
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
