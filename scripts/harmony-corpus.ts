/**
 * Reads the shared symbolic corpora (../shared/data/corpora) and reduces them to the small
 * statistics the engine and the bench use: scale-degree chord frequencies and transitions,
 * key-relative melody pitch-class histograms and melody interval classes.
 *
 * Used by scripts/derive-harmony-stats.ts (writes src/music/compose/harmony-stats.json) and by
 * bench/engine.bench.ts (recomputes the references at bench time). The corpora themselves are
 * never copied into this repository: only the aggregates below leave this file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Key, Note } from 'tonal';
import type { DegreeStats, WirUsage } from '../src/music/compose/corpus-stats.js';

export type { DegreeStats, WirUsage };

export type Mode = 'major' | 'minor';
export const MODES: readonly Mode[] = ['major', 'minor'];

/** Diatonic triads, index = scale degree − 1. In minor, "V" is the harmonic (major) dominant. */
export const DEGREE_NAMES: Record<Mode, readonly string[]> = {
  major: ['I', 'ii', 'iii', 'IV', 'V', 'vi', 'vii°'],
  minor: ['i', 'ii°', 'III', 'iv', 'V', 'VI', 'VII'],
};

type Quality = 'major' | 'minor' | 'dim' | 'aug';

/** Semitones above the tonic and triad quality of each diatonic degree. */
const DIATONIC: Record<Mode, readonly (readonly [semis: number, quality: Quality])[]> = {
  major: [
    [0, 'major'],
    [2, 'minor'],
    [4, 'minor'],
    [5, 'major'],
    [7, 'major'],
    [9, 'minor'],
    [11, 'dim'],
  ],
  minor: [
    [0, 'minor'],
    [2, 'dim'],
    [3, 'major'],
    [5, 'minor'],
    [7, 'major'],
    [8, 'major'],
    [10, 'major'],
  ],
};

/**
 * Scale degree (0..6) of a chord in a key, or null when the chord is not one of the seven
 * diatonic triads (applied dominants, borrowed chords, augmented sixths, modulations...).
 * A minor v in a minor key counts as the dominant: the engine renders degree 5 in minor as the
 * harmonic V, and in these corpora a minor v is a modal (folk) spelling of the same function.
 */
export function degreeOf(mode: Mode, semisAboveTonic: number, quality: Quality): number | null {
  const semis = ((semisAboveTonic % 12) + 12) % 12;
  if (mode === 'minor' && semis === 7 && (quality === 'major' || quality === 'minor')) return 4;
  const index = DIATONIC[mode].findIndex(([s, q]) => s === semis && q === quality);
  return index < 0 ? null : index;
}

export interface ChordEvent {
  degree: number | null;
  /** On a strong beat: the first chord of a bar (Nottingham), metric accent ≥ 4 (Bach). */
  strong: boolean;
}

export interface HarmonyCounts {
  events: number;
  diatonic: number;
  unigram: number[];
  strongUnigram: number[];
  /** Degree → next degree over consecutive diatonic events (self-transitions included). */
  pairs: number[][];
}

const emptyCounts = (): HarmonyCounts => ({
  events: 0,
  diatonic: 0,
  unigram: Array<number>(7).fill(0),
  strongUnigram: Array<number>(7).fill(0),
  pairs: Array.from({ length: 7 }, () => Array<number>(7).fill(0)),
});

/** Adds one chord sequence; an out-of-vocabulary chord breaks the chain of transitions. */
function countSequence(counts: HarmonyCounts, events: readonly ChordEvent[]): void {
  let previous: number | null = null;
  for (const { degree, strong } of events) {
    counts.events++;
    if (degree !== null) {
      counts.diatonic++;
      counts.unigram[degree]! += 1;
      if (strong) counts.strongUnigram[degree]! += 1;
      if (previous !== null) counts.pairs[previous]![degree]! += 1;
    }
    previous = degree;
  }
}

// ---------------------------------------------------------------------------------------------
// Nottingham (ABC with chord symbols)

