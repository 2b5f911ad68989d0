import { TICKS_PER_BEAT } from './score.js';

/** The meters the current composer writes. */
export type MeterName = '4/4' | '3/4' | '6/8';

export const EIGHTH = TICKS_PER_BEAT / 2;
export const SIXTEENTH = TICKS_PER_BEAT / 4;

export interface Meter {
  name: MeterName;
  beatsPerBar: number;
  beatUnit: number;
  barTicks: number;
  /** Eighth notes per bar: 8 in 4/4, 6 in 3/4 and 6/8. */
  eighths: number;
  /** Sixteenths per bar: the drum grid. */
  sixteenths: number;
  /** 6/8 is felt in two dotted-quarter beats; 3/4 and 4/4 in quarters. */
  compound: boolean;
  /** Felt beats per bar and their length in ticks. */
  feltBeats: number;
  feltBeatTicks: number;
  /** Eighth-note positions of the strong beats (4/4: 1 and 3; 3/4: 1; 6/8: 1 and 4). */
  strongEighths: readonly number[];
}

export function meterOf(beatsPerBar: number, beatUnit: number): Meter {
  const name = `${beatsPerBar}/${beatUnit}`;
  if (name === '3/4') {
    return {
      name,
      beatsPerBar,
      beatUnit,
      barTicks: 3 * TICKS_PER_BEAT,
      eighths: 6,
      sixteenths: 12,
      compound: false,
      feltBeats: 3,
      feltBeatTicks: TICKS_PER_BEAT,
      strongEighths: [0],
    };
  }
  if (name === '6/8') {
    return {
      name,
      beatsPerBar,
      beatUnit,
      barTicks: 3 * TICKS_PER_BEAT,
      eighths: 6,
      sixteenths: 12,
      compound: true,
      feltBeats: 2,
      feltBeatTicks: 1.5 * TICKS_PER_BEAT,
      strongEighths: [0, 3],
    };
  }
  if (name === '4/4') {
    return {
      name,
      beatsPerBar,
      beatUnit,
      barTicks: 4 * TICKS_PER_BEAT,
      eighths: 8,
      sixteenths: 16,
      compound: false,
      feltBeats: 4,
      feltBeatTicks: TICKS_PER_BEAT,
      strongEighths: [0, 4],
    };
  }
  throw new Error(`the composer does not write ${name}`);
}

/** Metric weight of an eighth-note position: 3 downbeat, 2 other strong beat, 1 beat, 0 off-beat. */
export function eighthWeight(meter: Meter, eighth: number): number {
  if (eighth === 0) return 3;
  if (meter.strongEighths.includes(eighth)) return 2;
  if (meter.compound ? eighth % 3 === 0 : eighth % 2 === 0) return 1;
  return 0;
}
