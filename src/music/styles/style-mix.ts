import type { BusMix, PartMix, StyleMix } from './style-declaration.js';

/**
 * What a style sets of each part's mix; the rest comes from the common seat below. The fields
 * required here are the ones no two styles agree on (each was set by rendering the part alone).
 */
export interface OwnPartMixes {
  readonly melody?: Partial<PartMix>;
  readonly chords: Partial<PartMix> & Pick<PartMix, 'level' | 'spread'>;
  readonly bass: Partial<PartMix> & Pick<PartMix, 'level'>;
  readonly pad: Partial<PartMix> & Pick<PartMix, 'width' | 'spread'>;
  readonly drums: Partial<PartMix> & Pick<PartMix, 'level'>;
}

/**
 * Every style's parts, from the style's reverb send and what the style sets itself. Where the
 * styles agree the seat is common: the lead loudest and a little right of centre, the chords
 * left, the bass centred and near mono, the pad wide on the right, the drums centred; the bass
 * and the kit send a third and a half of the style's reverb (as since v0), so the low end and
 * the transients stay clear while the melody, chords and pad sit in the style's full space.
 */
export function partMixes(reverb: number, own: OwnPartMixes): Omit<StyleMix, 'bus'> {
  return {
    melody: { level: 112, pan: 68, reverb, chorus: 0, width: 1, spread: 0.2, ...own.melody },
    chords: { pan: 48, reverb, chorus: 10, width: 1.3, ...own.chords },
    bass: {
      pan: 64,
      reverb: Math.round(reverb / 3),
      chorus: 0,
      width: 0.3,
      highPassHz: 0,
      ...own.bass,
    },
    pad: { level: 76, pan: 84, reverb, chorus: 30, ...own.pad },
    drums: { pan: 64, reverb: Math.round(reverb / 2), chorus: 0, highPassHz: 0, ...own.drums },
  };
}

/**
 * No echo: the mixer sends nothing into the delay when its return is −60 dB or lower
 * (mix/part-mix.ts), so the time and feedback here are never heard.
 */
export const NO_DELAY: BusMix['delay'] = { beats: 0.5, feedback: 0.25, returnDb: -60 };
