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
    melody: { level: 112, pan: 68, reverb: 40, chorus: 0, width: 1, spread: 0.2, delay: 0.15 },
    chords: { level: 92, pan: 48, reverb: 40, chorus: 30, width: 1.3, spread: 0.35 },
    bass: { level: 92, pan: 64, reverb: 13, chorus: 0, width: 0.3, highPassHz: 0, gainDb: 2 },
    pad: { level: 76, pan: 84, reverb: 40, chorus: 30, width: 1.2, spread: 0.4 },
    drums: {
      level: 82,
      pan: 64,
      reverb: 20,
      chorus: 0,
      width: 1.1,
      highPassHz: 0,
      gainDb: 9,
      spread: 0.2,
    },
    bus: {
      reverb: { type: 'room', seconds: 1.2, preDelayMs: 15, returnDb: 0 },
      delay: { beats: 0.75, feedback: 0.3, returnDb: -12 },
      tone: { trebleHz: 6000, trebleDb: 2, bassDb: 1.5 },
      compression: { thresholdDb: 2, ratio: 2.5, attackMs: 10, releaseMs: 150 },
      tailSeconds: 2.5,
      lofi: { lowPassHz: 7000, drive: 0.6, wowCents: 9, flutterCents: 4, noiseDb: -36 },
    },
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
