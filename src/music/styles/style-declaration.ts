import type { ImageFeatures } from '../perception/image-features.js';
import type { Instrumentation } from '../plan/instruments.js';
import type { MeterName } from '../compose/meter.js';
import type { Bilingual } from '../plan/explain.js';
import type { CompositionDeclaration } from './style-composition.js';

/** What a style's choice of band may look at. */
export interface BandContext {
  valence: number;
  features: ImageFeatures;
  /** Warm (> 0.25) or cool (< −0.25) palette. */
  warm: boolean;
  cool: boolean;
}

/** What a style's choice of meter may look at. */
export interface MeterContext {
  valence: number;
  arousal: number;
  features: ImageFeatures;
}

/** A meter and, when it is not the style's plain 4/4, the reason in words for the explanation. */
export interface MeterChoice {
  meter: MeterName;
  reason: Bilingual | null;
}

/** One part's place in the mix, each 0..127 as MIDI controllers take them. */
export interface PartMix {
  readonly level: number;
  readonly pan: number;
  readonly reverb: number;
  readonly chorus: number;
}

export interface StyleMix {
  readonly melody: PartMix;
  readonly chords: PartMix;
  readonly bass: PartMix;
  readonly pad: PartMix;
  readonly drums: PartMix;
}

/**
 * Everything the engine knows about one style, in one place: adding a style is adding one file
 * like this and listing it in style-registry.ts; the compiler then checks every use.
 */
export interface StyleDeclaration<Id extends string = string> {
  readonly id: Id;
  /** Shown to users (create page, library, explanation). */
  readonly names: { readonly en: string; readonly zh: string };
  /** Genre and signature-instrument words in a description that ask for this style. */
  readonly words: { readonly en: readonly string[]; readonly zh: readonly string[] };
  /** Why the image led here, for the explanation. */
  readonly reason: Bilingual;
  /** The style as a noun phrase for the explanation: "a folk tune", "一首民谣". */
  readonly noun: Bilingual;
  /**
   * The part of the valence/arousal plane the style suits: what a picture shows may suggest the
   * style only for a mood inside it (a seascape does not make a tense picture ambient).
   */
  readonly fits: {
    readonly valence: readonly [low: number, high: number];
    readonly arousal: readonly [low: number, high: number];
  };
  /** BPM range the image's emotion is mapped into. */
  readonly tempo: readonly [low: number, high: number];
  /** Reverb send 0..127: more space for slow, calm music; a drier room for grooves. */
  readonly reverb: number;
  /** Added to the melody's note density (long notes for calm styles, busy lines for grooves). */
  readonly densityOffset: number;
  /** How far off-beat eighths are delayed, as a fraction of an eighth (0 straight, 1/3 triplet). */
  readonly swing: number;
  /**
   * Where each part sits in the mix. The composer writes level, pan and sends as MIDI controllers
   * (CC7, CC10, CC91 reverb, CC93 chorus), so the MIDI file plays balanced on its own; levels
   * were set by rendering each part alone (RMS) so the melody sits ~2–6 dB above each other part.
   */
  readonly mix: StyleMix;
  /** The band, chosen by the same emotional reading rather than any hue. */
  band(context: BandContext): Instrumentation;
  /** The meter, from the style's `composition.meters`, chosen by the picture's reading. */
  meter(context: MeterContext): MeterChoice;
  /** How the current composer writes for it (plan v5 on). */
  readonly composition: CompositionDeclaration;
}

/** Keeps each declaration's id a literal type, so the style list is known to the compiler. */
export function defineStyle<const Id extends string>(
  declaration: StyleDeclaration<Id>,
): StyleDeclaration<Id> {
  return declaration;
}
