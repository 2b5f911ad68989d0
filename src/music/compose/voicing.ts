import { mod12, type Chord } from './chord.js';

/**
 * Chord voicings under a ceiling: every accompaniment note sounds below the melody note it
 * accompanies (the ceiling is the lowest melody note over the chord, minus a gap), moving as
 * little as possible from the previous voicing. Extensions drop out before the root and third
 * when the room under the melody is tight.
 */

export interface VoicingRequest {
  chord: Chord;
  /** Highest pitch allowed. */
  ceiling: number;
  /** Lowest pitch allowed (below it the voicing turns to mud). */
  floor: number;
  /** Notes wanted (3–4); fewer when the room is tight. */
  size: number;
  previous?: readonly number[] | undefined;
}

/** Which pitch classes to keep, most important first: third, seventh, root, colour, fifth. */
function priorityOf(chord: Chord): number[] {
  const [root = 0, ...rest] = chord.pcs;
  const third = rest.find((pc) => [3, 4].includes(mod12(pc - root)));
  const fifth = rest.find((pc) => [6, 7, 8].includes(mod12(pc - root)));
  const seventh = rest.find((pc) => [9, 10, 11].includes(mod12(pc - root)) && pc !== fifth);
  const colours = rest.filter((pc) => pc !== third && pc !== fifth && pc !== seventh);
  const sus = rest.find((pc) => mod12(pc - root) === 5);
  const ordered = [third ?? sus, seventh, root, ...colours, fifth].filter(
    (pc): pc is number => pc !== undefined,
  );
  return [...new Set(ordered)];
}

export function voiceChord(request: VoicingRequest): number[] {
  const { chord, ceiling, previous } = request;
  const floor = Math.min(request.floor, ceiling - 7);
  const room = ceiling - floor;
  const size = Math.max(2, Math.min(request.size, room >= 12 ? request.size : room >= 8 ? 3 : 2));
  const priority = priorityOf(chord);
  let pcs = priority.slice(0, size);
  // A triad in four voices doubles the root.
  while (pcs.length < size) pcs = [...pcs, priority[pcs.length % priority.length] ?? chord.rootPc];

  const options = pcs.map((pc) => {
    const out: number[] = [];
    for (let p = floor + mod12(pc - floor); p <= ceiling; p += 12) out.push(p);
    return out;
  });
  let best: number[] | null = null;
  let bestCost = Infinity;
  const choose = (i: number, chosen: number[]): void => {
    if (i === options.length) {
      const sorted = [...chosen].sort((a, b) => a - b);
      const low = sorted[0] ?? floor;
      const high = sorted[sorted.length - 1] ?? ceiling;
      if (high - low > 14) return;
      for (let k = 1; k < sorted.length; k++) if (sorted[k] === sorted[k - 1]) return;
      // Semitone clusters at the bottom of a voicing sound like mistakes.
      if (sorted.length >= 2 && (sorted[1] ?? 0) - low === 1 && low < 55) return;
      let cost = Math.abs(ceiling - 2 - high) * 0.6;
      if (previous && previous.length > 0) {
        const prev = [...previous].sort((a, b) => a - b);
        for (let k = 0; k < sorted.length; k++) {
          cost += Math.abs((sorted[k] ?? 0) - (prev[Math.min(k, prev.length - 1)] ?? 0));
        }
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = sorted;
      }
      return;
    }
    for (const p of options[i] ?? []) choose(i + 1, [...chosen, p]);
  };
  choose(0, []);
  if (best) return best;
  // Nothing fits the window (a very low melody note): the chord's top notes just under it.
  const fallback: number[] = [];
  let p = ceiling;
  for (const pc of pcs) {
    while (mod12(p) !== pc && p > ceiling - 12) p--;
    if (mod12(p) === pc) fallback.push(p);
    p = ceiling;
  }
  return [...new Set(fallback)].sort((a, b) => a - b);
}

/** Bass pitch for a pitch class in [low, high], nearest to the previous bass note. */
export function bassPitch(pc: number, low: number, high: number, previous?: number): number {
  const candidates: number[] = [];
  for (let p = low + mod12(pc - low); p <= high; p += 12) candidates.push(p);
  if (candidates.length === 0) return low + mod12(pc - low);
  if (previous === undefined) return candidates[Math.floor((candidates.length - 1) / 2)] ?? low;
  return candidates.reduce((best, p) =>
    Math.abs(p - previous) < Math.abs(best - previous) ? p : best,
  );
}
