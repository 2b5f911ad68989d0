import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';
import { NO_DELAY, partMixes } from './style-mix.js';

/** The style's reverb send (0..127): the melody's, chords' and pad's; see partMixes. */
const REVERB_SEND = 56;

/** Finger-picked steel guitar, a fiddle or flute tune, tambourine: for warm, natural pictures. */
export const folk = defineStyle({
  id: 'folk',
  names: { en: 'Folk', zh: '民谣' },
  words: { en: ['folk', 'acoustic', 'guitar', 'country'], zh: ['民谣', '吉他', '乡村'] },
  reason: {
    en: 'warm and natural → folk: finger-picked steel guitar, tambourine',
    zh: '温暖而自然 → 民谣：指弹钢弦吉他、铃鼓',
  },
  noun: { en: 'a folk tune', zh: '一首民谣' },
  fits: { valence: [-0.3, 1], arousal: [-0.5, 0.8] },
  tempo: [84, 120],
  reverb: REVERB_SEND,
  densityOffset: 0.05,
  swing: 0,
  meter: ({ valence, arousal }) =>
    arousal > 0.25
      ? { meter: '6/8', reason: { en: 'lively → a 6/8 jig', zh: '活泼 → 6/8 拍的吉格舞曲' } }
      : valence > 0.2 && arousal < -0.1
        ? { meter: '3/4', reason: { en: 'gentle and bright → a waltz', zh: '温和而明亮 → 圆舞曲' } }
        : { meter: '4/4', reason: null },
  composition: {
    meters: ['4/4', '6/8', '3/4'],
    harmony: {
      source: { kind: 'corpus', corpus: 'nottingham' },
      extensions: 'triads',
      colour: { secondary: 0.12, borrowed: 0.05, flatSeven: 0.2, tritone: 0, picardy: 0 },
      barsPerChord: 1,
      splitCadence: false,
    },
    accompaniment: {
      low: ['picking', 'sustain'],
      mid: ['picking', 'strum'],
      high: ['strum', 'picking'],
    },
    bass: {
      low: ['root-fifth', 'roots'],
      mid: ['root-fifth', 'oom-pah'],
      high: ['root-fifth', 'oom-pah'],
    },
    drums: {
      grooves: {
        '4/4': {
          low: [
            { name: 'tambourine', bars: ['tambourine:....x.......x...'] },
            { name: 'shaker', bars: ['shaker:x.x.x.x.x.x.x.x.'] },
          ],
          mid: [
            {
              name: 'stomp',
              bars: ['kick:x.......x....... tambourine:....x.......x... shaker:x.x.x.x.x.x.x.x.'],
            },
            {
              name: 'rim',
              bars: ['kick:x.......x....... rim:....x.......x... shaker:xxxxxxxxxxxxxxxx'],
            },
          ],
          high: [
            {
              name: 'train',
              bars: ['kick:x.......x.x..... snare:....x.......x... tambourine:..x...x...x...x.'],
            },
            {
              name: 'barn dance',
              bars: [
                'kick:x.......x....... snare:....x.......x... shaker:x.x.x.x.x.x.x.x.',
                'kick:x.....x.x....... snare:....x.......x..x shaker:x.x.x.x.x.x.x.x.',
              ],
            },
          ],
        },
        '6/8': {
          low: [{ name: 'jig tambourine', bars: ['tambourine:x.....x.....'] }],
          mid: [
            { name: 'jig', bars: ['kick:x.....x..... tambourine:..x.x...x.x.'] },
            { name: 'shaker jig', bars: ['kick:x.....x..... shaker:x.x.x.x.x.x.'] },
          ],
          high: [
            {
              name: 'full jig',
              bars: ['kick:x.....x..... snare:......x..... shaker:xxxxxxxxxxxx'],
            },
          ],
        },
        '3/4': {
          low: [{ name: 'waltz tambourine', bars: ['tambourine:....x...x...'] }],
          mid: [
            {
              name: 'waltz',
              bars: ['kick:x........... tambourine:....x...x... shaker:x.x.x.x.x.x.'],
            },
          ],
          high: [
            {
              name: 'country waltz',
              bars: ['kick:x........... snare:....x...x... shaker:x.x.x.x.x.x.'],
            },
          ],
        },
      },
      fills: {
        '4/4': [
          {
            name: 'toms',
            from: 12,
            bar: 'tomMid:............x.x. tomLow:..............x. snare:...............x',
          },
          { name: 'snare pickup', from: 12, bar: 'snare:............x.xx' },
        ],
        '6/8': [{ name: 'toms', from: 6, bar: 'tomMid:......x.x... tomLow:..........x.' }],
        '3/4': [{ name: 'pickup', from: 8, bar: 'snare:........x.xx' }],
      },
      feel: { backbeatLag: 4, hatPush: 0 },
      fillEvery: 4,
    },
    arrangement: { intro: 'chords', breakdown: true, pad: 'lift' },
    phrasing: { melody: 'detached', nonChordTones: 0.16, ornament: 0.2, strum: 14 },
  },
  mix: {
    ...partMixes(REVERB_SEND, {
      chords: { level: 100, spread: 0.4 },
      bass: { level: 86 },
      pad: { width: 1.2, spread: 0.4 },
      drums: { level: 80, width: 1.2, gainDb: 5, spread: 0.2 },
    }),
    bus: {
      reverb: { type: 'room', seconds: 1.3, preDelayMs: 12, returnDb: 0 },
      delay: NO_DELAY,
      tone: { trebleHz: 6000, trebleDb: 3, bassDb: 0 },
      compression: { thresholdDb: 3, ratio: 2, attackMs: 15, releaseMs: 180 },
      tailSeconds: 2.5,
    },
  },
  band: ({ valence, warm, cool, features }) => ({
    melody: cool
      ? features.brightness > 0.55
        ? INSTRUMENTS.whistle
        : INSTRUMENTS.flute
      : valence > 0.4
        ? INSTRUMENTS.harmonica
        : warm && valence > 0.15
          ? INSTRUMENTS.accordion
          : INSTRUMENTS.violin,
    chords: INSTRUMENTS.steelGuitar,
    bass: INSTRUMENTS.acousticBass,
    pad: null,
    drums: INSTRUMENTS.standardKit,
  }),
});
