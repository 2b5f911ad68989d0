import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';
import { partMixes } from './style-mix.js';

/** The style's reverb send (0..127): the melody's, chords' and pad's; see partMixes. */
const REVERB_SEND = 48;

/** The electronic/dance style ('upbeat' is its name since plan v1): for lively, bright pictures. */
export const upbeat = defineStyle({
  id: 'upbeat',
  names: { en: 'Upbeat', zh: '轻快' },
  words: {
    en: ['electronic', 'edm', 'techno', 'synth', 'synthwave', 'disco'],
    zh: ['电子', '电音', '舞曲'],
  },
  reason: {
    en: 'high arousal → upbeat electronic groove: synth stabs, driving bass, full drums',
    zh: '唤醒度高 → 轻快的电子律动：合成器短和弦、推进的贝斯、完整的鼓组',
  },
  noun: { en: 'an upbeat electronic track', zh: '一首轻快的电子乐' },
  fits: { valence: [-0.3, 1], arousal: [0.05, 1] },
  tempo: [112, 136],
  reverb: REVERB_SEND,
  densityOffset: 0,
  swing: 0,
  meter: () => ({ meter: '4/4', reason: null }),
  composition: {
    meters: ['4/4'],
    harmony: {
      // Driving four-chord loops that keep the dominant for the turnaround; Aeolian i–VI–III–VII.
      source: {
        kind: 'loops',
        theme: {
          major: 'I-V-vi-IV I-IV-vi-V I-vi-IV-V',
          minor: 'i-VI-III-VII i-VII-VI-VII i-iv-VII-III',
        },
        contrast: {
          major: 'vi-IV-I-V IV-I-V-vi IV-V-iii-vi',
          minor: 'VI-VII-i-V iv-VII-III-VI',
        },
      },
      extensions: 'triads',
      colour: { secondary: 0.08, borrowed: 0.1, flatSeven: 0.2, tritone: 0, picardy: 0 },
      barsPerChord: 1,
      splitCadence: false,
    },
    accompaniment: { low: ['sustain', 'stabs'], mid: ['stabs', 'pulse'], high: ['stabs', 'pulse'] },
    bass: { low: ['pulse', 'roots'], mid: ['octaves', 'pulse'], high: ['octaves', 'pulse'] },
    drums: {
      grooves: {
        '4/4': {
          low: [
            {
              name: 'four on the floor',
              bars: ['kick:x...x...x...x... hat:..x...x...x...x.'],
            },
            { name: 'hats', bars: ['kick:x.......x....... hat:x.x.x.x.x.x.x.x.'] },
          ],
          mid: [
            {
              name: 'club',
              bars: ['kick:x...x...x...x... clap:....x.......x... hat:..x...x...x...x.'],
            },
            {
              name: 'sixteenths',
              bars: ['kick:x...x...x...x... snare:....x.......x... hat:xxxxxxxxxxxxxxxx'],
            },
            {
              name: 'disco',
              bars: [
                'kick:x...x...x...x... snare:....x.......x... hat:x.x.x.x.x.x.x.x. openHat:..x...x...x...x.',
                'kick:x...x...x...x..x snare:....x.......x... hat:x.x.x.x.x.x.x.x. openHat:..x...x...x...x.',
              ],
            },
          ],
          high: [
            {
              name: 'peak',
              bars: [
                'kick:x...x...x...x... clap:....x.......x... hat:x...x...x...x... openHat:..x...x...x...x. tambourine:....x.......x...',
              ],
            },
            {
              name: 'drive',
              bars: [
                'kick:x...x...x...x... snare:....x.......x... hat:xxxxxxxxxxxxxxxx',
                'kick:x...x...x...x.x. snare:....x.......x.x. hat:xxxxxxxxxxxxxxxx',
              ],
            },
          ],
        },
      },
      fills: {
        '4/4': [
          {
            name: 'snare roll',
            from: 12,
            bar: 'snare:............xxxx kick:............x...',
          },
          { name: 'build', from: 8, bar: 'snare:........x.x.xxxx' },
          {
            name: 'stutter',
            from: 14,
            bar: 'snare:..............xx clap:..............x.',
          },
        ],
      },
      feel: { backbeatLag: 0, hatPush: -4 },
      fillEvery: 4,
    },
    arrangement: { intro: 'build', breakdown: true, pad: 'lift' },
    phrasing: { melody: 'detached', nonChordTones: 0.12, ornament: 0.1, strum: 0 },
  },
  mix: {
    ...partMixes(REVERB_SEND, {
      melody: { delay: 0.2 },
      chords: { level: 84, width: 1.4, spread: 0.45, duckDb: 4 },
      bass: { level: 86, width: 0.2, duckDb: 5 },
      pad: { width: 1.4, spread: 0.5, duckDb: 6 },
      drums: { level: 96, width: 1.2, gainDb: 2, spread: 0.15 },
    }),
    bus: {
      reverb: { type: 'plate', seconds: 1.4, preDelayMs: 10, returnDb: -2 },
      delay: { beats: 0.75, feedback: 0.35, returnDb: -10 },
      tone: { trebleHz: 6000, trebleDb: 3, bassDb: 0 },
      compression: { thresholdDb: 2, ratio: 2.5, attackMs: 10, releaseMs: 120 },
      tailSeconds: 2.2,
    },
  },
  band: ({ valence, warm, cool, features }) => ({
    melody:
      valence < -0.2
        ? INSTRUMENTS.sawLead
        : warm
          ? features.brightness > 0.55
            ? INSTRUMENTS.trumpet
            : INSTRUMENTS.altoSax
          : cool && features.brightness <= 0.55
            ? INSTRUMENTS.vibraphone
            : INSTRUMENTS.squareLead,
    chords: INSTRUMENTS.polySynth,
    bass: INSTRUMENTS.synthBass,
    pad: null,
    drums: INSTRUMENTS.standardKit,
  }),
});
