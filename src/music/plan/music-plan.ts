import { Key, Note } from 'tonal';
import type { ImageFeatures } from '../perception/image-features.js';
import type { TextCues } from '../perception/text-cues.js';
import { requireStyle, type Style } from '../styles/style-registry.js';
import { describeImageEmotion, describeWordEffects, estimateEmotion, signed } from './emotion.js';
import { meterOf, type MeterName } from '../compose/meter.js';
import { fitBars, planSections } from './form.js';
import type { Instrumentation } from './instruments.js';
import { melodyRegister } from './register.js';

/**
 * Bump whenever the same features + text + seconds would plan (or compose) differently, so a
 * stored plan (and its "same seed → same music" promise) can be tied to the engine that made it.
 * v3: folk, cinematic and piano-solo harmony sampled from corpus statistics (compose.ts keeps
 * the v2 tables for plans whose version is below 3).
 * v4: ambient, pop-ballad, upbeat, lo-fi and jazz each take progressions from tables of their
 * own idiom instead of one shared set.
 * v5: the current composer (compose/compose-current.ts): sections on a four/eight-bar grid with a
 * returning theme, 3/4 and 6/8, twelve keys, the melody in its lead's register above the band,
 * chromatic harmony, seeded arrangement and expression; plans below 5 replay through
 * compose/legacy.
 */
export const PLAN_VERSION = 5;

export type Mode = 'major' | 'minor';
export type SectionName = 'intro' | 'theme' | 'contrast' | 'reprise' | 'bridge' | 'outro';
/** What a section restates: the theme (A), the contrast (B), a bridge (C), or a frame. */
export type SectionMaterial = 'intro' | 'A' | 'B' | 'C' | 'outro';

export interface PlanSection {
  name: SectionName;
  /** 0-based bar where the section starts. */
  startBar: number;
  bars: number;
  /** Dynamics arc: 0 (hushed) .. 1 (full). Drives velocity and accompaniment density. */
  energy: number;
  /** From plan v5: the material the section states (a reprise restates the theme, A). */
  material?: SectionMaterial | undefined;
}

export interface MusicPlan {
  /** PLAN_VERSION of the engine that made it; stored plans from older engines keep theirs. */
  version: number;
  /** Emotion coordinates the music is built from, each −1..1 (Russell's circumplex). */
  valence: number;
  arousal: number;
  key: { tonic: string; mode: Mode; name: string; /** sharps (+) or flats (−) */ fifths: number };
  /** Fitted so that the bars fill the requested length; the final bar slows by `ritardando`. */
  tempoBpm: number;
  meter: { beatsPerBar: number; beatUnit: number };
  style: Style;
  instrumentation: Instrumentation;
  form: {
    bars: number;
    /** How many bars each chord lasts. */
    barsPerChord: 1 | 2;
    /** Tempo factor of the final bar (0.9 = 10 % slower): a short written-out ending. */
    ritardando: number;
    /** Seamless loop: no ritardando or ending; the last bar leads back into the first. */
    loop: boolean;
    /** From plan v5: how much longer than a bar the final chord is held (0..1). */
    fermata?: number | undefined;
    sections: PlanSection[];
  };
  /** Swing: how far off-beat eighths are delayed, as a fraction of an eighth (0 straight, 1/3 triplet). */
  swing: number;
  /** Harmony in seventh chords rather than triads (jazz, lo-fi). */
  sevenths: boolean;
  melody: {
    /** MIDI note of the melody's home tonic; the tune moves mostly within an octave and a half above. */
    homeNote: number;
    /** 0 sparse (long notes) .. 1 busy (running eighths). */
    density: number;
    /** 16 values 0..1, left to right across the image: where the tune should sit, bar by bar. */
    contour: number[];
    /** From plan v5: the lowest and highest MIDI notes of the lead's singing register. */
    low?: number | undefined;
    high?: number | undefined;
  };
  /** From plan v5: seconds after the last bar for the final chord and the reverb to ring out. */
  tailSeconds?: number | undefined;
  /** Reverb send 0..127: more space for slower, calmer music. */
  reverb: number;
  /** Words from the description that changed the plan. */
  textWords: string[];
  /** Human-readable reasons, e.g. "bright warm palette → D major, 112 BPM". */
  explanation: string;
}

function meterParts(name: MeterName): [number, number] {
  const [beats = '4', unit = '4'] = name.split('/');
  return [Number(beats), Number(unit)];
}

/** Moods a user can pick directly; each is a point on the valence/arousal plane. */
export const MOODS = ['calm', 'happy', 'sad', 'energetic', 'dark', 'dreamy'] as const;
export type Mood = (typeof MOODS)[number];
const MOOD_EMOTION: Record<Mood, { valence: number; arousal: number }> = {
  calm: { valence: 0.4, arousal: -0.6 },
  happy: { valence: 0.8, arousal: 0.45 },
  sad: { valence: -0.7, arousal: -0.4 },
  energetic: { valence: 0.5, arousal: 0.8 },
  dark: { valence: -0.6, arousal: 0.3 },
  dreamy: { valence: 0.3, arousal: -0.35 },
};

