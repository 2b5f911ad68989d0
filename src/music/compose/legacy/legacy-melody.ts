import type { Rng } from '../../random.js';
import type { ScoreNote } from '../score.js';
import {
  clampVelocity,
  EIGHTH,
  EIGHTHS_PER_BAR,
  parseCells,
  sectionVelocity,
  type Cell,
  type PartContext,
} from './legacy-common.js';
import { chordAtBar, type ChordSlot, type KeyContext } from './legacy-harmony.js';
import type { LegacyPlan, LegacySectionName } from './legacy-plan.js';

// ---------------------------------------------------------------------------------------------
// Melody

const MELODY_CELLS: readonly Cell[] = parseCells([
  '0:8',
  '0:4 4:4',
  '0:6 6:2',
  '0:2 2:6',
  '0:3 3:1 4:4',
  '0:2 2:2 4:4',
  '0:4 4:2 6:2',
  '0:2 2:2 4:2 6:2',
  '0:3 3:3 6:2',
  '0:2 2:1 3:1 4:4',
  '1:1 2:2 4:2 6:2',
  '0:1 1:1 2:2 4:2 6:2',
  '0:2 2:1 3:1 4:2 6:1 7:1',
  '0:1 1:2 3:1 4:1 5:2 7:1',
  '0:1 1:1 2:1 3:1 4:2 6:2',
]);

// Phrase endings: land on a long note so the ear hears a breath.
const CADENCE_CELLS: readonly Cell[] = parseCells(['0:2 2:6', '0:4 4:3', '0:6', '0:3 3:1 4:3']);

interface Motif {
  cell: Cell;
  steps: number[];
}

function chooseCell(rng: Rng, density: number, cells: readonly Cell[]): Cell {
  const target = 1 + density * 5;
  const weights = cells.map((c) => Math.exp(-((c.length - target) ** 2) / 2));
  return rng.pickWeighted(cells, weights);
}

function createMotif(rng: Rng, density: number): Motif {
  const cell = chooseCell(rng, density, MELODY_CELLS);
  const stepValues = [-3, -2, -1, 0, 1, 2, 3];
  // Mostly steps, some thirds, few leaps. Checked against the Nottingham folk corpus
  // (shared/data/corpora) melodies: repeats/steps/thirds/larger = 11/52/23/14 % there (major
  // tunes), 12–16/41–51/22–30/12–15 % in ours after chord-tone snapping (bench section 4).
  const stepWeights = [0.3, 1.5, 3.5, 0.6, 3.5, 1.5, 0.3];
  const steps = cell.map((_, i) => (i === 0 ? 0 : rng.pickWeighted(stepValues, stepWeights)));
  return { cell, steps };
}

function varyMotif(motif: Motif, rng: Rng): Motif {
  const steps = motif.steps.map((step, i) =>
    i > 0 && rng.chance(0.3) ? step + rng.pick([-1, 1]) : step,
  );
  return { cell: motif.cell, steps };
}

interface MelodyState {
  degree: number;
  anchor: number;
}

const MELODY_LOW = -3;
const MELODY_HIGH = 11;

function reflectIntoRange(degree: number): number {
  if (degree < MELODY_LOW) return MELODY_LOW + (MELODY_LOW - degree);
  if (degree > MELODY_HIGH) return MELODY_HIGH - (degree - MELODY_HIGH);
  return degree;
}

function melodyPitch(ctx: KeyContext, home: number, degree: number, chord: ChordSlot): number {
  const octave = Math.floor(degree / 7);
  const step = ((degree % 7) + 7) % 7;
  let pitch = home + 12 * octave + (ctx.scaleSemis[step] ?? 0);
  // Over the major V of a minor key, the 7th degree is raised (harmonic minor) to match the chord.
  if (ctx.minor && chord.isDominant && step === 6) pitch += 1;
  return pitch;
}

function isChordTone(ctx: KeyContext, home: number, degree: number, chord: ChordSlot): boolean {
  return chord.pcs.includes(((melodyPitch(ctx, home, degree, chord) % 12) + 12) % 12);
}

function nearestChordTone(
  ctx: KeyContext,
  home: number,
  degree: number,
  chord: ChordSlot,
  preferDown: boolean,
): number {
  for (let distance = 0; distance <= 3; distance++) {
    const order = preferDown
      ? [degree - distance, degree + distance]
      : [degree + distance, degree - distance];
    for (const d of order) {
      if (d >= MELODY_LOW && d <= MELODY_HIGH && isChordTone(ctx, home, d, chord)) return d;
    }
  }
  return degree;
}

function contourAnchor(plan: LegacyPlan, bar: number, lift: number): number {
  const contour = plan.melody.contour;
  const index = Math.min(contour.length - 1, Math.floor((bar / plan.form.bars) * contour.length));
  const value = contour[index] ?? 0.5;
  return Math.round(-1 + 7 * value) + lift;
}

/** Four-bar phrases; a remainder of one or two bars stretches the last phrase instead. */
function splitPhrases(bars: number): number[] {
  const phrases: number[] = [];
  let left = bars;
  while (left > 6) {
    phrases.push(4);
    left -= 4;
  }
  if (left > 0) phrases.push(left);
  return phrases;
}

