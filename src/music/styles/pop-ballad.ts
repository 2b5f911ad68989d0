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
    melody: { level: 112, pan: 68, reverb: 72, chorus: 0 },
    chords: { level: 96, pan: 48, reverb: 72, chorus: 10 },
    bass: { level: 86, pan: 64, reverb: 24, chorus: 0 },
    pad: { level: 76, pan: 84, reverb: 72, chorus: 30 },
    drums: { level: 84, pan: 64, reverb: 36, chorus: 0 },
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
