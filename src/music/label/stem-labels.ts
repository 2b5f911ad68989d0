import type { WavLoop } from '../encode/wav-encode.js';
import type { StereoAudio } from '../render/render.js';

/** How the stems carry the AI label: the audible cue shared out by level, and their README. */

/**
 * Each stem's share of the audible label, summing to exactly 1: in proportion to the stem's RMS
 * level, so the cue sits about as far under each stem as under the full mix, and stems summed
 * in a DAW carry it exactly once (docs/decisions/0016-stems-and-loop-labels.md).
 */
export function cueShares(stems: readonly StereoAudio[]): number[] {
  const rms = stems.map((s) => {
    let sum = 0;
    for (let i = 0; i < s.left.length; i++) sum += (s.left[i] ?? 0) ** 2 + (s.right[i] ?? 0) ** 2;
    return Math.sqrt(sum / Math.max(1, 2 * s.left.length));
  });
  const total = rms.reduce((a, b) => a + b, 0);
  const shares = rms.map((r) => (total > 0 ? r / total : 1 / stems.length));
  // The last share is what the others leave, so the shares add up to 1 exactly.
  const others = shares.slice(0, -1).reduce((a, b) => a + b, 0);
  if (shares.length > 0) shares[shares.length - 1] = 1 - others;
  return shares;
}

export const STEMS_README = (names: readonly string[], loop: WavLoop | null): string =>
  [
    'Instune stems: AI-generated music (GB 45438-2025). Every file carries the AIGC metadata label.',
    '',
    'Each WAV is one part of the piece with its own effects and the master gain, so the files',
    'summed at unity gain give the full mix. The audible AI label (short-long-short-short bell)',
    'is split across the stems in proportion to their level: the sum contains it exactly once.',
    ...(loop
      ? [
          '',
          `Loop: frames ${loop.start}..${loop.end - 1} repeat (WAV smpl chunk); the lead-in before`,
          'them carries the audible label and plays once.',
        ]
      : []),
    '',
    ...names.map((n) => `  ${n}`),
    '',
  ].join('\n');
