import { Chord, Key, Note } from 'tonal';
import type { Rng } from '../../random.js';
import type { LegacyPlan, LegacySection, LegacyStyle } from './legacy-plan.js';
import { planTrainedDegrees, trainedChain } from './legacy-trained-harmony.js';

// ---------------------------------------------------------------------------------------------
// Harmony

export interface ChordSlot {
  startBar: number;
  bars: number;
  section: LegacySection;
  degree: number;
  name: string;
  rootPc: number;
  pcs: number[];
  isDominant: boolean;
}

export interface KeyContext {
  minor: boolean;
  tonicPc: number;
  /** Semitones above the tonic of each scale degree (natural minor for minor keys). */
  scaleSemis: number[];
  /** Diatonic chords for each degree: triads, or seventh chords when the plan asks for them. */
  triads: string[];
  dominant: string;
}

export function buildKeyContext(plan: LegacyPlan): KeyContext {
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
const STYLE_TABLES: Partial<Record<LegacyStyle, ProgressionTables>> = {
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
  plan: Pick<LegacyPlan, 'version' | 'style'>,
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
function planTableDegrees(plan: LegacyPlan, ctx: KeyContext, rng: Rng): number[][] {
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
export function planHarmony(plan: LegacyPlan, ctx: KeyContext, rng: Rng): ChordSlot[] {
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

export function chordAtBar(slots: readonly ChordSlot[], bar: number): ChordSlot {
  const found = slots.find((s) => bar >= s.startBar && bar < s.startBar + s.bars);
  const fallback = slots[slots.length - 1];
  if (!found && !fallback) throw new Error('no harmony planned');
  return (found ?? fallback) as ChordSlot;
}

/** Close triad voicing nearest to the previous one, so the accompaniment moves smoothly. */
export function voiceTriad(
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
export function scaleNeighbour(ctx: KeyContext, pc: number, direction: -1 | 1): number {
  const pcs = ctx.scaleSemis.map((semi) => (ctx.tonicPc + semi) % 12);
  for (let distance = 1; distance <= 3; distance++) {
    const candidate = (pc + direction * distance + 12) % 12;
    if (pcs.includes(candidate)) return direction * distance;
  }
  return direction * 2;
}

export function bassPitch(pc: number): number {
  return 36 + ((((pc - 36) % 12) + 12) % 12); // C2..B2
}
