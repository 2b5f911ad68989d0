import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';

/** Slow pads and a sparse lead: for calm, dim or soft pictures. */
export const ambient = defineStyle({
  id: 'ambient',
  names: { en: 'Ambient', zh: '氛围' },
  words: { en: ['ambient', 'drone'], zh: ['氛围', '环境音乐'] },
  reason: 'calm (low arousal) → ambient pads, no drums',
  tempo: [56, 84],
  reverb: 96,
  densityOffset: -0.25,
  swing: 0,
  sevenths: false,
  barsPerChord: 2,
  mix: {
    melody: {
      level: 112,
      pan: 68,
      reverb: 96,
      chorus: 0,
      width: 1,
      spread: 0.25,
      delay: 0.22,
      gainDb: 2,
    },
    chords: { level: 108, pan: 48, reverb: 96, chorus: 40, width: 1.3, spread: 0.5, gainDb: -4 },
    bass: { level: 96, pan: 64, reverb: 32, chorus: 0, width: 0.3, highPassHz: 0 },
    pad: { level: 76, pan: 84, reverb: 96, chorus: 30, width: 1.3, spread: 0.5 },
    drums: { level: 84, pan: 64, reverb: 48, chorus: 0, highPassHz: 0 },
    bus: {
      reverb: { type: 'hall', seconds: 3.4, preDelayMs: 30, returnDb: -3 },
      delay: { beats: 0.75, feedback: 0.4, returnDb: -12 },
      tone: { trebleHz: 4000, trebleDb: 7, bassDb: 0, airDb: 4 },
      compression: { thresholdDb: 4, ratio: 1.5, attackMs: 30, releaseMs: 300 },
      tailSeconds: 4,
    },
  },
  band: ({ valence, warm, cool }) => ({
    melody:
      valence < -0.4
        ? INSTRUMENTS.cello
        : cool
          ? INSTRUMENTS.vibraphone
          : warm
            ? INSTRUMENTS.harp
            : INSTRUMENTS.flute,
    chords: cool ? INSTRUMENTS.haloPad : warm ? INSTRUMENTS.warmPad : INSTRUMENTS.newAgePad,
    bass: INSTRUMENTS.acousticBass,
    pad: null,
    drums: null,
  }),
});
