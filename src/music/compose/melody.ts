import type { Rng } from '../random.js';
import type { PhrasingDeclaration } from '../styles/style-composition.js';
import { mod12, type Chord, type KeyInfo } from './chord.js';
import { chordAt, type ChordSlot } from './harmony-plan.js';
import { EIGHTH, eighthWeight, type Meter } from './meter.js';
import type { Phrase } from './phrases.js';
import { CADENCE_CELLS, chooseCell, contrastMotif, createMotif, type Motif } from './motifs.js';

/**
 * The tune: a one-bar motif, stated, restated (literally or as a sequence), continued and closed
 * with a cadence, phrase by phrase; the theme's phrases are written once and come back note for
 * note when the theme returns. Pitches are scale steps above the home tonic, fitted to the chord
 * on strong beats, where some beats carry an appoggiatura or a suspension that resolves by step.
 * The image's skyline shapes where each bar sits; one climax, a tenth or so above home, is placed
 * in the contrast, so every tune spans at least an octave.
 */

export interface MelodyNote {
  tick: number;
  duration: number;
  pitch: number;
  /** Phrase index, for the dynamics. */
  phrase: number;
}

export interface MelodyInput {
  phrases: readonly Phrase[];
  slots: readonly ChordSlot[];
  key: KeyInfo;
  meter: Meter;
  home: number;
  low: number;
  high: number;
  density: number;
  contour: readonly number[];
  phrasing: PhrasingDeclaration;
  totalBars: number;
  /** Bars the image's skyline is spread over, left to right (the piece's length when planned). */
  contourSpan: number;
  /** Bar of the tune's highest note (see climaxBarOf). */
  climaxBar: number | null;
}

/** The climax: the third bar of the contrast's second phrase (or of the theme's, without one). */
export function climaxBarOf(phrases: readonly Phrase[]): number | null {
  const phrase =
    phrases.find((p) => p.material === 'B' && p.position === 1) ??
    phrases.find((p) => p.material === 'B') ??
    phrases.find((p) => p.material === 'A' && p.position === 1);
  return phrase && phrase.bars >= 4 ? phrase.startBar + 2 : null;
}

const MAX_DISSONANCES_PER_PHRASE = 2;

/**
 * The scale, as semitones above the tonic, with the chord's chromatic notes in it (F# over D7
 * in C), so the tune fits. Offsets are not wrapped: the leading tone stays just below the octave.
 */
function localScale(key: KeyInfo, chord: Chord): number[] {
  const semis = [...key.scale];
  const pcs = semis.map((s) => mod12(key.tonicPc + s));
  for (const pc of chord.pcs) {
    if (pcs.includes(pc)) continue;
    // A raised note (the leading tone of a secondary dominant, harmonic minor's G#) replaces
    // the scale note below it; a lowered one (a borrowed chord's, a dominant seventh's) the
    // note above.
    const below = pcs.indexOf(mod12(pc - 1));
    const above = pcs.indexOf(mod12(pc + 1));
    const lowered = chord.fn === 'borrowed' || mod12(pc - chord.rootPc) === 10;
    const i = below >= 0 && above >= 0 ? (lowered ? above : below) : below >= 0 ? below : above;
    if (i < 0) continue;
    semis[i] = (semis[i] ?? 0) + (i === below ? 1 : -1);
    pcs[i] = pc;
  }
  return semis;
}

class PitchSpace {
  constructor(
    private readonly key: KeyInfo,
    private readonly home: number,
  ) {}

  pitch(degree: number, chord: Chord): number {
    const octave = Math.floor(degree / 7);
    const step = ((degree % 7) + 7) % 7;
    return this.home + 12 * octave + (localScale(this.key, chord)[step] ?? 0);
  }

  isChordTone(degree: number, chord: Chord): boolean {
    return chord.pcs.includes(mod12(this.pitch(degree, chord)));
  }

  /** Lowest degree whose pitch is at or above `pitch`. */
  degreeAtOrAbove(pitch: number, chord: Chord): number {
    let d = Math.floor(((pitch - this.home) * 7) / 12) - 2;
    while (this.pitch(d, chord) < pitch) d++;
    return d;
  }
}

interface Writer {
  input: MelodyInput;
  space: PitchSpace;
  rng: Rng;
  lowDeg: number;
  highDeg: number;
  notes: MelodyNote[];
  /** Appoggiaturas and suspensions still allowed in the phrase being written. */
  dissonances: number;
}

