import { TICKS_PER_BEAT } from '../score.js';
import type { ChordSlot, KeyContext } from './legacy-harmony.js';
import type { LegacyPlan, LegacySection } from './legacy-plan.js';

/** Shared by the v1–v4 composer's parts; everything there writes 4/4 in eighth-note steps. */

export const EIGHTH = TICKS_PER_BEAT / 2;
export const EIGHTHS_PER_BAR = 8;
export const DRUM_CHANNEL = 9;

export type Cell = readonly (readonly [onset: number, duration: number])[];

/**
 * Rhythm cells for one 4/4 bar, written as "onset:duration" pairs in eighth notes
 * ("0:2 2:2 4:4" is quarter, quarter, half).
 */
export function parseCells(patterns: readonly string[]): Cell[] {
  return patterns.map((pattern) =>
    pattern.split(' ').map((pair) => {
      const [onset = 0, duration = 1] = pair.split(':').map(Number);
      return [onset, duration] as const;
    }),
  );
}

export interface PartContext {
  plan: LegacyPlan;
  ctx: KeyContext;
  slots: ChordSlot[];
  barTicks: number;
}

export function sectionVelocity(section: LegacySection, base: number, span: number): number {
  return base + span * section.energy;
}

export function clampVelocity(v: number): number {
  return Math.max(1, Math.min(127, Math.round(v)));
}