/**
 * Exact control from the create page. Each set field outranks both the image and the words:
 * a user who picks "jazz, 90 BPM" gets jazz at (about) 90 BPM.
 */
export interface PlanControls {
  style?: Style | undefined;
  mood?: Mood | undefined;
  /** 50..180; fitted by at most a few percent so the bars fill the length exactly. */
  tempoBpm?: number | undefined;
  /** The lead instrument's General MIDI program and name (see text-cues' instrument words). */
  instrument?: { word: string; program: number; name: string } | undefined;
}

export interface PlanInput {
  features: ImageFeatures;
  text: TextCues;
  seconds: number;
  controls?: PlanControls | undefined;
  /** Plan a seamless loop (see MusicPlan.form.loop). */
  loop?: boolean | undefined;
}

/** Seconds left after the last bar in plans before v5 (from v5 the style declares its tail). */
export const TAIL_SECONDS = 1.5;
/** Tempo factor the ritardando of the last bars eases into. */
const RITARDANDO = 0.82;
/** How strongly the user's mood words pull the emotion away from the image (they override). */
const TEXT_WEIGHT = 0.7;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Style from the emotional reading plus a few image cues: a named style in the text wins.
 * Low arousal splits into ambient (dark or soft images) and solo piano (clear, positive ones);
 * moderate arousal into folk (warm, positive), jazz (warm but dim), lo-fi (muted, negative),
 * cinematic (high contrast) and the ballad; high arousal into cinematic (negative, tense) and
 * the electronic groove.
 */
function chooseStyle(
  valence: number,
  arousal: number,
  features: ImageFeatures,
  text: TextCues,
): { style: Style; reason: string } {
  if (text.style) return { style: text.style, reason: `“${text.style}” as asked` };
  const style = ((): Style => {
    if (arousal < -0.2) {
      return valence > 0.15 && features.texture < 0.5 && features.contrast >= 0.25
        ? 'piano-solo'
        : 'ambient';
    }
    if (arousal < 0.35) {
      if (features.warmth > 0.25 && valence >= 0.1) return 'folk';
      if (features.warmth > 0.2 && features.brightness < 0.4) return 'jazz';
      if (valence < -0.15 && features.saturation < 0.35) return 'lo-fi';
      if (features.contrast > 0.6) return 'cinematic';
      return 'pop-ballad';
    }
    return valence < -0.2 || features.contrast > 0.7 ? 'cinematic' : 'upbeat';
  })();
  return { style, reason: requireStyle(style).reason };
}

/**
 * Tonic by "lightness" on the circle of fifths: bright, warm images land on sharp keys (D, A, E…),
 * dark ones on flat keys (Bb, Eb, Ab…), over all twelve. In equal temperament this mainly sets
 * the register, but it keeps the choice explainable and independent of hue.
 */
function chooseKey(mode: Mode, features: ImageFeatures): MusicPlan['key'] {
  const light = clamp((features.brightness - 0.45) / 0.3, -1, 1) * 0.7 + features.warmth * 0.3;
  const step = Math.round(((clamp(light, -1, 1) + 1) / 2) * 11); // 0..11
  const majorTonics = ['Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#'] as const;
  const minorTonics = ['Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#', 'G#', 'D#'] as const;
  const tonic = (mode === 'major' ? majorTonics : minorTonics)[step] ?? 'C';
  const fifths = mode === 'major' ? Key.majorKey(tonic).alteration : Key.minorKey(tonic).alteration;
  return { tonic, mode, name: `${tonic} ${mode}`, fifths };
}

/** Tempo from arousal first, then valence and warmth (Palmer et al.: lighter, warmer → faster). */
function chooseTempo(
  style: Style,
  valence: number,
  arousal: number,
  features: ImageFeatures,
): number {
  const raw = 88 + 30 * arousal + 12 * valence + 6 * features.warmth;
  const [lo, hi] = requireStyle(style).tempo;
  return clamp(raw, lo, hi);
}

