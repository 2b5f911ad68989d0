import { INSTRUMENTS } from '../plan/instruments.js';
import { defineStyle } from './style-declaration.js';

/** Broken-chord accompaniment, a singing lead and brushes: the middle of the mood plane. */
export const popBallad = defineStyle({
  id: 'pop-ballad',
  names: { en: 'Pop ballad', zh: '流行抒情' },
  words: { en: ['ballad', 'pop'], zh: ['流行', '抒情'] },
  reason: 'moderate arousal → pop ballad: broken-chord accompaniment, brushes',
  tempo: [68, 108],
  reverb: 72,
  densityOffset: 0,
  swing: 0,
  sevenths: false,
  barsPerChord: 1,
  mix: {
    melody: { level: 112, pan: 68, reverb: 72, chorus: 0, width: 1, spread: 0.2, delay: 0.12 },
    chords: { level: 96, pan: 48, reverb: 72, chorus: 10, width: 1.3, spread: 0.35 },
    bass: { level: 86, pan: 64, reverb: 24, chorus: 0, width: 0.3, highPassHz: 0 },
    pad: { level: 76, pan: 84, reverb: 72, chorus: 30, width: 1.3, spread: 0.5 },
    drums: { level: 84, pan: 64, reverb: 36, chorus: 0, width: 1.2, highPassHz: 0, spread: 0.2 },
    bus: {
      reverb: { type: 'plate', seconds: 2.2, preDelayMs: 20, returnDb: -2 },
      delay: { beats: 0.75, feedback: 0.3, returnDb: -14 },
      tone: { trebleHz: 6000, trebleDb: 4, bassDb: 0 },
      compression: { thresholdDb: 3, ratio: 2, attackMs: 20, releaseMs: 200 },
      tailSeconds: 3,
    },
  },
  band: ({ valence, warm, cool }) => ({
    melody:
      valence < -0.3
        ? INSTRUMENTS.cello
        : warm
          ? valence > 0.3
            ? INSTRUMENTS.oboe
            : INSTRUMENTS.clarinet
          : cool
            ? INSTRUMENTS.flute
            : INSTRUMENTS.violin,
    chords: warm && valence > 0 ? INSTRUMENTS.nylonGuitar : INSTRUMENTS.piano,
    bass: INSTRUMENTS.fingerBass,
    pad: valence < 0 ? INSTRUMENTS.slowStrings : INSTRUMENTS.strings,
    // Brushes keep a ballad's pulse without the weight of sticks.
    drums: INSTRUMENTS.brushKit,
  }),
});
