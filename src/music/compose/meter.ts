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

/** What sets each meter apart; the tick lengths follow from it. */
const METER_SHAPES: Record<
  MeterName,
  Pick<Meter, 'eighths' | 'compound' | 'feltBeats' | 'strongEighths'>
> = {
  '3/4': { eighths: 6, compound: false, feltBeats: 3, strongEighths: [0] },
  '6/8': { eighths: 6, compound: true, feltBeats: 2, strongEighths: [0, 3] },
  '4/4': { eighths: 8, compound: false, feltBeats: 4, strongEighths: [0, 4] },
};

const isMeterName = (name: string): name is MeterName => Object.hasOwn(METER_SHAPES, name);

export function meterOf(beatsPerBar: number, beatUnit: number): Meter {
  const name = `${beatsPerBar}/${beatUnit}`;
  if (!isMeterName(name)) throw new Error(`the composer does not write ${name}`);
  const { eighths, compound, feltBeats, strongEighths } = METER_SHAPES[name];
  return {
    name,
    beatsPerBar,
    beatUnit,
    barTicks: eighths * EIGHTH,
    eighths,
    sixteenths: 2 * eighths,
    compound,
    feltBeats,
    feltBeatTicks: (eighths / feltBeats) * EIGHTH,
    strongEighths,
  };
}

/** Metric weight of an eighth-note position: 3 downbeat, 2 other strong beat, 1 beat, 0 off-beat. */
export function eighthWeight(meter: Meter, eighth: number): number {
  if (eighth === 0) return 3;
  if (meter.strongEighths.includes(eighth)) return 2;
  if (meter.compound ? eighth % 3 === 0 : eighth % 2 === 0) return 1;
  return 0;
}
