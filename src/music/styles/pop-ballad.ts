import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';
import { partMixes } from './style-mix.js';

/** The style's reverb send (0..127): the melody's, chords' and pad's; see partMixes. */
const REVERB_SEND = 72;

/** Broken-chord accompaniment, a singing lead and brushes: the middle of the mood plane. */
export const popBallad = defineStyle({
  id: 'pop-ballad',
  names: { en: 'Pop ballad', zh: '流行抒情' },
  words: { en: ['ballad', 'pop'], zh: ['流行', '抒情'] },
  reason: {
    en: 'moderate arousal → pop ballad: broken-chord accompaniment, brushes',
    zh: '中等唤醒度 → 流行抒情：分解和弦伴奏、鼓刷',
  },
  noun: { en: 'a pop ballad', zh: '一首流行抒情曲' },
  fits: { valence: [-0.8, 0.9], arousal: [-0.6, 0.5] },
  tempo: [68, 108],
  reverb: REVERB_SEND,
  densityOffset: 0,
  swing: 0,
  meter: ({ valence, arousal }) =>
    valence < 0 && arousal < 0.1
      ? {
          meter: '6/8',
          reason: {
            en: 'wistful and unhurried → a swaying 6/8',
            zh: '略带忧郁、不急不缓 → 摇曳的 6/8 拍',
          },
        }
      : { meter: '4/4', reason: null },
  composition: {
    meters: ['4/4', '6/8'],
    harmony: {
      // The ballad's descending bass and emotional vi: I–vi–IV–V, I–V–vi–IV, I–iii–IV–V.
      source: {
        kind: 'loops',
        theme: {
          major: 'I-vi-IV-V I-V-vi-IV I-iii-IV-V I-vi-ii-V',
          minor: 'i-VI-III-VII i-iv-VI-V i-VI-iv-V',
        },
        contrast: {
          major: 'vi-IV-I-V IV-V-iii-vi vi-iii-IV-V',
          minor: 'VI-VII-i-V iv-VII-III-VI VI-III-VII-V',
        },
      },
      extensions: 'triads',
      colour: { secondary: 0.2, borrowed: 0.25, flatSeven: 0.08, tritone: 0, picardy: 0 },
      barsPerChord: 1,
      splitCadence: true,
    },
    accompaniment: {
      low: ['arpeggio', 'block', 'sustain'],
      mid: ['arpeggio', 'broken'],
      high: ['broken', 'pulse', 'strum'],
    },
    bass: {
      low: ['roots', 'hold'],
      mid: ['root-fifth', 'roots'],
      high: ['syncopated', 'root-fifth'],
    },
    drums: {
      grooves: {
        '4/4': {
          low: [
            {
              name: 'brush pulse',
              bars: ['kick:x.......x....... rim:....x.......x... hat:x...x...x...x...'],
            },
            {
              name: 'rim and eighths',
              bars: ['kick:x.......x.x..... rim:....x.......x... hat:x.x.x.x.x.x.x.x.'],
            },
          ],
          mid: [
            {
              name: 'backbeat',
              bars: ['kick:x.......x....... snare:....x.......x... hat:x.x.x.x.x.x.x.x.'],
            },
            {
              name: 'push',
              bars: [
                'kick:x......xx....... snare:....x.......x... hat:x.x.x.x.x.x.x.x.',
                'kick:x.......x..x.... snare:....x.......x... hat:x.x.x.x.x.x.x.xx',
              ],
            },
            {
              name: 'half-time',
              bars: ['kick:x.........x..... snare:........x....... hat:x.x.x.x.x.x.x.x.'],
            },
          ],
          high: [
            {
              name: 'driving',
              bars: ['kick:x.....x.x....... snare:....x.......x..g hat:x.x.x.x.x.x.x.x.'],
            },
            {
              name: 'ride',
              bars: ['kick:x.......x.x..... snare:....x.......x... ride:x.x.x.x.x.x.x.x.'],
            },
            {
              name: 'open',
              bars: [
                'kick:x.......x....... snare:....x.......x... hat:x.x.x.x.x.x.x.x. openHat:..............x.',
                'kick:x.....x...x..... snare:....x.......x... hat:x.x.x.x.x.x.x... openHat:..............x.',
              ],
            },
          ],
        },
        '6/8': {
          low: [
            {
              name: 'lilt',
              bars: ['kick:x........... rim:......x..... hat:x.x.x.x.x.x.'],
            },
            { name: 'sway', bars: ['kick:x.....x..... hat:x...x.x...x.'] },
          ],
          mid: [
            {
              name: 'six-eight',
              bars: ['kick:x.........x. snare:......x..... hat:x.x.x.x.x.x.'],
            },
            {
              name: 'rolling',
              bars: ['kick:x...x....... snare:......x..... hat:x.x.x.x.x.xx'],
            },
          ],
          high: [
            {
              name: 'full',
              bars: ['kick:x...x.x..... snare:......x....g hat:x.x.x.x.x.x.'],
            },
            {
              name: 'ride',
              bars: ['kick:x.....x..... snare:......x..... ride:x.x.x.x.x.x.'],
            },
          ],
        },
      },
      fills: {
        '4/4': [
          { name: 'snare run', from: 12, bar: 'snare:............xxxx' },
          {
            name: 'toms down',
            from: 8,
            bar: 'snare:........x.x..... tomMid:............x.x. tomLow:..............xx',
          },
          {
            name: 'pickup',
            from: 14,
            bar: 'snare:..............xx kick:..............x.',
          },
        ],
        '6/8': [
          { name: 'snare run', from: 6, bar: 'snare:......x.xxxx' },
          { name: 'toms', from: 6, bar: 'tomMid:......x.x... tomLow:..........xx' },
        ],
      },
      feel: { backbeatLag: 8, hatPush: 0 },
      fillEvery: 8,
    },
    arrangement: { intro: 'chords', breakdown: true, pad: 'lift' },
    phrasing: { melody: 'legato', nonChordTones: 0.14, ornament: 0.15, strum: 12 },
  },
  mix: {
    ...partMixes(REVERB_SEND, {
      melody: { delay: 0.12 },
      chords: { level: 96, spread: 0.35 },
      bass: { level: 86 },
      pad: { width: 1.3, spread: 0.5 },
      drums: { level: 84, width: 1.2, spread: 0.2 },
    }),
    bus: {
      reverb: { type: 'plate', seconds: 2.2, preDelayMs: 20, returnDb: -2 },
      delay: { beats: 0.75, feedback: 0.3, returnDb: -14 },
      tone: { trebleHz: 6000, trebleDb: 4, bassDb: 0 },
      compression: { thresholdDb: 3, ratio: 2, attackMs: 20, releaseMs: 200 },
      tailSeconds: 3,
    },
  },
  band: ({ valence, warm, cool, features }) => ({
    melody:
      valence < -0.3
        ? INSTRUMENTS.cello
        : warm
          ? valence > 0.3
            ? INSTRUMENTS.oboe
            : INSTRUMENTS.clarinet
          : cool
            ? features.brightness > 0.55
              ? INSTRUMENTS.flute
              : INSTRUMENTS.violin
            : features.saturation > 0.45
              ? INSTRUMENTS.altoSax
              : INSTRUMENTS.violin,
    chords: warm && valence > 0 ? INSTRUMENTS.nylonGuitar : INSTRUMENTS.piano,
    bass: INSTRUMENTS.fingerBass,
    pad: valence < 0 ? INSTRUMENTS.slowStrings : INSTRUMENTS.strings,
    // Brushes keep a ballad's pulse without the weight of sticks.
    drums: INSTRUMENTS.brushKit,
  }),
});