interface AbcKey {
  mode: Mode;
  tonicPc: number;
  /** Key-signature alteration per note letter (C..B), in semitones. */
  signature: Record<string, number>;
}

function parseAbcKey(field: string): AbcKey | null {
  const match = /^\s*([A-G])([#b]?)\s*(m|min|minor|maj|major)?\s*$/i.exec(field);
  if (!match) return null;
  const tonic = `${match[1] ?? 'C'}${match[2] ?? ''}`;
  const mode: Mode =
    (match[3] ?? '').toLowerCase().startsWith('mi') || match[3] === 'm' ? 'minor' : 'major';
  const scale = mode === 'major' ? Key.majorKey(tonic).scale : Key.minorKey(tonic).natural.scale;
  const signature: Record<string, number> = {};
  for (const note of scale) {
    const letter = note.charAt(0);
    signature[letter] = note.includes('#') ? 1 : note.includes('b') ? -1 : 0;
  }
  return { mode, tonicPc: Note.chroma(tonic), signature };
}

const LETTER_SEMIS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

function parseChordSymbol(symbol: string): { rootPc: number; quality: Quality } | null {
  const match = /^([A-G])([#b]?)(.*)$/.exec(symbol.trim());
  if (!match) return null;
  const rootPc = Note.chroma(`${match[1] ?? ''}${match[2] ?? ''}`);
  const rest = (match[3] ?? '').split('/')[0] ?? '';
  // Cleaned NMD spelling: "m" minor, "d" diminished, "a" augmented; 7, 6, b9 are added tones.
  const quality: Quality = rest.startsWith('maj')
    ? 'major'
    : rest.startsWith('m')
      ? 'minor'
      : rest.startsWith('d')
        ? 'dim'
        : rest.startsWith('a')
          ? 'aug'
          : 'major';
  return { rootPc, quality };
}

export interface MelodyCounts {
  notes: number;
  /** Key-relative pitch classes (0 = tonic). */
  pitchClasses: number[];
  /** Melodic intervals: repeat (0), step (1–2), third (3–4), larger (≥ 5 semitones). */
  intervals: number[];
}

const emptyMelody = (): MelodyCounts => ({
  notes: 0,
  pitchClasses: Array<number>(12).fill(0),
  intervals: [0, 0, 0, 0],
});

export function intervalClass(semitones: number): number {
  const d = Math.abs(semitones);
  return d === 0 ? 0 : d <= 2 ? 1 : d <= 4 ? 2 : 3;
}

export interface NottinghamCounts {
  tunes: number;
  tunesWithChords: number;
  harmony: Record<Mode, HarmonyCounts>;
  melody: Record<Mode, MelodyCounts>;
}

/** One tune: chord symbols with the key in force, and the melody's notes, read in order. */
function readAbcTune(lines: readonly string[], out: NottinghamCounts): void {
  let key: AbcKey | null = null;
  let chords: ChordEvent[] = [];
  let hasChords = false;
  const flush = (): void => {
    if (key && chords.length > 0) countSequence(out.harmony[key.mode], chords);
    chords = [];
  };
  let previousPitch: number | null = null;
  let tiedPitch: number | null = null;
  let barAccidentals = new Map<string, number>();
  let chordInBar = false;
  for (const raw of lines) {
    const line = raw.replace(/%.*$/, '');
    const header = /^([A-Za-z]):(.*)$/.exec(line);
    if (header) {
      if (header[1] === 'K') {
        flush(); // transitions do not cross a key change
        key = parseAbcKey(header[2] ?? '');
      }
      continue;
    }
    if (!key) continue;
    let i = 0;
    while (i < line.length) {
      const c = line.charAt(i);
      if (c === '"') {
        const end = line.indexOf('"', i + 1);
        const symbol = line.slice(i + 1, end < 0 ? line.length : end);
        i = end < 0 ? line.length : end + 1;
        if (symbol.startsWith('(')) continue; // optional alternative chord
        const chord = parseChordSymbol(symbol);
        if (!chord) continue;
        hasChords = true;
        chords.push({
          degree: degreeOf(key.mode, chord.rootPc - key.tonicPc, chord.quality),
          strong: !chordInBar,
        });
        chordInBar = true;
        continue;
      }
      if (c === '!' || c === '+') {
        const end = line.indexOf(c, i + 1); // decorations such as !trill!
        i = end < 0 ? line.length : end + 1;
        continue;
      }
      if (c === '{') {
        const end = line.indexOf('}', i + 1); // grace notes are ornaments, not melody
        i = end < 0 ? line.length : end + 1;
        continue;
      }
      if (c === '|' || c === ':') {
        barAccidentals = new Map();
        chordInBar = false;
        i++;
        continue;
      }
      if (c === '[' && /\d/.test(line.charAt(i + 1))) {
        i += 2; // repeat ending [1 / [2
        continue;
      }
      if (c === '(' && /\d/.test(line.charAt(i + 1))) {
        i += 2; // tuplet (3
        continue;
      }
      const note = /^(\^\^|\^|__|_|=)?([A-Ga-g])([,']*)([0-9/]*)(-?)/.exec(line.slice(i));
      if (note) {
        i += note[0].length;
        const letter = (note[2] ?? 'C').toUpperCase();
        const octaveMarks = note[3] ?? '';
        const octave =
          (note[2] === letter ? 0 : 12) +
          12 * (octaveMarks.split("'").length - 1) -
          12 * (octaveMarks.split(',').length - 1);
        const slot = `${letter}${octave}`;
        const accidental = note[1];
        if (accidental) {
          const alter = { '^^': 2, '^': 1, '=': 0, _: -1, __: -2 }[accidental] ?? 0;
          barAccidentals.set(slot, alter);
        }
        const alter = barAccidentals.get(slot) ?? key.signature[letter] ?? 0;
        const pitch = 60 + octave + (LETTER_SEMIS[letter] ?? 0) + alter;
        const continuesTie = tiedPitch === pitch;
        tiedPitch = note[5] === '-' ? pitch : null;
        if (continuesTie) continue;
        const melody = out.melody[key.mode];
        melody.notes++;
        melody.pitchClasses[(((pitch - key.tonicPc) % 12) + 12) % 12]! += 1;
        if (previousPitch !== null) melody.intervals[intervalClass(pitch - previousPitch)]! += 1;
        previousPitch = pitch;
        continue;
      }
      i++;
    }
  }
  flush();
  out.tunes++;
  if (hasChords) out.tunesWithChords++;
}

export function readNottingham(dir: string): NottinghamCounts {
  const out: NottinghamCounts = {
    tunes: 0,
    tunesWithChords: 0,
    harmony: { major: emptyCounts(), minor: emptyCounts() },
    melody: { major: emptyMelody(), minor: emptyMelody() },
  };
  const abcDir = path.join(dir, 'ABC_cleaned');
  for (const file of readdirSync(abcDir)
    .filter((f) => f.endsWith('.abc'))
    .sort()) {
    let tune: string[] | null = null;
    for (const line of readFileSync(path.join(abcDir, file), 'utf8').split(/\r?\n/)) {
      if (/^X:/.test(line)) {
        if (tune) readAbcTune(tune, out);
        tune = [];
        continue;
      }
      tune?.push(line);
    }
    if (tune) readAbcTune(tune, out);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bach Choral Harmony (UCI): chord label per time slice, key per chorale

export interface BachCounts {
  chorales: number;
  slices: number;
  harmony: Record<Mode, HarmonyCounts>;
}

/** "F_M", "BbM", "F#m7", "C#d7": root (with _ as padding), then M / m / d and added tones. */
function parseBachLabel(label: string): { rootPc: number; quality: Quality } | null {
  const match = /^([A-G])([#b_])([Mmd])/.exec(label.trim());
  if (!match) return null;
  const rootPc = Note.chroma(`${match[1] ?? ''}${match[2] === '_' ? '' : (match[2] ?? '')}`);
  const quality: Quality = match[3] === 'm' ? 'minor' : match[3] === 'd' ? 'dim' : 'major';
  return { rootPc, quality };
}

export function readBach(dir: string): BachCounts {
  const keys = new Map<string, { mode: Mode; tonicPc: number }>();
  for (const line of readFileSync(path.join(dir, 'jsbach_BWV_keys_titles.txt'), 'utf8').split(
    '\n',
  )) {
    const match = /^\s*(\S+)\s+\S+\s+([A-G])([#b_])([Mm])\s/.exec(line);
    if (!match) continue;
    const tonic = `${match[2] ?? ''}${match[3] === '_' ? '' : (match[3] ?? '')}`;
    keys.set(match[1] ?? '', {
      mode: match[4] === 'm' ? 'minor' : 'major',
      tonicPc: Note.chroma(tonic),
    });
  }
  const byChorale = new Map<string, { label: string; accent: number }[]>();
  let slices = 0;
  for (const line of readFileSync(path.join(dir, 'jsbach_chorals_harmony.data'), 'utf8').split(
    '\n',
  )) {
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 17) continue;
    const id = fields[0] ?? '';
    const list = byChorale.get(id) ?? [];
    list.push({ label: fields[16] ?? '', accent: Number(fields[15]) });
    byChorale.set(id, list);
    slices++;
  }
  const out: BachCounts = {
    chorales: 0,
    slices,
    harmony: { major: emptyCounts(), minor: emptyCounts() },
  };
  for (const [id, slicesOfChorale] of [...byChorale].sort(([a], [b]) => a.localeCompare(b))) {
    const key = keys.get(id);
    if (!key) continue;
    out.chorales++;
    // A slice is a change in the sounding pitches; a chord event is a run of one label.
    const events: ChordEvent[] = [];
    let previousLabel = '';
    for (const { label, accent } of slicesOfChorale) {
      if (label === previousLabel) continue;
      previousLabel = label;
      const chord = parseBachLabel(label);
      events.push({
        degree: chord ? degreeOf(key.mode, chord.rootPc - key.tonicPc, chord.quality) : null,
        strong: accent >= 4,
      });
    }
    countSequence(out.harmony[key.mode], events);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// When in Rome: Roman-numeral usage percentages per repertoire and mode

export const WIR_REPERTOIRES = [
  'Chamber_Other',
  'Early_Choral',
  'Keyboard_Other',
  'OpenScore-LiederCorpus',
  'Orchestral',
  'Piano_Sonatas',
  'Quartets',
  'Variations_and_Grounds',
] as const;
export type WirRepertoire = (typeof WIR_REPERTOIRES)[number];

const MAJOR_ROMAN_SEMIS: Record<string, number> = {
  I: 0,
  II: 2,
  III: 4,
  IV: 5,
  V: 7,
  VI: 9,
  VII: 11,
};
const MINOR_ROMAN_SEMIS: Record<string, number> = {
  I: 0,
  II: 2,
  III: 3,
  IV: 5,
  V: 7,
  VI: 8,
  VII: 10,
};

/**
 * "V65" → V, "viio6" → vii°, "iiø7" → ii° (half-diminished: a diminished triad plus a seventh),
 * "Cad64" → V (the cadential six-four is a dominant); applied chords ("V7/IV"), Neapolitan and
 * augmented sixths ("bII6", "Ger6") → null. In minor, RomanText puts lower-case vi/vii on the
 * raised degrees and upper-case VI/VII on the natural ones, so the leading-tone viio is not
 * the subtonic VII (it stays out of the seven-chord vocabulary).
 */
export function romanDegree(mode: Mode, numeral: string): number | null {
  if (numeral === 'Cad64') return 4;
  if (/\/[#b]?[IViv]/.test(numeral)) return null;
  const match = /^([b#]?)(VII|VI|V|IV|III|II|I|vii|vi|v|iv|iii|ii|i)(o|ø|\+)?/.exec(numeral);
  if (!match) return null;
  const accidental = match[1] ?? '';
  const roman = match[2] ?? '';
  const upper = roman.toUpperCase();
  let semis = (mode === 'major' ? MAJOR_ROMAN_SEMIS : MINOR_ROMAN_SEMIS)[upper] ?? 0;
  const raisedInMinor = mode === 'minor' && (upper === 'VI' || upper === 'VII');
  if (raisedInMinor && (roman !== upper || accidental === '#')) semis += 1;
  else if (accidental === '#') semis += 1;
  if (accidental === 'b') semis -= 1;
  const quality: Quality =
    match[3] === '+' ? 'aug' : match[3] ? 'dim' : roman === upper ? 'major' : 'minor';
  return degreeOf(mode, semis, quality);
}

export function readWhenInRome(dir: string): Record<WirRepertoire, Record<Mode, WirUsage>> {
  const out = {} as Record<WirRepertoire, Record<Mode, WirUsage>>;
  for (const repertoire of WIR_REPERTOIRES) {
    const byMode = {} as Record<Mode, WirUsage>;
    for (const mode of MODES) {
      const table = JSON.parse(
        readFileSync(path.join(dir, `${mode}_${repertoire}.json`), 'utf8'),
      ) as Record<string, number>;
      const unigram = Array<number>(7).fill(0);
      let total = 0;
      for (const [numeral, percent] of Object.entries(table)) {
        total += percent;
        const degree = romanDegree(mode, numeral);
        if (degree !== null) unigram[degree]! += percent;
      }
      const diatonic = unigram.reduce((a, b) => a + b, 0);
      byMode[mode] = {
        diatonicShare: total > 0 ? diatonic / total : 0,
        unigram: unigram.map((v) => (diatonic > 0 ? v / diatonic : 0)),
      };
    }
    out[repertoire] = byMode;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reduction to the shipped statistics

export const round4 = (v: number): number => Math.round(v * 10_000) / 10_000;
const normalise = (values: readonly number[]): number[] => {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => (total > 0 ? round4(v / total) : 0));
};

export function reduceHarmony(mode: Mode, counts: HarmonyCounts): DegreeStats {
  const ranked = counts.unigram
    .map((count, degree) => ({ count, degree }))
    .sort((a, b) => b.count - a.count || a.degree - b.degree)
    .slice(0, 5);
  const top = ranked.reduce((sum, r) => sum + r.count, 0);
  return {
    events: counts.events,
    diatonicShare: round4(counts.events > 0 ? counts.diatonic / counts.events : 0),
    unigram: normalise(counts.unigram),
    strongUnigram: normalise(counts.strongUnigram),
    repeat: counts.pairs.map((row, d) => {
      const total = row.reduce((a, b) => a + b, 0);
      return round4(total > 0 ? (row[d] ?? 0) / total : 0);
    }),
    transitions: counts.pairs.map((row, d) => normalise(row.map((v, e) => (e === d ? 0 : v)))),
    top5: ranked.map((r) => DEGREE_NAMES[mode][r.degree] ?? '?'),
    top5Share: round4(counts.diatonic > 0 ? top / counts.diatonic : 0),
  };
}

export interface MelodyStats {
  notes: number;
  pitchClasses: number[];
  intervals: number[];
}

export function reduceMelody(counts: MelodyCounts): MelodyStats {
  return {
    notes: counts.notes,
    pitchClasses: normalise(counts.pitchClasses),
    intervals: normalise(counts.intervals),
  };
}

export const DEFAULT_CORPORA = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../shared/data/corpora',
);

export function corporaPresent(dir: string): boolean {
  return ['nottingham', 'bach-choral-harmony-uci', 'when-in-rome-chord-usage'].every((d) =>
    existsSync(path.join(dir, d)),
  );
}
