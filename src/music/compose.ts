import { Chord, Key, Note } from 'tonal';
import type { MusicPlan, PlanSection, SectionName, Style } from './music-plan.js';
import { planTrainedDegrees, trainedChain } from './harmony.js';
import { deriveRng, hashString, type Rng } from './random.js';

/**
 * Seeded composition: MusicPlan + seed → a multi-track score in ticks. Every choice draws from a
 * per-part stream of the seed (random.ts), so the same plan and seed always give the same notes.
 */

export const TICKS_PER_BEAT = 480;
const EIGHTH = TICKS_PER_BEAT / 2;
const EIGHTHS_PER_BAR = 8; // v0 writes 4/4 only
const DRUM_CHANNEL = 9;

export type PartRole = 'melody' | 'chords' | 'bass' | 'pad' | 'drums';

export interface ScoreNote {
  tick: number;
  duration: number;
  pitch: number;
  velocity: number;
}

export interface ScoreControl {
  tick: number;
  controller: number;
  value: number;
}

export interface ScoreTrack {
  role: PartRole;
  name: string;
  channel: number;
  program: number;
  notes: ScoreNote[];
  controls: ScoreControl[];
}

export interface ScoreChord {
  tick: number;
  duration: number;
  name: string;
  pitchClasses: number[];
}