function nearestChordTone(w: Writer, degree: number, chord: Chord, preferUp: boolean): number {
  for (let distance = 0; distance <= 3; distance++) {
    const order = preferUp
      ? [degree + distance, degree - distance]
      : [degree - distance, degree + distance];
    for (const d of order) {
      if (d >= w.lowDeg && d <= w.highDeg && w.space.isChordTone(d, chord)) return d;
    }
  }
  return Math.max(w.lowDeg, Math.min(w.highDeg, degree));
}

function reflect(w: Writer, degree: number): number {
  if (degree < w.lowDeg) return w.lowDeg + (w.lowDeg - degree);
  if (degree > w.highDeg) return w.highDeg - (degree - w.highDeg);
  return degree;
}

/** Where the image's skyline puts bar `bar` (0..1), stretched so a flat skyline still has a shape. */
function contourAt(input: MelodyInput, bar: number): number {
  const c = input.contour;
  if (c.length === 0) return 0.5;
  const min = Math.min(...c);
  const max = Math.max(...c);
  // Past the span (a piece extended later) the skyline is read again from the left.
  const span = Math.max(1, input.contourSpan);
  const index = Math.min(c.length - 1, Math.floor(((bar % span) / span) * c.length));
  const value = c[index] ?? 0.5;
  if (max - min >= 0.15) return (value - min) / (max - min);
  const mean = c.reduce((s, v) => s + v, 0) / c.length;
  return Math.max(0, Math.min(1, 0.5 + (value - mean) * 3));
}

interface BarPlan {
  kind:
    'motif' | 'sequence' | 'response' | 'continuation' | 'cadence' | 'climax' | 'rest' | 'final';
  motif: Motif;
  /** Degree where the bar starts (its first note's target before chord fitting). */
  anchor: number;
}

interface WrittenBar {
  notes: { onset: number; length: number; degree: number }[];
}

/** One bar: the motif's rhythm and steps from `anchor`, fitted to the chords. */
function realiseBar(
  w: Writer,
  bar: number,
  plan: BarPlan,
  cadence: Phrase['cadence'] | null,
  previousDegree: number,
  allowNct: boolean,
): WrittenBar {
  const { meter } = w.input;
  const barStart = bar * meter.barTicks;
  const chordOf = (onset: number): Chord => chordAt(w.input.slots, barStart + onset * EIGHTH).chord;
  const out: WrittenBar = { notes: [] };
  if (plan.kind === 'rest') return out;
  if (plan.kind === 'final') {
    out.notes.push({ onset: 0, length: meter.eighths, degree: 0 });
    return out;
  }

  if (plan.kind === 'cadence' && cadence) {
    const cell = w.rng.pick(CADENCE_CELLS[meter.name]);
    const landingOnset = cell[cell.length - 1]?.[0] ?? 0;
    const landingChord = chordOf(landingOnset);
    const target = cadenceTarget(w, cadence, landingChord, previousDegree);
    const approach = previousDegree > target ? 1 : -1;
    cell.forEach(([onset, length], j) => {
      const last = j === cell.length - 1;
      let degree = last ? target : reflect(w, target + (cell.length - 1 - j) * approach);
      if (!last && eighthWeight(meter, onset) >= 2) {
        degree = nearestChordTone(w, degree, chordOf(onset), approach < 0);
      }
      out.notes.push({ onset, length, degree });
    });
    return out;
  }

  const cell = plan.motif.cell;
  let degree = plan.anchor;
  let nctPending: number | null = null;
  cell.forEach(([onset, length], j) => {
    const step = plan.motif.steps[j] ?? 0;
    if (j > 0) degree = reflect(w, degree + (plan.kind === 'response' ? -step : step));
    // The climax bar stays near its peak instead of falling away from it.
    if (plan.kind === 'climax') degree = Math.max(degree, plan.anchor - 3);
    const chord = chordOf(onset);
    const weight = eighthWeight(meter, onset);
    const strong = weight >= 2 || (j === 0 && weight >= 1) || (length >= 4 && weight >= 1);
    if (nctPending !== null) {
      // The note after an appoggiatura: its resolution, a step down.
      degree = nctPending;
      nctPending = null;
    } else if (strong) {
      const fitted = nearestChordTone(w, degree, chord, step >= 0);
      const next = cell[j + 1];
      // It resolves on the next, weaker note, over the same chord.
      const resolvesInBar =
        next !== undefined &&
        eighthWeight(meter, next[0]) < weight &&
        length <= 3 &&
        chordOf(next[0]) === chord;
      const upper = fitted + 1;
      if (
        allowNct &&
        w.dissonances > 0 &&
        resolvesInBar &&
        upper <= w.highDeg &&
        !w.space.isChordTone(upper, chord) &&
        w.space.pitch(upper, chord) - w.space.pitch(fitted, chord) <= 2 &&
        w.rng.chance(w.input.phrasing.nonChordTones * 1.3)
      ) {
        // Appoggiatura (or a suspension when the previous note was already there): the step
        // above the chord tone on the beat, resolving down onto it on the next, weaker note.
        degree = upper;
        nctPending = fitted;
        w.dissonances--;
      } else {
        degree = fitted;
      }
    }
    out.notes.push({ onset, length, degree });
  });
  return out;
}

