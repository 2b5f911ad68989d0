import type { Rng } from '../random.js';
import type {
  DrumBar,
  DrumDeclaration,
  DrumFill,
  DrumGroove,
  DrumLane,
  Tier,
} from '../styles/style-composition.js';
import { SIXTEENTH, type Meter } from './meter.js';
import type { ScoreNote } from './score.js';

/**
 * Drums from the style's grooves: the seed picks a groove per section (two seeds, two takes),
 * the groove's bars alternate, and each bar may vary a little (a ghost note, a pushed kick, an
 * open hat into the next bar); fills close phrases every four or eight bars and every section,
 * and a crash marks each new section.
 */

/** General MIDI percussion keys. */
const LANE_NOTE: Record<DrumLane, number> = {
  kick: 36,
  snare: 38,
  rim: 37,
  clap: 39,
  hat: 42,
  openHat: 46,
  pedalHat: 44,
  ride: 51,
  crash: 49,
  tomHigh: 50,
  tomMid: 47,
  tomLow: 45,
  tambourine: 54,
  shaker: 70,
};

const LANE_VELOCITY: Record<DrumLane, number> = {
  kick: 96,
  snare: 90,
  rim: 70,
  clap: 84,
  hat: 62,
  openHat: 66,
  pedalHat: 52,
  ride: 64,
  crash: 92,
  tomHigh: 84,
  tomMid: 84,
  tomLow: 86,
  tambourine: 62,
  shaker: 48,
};

export interface DrumSection {
  startTick: number;
  endTick: number;
  tier: Tier | 'none' | 'final-hit';
  level: number;
  /** Crash on the section's first bar. */
  crash: boolean;
  /** Bars of the section at the start that stay silent (a build-up intro). */
  silentBars: number;
}

export interface DrumInput {
  decl: DrumDeclaration;
  meter: Meter;
  sections: readonly DrumSection[];
  finalTick: number;
  /** Cymbals ring on the last downbeat (not in styles without them). */
  finalCrash: boolean;
}

export type Hit = { step: number; lane: DrumLane; strength: number };

function isLane(name: string): name is DrumLane {
  return Object.hasOwn(LANE_NOTE, name);
}

/** "kick:x.......x....... snare:....x.......x..." → hits; throws on an unknown lane or step. */
export function parseDrumBar(bar: DrumBar, steps: number): Hit[] {
  const hits: Hit[] = [];
  for (const token of bar.trim().split(/\s+/)) {
    const [lane = '', pattern = ''] = token.split(':');
    if (!isLane(lane) || !/^[xXg.]+$/.test(pattern) || pattern.length > steps) {
      throw new Error(`not a drum lane of at most ${steps} steps: ${token}`);
    }
    for (let step = 0; step < pattern.length; step++) {
      const c = pattern.charAt(step);
      if (c === 'x') hits.push({ step, lane, strength: 1 });
      else if (c === 'X') hits.push({ step, lane, strength: 1.18 });
      else if (c === 'g') hits.push({ step, lane, strength: 0.45 });
    }
  }
  return hits;
}

/** Small seeded changes so a groove does not loop verbatim: ghosts, kick pushes, open hats. */
function vary(hits: Hit[], meter: Meter, rng: Rng, barInPhrase: number): Hit[] {
  const out = [...hits];
  const has = (lane: DrumLane, step: number): boolean =>
    out.some((h) => h.lane === lane && h.step === step);
  const usesSnare = hits.some((h) => h.lane === 'snare');
  if (usesSnare && rng.chance(0.35)) {
    const step = rng.pick(meter.name === '4/4' ? [3, 7, 9, 11, 15] : [3, 5, 9, 11]);
    if (!has('snare', step)) out.push({ step, lane: 'snare', strength: 0.35 });
  }
  if (hits.some((h) => h.lane === 'kick') && rng.chance(0.3)) {
    const step = rng.pick(meter.name === '4/4' ? [6, 10, 14] : [5, 8]);
    if (!has('kick', step)) out.push({ step, lane: 'kick', strength: 0.8 });
  }
  const hatSteps = hits.filter((h) => h.lane === 'hat').map((h) => h.step);
  const lastHat = Math.max(-1, ...hatSteps);
  if (lastHat >= 0 && barInPhrase % 2 === 1 && rng.chance(0.5)) {
    const i = out.findIndex((h) => h.lane === 'hat' && h.step === lastHat);
    if (i >= 0) out[i] = { step: lastHat, lane: 'openHat', strength: 0.9 };
  }
  return out;
}

function withFill(groove: Hit[], fill: DrumFill, steps: number): Hit[] {
  return [
    ...groove.filter((h) => h.step < fill.from || h.lane === 'crash'),
    ...parseDrumBar(fill.bar, steps).filter((h) => h.step >= fill.from),
  ];
}

export function composeDrums(input: DrumInput, rng: Rng): ScoreNote[] {
  const { decl, meter } = input;
  const grooves = decl.grooves[meter.name];
  const fills = decl.fills[meter.name] ?? [];
  if (!grooves) return [];
  const notes: ScoreNote[] = [];
  const push = (barStart: number, hit: Hit, level: number): void => {
    let tick = barStart + hit.step * SIXTEENTH;
    const backbeat = hit.lane === 'snare' || hit.lane === 'clap' || hit.lane === 'rim';
    if (backbeat && hit.strength > 0.5 && hit.step % (meter.sixteenths / 2) !== 0)
      tick += decl.feel.backbeatLag;
    if ((hit.lane === 'hat' || hit.lane === 'shaker') && hit.step > 0) tick += decl.feel.hatPush;
    notes.push({
      tick: Math.max(0, tick),
      duration: SIXTEENTH,
      pitch: LANE_NOTE[hit.lane],
      velocity: LANE_VELOCITY[hit.lane] * hit.strength * (0.74 + 0.36 * level),
    });
  };
  const chosen = new Map<string, DrumGroove>();
  for (const section of input.sections) {
    const bars = Math.round((section.endTick - section.startTick) / meter.barTicks);
    if (section.tier === 'none') continue;
    if (section.tier === 'final-hit') {
      const hits: Hit[] = [{ step: 0, lane: 'kick', strength: 1 }];
      if (input.finalCrash) hits.push({ step: 0, lane: 'crash', strength: 1 });
      for (const hit of hits) push(section.startTick, hit, section.level);
      continue;
    }
    const pool = grooves[section.tier];
    // A tier's groove is chosen once per piece, so a returning section keeps its feel.
    const groove = chosen.get(section.tier) ?? rng.pick(pool);
    chosen.set(section.tier, groove);
    const fill = fills.length > 0 ? rng.pick(fills) : undefined;
    for (let i = section.silentBars; i < bars; i++) {
      const barStart = section.startTick + i * meter.barTicks;
      if (barStart >= input.finalTick) break;
      const pattern = groove.bars[i % groove.bars.length] ?? '';
      let hits = vary(parseDrumBar(pattern, meter.sixteenths), meter, rng, i % 4);
      const lastOfSection = i === bars - 1;
      const phraseEnd = (i + 1) % decl.fillEvery === 0;
      if (fill && (lastOfSection || phraseEnd)) {
        const variant = lastOfSection ? fill : rng.pick(fills);
        hits = withFill(hits, variant, meter.sixteenths);
      }
      if (i === section.silentBars && section.crash) {
        hits = hits.filter((h) => !(h.step === 0 && (h.lane === 'hat' || h.lane === 'ride')));
        hits.push({ step: 0, lane: 'crash', strength: 0.95 });
      }
      for (const hit of hits) push(barStart, hit, section.level);
    }
  }
  return notes;
}
