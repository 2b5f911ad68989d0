import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';
import { NO_DELAY, partMixes } from './style-mix.js';

/** The style's reverb send (0..127): the melody's, chords' and pad's; see partMixes. */
const REVERB_SEND = 80;

/** One piano: tune, broken chords and bass. For calm, clear, positive pictures. */
export const pianoSolo = defineStyle({
  id: 'piano-solo',
  names: { en: 'Piano solo', zh: '钢琴独奏' },
  words: { en: ['piano'], zh: ['钢琴'] },
  reason: {
    en: 'calm and clear → solo piano: broken chords under the tune, no drums',
    zh: '平静而清澈 → 钢琴独奏：旋律下方的分解和弦，没有鼓',
  },
  noun: { en: 'a piano solo', zh: '一首钢琴独奏' },
  fits: { valence: [-1, 1], arousal: [-1, 0.3] },
  tempo: [60, 96],
  reverb: REVERB_SEND,
  densityOffset: 0,
  swing: 0,
  // One instrument in three hands' worth of parts: tune, broken chords, bass octaves.
  meter: ({ valence, features }) =>
    valence >= 0.2 && features.texture < 0.3
      ? { meter: '3/4', reason: { en: 'soft and bright → a waltz', zh: '柔和而明亮 → 圆舞曲' } }
      : { meter: '4/4', reason: null },
  composition: {
    meters: ['4/4', '3/4'],
    harmony: {
      source: { kind: 'corpus', corpus: 'bach', tilt: 'Piano_Sonatas' },
      extensions: 'triads',
      colour: { secondary: 0.25, borrowed: 0.2, flatSeven: 0, tritone: 0, picardy: 0.3 },
      barsPerChord: 1,
      splitCadence: true,
    },
    accompaniment: {
      low: ['arpeggio', 'block'],
      mid: ['broken', 'arpeggio', 'alberti'],
      high: ['broken', 'arpeggio'],
    },
    bass: { low: ['roots', 'hold'], mid: ['root-fifth', 'roots'], high: ['root-fifth', 'oom-pah'] },
    drums: null,
    arrangement: { intro: 'chords', breakdown: false, pad: 'lift' },
    phrasing: { melody: 'plucked', nonChordTones: 0.14, ornament: 0.15, strum: 0 },
  },
  mix: {
    // The three hands play the layered Salamander grand (docs/decisions/0028-layered-piano.md),
    // a close, spaced-pair stereo recording (L/R correlation 0.1–0.5 within one note): its
    // width is narrowed, and no pseudo-stereo is added, to sit near the GM piano's image.
    ...partMixes(REVERB_SEND, {
      melody: { pan: 70, width: 0.7, spread: 0, layer: 'grand-piano' },
      chords: { level: 88, pan: 58, width: 0.7, spread: 0, layer: 'grand-piano' },
      bass: { level: 84, pan: 56, width: 0.7, spread: 0, layer: 'grand-piano' },
      pad: { width: 1.2, spread: 0.3 },
      drums: { level: 84 },
    }),
    bus: {
      reverb: { type: 'hall', seconds: 2.3, preDelayMs: 18, returnDb: -3 },
      delay: NO_DELAY,
      tone: { trebleHz: 4000, trebleDb: 6, bassDb: 0, airDb: 6 },
      compression: { thresholdDb: 4, ratio: 1.5, attackMs: 30, releaseMs: 250 },
      tailSeconds: 3,
    },
  },
  band: () => ({
    melody: INSTRUMENTS.piano,
    chords: INSTRUMENTS.piano,
    bass: INSTRUMENTS.piano,
    pad: null,
    drums: null,
  }),
});