function cadenceTarget(w: Writer, cadence: Phrase['cadence'], chord: Chord, from: number): number {
  if (cadence === 'authentic' || cadence === 'plagal') {
    // Home: the tonic itself, so the tune's span reaches down to where it belongs; the upper
    // tonic only when the line is far above (a drop of more than an octave would be a jolt).
    return from > 9 && w.highDeg >= 7 ? 7 : 0;
  }
  // Half cadence and open endings: a chord tone of the arrival chord near the line.
  return nearestChordTone(w, from, chord, false);
}

/** Bar plans for one phrase, by its material and place in the form. */
function planPhrase(
  w: Writer,
  phrase: Phrase,
  motif: Motif,
  sentence: boolean,
  climaxBar: number | null,
): BarPlan[] {
  const { input, rng } = w;
  const plans: BarPlan[] = [];
  const base = phrase.material === 'B' ? 4 : 1;
  for (let i = 0; i < phrase.bars; i++) {
    const bar = phrase.startBar + i;
    const shape = contourAt(input, bar);
    const arch = i === 0 ? 0 : i === phrase.bars - 1 ? -1 : 1; // phrases rise and settle
    let anchor = Math.round(base + 4 * (shape - 0.5) + arch);
    anchor = Math.max(w.lowDeg + 1, Math.min(w.highDeg - 3, anchor));
    const last = i === phrase.bars - 1;
    if (phrase.material === 'outro') {
      // An echo of the motif, a breath, and the home note held under the final chord.
      plans.push({
        kind: i === 0 ? 'motif' : last ? 'final' : i === 1 ? 'continuation' : 'rest',
        motif,
        anchor,
      });
      continue;
    }
    if (last) {
      plans.push({ kind: 'cadence', motif, anchor });
      continue;
    }
    if (bar === climaxBar) {
      // The highest point of the piece: at least an octave above home where the lead has it.
      const top = Math.max(Math.min(w.highDeg, 7), w.highDeg - rng.int(0, 1));
      plans.push({ kind: 'climax', motif, anchor: top });
      continue;
    }
    if (i === 0) plans.push({ kind: 'motif', motif, anchor });
    else if (i === 1) {
      const previous = plans[0]?.anchor ?? anchor;
      // Restated: literally (where the ear most wants it) or as a sequence a step or two away.
      const kind =
        sentence || rng.chance(0.6) ? 'motif' : rng.chance(0.6) ? 'sequence' : 'response';
      plans.push({
        kind,
        motif,
        anchor: kind === 'sequence' ? previous + rng.pick([-2, -1, 1, 2]) : previous,
      });
    } else {
      plans.push({
        kind: 'continuation',
        motif: { cell: chooseCell(rng, input.meter, input.density), steps: motif.steps },
        anchor: anchor + 1,
      });
    }
  }
  return plans;
}

