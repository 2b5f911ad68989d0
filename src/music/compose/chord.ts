/**
 * Chords as the current composer thinks of them: a root, a quality (its intervals), the degree it
 * stands on in the key and what it does there (tonic, dominant, a borrowed or a secondary
 * chord). Spelling follows the key signature, so C minor's third chord is "Eb", not "D#".
 */

export type Quality =
  | 'M'
  | 'm'
  | 'dim'
  | 'aug'
  | '7'
  | 'maj7'
  | 'm7'
  | 'm7b5'
  | 'dim7'
  | '9'
  | 'maj9'
  | 'm9'
  | '13'
  | '6'
  | 'm6'
  | 'sus4'
  | 'add9';

/** Semitones above the root. Extensions above the octave stay above it (9 = 14). */
export const QUALITY_INTERVALS: Record<Quality, readonly number[]> = {
  M: [0, 4, 7],
  m: [0, 3, 7],
  dim: [0, 3, 6],
  aug: [0, 4, 8],
  '7': [0, 4, 7, 10],
  maj7: [0, 4, 7, 11],
  m7: [0, 3, 7, 10],
  m7b5: [0, 3, 6, 10],
  dim7: [0, 3, 6, 9],
  '9': [0, 4, 7, 10, 14],
  maj9: [0, 4, 7, 11, 14],
  m9: [0, 3, 7, 10, 14],
  '13': [0, 4, 10, 14, 21],
  '6': [0, 4, 7, 9],
  m6: [0, 3, 7, 9],
  sus4: [0, 5, 7],
  add9: [0, 4, 7, 14],
};

const SUFFIX: Record<Quality, string> = {
  M: '',
  m: 'm',
  dim: 'dim',
  aug: 'aug',
  '7': '7',
  maj7: 'maj7',
  m7: 'm7',
  m7b5: 'm7b5',
  dim7: 'dim7',
  '9': '9',
  maj9: 'maj9',
  m9: 'm9',
  '13': '13',
  '6': '6',
  m6: 'm6',
  sus4: 'sus4',
  add9: 'add9',
};

/** What a chord does in the phrase; used for voicing, the melody's cadences and the analysis. */
export type ChordFunction =
  | 'tonic'
  | 'predominant'
  | 'dominant'
  | 'secondary-dominant'
  | 'borrowed'
  | 'substitute'
  | 'passing'
  | 'other';

export interface Chord {
  rootPc: number;
  quality: Quality;
  /** Pitch classes, root first. */
  pcs: number[];
  /** Lowest sounding pitch class (an inversion puts the third or fifth in the bass). */
  bassPc: number;
  /** Scale degree 0..6 of the root in the key, or −1 for a chromatic root (bVII, bII…). */
  degree: number;
  fn: ChordFunction;
  /** Symbol such as "F#m7", "Bb/D". */
  symbol: string;
}

export interface KeyInfo {
  tonicPc: number;
  minor: boolean;
  /** Flats (< 0) or sharps (> 0) in the signature; sets how chromatic notes are spelled. */
  fifths: number;
  /** Semitones above the tonic of degrees 0..6 (natural minor in minor keys). */
  scale: readonly number[];
}

const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11] as const;
const MINOR_SCALE = [0, 2, 3, 5, 7, 8, 10] as const;
const SHARP_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;
const FLAT_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

export function keyInfo(tonicPc: number, minor: boolean, fifths: number): KeyInfo {
  return { tonicPc, minor, fifths, scale: minor ? MINOR_SCALE : MAJOR_SCALE };
}

export const mod12 = (v: number): number => ((v % 12) + 12) % 12;

export function pcName(pc: number, key: Pick<KeyInfo, 'fifths'>): string {
  return (key.fifths < 0 ? FLAT_NAMES : SHARP_NAMES)[mod12(pc)] ?? 'C';
}

/** Pitch classes of the key's scale (natural minor in minor). */
export function scalePcs(key: KeyInfo): number[] {
  return key.scale.map((s) => mod12(key.tonicPc + s));
}

export function makeChord(
  key: KeyInfo,
  rootPc: number,
  quality: Quality,
  fn: ChordFunction,
  options: { degree?: number; bassPc?: number } = {},
): Chord {
  const root = mod12(rootPc);
  const pcs = [...new Set(QUALITY_INTERVALS[quality].map((i) => mod12(root + i)))];
  const degreeIndex = key.scale.findIndex((s) => mod12(key.tonicPc + s) === root);
  const bassPc = mod12(options.bassPc ?? root);
  const symbol =
    pcName(root, key) + SUFFIX[quality] + (bassPc !== root ? `/${pcName(bassPc, key)}` : '');
  return { rootPc: root, quality, pcs, bassPc, degree: options.degree ?? degreeIndex, fn, symbol };
}

/** Quality of the diatonic triad or seventh on each degree. */
function diatonicQuality(minor: boolean, degree: number, sevenths: boolean): Quality {
  // In minor, V is the harmonic (major) dominant and vii° the leading-tone chord.
  const triads: Quality[] = minor
    ? ['m', 'dim', 'M', 'm', 'M', 'M', 'M']
    : ['M', 'm', 'm', 'M', 'M', 'm', 'dim'];
  const sevenChords: Quality[] = minor
    ? ['m7', 'm7b5', 'maj7', 'm7', '7', 'maj7', '7']
    : ['maj7', 'm7', 'm7', 'maj7', '7', 'm7', 'm7b5'];
  return (sevenths ? sevenChords : triads)[degree] ?? 'M';
}

export function functionOfDegree(degree: number): ChordFunction {
  if (degree === 0 || degree === 2 || degree === 5) return 'tonic';
  if (degree === 1 || degree === 3) return 'predominant';
  return 'dominant';
}

/** The diatonic chord on a degree (0 = I). In minor, degree 4 is the major V. */
export function diatonicChord(key: KeyInfo, degree: number, sevenths: boolean): Chord {
  const d = ((degree % 7) + 7) % 7;
  const rootPc = mod12(key.tonicPc + (key.scale[d] ?? 0));
  return makeChord(key, rootPc, diatonicQuality(key.minor, d, sevenths), functionOfDegree(d), {
    degree: d,
  });
}

/** Roman numeral for the explanation and the tests: "V7/ii", "bVII", "iv". */
export function romanOf(key: KeyInfo, chord: Chord): string {
  const numerals = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'];
  const semis = mod12(chord.rootPc - key.tonicPc);
  const major = key.minor ? MINOR_SCALE : MAJOR_SCALE;
  let degree = major.indexOf(semis as never);
  let prefix = '';
  if (degree < 0) {
    degree = major.indexOf(mod12(semis + 1) as never);
    prefix = 'b';
    if (degree < 0) {
      degree = major.indexOf(mod12(semis - 1) as never);
      prefix = '#';
    }
  }
  const minorish = ['m', 'dim', 'm7', 'm7b5', 'dim7', 'm9', 'm6'].includes(chord.quality);
  const numeral = numerals[degree] ?? '?';
  return prefix + (minorish ? numeral.toLowerCase() : numeral);
}
