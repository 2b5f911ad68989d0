import stats from './harmony-stats.json' with { type: 'json' };
type Mode = 'major' | 'minor';

/**
 * Aggregate statistics of the shared corpora (Nottingham folk tunes, Bach chorales, When-in-Rome
 * chord usage), derived by scripts/derive-harmony-stats.ts into harmony-stats.json
 * (docs/decisions/0009-corpus-trained-harmony.md); the corpora themselves are never shipped.
 * Degrees are 0..6 = I..vii° / i..VII; in minor, degree 4 is the harmonic V.
 */

export interface DegreeStats {
  /** Chord events counted (diatonic or not) and the diatonic share of them. */
  events: number;
  diatonicShare: number;
  /** Degree frequencies over diatonic chord events (sum 1). */
  unigram: number[];
  /** Degree frequencies over diatonic chords on strong beats (sum 1). */
  strongUnigram: number[];
  /** P(next chord is the same degree | degree). */
  repeat: number[];
  /** P(next degree | degree, the chord changes): rows sum to 1, zero diagonal. */
  transitions: number[][];
  /** The five most used degrees, most used first, and their share of diatonic events. */
  top5: string[];
  top5Share: number;
}
export interface WirUsage {
  /** Share of all usage that falls on the seven diatonic triads. */
  diatonicShare: number;
  /** Usage over the seven degrees, normalised to 1. */
  unigram: number[];
}
export type CorpusSource = 'nottingham' | 'bach';
export type WirRepertoire = keyof typeof stats.harmony.whenInRome;
interface HarmonyStats {
  degrees: Record<Mode, string[]>;
  harmony: Record<CorpusSource, Record<Mode, DegreeStats>> & {
    whenInRome: Record<WirRepertoire, Record<Mode, WirUsage>>;
  };
  melody: {
    nottingham: Record<Mode, { notes: number; pitchClasses: number[]; intervals: number[] }>;
  };
}

export const HARMONY_STATS: HarmonyStats = stats;
