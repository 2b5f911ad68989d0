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

/**
 * One part's place in the mix. `level`, `pan`, `reverb` and `chorus` are 0..127 as MIDI
 * controllers take them: the composer writes them as CC7, CC10, CC91 and CC93 so the MIDI file
 * plays balanced on its own. The renderer takes level and pan from those controllers and runs
 * its own effects instead of the synth's: `reverb` is then the send into the style's reverb
 * (see `BusMix.reverb`), and the other fields shape the part's audio on its way to the bus.
 */
export interface PartMix {
  readonly level: number;
  readonly pan: number;
  readonly reverb: number;
  readonly chorus: number;
  /**
   * Mid/side width of the part as rendered, 0 (mono) .. 2 (side doubled); 1 leaves it as the
   * samples give it. Bass stays near mono so the low end holds in the centre.
   */
  readonly width?: number;
  /**
   * Pseudo-stereo for mono samples, 0..1: a short delayed copy of the mid added to one side and
   * taken from the other (Lauridsen), so the part widens and still sums to itself in mono.
   */
  readonly spread?: number;
  /** Send into the tempo-synced stereo delay, 0..1. */
  readonly delay?: number;
  /**
   * High-pass corner in Hz (12 dB/octave): ~30–40 Hz clears sub rumble the part does not need.
   * 0 for the parts that carry the low end (kick, bass).
   */
  readonly highPassHz?: number;
  /** Sidechain: how far the part ducks under each kick, dB (electronic styles). */
  readonly duckDb?: number;
  /**
   * Trim on top of `level`, dB, for this renderer and bank: parts were balanced by rendering
   * each alone (integrated loudness of the stem), since a bank's presets differ in level.
   */
  readonly gainDb?: number;
  /**
   * A bank put in front of the General MIDI bank for this part: `'grand-piano'` plays the
   * part's Acoustic Grand Piano (program 0) on the layered Salamander grand
   * (render/piano-bank.ts); its other programs still come from the GM bank. Only over the
   * bundled GM bank: with `SOUNDFONT_PATH` the part plays that bank alone, as before.
   */
  readonly layer?: 'grand-piano';
}

export type ReverbType = 'room' | 'plate' | 'hall';

/** Tape and vinyl character of the lo-fi style, applied to every part and the bus. */
export interface LoFiMix {
  /** Low-pass corner in Hz: the dull top of worn tape. */
  readonly lowPassHz: number;
  /** Saturation drive, 0 (clean) .. 1 (warm): a tanh curve, normalised to unity at low level. */
  readonly drive: number;
  /** Tape wow (slow pitch drift) depth in cents. */
  readonly wowCents: number;
  /** Tape flutter (fast pitch wobble) depth in cents. */
  readonly flutterCents: number;
  /** Vinyl hiss and crackle, dB relative to the programme's loudness (seeded, so deterministic). */
  readonly noiseDb: number;
}

/** What happens after the parts meet: shared effects, bus dynamics and tone, the tail. */
export interface BusMix {
  /** The reverb every part sends into: a small room for grooves, a plate, a hall for space. */
  readonly reverb: {
    readonly type: ReverbType;
    /** Decay time to −60 dB, seconds. */
    readonly seconds: number;
    readonly preDelayMs: number;
    /** Return level, dB, applied to what the sends feed in. */
    readonly returnDb: number;
  };
  /** Tempo-synced stereo delay: time in beats, feedback 0..0.9, return level in dB. */
  readonly delay: { readonly beats: number; readonly feedback: number; readonly returnDb: number };
  /**
   * Tone of the whole mix, applied to every part (so stems carry it too): a high shelf at
   * `trebleHz` lifting the top the samples lack (SF3 banks are dark), and a low shelf at 120 Hz.
   */
  readonly tone: {
    readonly trebleHz: number;
    readonly trebleDb: number;
    readonly bassDb: number;
    /**
     * Harmonic "air", dB relative to the part: the band above 2.5 kHz rectified (an octave up)
     * and high-passed at 5 kHz, for samples with no top octave to lift (a shelf cannot raise what
     * is not there).
     */
    readonly airDb?: number;
  };
  /** Gentle glue on the bus: ratio above a threshold relative to the mix's loudness. */
  readonly compression: {
    readonly thresholdDb: number;
    readonly ratio: number;
    readonly attackMs: number;
    readonly releaseMs: number;
  };
  /**
   * Seconds rendered after the last note for releases and reverb to die away (≥ 2 s): the file
   * ends on silence, with only a short fade over the last of it.
   */
  readonly tailSeconds: number;
  readonly lofi?: LoFiMix;
}

/**
 * A style's mix: one `PartMix` per role the composer writes (a role missing here gets the
 * renderer's neutral default), plus the bus.
 */
export interface StyleMix {
  readonly melody: PartMix;
  readonly chords: PartMix;
  readonly bass: PartMix;
  readonly pad: PartMix;
  readonly drums: PartMix;
  readonly bus: BusMix;
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
   * Where each part sits in the mix, and the bus they meet on. Levels were set by rendering each
   * part alone (RMS) so the melody sits ~2–6 dB above each other part.
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