export function composeMelody(part: PartContext, rng: Rng): ScoreNote[] {
  const { plan, ctx, slots, barTicks } = part;
  const home = plan.melody.homeNote;
  const notes: ScoreNote[] = [];
  const motifs = {
    theme: createMotif(rng, plan.melody.density),
    contrast: createMotif(rng, Math.min(1, plan.melody.density + 0.15)),
  };
  const state: MelodyState = { degree: 2, anchor: 2 };
  const legato = plan.style === 'ambient' ? 1 : 0.9;
  const totalBars = plan.form.bars;

  const emit = (
    bar: number,
    onset: number,
    length: number,
    degree: number,
    velocity: number,
  ): void => {
    const chord = chordAtBar(slots, bar);
    const tick = bar * barTicks + onset * EIGHTH;
    notes.push({
      tick,
      duration: Math.max(1, Math.round(length * EIGHTH * legato)),
      pitch: melodyPitch(ctx, home, degree, chord),
      velocity: clampVelocity(velocity),
    });
  };

  const seen = new Map<LegacySectionName, number>();
  for (const section of plan.form.sections) {
    if (section.name === 'intro') continue; // the accompaniment sets the scene first
    const isFinalSection = section.name === 'outro';
    // Returning sections keep their motif's rhythm (so the ear recognises them) but vary its
    // intervals and sit a step higher every other time, so long pieces do not loop verbatim.
    const occurrence = seen.get(section.name) ?? 0;
    seen.set(section.name, occurrence + 1);
    const base = section.name === 'contrast' ? motifs.contrast : motifs.theme;
    const motif = occurrence === 0 ? base : varyMotif(base, rng);
    const lift =
      (section.name === 'contrast' ? 2 : section.name === 'reprise' ? 1 : 0) + (occurrence % 2);
    let bar = section.startBar;
    for (const phraseBars of splitPhrases(section.bars)) {
      for (let i = 0; i < phraseBars; i++, bar++) {
        const chord = chordAtBar(slots, bar);
        const isLastBar = bar === totalBars - 1 && !plan.form.loop;
        const isCadence = i === phraseBars - 1 && (phraseBars > 1 || isFinalSection);
        const baseVelocity = sectionVelocity(section, 58, 40) + (i === 2 ? 4 : 0);

        if (isLastBar) {
          // Final bar: home tonic, held, the piece's full stop.
          const target = Math.abs(state.degree - 7) < Math.abs(state.degree) ? 7 : 0;
          emit(bar, 0, EIGHTHS_PER_BAR, target, baseVelocity);
          state.degree = target;
          continue;
        }

        const anchorTarget = contourAnchor(plan, bar, lift);
        const previousAnchor = state.anchor;
        state.anchor = Math.max(state.anchor - 3, Math.min(state.anchor + 3, anchorTarget));
        if (i === 1 && state.anchor === previousAnchor) {
          // A sequence: the motif restated a step or two away, never a verbatim copy.
          state.anchor += rng.pick([-2, -1, 1, 2]);
        }
        // Singable: no leap of more than a fifth from where the last bar ended.
        state.anchor = Math.max(state.degree - 4, Math.min(state.degree + 4, state.anchor));
        state.anchor = Math.max(MELODY_LOW, Math.min(MELODY_HIGH - 2, state.anchor));

        if (isCadence) {
          const cell = rng.pick(CADENCE_CELLS);
          // Land on a stable chord tone: the tonic over I, the root or third over V.
          let target = nearestChordTone(ctx, home, state.anchor, chord, true);
          if (chord.degree === 0) {
            const homes = [0, 2, 4, 7].filter((d) => Math.abs(d - state.anchor) <= 4);
            target = homes.length > 0 ? rng.pick(homes) : 0;
          }
          cell.forEach(([onset, length], j) => {
            const isLanding = j === cell.length - 1;
            let degree = isLanding
              ? target
              : reflectIntoRange(target + (cell.length - 1 - j) * (state.degree > target ? 1 : -1));
            if (!isLanding && onset % 4 === 0)
              degree = nearestChordTone(ctx, home, degree, chord, true);
            emit(
              bar,
              onset,
              length,
              degree,
              baseVelocity + (onset % 4 === 0 ? 6 : 0) - (isLanding ? 4 : 0),
            );
            state.degree = degree;
          });
          continue;
        }

        // Motif bars: the motif's rhythm, its steps (inverted when developing), placed on the
        // image contour and snapped to chord tones where the ear expects consonance.
        const developing = i === 2;
        const cell =
          developing && rng.chance(0.35)
            ? chooseCell(rng, plan.melody.density, MELODY_CELLS)
            : motif.cell;
        let degree = state.anchor;
        cell.forEach(([onset, length], j) => {
          const step = motif.steps[j] ?? (rng.chance(0.5) ? 1 : -1);
          if (j > 0) degree = reflectIntoRange(degree + (developing ? -step : step));
          const strong = onset % 4 === 0 || length >= 4;
          if (strong) degree = nearestChordTone(ctx, home, degree, chord, step > 0);
          if (j > 0 && i > 0 && !strong && rng.chance(0.08)) return; // a breath
          emit(bar, onset, length, degree, baseVelocity + (strong ? 8 : 0) + rng.int(-4, 4));
          state.degree = degree;
        });
      }
    }
  }
  return notes;
}
