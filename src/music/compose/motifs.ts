import type { Rng } from '../random.js';
import type { Meter } from './meter.js';

/**
 * The tune's material: rhythm cells per metre, and motifs (a cell with scale steps) drawn from
 * them — the theme's, and a contrast grown from it.
 */

export type Cell = readonly (readonly [onset: number, length: number])[];

function cells(patterns: readonly string[]): Cell[] {
  return patterns.map((p) =>
    p.split(' ').map((pair) => {
      const [onset = 0, length = 1] = pair.split(':').map(Number);
      return [onset, length] as const;
    }),
  );
}

/** Rhythm cells in eighth notes per meter ("0:2 2:2 4:4": quarter, quarter, half in 4/4). */
const MOTIF_CELLS: Record<Meter['name'], readonly Cell[]> = {
  '4/4': cells([
    '0:4 4:4',
    '0:6 6:2',
    '0:2 2:6',
    '0:3 3:1 4:4',
    '0:2 2:2 4:4',
    '0:4 4:2 6:2',
    '0:2 2:2 4:2 6:2',
    '0:3 3:3 6:2',
    '0:2 2:1 3:1 4:4',
    '0:1 1:1 2:2 4:2 6:2',
    '0:2 2:1 3:1 4:2 6:1 7:1',
    '0:1 1:2 3:1 4:1 5:2 7:1',
    '0:1 1:1 2:1 3:1 4:2 6:2',
    '0:1 1:1 2:1 3:1 4:1 5:1 6:2',
  ]),
  '3/4': cells([
    '0:4 4:2',
    '0:2 2:4',
    '0:2 2:2 4:2',
    '0:3 3:1 4:2',
    '0:2 2:1 3:1 4:2',
    '0:1 1:1 2:2 4:2',
    '0:2 2:1 3:1 4:1 5:1',
    '0:1 1:1 2:1 3:1 4:2',
  ]),
  '6/8': cells([
    '0:3 3:3',
    '0:2 2:1 3:3',
    '0:3 3:2 5:1',
    '0:2 2:1 3:2 5:1',
    '0:1 1:1 2:1 3:3',
    '0:2 2:1 3:1 4:1 5:1',
    '0:1 1:1 2:1 3:1 4:1 5:1',
  ]),
};

/** Cadence bars: the landing note (the last) falls on a strong beat and is held. */
export const CADENCE_CELLS: Record<Meter['name'], readonly Cell[]> = {
  '4/4': cells(['0:2 2:2 4:4', '0:4 4:4', '0:3 3:1 4:4', '0:2 2:6', '0:8']),
  '3/4': cells(['0:2 2:4', '0:6', '0:3 3:3']),
  '6/8': cells(['0:3 3:3', '0:2 2:1 3:3', '0:6']),
};

export interface Motif {
  cell: Cell;
  /** Scale steps from one note to the next; the first is 0. */
  steps: number[];
}

const STEP_VALUES = [-4, -3, -2, -1, 0, 1, 2, 3, 4];
// Mostly steps, some thirds, few leaps: Nottingham's melodies move 52 % by step, 23 % by a third,
// 14 % further and repeat 11 % of their notes (derived in scripts/derive-harmony-stats.ts).
const STEP_WEIGHTS = [0.15, 0.5, 1.6, 3.4, 0.9, 3.4, 1.6, 0.5, 0.15];

export function chooseCell(
  rng: Rng,
  meter: Meter,
  density: number,
  pool = MOTIF_CELLS[meter.name],
): Cell {
  const target = 1.5 + density * (meter.eighths - 1.5);
  const weights = pool.map((c) => Math.exp(-((c.length - target) ** 2) / 1.5));
  return rng.pickWeighted(pool, weights);
}

export function createMotif(rng: Rng, meter: Meter, density: number): Motif {
  const cell = chooseCell(rng, meter, density);
  const steps = cell.map((_, i) => (i === 0 ? 0 : rng.pickWeighted(STEP_VALUES, STEP_WEIGHTS)));
  // A motif with a shape: not all repeated notes, and one interval of a third or more to hold on to.
  if (steps.length > 2 && !steps.some((s) => Math.abs(s) >= 2)) steps[1] = rng.pick([-2, 2, 3]);
  if (steps.length > 1 && steps.slice(1).every((s) => s === 0)) steps[1] = 1;
  return { cell, steps };
}

/** A contrasting motif grown from the theme's: its intervals inverted over a new rhythm. */
export function contrastMotif(rng: Rng, theme: Motif, meter: Meter, density: number): Motif {
  const cell = chooseCell(rng, meter, Math.min(1, density + 0.15));
  // The theme's intervals over a new rhythm, inverted or not (the contrast lifts either way).
  const sign = rng.chance(0.5) ? -1 : 1;
  const steps = cell.map((_, i) => (i === 0 ? 0 : sign * (theme.steps[i] ?? rng.pick([-1, 1]))));
  return { cell, steps };
}
