import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';
import { partMixes } from './style-mix.js';

/** The style's reverb send (0..127): the melody's, chords' and pad's; see partMixes. */
const REVERB_SEND = 96;

/** Slow pads and a sparse lead: for calm, dim or soft pictures. */
export const ambient = defineStyle({
  id: 'ambient',
  names: { en: 'Ambient', zh: '氛围' },
  words: { en: ['ambient', 'drone'], zh: ['氛围', '环境音乐'] },
  reason: {
    en: 'calm (low arousal) → ambient pads, no drums',
    zh: '平静（唤醒度低）→ 氛围音色铺底，没有鼓',
  },
  noun: { en: 'an ambient piece', zh: '一首氛围音乐' },
  fits: { valence: [-1, 1], arousal: [-1, 0.2] },
  tempo: [56, 84],
  reverb: REVERB_SEND,
  densityOffset: -0.25,
  swing: 0,
  meter: ({ arousal }) =>
    arousal < -0.5
      ? {
          meter: '3/4',
          reason: { en: 'very still → a slow triple time', zh: '非常安静 → 缓慢的三拍子' },
        }
      : { meter: '4/4', reason: null },
  composition: {
    meters: ['4/4', '3/4'],
    harmony: {
      // Static, plagal colour: the tonic with IV/vi pedals; the dominant only at cadences.
      source: {
        kind: 'loops',
        theme: {
          major: 'I-IV-I-IV I-vi-IV-I I-IV-vi-IV I-iii-IV-I',
          minor: 'i-VI-i-VI i-iv-i-VII i-VI-iv-i',
        },
        contrast: {
          major: 'vi-IV-vi-IV IV-vi-I-IV vi-iii-IV-I',
          minor: 'VI-III-VI-VII iv-VI-iv-VII',
        },
      },
      extensions: 'sevenths',
      colour: { secondary: 0.05, borrowed: 0.25, flatSeven: 0.1, tritone: 0, picardy: 0.2 },
      barsPerChord: 2,
      splitCadence: false,
    },
    accompaniment: { low: ['sustain'], mid: ['sustain'], high: ['sustain', 'pulse'] },
    bass: { low: ['hold'], mid: ['hold'], high: ['hold', 'roots'] },
    drums: null,
    arrangement: { intro: 'pad', breakdown: false, pad: 'always' },
    phrasing: { melody: 'legato', nonChordTones: 0.1, ornament: 0.1, strum: 0 },
  },
  mix: {
    ...partMixes(REVERB_SEND, {
      melody: { spread: 0.25, delay: 0.22, gainDb: 2 },
      chords: { level: 108, chorus: 40, spread: 0.5, gainDb: -4 },
      bass: { level: 96 },
      pad: { width: 1.3, spread: 0.5 },
      drums: { level: 84 },
    }),
    bus: {
      reverb: { type: 'hall', seconds: 3.4, preDelayMs: 30, returnDb: -3 },
      delay: { beats: 0.75, feedback: 0.4, returnDb: -12 },
      tone: { trebleHz: 4000, trebleDb: 7, bassDb: 0, airDb: 4 },
      compression: { thresholdDb: 4, ratio: 1.5, attackMs: 30, releaseMs: 300 },
      tailSeconds: 4,
    },
  },
  band: ({ valence, warm, cool, features }) => ({
    melody:
      valence < -0.4
        ? INSTRUMENTS.cello
        : cool
          ? features.brightness > 0.55
            ? INSTRUMENTS.celesta
            : INSTRUMENTS.vibraphone
          : warm
            ? valence > 0.2
              ? INSTRUMENTS.harp
              : INSTRUMENTS.clarinet
            : INSTRUMENTS.flute,
    chords: cool ? INSTRUMENTS.haloPad : warm ? INSTRUMENTS.warmPad : INSTRUMENTS.newAgePad,
    bass: INSTRUMENTS.acousticBass,
    pad: null,
    drums: null,
  }),
});
