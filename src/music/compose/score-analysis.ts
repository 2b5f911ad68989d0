import { Key, Note } from 'tonal';
import type { Score } from './score.js';

/**
 * Scale degree (0..6) of each chord of a score, read from its root pitch class (minor on the
 * natural scale, whose fifth degree is also the harmonic V's root); −1 for a root outside the
 * scale. For checking a score against statistics, independently of how it was planned.
 */
export function chordDegrees(
  key: { tonic: string; mode: 'major' | 'minor' },
  score: Score,
): number[] {
  const tonic = Note.chroma(key.tonic);
  const scale =
    key.mode === 'minor' ? Key.minorKey(key.tonic).natural.scale : Key.majorKey(key.tonic).scale;
  const semis = scale.map((n) => (Note.chroma(n) - tonic + 12) % 12);
  return score.chords.map((c) => semis.indexOf(((c.pitchClasses[0] ?? 0) - tonic + 12) % 12));
}
