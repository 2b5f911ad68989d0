import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';
import { NO_DELAY, partMixes } from './style-mix.js';

/** The style's reverb send (0..127): the melody's, chords' and pad's; see partMixes. */
const REVERB_SEND = 100;

/** String ostinato, a horn or violin theme, toms and swells: for dramatic light and tension. */
export const cinematic = defineStyle({
  id: 'cinematic',
  names: { en: 'Cinematic', zh: '电影配乐' },
  words: {
    en: ['cinematic', 'film', 'movie', 'orchestral', 'orchestra', 'soundtrack'],
    zh: ['电影', '史诗', '管弦', '交响', '配乐'],
  },
  reason: {
    en: 'dramatic light → cinematic: string ostinato, horn theme, toms and swells',
    zh: '戏剧性的光影 → 电影配乐：弦乐固定音型、圆号主题、通鼓与渐强',
  },
  noun: { en: 'a cinematic piece', zh: '一首电影配乐风格的作品' },
  fits: { valence: [-1, 1], arousal: [-1, 1] },
  tempo: [64, 110],
  reverb: REVERB_SEND,
  densityOffset: -0.1,
  swing: 0,
  meter: ({ arousal }) =>
    arousal < 0
      ? {
          meter: '3/4',
          reason: { en: 'broad and calm → a sweeping 3/4', zh: '开阔而平静 → 舒展的 3/4 拍' },
        }
      : { meter: '4/4', reason: null },
  composition: {
    meters: ['4/4', '3/4'],
    harmony: {
      source: { kind: 'corpus', corpus: 'bach', tilt: 'Orchestral' },
      extensions: 'triads',
      colour: { secondary: 0.2, borrowed: 0.3, flatSeven: 0.15, tritone: 0, picardy: 0.3 },
      barsPerChord: 2,
      splitCadence: false,
    },
    accompaniment: { low: ['sustain'], mid: ['ostinato', 'sustain'], high: ['ostinato'] },
    bass: { low: ['hold'], mid: ['hold', 'roots'], high: ['roots', 'pulse'] },
    drums: {
      grooves: {
        '4/4': {
          low: [
            { name: 'timpani', bars: ['tomLow:x...............'] },
            { name: 'heartbeat', bars: ['tomLow:x.......x.......'] },
          ],
          mid: [
            { name: 'march', bars: ['tomLow:x.....x.x....... kick:x...............'] },
            { name: 'toms', bars: ['tomMid:x..x..x......... tomLow:........x..x....'] },
          ],
          high: [
            {
              name: 'taiko',
              bars: [
                'kick:x.......x....... tomLow:x..x..x.x..x..x. tomMid:......x.......x. snare:....x.......x...',
              ],
            },
            {
              name: 'battle',
              bars: [
                'kick:x.....x.x....... tomLow:x.x.x.x.x.x.x.x. snare:....x.......x...',
                'kick:x.....x.x....... tomLow:x.x.x.x.x.x.x.x. snare:....x.......xxxx',
              ],
            },
          ],
        },
        '3/4': {
          low: [{ name: 'timpani', bars: ['tomLow:x...........'] }],
          mid: [
            { name: 'waltz toms', bars: ['tomLow:x...x...x...'] },
            { name: 'swell', bars: ['kick:x........... tomMid:....x...x...'] },
          ],
          high: [
            {
              name: 'full',
              bars: ['kick:x........... tomLow:x.x.x.x.x.x. snare:....x...x...'],
            },
          ],
        },
      },
      fills: {
        '4/4': [
          { name: 'roll', from: 8, bar: 'snare:........xxxxxxxx' },
          {
            name: 'toms',
            from: 8,
            bar: 'tomMid:........x.x..... tomLow:............xxxx',
          },
        ],
        '3/4': [{ name: 'roll', from: 6, bar: 'snare:......xxxxxx' }],
      },
      feel: { backbeatLag: 0, hatPush: 0 },
      fillEvery: 4,
    },
    arrangement: { intro: 'pad', breakdown: false, pad: 'lift' },
    phrasing: { melody: 'legato', nonChordTones: 0.14, ornament: 0.12, strum: 0 },
  },
  mix: {
    ...partMixes(REVERB_SEND, {
      chords: { level: 100, spread: 0.35 },
      bass: { level: 96, width: 0.4 },
      pad: { width: 1.3, spread: 0.5 },
      drums: { level: 92, width: 1.2, gainDb: 3, spread: 0.25 },
    }),
    bus: {
      reverb: { type: 'hall', seconds: 2.9, preDelayMs: 25, returnDb: -3 },
      delay: NO_DELAY,
      tone: { trebleHz: 6000, trebleDb: 5, bassDb: 0 },
      compression: { thresholdDb: 3, ratio: 1.8, attackMs: 25, releaseMs: 250 },
      tailSeconds: 3.5,
    },
  },
  band: ({ valence, warm, cool, features }) => ({
    melody:
      valence < -0.3
        ? INSTRUMENTS.cello
        : warm
          ? INSTRUMENTS.frenchHorn
          : valence > 0.4
            ? INSTRUMENTS.oboe
            : cool && features.brightness > 0.5
              ? INSTRUMENTS.flute
              : INSTRUMENTS.violin,
    chords: INSTRUMENTS.strings,
    bass: INSTRUMENTS.contrabass,
    pad: INSTRUMENTS.choirPad,
    drums: INSTRUMENTS.standardKit,
  }),
});