export function composeMelody(input: MelodyInput, rng: Rng): MelodyNote[] {
  const space = new PitchSpace(input.key, input.home);
  const anyChord = input.slots[0]?.chord;
  if (!anyChord) return [];
  const lowDeg = space.degreeAtOrAbove(input.low, anyChord);
  let highDeg = lowDeg;
  while (space.pitch(highDeg + 1, anyChord) <= input.high) highDeg++;
  const w: Writer = { input, space, rng, lowDeg, highDeg, notes: [], dissonances: 0 };

  const theme = createMotif(rng, input.meter, input.density);
  const motifs: Record<Phrase['material'], Motif> = {
    intro: theme,
    A: theme,
    B: contrastMotif(rng, theme, input.meter, input.density),
    C: {
      cell: chooseCell(rng, input.meter, Math.max(0, input.density - 0.25)),
      steps: theme.steps.map((s) => -s),
    },
    outro: theme,
  };
  const sentence = rng.chance(0.35);
  const climaxBar = input.climaxBar;

  const written = new Map<string, WrittenBar[]>();
  const firstStatement = new Map<string, number>();
  const { barTicks } = input.meter;
  // A bar can be copied from an earlier one where the same chords sound under its notes.
  const sameHarmony = (bar: WrittenBar, from: number, to: number): boolean =>
    bar.notes.every(
      (n) =>
        chordAt(input.slots, from * barTicks + n.onset * EIGHTH).chord.symbol ===
        chordAt(input.slots, to * barTicks + n.onset * EIGHTH).chord.symbol,
    );
  let previousDegree = 2;
  for (const phrase of input.phrases) {
    if (phrase.material === 'intro') continue; // the band sets the scene first
    const id = `${phrase.material}|${phrase.position}|${phrase.cadence}|${phrase.bars}`;
    let bars = written.get(id);
    if (!bars) {
      // A consequent restates its antecedent's opening bars note for note.
      const antecedentId = [`${phrase.material}|0|half|4`, `${phrase.material}|0|open|4`].find(
        (x) => written.has(x),
      );
      const antecedent =
        phrase.position === 1 && antecedentId ? written.get(antecedentId) : undefined;
      const antecedentStart = antecedentId ? (firstStatement.get(antecedentId) ?? 0) : 0;
      // At most two expressive dissonances a phrase: spice, not a second tune.
      w.dissonances = MAX_DISSONANCES_PER_PHRASE;
      const plans = planPhrase(w, phrase, motifs[phrase.material], sentence, climaxBar);
      bars = plans.map((plan, i) => {
        const copy = antecedent?.[i];
        if (
          copy &&
          i < 2 &&
          phrase.material !== 'outro' &&
          sameHarmony(copy, antecedentStart + i, phrase.startBar + i)
        ) {
          return copy;
        }
        const bar = realiseBar(
          w,
          phrase.startBar + i,
          plan,
          plan.kind === 'cadence' ? phrase.cadence : null,
          previousDegree,
          phrase.material !== 'outro' && plan.kind !== 'climax',
        );
        const last = bar.notes[bar.notes.length - 1];
        if (last) previousDegree = last.degree;
        return bar;
      });
      written.set(id, bars);
      firstStatement.set(id, phrase.startBar);
    }
    // From the third statement on (and in the last return), the tune is lightly varied: passing
    // notes fill some of its leaps, away from the first bar, so the theme is still the theme.
    const varied = phrase.occurrence >= 2 || (phrase.occurrence >= 1 && phrase.final);
    emitPhrase(w, phrase, varied ? ornament(w, bars) : bars);
    const last = bars[bars.length - 1]?.notes.at(-1);
    if (last) previousDegree = last.degree;
  }
  return w.notes;
}

/** Passing notes on weak eighths between notes a third apart, except in the phrase's first bar. */
function ornament(w: Writer, bars: readonly WrittenBar[]): WrittenBar[] {
  const { meter, phrasing } = w.input;
  return bars.map((bar, i) => {
    if (i === 0 || i === bars.length - 1) return bar;
    const notes: WrittenBar['notes'] = [];
    bar.notes.forEach((note, j) => {
      const next = bar.notes[j + 1];
      const gap = Math.abs((next?.degree ?? note.degree) - note.degree);
      const half = note.length / 2;
      if (
        next &&
        gap === 2 &&
        note.length >= 2 &&
        Number.isInteger(note.onset + half) &&
        eighthWeight(meter, note.onset + half) === 0 &&
        w.rng.chance(phrasing.ornament * 2)
      ) {
        const between = (note.degree + next.degree) / 2;
        notes.push(
          { ...note, length: half },
          { onset: note.onset + half, length: half, degree: between },
        );
      } else notes.push(note);
    });
    return { notes };
  });
}

function emitPhrase(w: Writer, phrase: Phrase, bars: readonly WrittenBar[]): void {
  const { meter, slots } = w.input;
  bars.forEach((bar, i) => {
    const barStart = (phrase.startBar + i) * meter.barTicks;
    for (const note of bar.notes) {
      const tick = barStart + note.onset * EIGHTH;
      const chord = chordAt(slots, tick).chord;
      w.notes.push({
        tick,
        duration: Math.max(1, Math.round(note.length * EIGHTH)),
        pitch: w.space.pitch(note.degree, chord),
        phrase: phrase.index,
      });
    }
  });
}