export interface Score {
  title: string;
  ticksPerBeat: number;
  beatsPerBar: number;
  beatUnit: number;
  keySignature: { fifths: number; minor: boolean };
  tempoChanges: { tick: number; microsecondsPerBeat: number }[];
  sections: { tick: number; name: SectionName }[];
  chords: ScoreChord[];
  tracks: ScoreTrack[];
  endTick: number;
  /** Playing time of the notes, from the tempo map (without any release tail). */
  durationSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Harmony

interface ChordSlot {
  startBar: number;
  bars: number;
  section: PlanSection;
  degree: number;
  name: string;
  rootPc: number;
  pcs: number[];
  isDominant: boolean;
}

interface KeyContext {
  minor: boolean;
  tonicPc: number;
  /** Semitones above the tonic of each scale degree (natural minor for minor keys). */
  scaleSemis: number[];
  /** Diatonic chords for each degree: triads, or seventh chords when the plan asks for them. */
  triads: string[];
  dominant: string;
}

function buildKeyContext(plan: MusicPlan): KeyContext {
  const minor = plan.key.mode === 'minor';
  const tonicPc = Note.chroma(plan.key.tonic);
  const sevenths = plan.sevenths === true;
  if (minor) {
    const key = Key.minorKey(plan.key.tonic);
    const natural = sevenths ? key.natural.chords : key.natural.triads;
    const harmonic = sevenths ? key.harmonic.chords : key.harmonic.triads;
    return {
      minor,
      tonicPc,
      scaleSemis: key.natural.scale.map((n) => (Note.chroma(n) - tonicPc + 12) % 12),
      triads: [...natural],
      // Cadences use the harmonic-minor V (major triad, raised leading tone) for a real pull home.
      dominant: harmonic[4] ?? natural[4] ?? plan.key.tonic,
    };
  }
  const key = Key.majorKey(plan.key.tonic);
  const chords = sevenths ? key.chords : key.triads;
  return {
    minor,
    tonicPc,
    scaleSemis: key.scale.map((n) => (Note.chroma(n) - tonicPc + 12) % 12),
    triads: [...chords],
    dominant: chords[4] ?? plan.key.tonic,
  };
}

/** The first plan version whose folk, cinematic and piano-solo harmony is corpus-trained. */
const TRAINED_HARMONY_VERSION = 3;
/** The first plan version whose pop-family styles each have their own progression tables. */
const STYLE_TABLES_VERSION = 4;

// Scale-degree progressions (0 = I). In minor, 4 is always the harmonic V.
const THEME_MAJOR = [
  [0, 4, 5, 3],
  [0, 5, 3, 4],
  [0, 3, 5, 4],
  [0, 3, 0, 4],
  [0, 2, 3, 4],
  [0, 4, 3, 4],
];
const CONTRAST_MAJOR = [
  [3, 4, 2, 5],
  [5, 3, 0, 4],
  [3, 0, 4, 5],
  [1, 4, 0, 5],
];
const THEME_MINOR = [
  [0, 5, 2, 6],
  [0, 3, 5, 4],
  [0, 6, 5, 6],
  [0, 3, 6, 2],
  [0, 5, 3, 4],
];
const CONTRAST_MINOR = [
  [5, 6, 0, 0],
  [3, 6, 2, 5],
  [5, 2, 6, 4],
  [3, 4, 0, 5],
];

interface ProgressionTables {
  themeMajor: readonly (readonly number[])[];
  contrastMajor: readonly (readonly number[])[];
  themeMinor: readonly (readonly number[])[];
  contrastMinor: readonly (readonly number[])[];
}

/** Plan v1–v3: one set shared by every style that is not corpus-trained. */
const SHARED_TABLES: ProgressionTables = {
  themeMajor: THEME_MAJOR,
  contrastMajor: CONTRAST_MAJOR,
  themeMinor: THEME_MINOR,
  contrastMinor: CONTRAST_MINOR,
};

/**
 * From plan v4 each pop-family style has progressions of its own idiom (the corpora hold none of
 * these; the bench prints how far each lands from them). Cadences are still set by the form:
 * every period ends on V and the last on pre-dominant → V.
 */
const STYLE_TABLES: Partial<Record<Style, ProgressionTables>> = {
  // The ballad's descending bass and emotional vi: I–vi–IV–V, I–V–vi–IV, I–iii–IV–V.
  'pop-ballad': {
    themeMajor: [
      [0, 5, 3, 4],
      [0, 4, 5, 3],
      [0, 2, 3, 4],
      [0, 5, 1, 4],
    ],
    contrastMajor: [
      [5, 3, 0, 4],
      [3, 4, 2, 5],
      [5, 2, 3, 4],
    ],
    themeMinor: [
      [0, 5, 2, 6],
      [0, 3, 5, 4],
      [0, 5, 3, 4],
    ],
    contrastMinor: [
      [5, 6, 0, 0],
      [3, 6, 2, 5],
      [5, 2, 6, 4],
    ],
  },
  // Driving four-chord loops that keep the dominant for the turnaround; Aeolian i–VI–III–VII.
  upbeat: {
    themeMajor: [
      [0, 4, 5, 3],
      [0, 3, 5, 4],
      [0, 5, 3, 4],
    ],
    contrastMajor: [
      [5, 3, 0, 4],
      [3, 0, 4, 5],
      [3, 4, 2, 5],
    ],
    themeMinor: [
      [0, 5, 2, 6],
      [0, 6, 5, 6],
      [0, 3, 6, 2],
    ],
    contrastMinor: [
      [5, 6, 0, 0],
      [3, 6, 2, 5],
    ],
  },
  // Static, plagal colour: tonic with IV/vi pedals; the dominant only at cadences.
  ambient: {
    themeMajor: [
      [0, 3, 0, 3],
      [0, 5, 3, 0],
      [0, 3, 5, 3],
      [0, 2, 3, 0],
    ],
    contrastMajor: [
      [5, 3, 5, 3],
      [3, 5, 0, 3],
      [5, 2, 3, 0],
    ],
    themeMinor: [
      [0, 5, 0, 5],
      [0, 3, 0, 6],
      [0, 5, 3, 0],
    ],
    contrastMinor: [
      [5, 2, 5, 6],
      [3, 5, 3, 6],
    ],
  },
  // ii–V–I turnarounds for the Rhodes sevenths: I–vi–ii–V, ii–V–I–vi, IV–iii–ii–V.
  'lo-fi': {
    themeMajor: [
      [0, 5, 1, 4],
      [1, 4, 0, 5],
      [3, 2, 1, 4],
      [0, 3, 1, 4],
    ],
    contrastMajor: [
      [3, 4, 2, 5],
      [5, 1, 4, 0],
      [2, 5, 1, 4],
    ],
    themeMinor: [
      [0, 3, 6, 2],
      [0, 5, 1, 4],
      [0, 3, 1, 4],
    ],
    contrastMinor: [
      [5, 1, 4, 0],
      [3, 6, 2, 5],
    ],
  },
  // Circle-of-fifths motion on sevenths: ii–V–I, iii–vi–ii–V, I–vi–ii–V; minor ii°–V–i.
  jazz: {
    themeMajor: [
      [1, 4, 0, 0],
      [0, 5, 1, 4],
      [2, 5, 1, 4],
      [0, 3, 1, 4],
    ],
    contrastMajor: [
      [3, 2, 5, 1],
      [5, 1, 4, 0],
      [2, 5, 1, 4],
    ],
    themeMinor: [
      [1, 4, 0, 0],
      [0, 5, 1, 4],
      [0, 3, 1, 4],
    ],
    contrastMinor: [
      [5, 1, 4, 0],
      [3, 6, 2, 5],
      [2, 5, 1, 4],
    ],
  },
};

export function progressionTablesFor(
  plan: Pick<MusicPlan, 'version' | 'style'>,
): ProgressionTables {
  return plan.version >= STYLE_TABLES_VERSION
    ? (STYLE_TABLES[plan.style] ?? SHARED_TABLES)
    : SHARED_TABLES;
}

function chordForDegree(
  ctx: KeyContext,
  degree: number,
): Omit<ChordSlot, 'startBar' | 'bars' | 'section'> {
  const isDominant = degree === 4;
  const name = isDominant ? ctx.dominant : (ctx.triads[degree] ?? ctx.triads[0] ?? 'C');
  const notes = Chord.get(name).notes;
  const pcs = notes.map((n) => Note.chroma(n));
  return { degree, name, rootPc: pcs[0] ?? ctx.tonicPc, pcs, isDominant };
}

/** Hand-written harmony: one theme and one contrast progression, cadences pasted on. */
function planTableDegrees(plan: MusicPlan, ctx: KeyContext, rng: Rng): number[][] {
  const tables = progressionTablesFor(plan);
  const theme = rng.pick(ctx.minor ? tables.themeMinor : tables.themeMajor);
  const contrast = rng.pick(ctx.minor ? tables.contrastMinor : tables.contrastMajor);
  const per = plan.form.barsPerChord;
  const sections = plan.form.sections;
  const lastBody = [...sections].reverse().find((s) => s.name !== 'outro');
  return sections.map((section) => {
    const count = Math.ceil(section.bars / per);
    const degrees: number[] = [];
    for (let i = 0; i < count; i++) {
      const progression = section.name === 'contrast' ? contrast : theme;
      degrees.push(section.name === 'outro' ? 0 : (progression[i % progression.length] ?? 0));
    }
    if (plan.form.loop && section.name === 'outro') {
      // A loop never arrives: the outro turns on V so bar 1's tonic resolves it.
      degrees[count - 1] = 4;
    }
    if (section !== lastBody && section.name !== 'outro' && section.name !== 'intro') {
      degrees[count - 1] = 4; // half cadence: each period ends open, leaning into the next
    }
    if (section === lastBody) {
      // Authentic cadence into the outro: pre-dominant (IV or ii) → V.
      degrees[count - 1] = 4;
      if (count >= 3) degrees[count - 2] = ctx.minor ? 3 : rng.pick([1, 3]);
    }
    return degrees;
  });
}

/**
 * From plan v3 the folk, cinematic and piano-solo styles sample their progressions from
 * corpus-trained chains (harmony.ts) under the same cadence rules; the pop-family styles use
 * hand-written tables, each style its own from v4. A plan stored by an older engine keeps the
 * harmony of its version, so a stored generation still replays note for note.
 */
function planHarmony(plan: MusicPlan, ctx: KeyContext, rng: Rng): ChordSlot[] {
  const chain =
    plan.version >= TRAINED_HARMONY_VERSION ? trainedChain(plan.style, plan.key.mode) : null;
  const degreesBySection = chain
    ? planTrainedDegrees(plan.form.sections, plan.form.barsPerChord, plan.form.loop, chain, rng)
    : planTableDegrees(plan, ctx, rng);
  const per = plan.form.barsPerChord;
  const slots: ChordSlot[] = [];
  plan.form.sections.forEach((section, s) => {
    (degreesBySection[s] ?? []).forEach((degree, i) => {
      const startBar = section.startBar + i * per;
      const bars = Math.min(per, section.startBar + section.bars - startBar);
      slots.push({ startBar, bars, section, ...chordForDegree(ctx, degree) });
    });
  });
  return slots;
}

function chordAtBar(slots: readonly ChordSlot[], bar: number): ChordSlot {
  const found = slots.find((s) => bar >= s.startBar && bar < s.startBar + s.bars);
  const fallback = slots[slots.length - 1];
  if (!found && !fallback) throw new Error('no harmony planned');
  return (found ?? fallback) as ChordSlot;
}

/** Close triad voicing nearest to the previous one, so the accompaniment moves smoothly. */
function voiceTriad(
  pcs: readonly number[],
  previous: readonly number[] | undefined,
  low: number,
): number[] {
  const candidates: number[][] = [];
  for (let inversion = 0; inversion < pcs.length; inversion++) {
    const order = [...pcs.slice(inversion), ...pcs.slice(0, inversion)];
    const first = order[0] ?? 0;
    let pitch = low + ((((first - low) % 12) + 12) % 12);
    const voicing = [pitch];
    for (const pc of order.slice(1)) {
      pitch += (((pc - pitch) % 12) + 12) % 12 || 12;
      voicing.push(pitch);
    }
    candidates.push(voicing);
  }
  const centre = low + 8;
  const cost = (v: number[]): number =>
    previous && previous.length === v.length
      ? v.reduce((sum, p, i) => sum + Math.abs(p - (previous[i] ?? p)), 0)
      : Math.abs((v[1] ?? centre) - centre);
  return candidates.reduce((best, v) => (cost(v) < cost(best) ? v : best));
}

/** Semitones from `pc` to the neighbouring scale note below (−1) or above (+1). */
function scaleNeighbour(ctx: KeyContext, pc: number, direction: -1 | 1): number {
  const pcs = ctx.scaleSemis.map((semi) => (ctx.tonicPc + semi) % 12);
  for (let distance = 1; distance <= 3; distance++) {
    const candidate = (pc + direction * distance + 12) % 12;
    if (pcs.includes(candidate)) return direction * distance;
  }
  return direction * 2;
}

function bassPitch(pc: number): number {
  return 36 + ((((pc - 36) % 12) + 12) % 12); // C2..B2
}

// ---------------------------------------------------------------------------------------------
// Melody

type Cell = readonly (readonly [onset: number, duration: number])[];

/**
 * Rhythm cells for one 4/4 bar, written as "onset:duration" pairs in eighth notes
 * ("0:2 2:2 4:4" is quarter, quarter, half).
 */
function parseCells(patterns: readonly string[]): Cell[] {
  return patterns.map((pattern) =>
    pattern.split(' ').map((pair) => {
      const [onset = 0, duration = 1] = pair.split(':').map(Number);
      return [onset, duration] as const;
    }),
  );
}

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

function contourAnchor(plan: MusicPlan, bar: number, lift: number): number {
  const contour = plan.melody.contour;
  const index = Math.min(contour.length - 1, Math.floor((bar / plan.form.bars) * contour.length));
  const value = contour[index] ?? 0.5;
  return Math.round(-1 + 7 * value) + lift;
}

interface PartContext {
  plan: MusicPlan;
  ctx: KeyContext;
  slots: ChordSlot[];
  barTicks: number;
}

function sectionVelocity(section: PlanSection, base: number, span: number): number {
  return base + span * section.energy;
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

function composeMelody(part: PartContext, rng: Rng): ScoreNote[] {
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

  const seen = new Map<SectionName, number>();
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

// ---------------------------------------------------------------------------------------------
// Accompaniment

type BassTone = 'root' | 'fifth' | 'octave';
type BassPattern = readonly (readonly [onset: number, duration: number, tone: BassTone])[];

/** Bass bars as "onset:duration:tone" in eighth notes, tone r(oot), f(ifth) or o(ctave). */
function parseBass(patterns: readonly string[]): BassPattern[] {
  const tones: Record<string, BassTone> = { r: 'root', f: 'fifth', o: 'octave' };
  return patterns.map((pattern) =>
    pattern.split(' ').map((triple) => {
      const [onset = '0', duration = '1', tone = 'r'] = triple.split(':');
      return [Number(onset), Number(duration), tones[tone] ?? 'root'] as const;
    }),
  );
}

const BASS_PATTERNS: Record<Style, readonly BassPattern[]> = {
  ambient: parseBass(['0:8:r']),
  'pop-ballad': parseBass(['0:6:r 6:2:f', '0:4:r 4:4:f', '0:3:r 3:1:r 4:4:o']),
  upbeat: parseBass([
    '0:1:r 1:1:r 2:1:r 3:1:r 4:1:r 5:1:r 6:1:o 7:1:r',
    '0:2:r 2:1:r 3:1:f 4:2:r 6:1:o 7:1:r',
    '0:3:r 3:3:r 6:2:f',
  ]),
  'lo-fi': parseBass(['0:3:r 3:1:r 6:2:f', '0:4:r 5:1:f 6:2:o', '0:3:r 3:3:f 6:2:r']),
  cinematic: parseBass(['0:8:r']),
  folk: parseBass(['0:4:r 4:4:f', '0:3:r 3:1:f 4:4:f', '0:4:r 4:2:f 6:2:o']),
  'piano-solo': parseBass(['0:8:r', '0:4:r 4:4:f']),
  // Jazz walks in quarters (walkingBar below); the pattern only sets the note lengths.
  jazz: parseBass(['0:2:r 2:2:r 4:2:r 6:2:r']),
};
/** Styles whose bass holds each chord's root instead of playing a pattern. */
const HELD_BASS: ReadonlySet<Style> = new Set<Style>(['ambient', 'cinematic']);

/**
 * A walking-bass bar in quarters: root, a chord tone, the fifth, then a scale step that leads
 * into the next chord's root (in key, so the line stays diatonic).
 */
function walkingBar(ctx: KeyContext, chord: ChordSlot, next: ChordSlot, rng: Rng): number[] {
  const root = bassPitch(chord.rootPc);
  const third = root + (((chord.pcs[1] ?? chord.rootPc) - chord.rootPc + 12) % 12);
  const fifth = root + (((chord.pcs[2] ?? chord.rootPc + 7) - chord.rootPc + 12) % 12);
  const target = bassPitch(next.rootPc);
  const approach = target + scaleNeighbour(ctx, next.rootPc, target > root ? -1 : 1);
  const second = rng.chance(0.5) ? third : root + scaleNeighbour(ctx, chord.rootPc, 1);
  return [root, second, rng.chance(0.7) ? fifth : third, approach];
}

function composeBass(part: PartContext, rng: Rng): ScoreNote[] {
  const { plan, ctx, slots, barTicks } = part;
  const notes: ScoreNote[] = [];
  const patternFor = new Map<SectionName, BassPattern>();
  for (const section of plan.form.sections) {
    patternFor.set(section.name, rng.pick(BASS_PATTERNS[plan.style]));
  }
  for (const section of plan.form.sections) {
    const pattern = patternFor.get(section.name) ?? [[0, 8, 'root'] as const];
    for (let bar = section.startBar; bar < section.startBar + section.bars; bar++) {
      const chord = chordAtBar(slots, bar);
      const root = bassPitch(chord.rootPc);
      // The chord's own fifth (diminished in a diminished triad), so the bass stays in key.
      const fifth = ((chord.pcs[2] ?? chord.rootPc + 7) - chord.rootPc + 12) % 12;
      const velocity = sectionVelocity(section, 70, 30);
      const isLastBar = bar === plan.form.bars - 1 && !plan.form.loop;
      if (isLastBar || HELD_BASS.has(plan.style) || section.name === 'intro') {
        // Ambient and intro bass holds the root through the whole chord.
        if (bar !== chord.startBar && !isLastBar) continue;
        const length = isLastBar ? 1 : chord.bars;
        notes.push({
          tick: bar * barTicks,
          duration: length * barTicks,
          pitch: root,
          velocity: clampVelocity(velocity),
        });
        continue;
      }
      const next = chordAtBar(slots, (bar + 1) % plan.form.bars);
      if (plan.style === 'jazz') {
        walkingBar(ctx, chord, next, rng).forEach((pitch, beat) =>
          notes.push({
            tick: bar * barTicks + beat * TICKS_PER_BEAT,
            duration: Math.round(TICKS_PER_BEAT * 0.85),
            pitch,
            velocity: clampVelocity(velocity + (beat % 2 === 0 ? 4 : 0) + rng.int(-3, 3)),
          }),
        );
        continue;
      }
      pattern.forEach(([onset, length, tone], j) => {
        let pitch = tone === 'root' ? root : tone === 'fifth' ? root + fifth : root + 12;
        const isLast = j === pattern.length - 1;
        // Walk into a chord change from the scale step above or below, as bass players do.
        if (isLast && onset >= 6 && next.rootPc !== chord.rootPc && rng.chance(0.4)) {
          const target = bassPitch(next.rootPc);
          pitch = target + scaleNeighbour(ctx, next.rootPc, rng.chance(0.5) ? -1 : 1);
        }
        const note = {
          tick: bar * barTicks + onset * EIGHTH,
          duration: Math.round(length * EIGHTH * 0.92),
          pitch,
          velocity: clampVelocity(velocity + (onset === 0 ? 6 : 0) + rng.int(-3, 3)),
        };
        notes.push(note);
        // A pianist's left hand: the bass note doubled an octave up on the downbeat.
        if (plan.style === 'piano-solo' && onset === 0) notes.push({ ...note, pitch: pitch + 12 });
      });
    }
  }
  return notes;
}

const ARPEGGIOS: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 1, 2, 3, 2],
  [0, 2, 1, 3, 0, 2, 1, 3],
  [0, 1, 2, 1, 3, 1, 2, 1],
];
const STABS: readonly Cell[] = parseCells(['0:2 3:1 4:2 6:2', '1:1 3:1 5:1 7:1', '0:3 3:3 6:2']);

/** Finger-picking (Travis style): indexes into [root, fifth, triad low, mid, high], in eighths. */
const PICKING: readonly (readonly number[])[] = [
  [0, 3, 1, 2, 0, 4, 1, 3],
  [0, 2, 3, 4, 1, 2, 3, 4],
  [0, 4, 1, 3, 0, 4, 1, 2],
];
/** Left-hand broken chords for solo piano (Alberti and rolling figures), indexes into the voicing. */
const BROKEN: readonly (readonly number[])[] = [
  [0, 2, 1, 2, 0, 2, 1, 2],
  [0, 1, 2, 3, 2, 1, 0, 1],
  [0, 2, 3, 2, 1, 2, 3, 2],
];
/** Jazz comping: short chord jabs, the Charleston and its neighbours. */
const COMPING: readonly Cell[] = parseCells([
  '0:1 3:1',
  '1:1 5:2',
  '0:2 5:1',
  '3:1 6:1',
  '2:1 7:1',
]);
/** Lo-fi Rhodes: a held chord, pushed or re-struck before beat three. */
const RHODES: readonly Cell[] = parseCells(['0:3 3:5', '0:6 6:2', '0:8', '0:2 3:5']);

function composeChords(part: PartContext, rng: Rng): ScoreNote[] {
  const { plan, slots, barTicks } = part;
  const notes: ScoreNote[] = [];
  const arpeggio = rng.pick(ARPEGGIOS);
  const stabs = rng.pick(STABS);
  const picking = rng.pick(PICKING);
  const broken = rng.pick(BROKEN);
  const rhodes = rng.pick(RHODES);
  const push = (tick: number, duration: number, pitch: number, velocity: number): void => {
    notes.push({ tick, duration, pitch, velocity: clampVelocity(velocity) });
  };
  let previous: number[] | undefined;
  for (const slot of slots) {
    const triad = voiceTriad(slot.pcs, previous, 55);
    previous = triad;
    const low = 48 + ((((slot.rootPc - 48) % 12) + 12) % 12); // root under the triad, C3..B3
    const fifthAbove = (((slot.pcs[2] ?? slot.rootPc + 7) - slot.rootPc + 12) % 12) + low;
    const velocity = sectionVelocity(slot.section, 48, 32);
    const calm = slot.section.name === 'intro' || slot.section.energy < 0.6;
    for (let bar = slot.startBar; bar < slot.startBar + slot.bars; bar++) {
      const barStart = bar * barTicks;
      const lastBar = bar === plan.form.bars - 1 && !plan.form.loop;
      const sustained = plan.style === 'ambient' || (plan.style === 'cinematic' && calm);
      if (sustained || lastBar) {
        if (bar !== slot.startBar && !lastBar) continue;
        const length = lastBar ? barTicks : slot.bars * barTicks;
        for (const pitch of [low, ...triad]) push(barStart, length, pitch, velocity);
        continue;
      }
      switch (plan.style) {
        case 'pop-ballad': {
          // Broken chord in eighths, each note left ringing to the half bar like a held pedal.
          const voices = [low, ...triad];
          arpeggio.forEach((voice, step) => {
            const tick = barStart + step * EIGHTH;
            const halfEnd = barStart + (step < 4 ? 4 : 8) * EIGHTH;
            push(
              tick,
              Math.max(EIGHTH, halfEnd - tick),
              voices[voice] ?? low,
              velocity + (step % 4 === 0 ? 8 : 0) + rng.int(-4, 4),
            );
          });
          break;
        }
        case 'folk': {
          const voices = [low - 12, fifthAbove - 12, ...triad];
          picking.forEach((voice, step) => {
            push(
              barStart + step * EIGHTH,
              EIGHTH * 2,
              voices[voice] ?? low,
              velocity + (voice < 2 ? 6 : 0) + rng.int(-5, 5),
            );
          });
          break;
        }
        case 'piano-solo': {
          const voices = [...triad, (triad[0] ?? low) + 12];
          broken.forEach((voice, step) => {
            push(
              barStart + step * EIGHTH,
              EIGHTH * 2,
              voices[voice] ?? low,
              velocity - 8 + (step % 4 === 0 ? 6 : 0) + rng.int(-4, 4),
            );
          });
          break;
        }
        case 'cinematic': {
          // String ostinato: the voicing re-bowed on every quarter (eighths when it is loud).
          const step = slot.section.energy >= 0.72 ? 1 : 2;
          for (let e = 0; e < EIGHTHS_PER_BAR; e += step) {
            for (const pitch of [low, ...triad]) {
              push(
                barStart + e * EIGHTH,
                step * EIGHTH - 10,
                pitch,
                velocity + (e % 4 === 0 ? 8 : 0),
              );
            }
          }
          break;
        }
        case 'lo-fi': {
          for (const [onset, length] of rhodes) {
            for (const pitch of triad) {
              push(
                barStart + onset * EIGHTH,
                length * EIGHTH - 20,
                pitch,
                velocity - 6 + rng.int(-4, 4),
              );
            }
          }
          break;
        }
        case 'jazz': {
          for (const [onset, length] of rng.pick(COMPING)) {
            for (const pitch of triad) {
              push(
                barStart + onset * EIGHTH,
                Math.round(length * EIGHTH * 0.7),
                pitch,
                velocity + rng.int(-6, 6),
              );
            }
          }
          break;
        }
        default: {
          for (const [onset, length] of stabs) {
            for (const pitch of triad) {
              push(
                barStart + onset * EIGHTH,
                Math.round(length * EIGHTH * 0.8),
                pitch,
                velocity + (onset % 2 === 1 ? 6 : 0) + rng.int(-3, 3),
              );
            }
          }
        }
      }
    }
  }
  return notes;
}

function composePad(part: PartContext): ScoreNote[] {
  const { plan, slots, barTicks } = part;
  const notes: ScoreNote[] = [];
  let previous: number[] | undefined;
  for (const slot of slots) {
    const { section } = slot;
    if (section.energy < 0.65 && section.name !== 'outro') {
      previous = undefined;
      continue;
    }
    const voicing = voiceTriad(slot.pcs, previous, 60);
    previous = voicing;
    const ticks = Math.min(slot.bars, plan.form.bars - slot.startBar) * barTicks;
    for (const pitch of voicing) {
      notes.push({
        tick: slot.startBar * barTicks,
        duration: ticks,
        pitch,
        velocity: clampVelocity(sectionVelocity(section, 40, 30)),
      });
    }
  }
  return notes;
}

const KICK = 36;
const SIDE_STICK = 37;
const SNARE = 38;
const FLOOR_TOM = 41;
const CLOSED_HAT = 42;
const PEDAL_HAT = 44;
const LOW_TOM = 45;
const OPEN_HAT = 46;
const CRASH = 49;
const RIDE = 51;
const TAMBOURINE = 54;
const SHAKER = 70; // GM maracas

type Hit = (bar: number, eighth: number, pitch: number, velocity: number) => void;

interface DrumBar {
  bar: number;
  section: PlanSection;
  /** 0.7..1.1 velocity scale from the section's energy. */
  scale: number;
  loud: boolean;
  sectionStart: boolean;
  sectionEnd: boolean;
}

/** The v0 kit grooves: brushes for the ballad, a driving kit for the electronic style. */
function popBar(d: DrumBar, hit: Hit, upbeat: boolean): void {
  const { bar, section, scale, loud } = d;
  if (d.sectionStart && section.name !== 'intro' && bar > 0) hit(bar, 0, CRASH, 90 * scale);
  if (section.name === 'intro') {
    for (let e = 0; e < 8; e += upbeat ? 1 : 2) hit(bar, e, CLOSED_HAT, (e % 2 ? 45 : 60) * scale);
    if (upbeat) [0, 4].forEach((e) => hit(bar, e, KICK, 85 * scale));
    return;
  }
  const hatStep = upbeat || loud ? 1 : 2;
  for (let e = 0; e < 8; e += hatStep) {
    const open = upbeat && e === 7 && bar % 4 === 3;
    hit(bar, e, open ? OPEN_HAT : CLOSED_HAT, (e % 2 ? 48 : 62) * scale);
  }
  const kicks = upbeat ? [0, 2, 4, 6] : loud ? [0, 4, 5] : [0, 4];
  kicks.forEach((e) => hit(bar, e, KICK, 92 * scale));
  const backbeat = upbeat || loud ? SNARE : SIDE_STICK;
  if (d.sectionEnd && section.bars > 1) {
    // Fill into the next section: the last beat breaks into eighths on snare and tom.
    hit(bar, 2, backbeat, 85 * scale);
    hit(bar, 5, SNARE, 70 * scale);
    hit(bar, 6, SNARE, 80 * scale);
    hit(bar, 7, LOW_TOM, 85 * scale);
  } else {
    [2, 6].forEach((e) => hit(bar, e, backbeat, 85 * scale));
  }
}

/** Soft boom-bap: lazy kick, a snare on two and four, quiet swung hats. */
function lofiBar(d: DrumBar, hit: Hit, rng: Rng): void {
  const { bar, section, scale } = d;
  for (let e = 0; e < 8; e++) hit(bar, e, CLOSED_HAT, (e % 2 ? 30 : 44) * scale);
  if (section.name === 'intro') return;
  hit(bar, 0, KICK, 80 * scale);
  hit(bar, rng.chance(0.5) ? 5 : 3, KICK, 66 * scale);
  [2, 6].forEach((e) => hit(bar, e, SNARE, 64 * scale));
}

/** Brushes and ride: "ding, ding-a ding, ding-a", pedal hat on two and four, feathered kick. */
function jazzBar(d: DrumBar, hit: Hit, rng: Rng): void {
  const { bar, section, scale } = d;
  [0, 2, 3, 4, 6, 7].forEach((e) => hit(bar, e, RIDE, (e % 2 ? 46 : 62) * scale));
  [2, 6].forEach((e) => hit(bar, e, PEDAL_HAT, 50 * scale));
  if (section.name === 'intro') return;
  [0, 2, 4, 6].forEach((e) => hit(bar, e, KICK, 34 * scale));
  for (const e of [1, 3, 5, 7]) if (rng.chance(0.25)) hit(bar, e, SNARE, 32 * scale);
  if (d.sectionEnd && section.bars > 1) {
    hit(bar, 5, SNARE, 60 * scale);
    hit(bar, 7, SNARE, 72 * scale);
  }
}

/** Tambourine on the backbeat, a shaker when it lifts, a soft kick on one and three. */
function folkBar(d: DrumBar, hit: Hit): void {
  const { bar, section, scale, loud } = d;
  if (section.name === 'intro') return;
  [2, 6].forEach((e) => hit(bar, e, TAMBOURINE, 62 * scale));
  [0, 4].forEach((e) => hit(bar, e, KICK, 64 * scale));
  if (loud) for (let e = 0; e < 8; e++) hit(bar, e, SHAKER, (e % 2 ? 34 : 44) * scale);
}

/** Taiko-like toms under the loud sections, a snare roll and crash into each new section. */
function cinematicBar(d: DrumBar, hit: Hit): void {
  const { bar, section, scale } = d;
  if (section.name === 'intro') return;
  if (section.energy < 0.65) {
    hit(bar, 0, FLOOR_TOM, 60 * scale);
    return;
  }
  if (d.sectionStart && bar > 0) hit(bar, 0, CRASH, 84 * scale);
  [0, 3, 4].forEach((e) => hit(bar, e, FLOOR_TOM, 88 * scale));
  hit(bar, 0, KICK, 96 * scale);
  hit(bar, 6, LOW_TOM, 80 * scale);
  if (d.sectionEnd && section.bars > 1) {
    for (let s = 0; s < 8; s++) hit(bar, 4 + s / 2, SNARE, (50 + 6 * s) * scale);
  }
}

function composeDrums(part: PartContext, rng: Rng): ScoreNote[] {
  const { plan, barTicks } = part;
  const notes: ScoreNote[] = [];
  const hit: Hit = (bar, eighth, pitch, velocity) => {
    notes.push({
      tick: bar * barTicks + Math.round(eighth * EIGHTH),
      duration: EIGHTH / 2,
      pitch,
      velocity: clampVelocity(velocity + rng.int(-6, 6)),
    });
  };
  for (const section of plan.form.sections) {
    for (let bar = section.startBar; bar < section.startBar + section.bars; bar++) {
      const scale = 0.7 + 0.4 * section.energy;
      if (bar === plan.form.bars - 1 && !plan.form.loop) {
        // The final downbeat; the styles with cymbals let one ring.
        if (plan.style !== 'folk' && plan.style !== 'lo-fi') hit(bar, 0, CRASH, 100 * scale);
        hit(bar, 0, KICK, 100 * scale);
        continue;
      }
      const d: DrumBar = {
        bar,
        section,
        scale,
        loud: section.energy >= 0.7,
        sectionStart: bar === section.startBar,
        sectionEnd: bar === section.startBar + section.bars - 1,
      };
      if (plan.style === 'lo-fi') lofiBar(d, hit, rng);
      else if (plan.style === 'jazz') jazzBar(d, hit, rng);
      else if (plan.style === 'folk') folkBar(d, hit);
      else if (plan.style === 'cinematic') cinematicBar(d, hit);
      else popBar(d, hit, plan.style === 'upbeat');
    }
  }
  return notes;
}

/**
 * Swing: off-beat eighths land late (by `swing` of an eighth; 1/3 is the triplet feel) and the
 * on-beat eighths before them stretch to meet them. Applied before humanisation.
 */
function applySwing(notes: ScoreNote[], swing: number): void {
  if (swing <= 0) return;
  const shift = Math.round(swing * EIGHTH);
  for (const note of notes) {
    const within = note.tick % TICKS_PER_BEAT;
    if (within === EIGHTH) {
      note.tick += shift;
      note.duration = Math.max(1, note.duration - shift);
    } else if (within === 0 && note.duration <= EIGHTH) {
      note.duration += Math.round(shift * 0.9);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Assembly

function clampVelocity(v: number): number {
  return Math.max(1, Math.min(127, Math.round(v)));
}

/** Small timing offsets so the parts breathe; drums and downbeats of the bar stay on the grid. */
function humanise(notes: ScoreNote[], rng: Rng, maxTicks: number): void {
  for (const note of notes) {
    if (note.tick === 0) continue;
    const shift = rng.int(-maxTicks, maxTicks);
    note.tick = Math.max(0, note.tick + shift);
  }
}

/** A note must end before the same pitch sounds again, or note-offs would cut the new note. */
function tidy(notes: ScoreNote[], endTick: number): ScoreNote[] {
  const sorted = [...notes].sort(
    (a, b) => a.tick - b.tick || a.pitch - b.pitch || b.duration - a.duration,
  );
  const lastByPitch = new Map<number, ScoreNote>();
  const out: ScoreNote[] = [];
  for (const note of sorted) {
    if (note.tick >= endTick) continue;
    const previous = lastByPitch.get(note.pitch);
    if (previous) {
      if (previous.tick === note.tick) continue; // doubled note: keep the first
      if (previous.tick + previous.duration > note.tick)
        previous.duration = note.tick - previous.tick;
    }
    const clipped = {
      ...note,
      duration: Math.max(1, Math.min(note.duration, endTick - note.tick)),
    };
    lastByPitch.set(note.pitch, clipped);
    out.push(clipped);
  }
  return out;
}

// Channel volumes (CC7) per style, set by ear against the melody at 112.
const CHORD_VOLUME: Record<Style, number> = {
  ambient: 108,
  'pop-ballad': 96,
  upbeat: 84,
  'lo-fi': 92,
  cinematic: 100,
  folk: 100,
  'piano-solo': 88,
  jazz: 84,
};
const BASS_VOLUME: Record<Style, number> = {
  ambient: 96,
  'pop-ballad': 86,
  upbeat: 86,
  'lo-fi': 92,
  cinematic: 96,
  folk: 86,
  'piano-solo': 84,
  jazz: 100,
};
const DRUM_VOLUME: Record<Style, number> = {
  ambient: 84,
  'pop-ballad': 84,
  upbeat: 96,
  'lo-fi': 82,
  cinematic: 92,
  folk: 80,
  'piano-solo': 84,
  jazz: 80,
};

/**
 * Scale degree (0..6) of each chord of a score, read from its root pitch class (minor on the
 * natural scale, whose fifth degree is also the harmonic V's root); −1 for a root outside the
 * scale. For checking a score against statistics, independently of how it was planned.
 */
export function chordDegrees(key: MusicPlan['key'], score: Score): number[] {
  const tonic = Note.chroma(key.tonic);
  const scale =
    key.mode === 'minor' ? Key.minorKey(key.tonic).natural.scale : Key.majorKey(key.tonic).scale;
  const semis = scale.map((n) => (Note.chroma(n) - tonic + 12) % 12);
  return score.chords.map((c) => semis.indexOf(((c.pitchClasses[0] ?? 0) - tonic + 12) % 12));
}

export function composeScore(plan: MusicPlan, seed: number): Score {
  if (plan.meter.beatsPerBar !== 4 || plan.meter.beatUnit !== 4) {
    throw new Error('engine v0 composes in 4/4 only');
  }
  const ctx = buildKeyContext(plan);
  // Mix the image's reading into the seed: two different pictures given the same seed should
  // not share a motif just because their plans happen to have the same density.
  const mixed = hashString(
    `${plan.key.name}|${plan.style}|${plan.melody.contour.join(',')}`,
    seed >>> 0,
  );
  const barTicks = TICKS_PER_BEAT * plan.meter.beatsPerBar;
  const slots = planHarmony(plan, ctx, deriveRng(mixed, 'harmony'));
  const part: PartContext = { plan, ctx, slots, barTicks };
  const endTick = plan.form.bars * barTicks;
  const { instrumentation } = plan;

  const melody = composeMelody(part, deriveRng(mixed, 'melody'));
  const chords = composeChords(part, deriveRng(mixed, 'chords'));
  const bass = composeBass(part, deriveRng(mixed, 'bass'));
  const drums = instrumentation.drums ? composeDrums(part, deriveRng(mixed, 'drums')) : [];
  for (const notes of [melody, chords, bass, drums]) applySwing(notes, plan.swing);
  const humaniser = deriveRng(mixed, 'humanise');
  humanise(melody, humaniser, 8);
  humanise(chords, humaniser, 5);

  // Channel volume (CC7), pan (CC10), reverb (CC91) and chorus (CC93) sends. Levels were set by
  // rendering each part alone (RMS): the melody sits on top, ~2–6 dB above each other part.
  const mix = (volume: number, pan: number, reverb: number, chorus = 0): ScoreControl[] => [
    { tick: 0, controller: 7, value: volume },
    { tick: 0, controller: 10, value: pan },
    { tick: 0, controller: 91, value: reverb },
    { tick: 0, controller: 93, value: chorus },
  ];
  const tracks: ScoreTrack[] = [
    {
      role: 'melody',
      name: `Melody (${instrumentation.melody.name})`,
      channel: 0,
      program: instrumentation.melody.program,
      notes: tidy(melody, endTick),
      controls: mix(112, plan.style === 'piano-solo' ? 70 : 68, plan.reverb),
    },
    {
      role: 'chords',
      name: `Chords (${instrumentation.chords.name})`,
      channel: 1,
      program: instrumentation.chords.program,
      notes: tidy(chords, endTick),
      controls: mix(
        CHORD_VOLUME[plan.style],
        plan.style === 'piano-solo' ? 58 : 48,
        plan.reverb,
        plan.style === 'ambient' ? 40 : plan.style === 'lo-fi' ? 30 : 10,
      ),
    },
    {
      role: 'bass',
      name: `Bass (${instrumentation.bass.name})`,
      channel: 2,
      program: instrumentation.bass.program,
      notes: tidy(bass, endTick),
      controls: mix(
        BASS_VOLUME[plan.style],
        plan.style === 'piano-solo' ? 56 : 64,
        Math.round(plan.reverb / 3),
      ),
    },
  ];
  if (instrumentation.pad) {
    tracks.push({
      role: 'pad',
      name: `Pad (${instrumentation.pad.name})`,
      channel: 3,
      program: instrumentation.pad.program,
      notes: tidy(composePad(part), endTick),
      controls: mix(76, 84, plan.reverb, 30),
    });
  }
  if (instrumentation.drums) {
    tracks.push({
      role: 'drums',
      name: `Drums (${instrumentation.drums.name})`,
      channel: DRUM_CHANNEL,
      program: instrumentation.drums.program,
      notes: tidy(drums, endTick),
      controls: mix(DRUM_VOLUME[plan.style], 64, Math.round(plan.reverb / 2)),
    });
  }

  const microsecondsPerBeat = Math.round(60_000_000 / plan.tempoBpm);
  const finalBeat = Math.round(60_000_000 / (plan.tempoBpm * plan.form.ritardando));
  const lastBarTick = (plan.form.bars - 1) * barTicks;
  const tempoChanges = [{ tick: 0, microsecondsPerBeat }];
  if (plan.form.ritardando !== 1)
    tempoChanges.push({ tick: lastBarTick, microsecondsPerBeat: finalBeat });
  const durationSeconds =
    ((plan.form.bars - 1) * plan.meter.beatsPerBar * microsecondsPerBeat +
      plan.meter.beatsPerBar * (plan.form.ritardando !== 1 ? finalBeat : microsecondsPerBeat)) /
    1_000_000;

  return {
    title: `Instune - ${plan.key.name}, ${plan.style}`,
    ticksPerBeat: TICKS_PER_BEAT,
    beatsPerBar: plan.meter.beatsPerBar,
    beatUnit: plan.meter.beatUnit,
    keySignature: { fifths: plan.key.fifths, minor: plan.key.mode === 'minor' },
    tempoChanges,
    sections: plan.form.sections.map((s) => ({ tick: s.startBar * barTicks, name: s.name })),
    chords: slots.map((s) => ({
      tick: s.startBar * barTicks,
      duration: s.bars * barTicks,
      name: s.name,
      pitchClasses: s.pcs,
    })),
    tracks,
    endTick,
    durationSeconds,
  };
}