export function createMusicPlan(input: PlanInput): MusicPlan {
  const { features, text, seconds } = input;
  const controls = input.controls ?? {};
  const image = estimateEmotion(features);
  const chosenMood = controls.mood ? MOOD_EMOTION[controls.mood] : undefined;
  const valence = round(
    chosenMood
      ? chosenMood.valence
      : text.valence === undefined
        ? image.valence
        : (1 - TEXT_WEIGHT) * image.valence + TEXT_WEIGHT * text.valence,
  );
  const arousal = round(
    chosenMood
      ? chosenMood.arousal
      : text.arousal === undefined
        ? image.arousal
        : (1 - TEXT_WEIGHT) * image.arousal + TEXT_WEIGHT * text.arousal,
  );
  const mode: Mode = text.mode ?? (valence >= 0 ? 'major' : 'minor');
  const loop = input.loop === true;
  const chosen = chooseStyle(valence, arousal, features, text);
  const style = controls.style ?? chosen.style;
  const styleReason = controls.style ? `${controls.style} as you chose` : chosen.reason;
  const key = chooseKey(mode, features);
  let tempo = chooseTempo(style, valence, arousal, features);
  if (text.tempo === 'slower') tempo *= 0.85;
  if (text.tempo === 'faster') tempo *= 1.15;
  if (controls.tempoBpm !== undefined) tempo = clamp(controls.tempoBpm, 50, 180);
  const declaration = requireStyle(style);
  const meterChoice = declaration.meter({ valence, arousal, features });
  const meter = meterOf(...meterParts(meterChoice.meter));
  // A loop has no ending to slow into and no tail: its bars fill the whole length.
  const ritardando = loop ? 1 : RITARDANDO;
  const tailSeconds = loop ? 0 : declaration.composition.tailSeconds;
  const fit = fitBars(tempo, meter.barTicks, ritardando, Math.max(1, seconds - tailSeconds));
  const sections = planSections(
    fit.bars,
    loop,
    arousal,
    declaration.composition.arrangement.breakdown,
  );
  const chosenInstrumentation = declaration.band({
    valence,
    features,
    warm: features.warmth > 0.25,
    cool: features.warmth < -0.25,
  });
  // A lead instrument named in the text ("violin", "二胡") takes the melody; the band stays.
  const lead = controls.instrument ?? text.instrument;
  const instrumentation = lead
    ? { ...chosenInstrumentation, melody: { program: lead.program, name: lead.name } }
    : chosenInstrumentation;
  // Ambient music breathes in long notes whatever the image, so its density starts lower.
  const density = round(
    clamp(0.5 + 0.35 * arousal + 0.15 * (features.texture - 0.3) + declaration.densityOffset, 0, 1),
  );
  // The skyline gives the shape; the light contour keeps it from being flat when there is no horizon.
  const contour = features.skyline.map((h, i) =>
    round(clamp(0.65 * h + 0.35 * (features.lightContour[i] ?? 0.5), 0, 1)),
  );
  const register = melodyRegister(
    Note.chroma(key.tonic),
    instrumentation.melody,
    instrumentation.melody.program === instrumentation.chords.program,
  );
  const reverb = declaration.reverb;

  const reasons: string[] = [describeImageEmotion(features, image)];
  if (controls.mood) {
    reasons.push(
      `your chosen mood “${controls.mood}” → valence ${signed(valence)}, arousal ${signed(arousal)}`,
    );
  } else {
    const wordsReason = describeWordEffects(text, image, { valence, arousal });
    if (wordsReason) reasons.push(wordsReason);
  }
  if (controls.instrument) {
    reasons.push(
      `your chosen instrument “${controls.instrument.word}” → ${controls.instrument.name} melody`,
    );
  } else if (text.instrument) {
    reasons.push(`your word “${text.instrument.word}” → ${text.instrument.name} melody`);
  }
  const modeReason = text.mode
    ? 'as asked'
    : valence >= 0
      ? 'positive valence'
      : 'negative valence';
  const tempoReason =
    controls.tempoBpm !== undefined
      ? `, tempo ${Math.round(controls.tempoBpm)} BPM as you chose`
      : text.tempo
        ? `, ${text.tempo} as asked`
        : '';
  reasons.push(
    `${modeReason}, ${features.brightness >= 0.45 ? 'lighter' : 'darker'} picture → ${key.name}, ` +
      `${Math.round(fit.tempo)} BPM${tempoReason}`,
  );
  reasons.push(styleReason);
  if (meterChoice.reason) reasons.push(meterChoice.reason);
  const parts = [
    `${instrumentation.melody.name} melody`,
    `${instrumentation.chords.name} chords`,
    instrumentation.bass.name,
  ];
  if (instrumentation.pad) parts.push(instrumentation.pad.name);
  if (instrumentation.drums) parts.push(instrumentation.drums.name);
  reasons.push(parts.join(', '));
  if (loop) reasons.push('a seamless loop: no ending, the last bar leads back to the first');
  reasons.push(
    `${fit.bars} bars of ${meter.name} (${sections.map((s) => `${s.name} ${s.bars}`).join(', ')}); ` +
      "the melody rises and falls with the image's skyline, left to right",
  );

  return {
    version: PLAN_VERSION,
    valence,
    arousal,
    key,
    tempoBpm: round(fit.tempo, 2),
    meter: { beatsPerBar: meter.beatsPerBar, beatUnit: meter.beatUnit },
    style,
    instrumentation,
    form: {
      bars: fit.bars,
      barsPerChord: declaration.composition.harmony.barsPerChord,
      ritardando,
      loop,
      fermata: round(fit.fermata),
      sections,
    },
    swing: declaration.swing,
    sevenths: declaration.composition.harmony.extensions !== 'triads',
    melody: { homeNote: register.home, density, contour, low: register.low, high: register.high },
    tailSeconds,
    reverb,
    textWords: text.matched,
    explanation: reasons.join('; '),
  };
}
