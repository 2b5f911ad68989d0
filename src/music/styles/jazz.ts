import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';
import { NO_DELAY, partMixes } from './style-mix.js';

/** The style's reverb send (0..127): the melody's, chords' and pad's; see partMixes. */
const REVERB_SEND = 44;

/** Swung eighths, seventh chords, walking bass and ride cymbal: for warm, low light. */
export const jazz = defineStyle({
  id: 'jazz',
  names: { en: 'Jazz', zh: '爵士' },
  words: { en: ['jazz', 'jazzy', 'swing', 'bebop'], zh: ['爵士'] },
  reason: {
    en: 'warm low light → jazz: swung eighths, seventh chords, walking bass, ride cymbal',
    zh: '温暖的暗光 → 爵士：摇摆八分音符、七和弦、行走贝斯、叮叮镲',
  },
  noun: { en: 'a jazz piece', zh: '一首爵士乐' },
  fits: { valence: [-0.5, 1], arousal: [-0.5, 0.7] },
  tempo: [96, 150],
  reverb: REVERB_SEND,
  densityOffset: 0.1,
  swing: 1 / 3,
  meter: ({ valence }) =>
    valence > 0.25
      ? {
          meter: '3/4',
          reason: { en: 'warm and pleasant → a jazz waltz', zh: '温暖而愉悦 → 爵士圆舞曲' },
        }
      : { meter: '4/4', reason: null },
  composition: {
    meters: ['4/4', '3/4'],
    harmony: {
      // Circle-of-fifths motion on sevenths: ii–V–I, iii–vi–ii–V, I–vi–ii–V; minor ii°–V–i.
      source: {
        kind: 'loops',
        theme: {
          major: 'ii-V-I-I I-vi-ii-V iii-vi-ii-V I-IV-ii-V',
          minor: 'ii°-V-i-i i-VI-ii°-V i-iv-ii°-V',
        },
        contrast: {
          major: 'IV-iii-vi-ii vi-ii-V-I iii-vi-ii-V',
          minor: 'VI-ii°-V-i iv-VII-III-VI III-VI-ii°-V',
        },
      },
      extensions: 'ninths',
      colour: { secondary: 0.35, borrowed: 0.15, flatSeven: 0, tritone: 0.3, picardy: 0 },
      barsPerChord: 1,
      splitCadence: true,
    },
    accompaniment: { low: ['comping'], mid: ['comping'], high: ['comping'] },
    bass: { low: ['root-fifth', 'walking'], mid: ['walking'], high: ['walking'] },
    drums: {
      grooves: {
        '4/4': {
          low: [
            { name: 'ride', bars: ['ride:x...x.x.x...x.x. pedalHat:....x.......x...'] },
            {
              name: 'brushes',
              bars: ['ride:x...x...x...x... pedalHat:....x.......x... snare:g.g.g.g.g.g.g.g.'],
            },
          ],
          mid: [
            {
              name: 'swing',
              bars: ['ride:x...x.x.x...x.x. pedalHat:....x.......x... kick:g...g...g...g...'],
            },
            {
              name: 'comping snare',
              bars: [
                'ride:x...x.x.x...x.x. pedalHat:....x.......x... kick:g...g...g...g... snare:......g.......g.',
                'ride:x...x.x.x...x.x. pedalHat:....x.......x... kick:g...g...g...g... snare:..g.......g.....',
              ],
            },
          ],
          high: [
            {
              name: 'burning',
              bars: [
                'ride:x...x.x.x...x.x. pedalHat:....x.......x... kick:g...g...g...g..x snare:..g...g...g.x...',
              ],
            },
            {
              name: 'shout',
              bars: [
                'ride:x.x.x.x.x.x.x.x. pedalHat:....x.......x... kick:g...g...g.x.g... snare:......x.......g.',
              ],
            },
          ],
        },
        '3/4': {
          low: [{ name: 'waltz ride', bars: ['ride:x...x.x.x... pedalHat:....x...x...'] }],
          mid: [
            {
              name: 'jazz waltz',
              bars: ['ride:x...x.x.x.x. pedalHat:....x...x... kick:g...........'],
            },
          ],
          high: [
            {
              name: 'waltz comp',
              bars: [
                'ride:x...x.x.x.x. pedalHat:....x...x... kick:g.......g... snare:......g.....',
              ],
            },
          ],
        },
      },
      fills: {
        '4/4': [
          { name: 'trade', from: 8, bar: 'snare:........x..x..x. kick:...............x' },
          { name: 'kicks', from: 12, bar: 'snare:............x..x kick:..............x.' },
        ],
        '3/4': [{ name: 'trade', from: 6, bar: 'snare:......x..x.x' }],
      },
      feel: { backbeatLag: 6, hatPush: 0 },
      fillEvery: 8,
    },
    arrangement: { intro: 'build', breakdown: false, pad: 'lift' },
    phrasing: { melody: 'legato', nonChordTones: 0.15, ornament: 0.2, strum: 0 },
  },
  mix: {
    ...partMixes(REVERB_SEND, {
      melody: { spread: 0.15 },
      chords: { level: 84, spread: 0.3, gainDb: 4 },
      bass: { level: 100 },
      pad: { width: 1.2, spread: 0.4 },
      drums: { level: 80, width: 1.3, spread: 0.25, gainDb: 4 },
    }),
    bus: {
      reverb: { type: 'room', seconds: 1.1, preDelayMs: 10, returnDb: 0 },
      delay: NO_DELAY,
      tone: { trebleHz: 6000, trebleDb: 4, bassDb: 0 },
      compression: { thresholdDb: 3, ratio: 2, attackMs: 15, releaseMs: 180 },
      tailSeconds: 2.5,
    },
  },
  band: ({ warm, cool, features }) => ({
    melody: warm
      ? INSTRUMENTS.altoSax
      : cool
        ? INSTRUMENTS.vibraphone
        : features.brightness > 0.5
          ? INSTRUMENTS.trumpet
          : INSTRUMENTS.mutedTrumpet,
    chords: INSTRUMENTS.piano,
    bass: INSTRUMENTS.acousticBass,
    pad: null,
    drums: INSTRUMENTS.jazzKit,
  }),
});
