import { createHash } from 'node:crypto';
import { composeScore } from '../../src/music/compose/compose-score.js';
import { writeScoreToMidi } from '../../src/music/encode/midi-file.js';
import type { MusicPlan } from '../../src/music/plan/music-plan.js';

/**
 * The golden-file digest of a plan played with a seed: the first 16 hex digits of the SHA-256 of
 * its MIDI file (labelled "golden"). The composer tests pin these, so "same seed → same song"
 * holds for stored generations; change one only with an intended change to the music.
 */
export function goldenMidiDigest(plan: MusicPlan, seed: number): string {
  return createHash('sha256')
    .update(writeScoreToMidi(composeScore(plan, seed), 'golden'))
    .digest('hex')
    .slice(0, 16);
}
