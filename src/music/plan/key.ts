import { Key } from 'tonal';
import type { ImageFeatures } from '../perception/image-features.js';
import type { Mode, MusicPlan } from './music-plan.js';

/** Tonics a user can choose, spelled as the key signatures are. */
export const TONICS = [
  'C',
  'C#',
  'Db',
  'D',
  'Eb',
  'E',
  'F',
  'F#',
  'Gb',
  'G',
  'Ab',
  'A',
  'Bb',
  'B',
] as const;
export type Tonic = (typeof TONICS)[number];

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** A key by name, with its signature (sharps +, flats −). */
export function namedKey(tonic: string, mode: Mode): MusicPlan['key'] {
  const fifths = mode === 'major' ? Key.majorKey(tonic).alteration : Key.minorKey(tonic).alteration;
  return { tonic, mode, name: `${tonic} ${mode}`, fifths };
}

/**
 * Tonic by "lightness" on the circle of fifths: bright, warm images land on sharp keys (D, A, E…),
 * dark ones on flat keys (Bb, Eb, Ab…), over all twelve. In equal temperament this mainly sets
 * the register, but it keeps the choice explainable and independent of hue.
 */
export function chooseKey(mode: Mode, features: ImageFeatures): MusicPlan['key'] {
  const light = clamp((features.brightness - 0.45) / 0.3, -1, 1) * 0.7 + features.warmth * 0.3;
  const step = Math.round(((clamp(light, -1, 1) + 1) / 2) * 11); // 0..11
  const majorTonics = ['Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#'] as const;
  const minorTonics = ['Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#', 'G#', 'D#'] as const;
  const tonic = (mode === 'major' ? majorTonics : minorTonics)[step] ?? 'C';
  return namedKey(tonic, mode);
}
