import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';
import { partMixes } from './style-mix.js';

/** The style's reverb send (0..127): the melody's, chords' and pad's; see partMixes. */
const REVERB_SEND = 40;

/** Swung Rhodes sevenths over soft boom-bap: for muted, wistful, unhurried pictures. */
export const loFi = defineStyle({
  id: 'lo-fi',
  names: { en: 'Lo-fi', zh: 'Lo-fi' },
  words: { en: ['lofi', 'chillhop', 'chill', 'beats'], zh: ['低保真'] },
  reason: {
    en: 'muted, wistful and unhurried → lo-fi: swung Rhodes sevenths, soft boom-bap drums',
    zh: '柔和、略带忧郁、不急不缓 → Lo-fi：摇摆的电钢琴七和弦、轻柔的 boom-bap 鼓',
  },
  noun: { en: 'a lo-fi track', zh: '一首 Lo-fi 曲子' },
  fits: { valence: [-0.9, 0.5], arousal: [-0.8, 0.3] },
  tempo: [70, 88],
  reverb: REVERB_SEND,
  densityOffset: -0.1,
  swing: 0.2,
  meter: () => ({ meter: '4/4', reason: null }),
  composition: {
    meters: ['4/4'],
    harmony: {
      // ii–V–I turnarounds for the Rhodes sevenths: I–vi–ii–V, ii–V–I–vi, IV–iii–ii–V.
      source: {
        kind: 'loops',
        theme: {
          major: 'I-vi-ii-V ii-V-I-vi IV-iii-ii-V I-IV-ii-V',
          minor: 'i-iv-VII-III i-VI-ii°-V i-iv-ii°-V',
        },
        contrast: {
          major: 'IV-V-iii-vi vi-ii-V-I iii-vi-ii-V',
          minor: 'VI-ii°-V-i iv-VII-III-VI',
        },
      },
      extensions: 'ninths',
      colour: { secondary: 0.2, borrowed: 0.3, flatSeven: 0.05, tritone: 0.1, picardy: 0 },
      barsPerChord: 1,
      splitCadence: true,
    },
    accompaniment: { low: ['rhodes', 'sustain'], mid: ['rhodes'], high: ['rhodes', 'comping'] },
    bass: { low: ['roots'], mid: ['syncopated'], high: ['syncopated'] },
    drums: {
      grooves: {
        '4/4': {
          low: [
            {
              name: 'rim and hats',
              bars: ['kick:x.........x..... rim:....x.......x... hat:x.x.x.x.x.x.x.x.'],
            },
            { name: 'hats only', bars: ['kick:x.........x..... hat:x.xgx.x.x.xgx.x.'] },
          ],
          mid: [
            {
              name: 'boom bap',
              bars: ['kick:x......x..x..... snare:....x.......x... hat:x.x.x.x.x.x.x.x.'],
            },
            {
              name: 'lazy',
              bars: ['kick:x.........xx.... snare:....x.......x..g hat:x.xgx.x.x.xgx.x.'],
            },
            {
              name: 'two-bar',
              bars: [
                'kick:x......x..x..... snare:....x.......x... hat:x.x.x.x.x.x.x.x.',
                'kick:x.x.......x..x.. snare:....x.......x... hat:x.x.x.x.x.x.x.xx',
              ],
            },
          ],
          high: [
            {
              name: 'full',
              bars: [
                'kick:x......x.xx..... snare:....x.......x.g. hat:x.x.x.x.x.x.x.x. openHat:..............x.',
              ],
            },
            {
              name: 'ride',
              bars: ['kick:x......x..x..... snare:....x.......x... ride:x.x.x.x.x.x.x.x.'],
            },
          ],
        },
      },
      fills: {
        '4/4': [
          { name: 'flam', from: 12, bar: 'snare:............x.xg kick:..............x.' },
          { name: 'drag', from: 14, bar: 'snare:..............xx' },
          { name: 'drop', from: 12, bar: 'kick:............x... hat:............x.x.' },
        ],
      },
      feel: { backbeatLag: 14, hatPush: 0 },
      fillEvery: 8,
    },
    arrangement: { intro: 'chords', breakdown: true, pad: 'lift' },
    phrasing: { melody: 'legato', nonChordTones: 0.12, ornament: 0.15, strum: 0 },
  },
  mix: {
    ...partMixes(REVERB_SEND, {
      melody: { delay: 0.15 },
      chords: { level: 92, chorus: 30, spread: 0.35 },
      bass: { level: 92, gainDb: 2 },
      pad: { width: 1.2, spread: 0.4 },
      drums: { level: 82, width: 1.1, gainDb: 9, spread: 0.2 },
    }),
    bus: {
      reverb: { type: 'room', seconds: 1.2, preDelayMs: 15, returnDb: 0 },
      delay: { beats: 0.75, feedback: 0.3, returnDb: -12 },
      tone: { trebleHz: 6000, trebleDb: 2, bassDb: 1.5 },
      compression: { thresholdDb: 2, ratio: 2.5, attackMs: 10, releaseMs: 150 },
      tailSeconds: 2.5,
      lofi: { lowPassHz: 7000, drive: 0.6, wowCents: 9, flutterCents: 4, noiseDb: -36 },
    },
  },
  band: ({ warm, cool, features }) => ({
    melody: cool
      ? INSTRUMENTS.vibraphone
      : warm
        ? INSTRUMENTS.mutedTrumpet
        : features.brightness > 0.45
          ? INSTRUMENTS.flute
          : INSTRUMENTS.jazzGuitar,
    chords: INSTRUMENTS.electricPiano,
    bass: INSTRUMENTS.fingerBass,
    pad: null,
    drums: INSTRUMENTS.standardKit,
  }),
});
