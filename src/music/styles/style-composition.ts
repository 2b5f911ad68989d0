import type { CorpusSource, WirRepertoire } from '../compose/corpus-stats.js';
import type { MeterName } from '../compose/meter.js';

/**
 * The composition side of a style declaration: where its harmony comes from and how coloured it
 * is, how its accompaniment, bass and drums play at each level of energy, how its parts enter
 * and leave, and how they are phrased. The current composer (src/music/compose) reads these;
 * plans of older versions are composed by their own frozen code.
 */

/** How busy a section is: the arrangement maps each section's energy to one of these. */
export type Tier = 'low' | 'mid' | 'high';

/**
 * Four-chord progressions as Roman numerals, one progression per word: "I-V-vi-IV I-vi-IV-V".
 * Case and ° are for the reader; the degree is what counts (in minor, V is the major dominant).
 */
export type Progressions = string;

export type HarmonySource =
  | { kind: 'corpus'; corpus: CorpusSource; tilt?: WirRepertoire }
  | {
      kind: 'loops';
      /** The theme's loops (its opening two chords repeat in its second phrase). */
      theme: { major: Progressions; minor: Progressions };
      /** The contrast and bridge sections' loops: they start away from the tonic. */
      contrast: { major: Progressions; minor: Progressions };
    };

export interface HarmonyDeclaration {
  source: HarmonySource;
  /** Triads, seventh chords, or sevenths with ninths/thirteenths on the colour chords. */
  extensions: 'triads' | 'sevenths' | 'ninths';
  /** Chance, per eligible chord, of each chromatic colour the idiom uses. */
  colour: {
    /** V7 of the next chord (V/ii, V/IV, V/V, V/vi). */
    secondary: number;
    /** iv (and bVI) borrowed from the parallel minor, mostly near cadences. */
    borrowed: number;
    /** bVII (the "Mixolydian" chord) in place of a non-cadential V. */
    flatSeven: number;
    /** bII7 in place of V7 (jazz). */
    tritone: number;
    /** A major final chord in a minor key. */
    picardy: number;
  };
  /** Bars per chord in the body of a phrase: 1, or 2 for slowly moving styles. */
  barsPerChord: 1 | 2;
  /** The cadence bar holds pre-dominant and dominant together (ii–V, IV–V). */
  splitCadence: boolean;
}

/** Accompaniment figures the chords part can play (meter-aware, see compose/accompaniment.ts). */
export type ChordFigure =
  | 'sustain'
  | 'block'
  | 'pulse'
  | 'arpeggio'
  | 'broken'
  | 'alberti'
  | 'strum'
  | 'picking'
  | 'stabs'
  | 'comping'
  | 'rhodes'
  | 'ostinato'
  | 'oom-pah';

export type BassFigure =
  'hold' | 'roots' | 'root-fifth' | 'octaves' | 'walking' | 'syncopated' | 'oom-pah' | 'pulse';

/** Drum lanes (General MIDI percussion keys in compose/drums.ts). */
export type DrumLane =
  | 'kick'
  | 'snare'
  | 'rim'
  | 'clap'
  | 'hat'
  | 'openHat'
  | 'pedalHat'
  | 'ride'
  | 'crash'
  | 'tomHigh'
  | 'tomMid'
  | 'tomLow'
  | 'tambourine'
  | 'shaker';

/**
 * One bar of drums as lanes of sixteenth-note steps, "lane:pattern" separated by spaces:
 * "kick:x.......x....... snare:....x.......x..." — "x" hit, "X" accent, "g" ghost, "." rest.
 */
export type DrumBar = string;

export interface DrumGroove {
  name: string;
  /** One or two bars, played in turn. */
  bars: readonly DrumBar[];
}

export interface DrumFill {
  name: string;
  /** Sixteenth step from which the fill replaces the groove in the bar. */
  from: number;
  bar: DrumBar;
}

export interface DrumDeclaration {
  /** Grooves per meter the style can be in, per tier; the seed picks one per section. */
  grooves: Partial<Record<MeterName, Record<Tier, readonly DrumGroove[]>>>;
  fills: Partial<Record<MeterName, readonly DrumFill[]>>;
  /** Micro-timing in ticks (480 per quarter): a laid-back backbeat, pushed hats. */
  feel: { backbeatLag: number; hatPush: number };
  /** Bars between fills within a section (the section's last bar always has one). */
  fillEvery: 4 | 8;
}

export interface ArrangementDeclaration {
  /** What plays in the intro: the chords alone, a build that adds parts, or a pad. */
  intro: 'chords' | 'build' | 'pad';
  /** A bridge section drops the drums (a breakdown) rather than lifting. */
  breakdown: boolean;
  /** When the pad plays (if the band has one): always, or only from the 'mid' tier up. */
  pad: 'always' | 'lift';
}

export interface PhrasingDeclaration {
  /** The lead's articulation: tied legato (winds, strings), detached, or plucked/struck. */
  melody: 'legato' | 'detached' | 'plucked';
  /** Share of strong beats that carry an appoggiatura or suspension. */
  nonChordTones: number;
  /** Chance per weak position of a passing or neighbour note in a varied restatement. */
  ornament: number;
  /** Guitar-like strum spread in ticks (0: struck together). */
  strum: number;
}

export interface CompositionDeclaration {
  /** Meters the style can be written in; the planner picks from these by the picture. */
  meters: readonly MeterName[];
  harmony: HarmonyDeclaration;
  accompaniment: Record<Tier, readonly ChordFigure[]>;
  bass: Record<Tier, readonly BassFigure[]>;
  drums: DrumDeclaration | null;
  arrangement: ArrangementDeclaration;
  phrasing: PhrasingDeclaration;
}
