import { Key, Note } from 'tonal';
import type { ImageFeatures } from './image-features.js';
import type { TextCues } from './text-cues.js';

/**
 * Bump whenever the same features + text + seconds would plan (or compose) differently, so a
 * stored plan (and its "same seed → same music" promise) can be tied to the engine that made it.
 * v3: folk, cinematic and piano-solo harmony sampled from corpus statistics (compose.ts keeps
 * the v2 tables for plans whose version is below 3).
 * v4: ambient, pop-ballad, upbeat, lo-fi and jazz each take progressions from tables of their
 * own idiom instead of one shared set.
 */
export const PLAN_VERSION = 4;

export type Mode = 'major' | 'minor';
/**
 * Styles, chosen by valence, arousal and texture, or named in the text. Each has its own
 * instrumentation, accompaniment pattern, bass line and drums (compose.ts). 'upbeat' is the
 * electronic/dance style (name kept from plan v1). Consumers should not exhaust-match.
 */
export type Style =
  'ambient' | 'pop-ballad' | 'upbeat' | 'lo-fi' | 'cinematic' | 'folk' | 'piano-solo' | 'jazz';
export const STYLES: readonly Style[] = [
  'ambient',
  'pop-ballad',
  'upbeat',
  'lo-fi',
  'cinematic',
  'folk',
  'piano-solo',
  'jazz',
];
export type SectionName = 'intro' | 'theme' | 'contrast' | 'reprise' | 'outro';

export interface GmInstrument {
  /** General MIDI program number, 0-based (0 = Acoustic Grand Piano). */
  program: number;
  name: string;
}

export interface PlanSection {
  name: SectionName;
  /** 0-based bar where the section starts. */
  startBar: number;
  bars: number;
  /** Dynamics arc: 0 (hushed) .. 1 (full). Drives velocity and accompaniment density. */
  energy: number;
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
  instrumentation: {
    melody: GmInstrument;
    chords: GmInstrument;
    bass: GmInstrument;
    /** Sustained strings under the louder sections; null when the style has none. */
    pad: GmInstrument | null;
    /** Drum kit (program on MIDI channel 10); null for no drums. */
    drums: GmInstrument | null;
  };
  form: {
    bars: number;
    /** How many bars each chord lasts. */
    barsPerChord: 1 | 2;
    /** Tempo factor of the final bar (0.9 = 10 % slower): a short written-out ending. */
    ritardando: number;
    /** Seamless loop: no ritardando or ending; the last bar leads back into the first. */
    loop: boolean;
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
  };
  /** Reverb send 0..127: more space for slower, calmer music. */
  reverb: number;
  /** Words from the description that changed the plan. */
  textWords: string[];
  /** Human-readable reasons, e.g. "bright warm palette → D major, 112 BPM". */
  explanation: string;
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

/** Seconds left after the last bar for the final chord and reverb to ring out. */
export const TAIL_SECONDS = 1.5;
/** Largest tempo change allowed when fitting bars to the requested length. */
const MAX_TEMPO_FIT = 0.08;
/** How strongly the user's mood words pull the emotion away from the image (they override). */
const TEXT_WEIGHT = 0.7;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;
const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;

/** One named push on valence or arousal, kept so the explanation can say what drove the mood. */
export interface EmotionDriver {
  /** Plain words for the explanation, e.g. "many vivid colours". */
  cue: string;
  valence: number;
  arousal: number;
}

export interface EmotionEstimate {
  valence: number;
  arousal: number;
  /** The contributions that add up to valence and arousal (before clamping), largest first. */
  drivers: EmotionDriver[];
}

/**
 * Image → emotion: a small linear model whose terms and signs come from the colour–emotion
 * literature in DESIGN.md; only the weights were balanced against the labelled shared images
 * (bench/plan-eval.ts), and they stay round numbers on purpose.
 *
 * - Valence: lighter and more colourful → more pleasant (Valdez & Mehrabian 1994: pleasure ≈
 *   .69·brightness + .22·saturation; Palmer et al. 2013: lighter, more saturated → happier).
 *   Measured over whole images, colourfulness (Hasler & Süsstrunk) predicts pleasure about as
 *   well as lightness does, so the two weigh equally here instead of V&M's 3:1 for single chips.
 * - Arousal: saturation/colourfulness raises it and lightness lowers it a little (V&M: −.31
 *   brightness, +.60 saturation); warm hues are more activating than cool ones (Palmer et al.);
 *   diagonal lines read as dynamic and busy texture as lively (Machajdik & Hanbury 2010).
 *
 * Inputs are centred on typical photos (the shared set's means) and scaled so that the usual
 * range maps to about ±1. Features from before version 2 lack colourfulness and line direction:
 * saturation stands in for the first, the second counts as neutral.
 */
export function estimateEmotion(features: ImageFeatures): EmotionEstimate {
  const light = clamp((features.brightness - 0.44) / 0.3, -1, 1);
  const colour =
    features.colourfulness === undefined
      ? clamp((features.saturation - 0.3) / 0.4, -1, 1)
      : clamp((features.colourfulness - 0.45) / 0.6, -1, 1);
  const warmth = clamp(features.warmth, -1, 1);
  const lines =
    features.dynamicLines === undefined ? 0 : clamp((features.dynamicLines - 0.39) / 0.2, -1, 1);
  const texture = clamp((features.texture - 0.33) / 0.33, -1, 1);

  const drivers: EmotionDriver[] = [
    {
      cue: light >= 0 ? 'light tones' : 'dark tones',
      valence: 0.5 * light,
      arousal: -0.15 * light,
    },
    {
      cue: colour >= 0 ? 'rich colour' : 'muted colour',
      valence: 0.5 * colour,
      arousal: 0.55 * colour,
    },
    { cue: warmth >= 0 ? 'warm hues' : 'cool hues', valence: 0, arousal: 0.2 * warmth },
    {
      cue: lines >= 0 ? 'diagonal, dynamic lines' : 'level, static lines',
      valence: 0,
      arousal: 0.35 * lines,
    },
    { cue: texture >= 0 ? 'busy detail' : 'smooth surfaces', valence: 0, arousal: 0.1 * texture },
  ];
  // An ordinary photo reads as mildly pleasant, not neutral (60 % of the labelled shared images
  // are happy, energetic or calm), so the centre sits a little above zero.
  const valence = drivers.reduce((sum, d) => sum + d.valence, 0) + 0.1;
  const arousal = drivers.reduce((sum, d) => sum + d.arousal, 0);
  const strength = (d: EmotionDriver): number => Math.abs(d.valence) + Math.abs(d.arousal);
  return {
    valence: clamp(valence, -1, 1),
    arousal: clamp(arousal, -1, 1),
    drivers: drivers.filter((d) => strength(d) >= 0.005).sort((a, b) => strength(b) - strength(a)),
  };
}

/** "light tones, rich colour, warm hues → valence +0.62, arousal +0.48 (…)" — the top drivers. */
function describeImageEmotion(features: ImageFeatures, image: EmotionEstimate): string {
  const cues = image.drivers
    .filter((d) => Math.abs(d.valence) + Math.abs(d.arousal) >= 0.1)
    .slice(0, 3)
    .map((d) => d.cue);
  return (
    `${describePalette(features)}${cues.length > 0 ? ` (${cues.join(', ')})` : ''} → ` +
    `valence ${signed(image.valence)}, arousal ${signed(image.arousal)} ` +
    '(colour → emotion: Valdez & Mehrabian 1994, Palmer et al. 2013)'
  );
}

/** How far a word must pull from the picture's reading before we say it changed something. */
const WORD_EFFECT_MIN = 0.15;

/**
 * "your word “festival” raised the energy and brightened the mood → valence +0.55, arousal
 * +0.61": the user's words outrank the image, so the explanation says what each one changed.
 */
function describeWordEffects(
  text: TextCues,
  image: EmotionEstimate,
  result: { valence: number; arousal: number },
): string | undefined {
  if (text.moods.length === 0) return undefined;
  const effects = text.moods.map((m) => {
    const changes: string[] = [];
    const dArousal = m.arousal - image.arousal;
    const dValence = m.valence - image.valence;
    if (dArousal > WORD_EFFECT_MIN) changes.push('raised the energy');
    if (dArousal < -WORD_EFFECT_MIN) changes.push('calmed it');
    if (dValence > WORD_EFFECT_MIN) changes.push('brightened the mood');
    if (dValence < -WORD_EFFECT_MIN) changes.push('darkened the mood');
    return `“${m.word}” ${changes.length > 0 ? changes.join(' and ') : 'agreed with the picture'}`;
  });
  return (
    `your word${text.moods.length > 1 ? 's' : ''} ${effects.join(', ')} → ` +
    `valence ${signed(result.valence)}, arousal ${signed(result.arousal)} (words outrank the image)`
  );
}

const INSTRUMENTS = {
  piano: { program: 0, name: 'Acoustic Grand Piano' },
  brightPiano: { program: 1, name: 'Bright Acoustic Piano' },
  electricPiano: { program: 4, name: 'Electric Piano 1' },
  celesta: { program: 8, name: 'Celesta' },
  vibraphone: { program: 11, name: 'Vibraphone' },
  nylonGuitar: { program: 24, name: 'Acoustic Guitar (nylon)' },
  steelGuitar: { program: 25, name: 'Acoustic Guitar (steel)' },
  jazzGuitar: { program: 26, name: 'Electric Guitar (jazz)' },
  harmonica: { program: 22, name: 'Harmonica' },
  contrabass: { program: 43, name: 'Contrabass' },
  frenchHorn: { program: 60, name: 'French Horn' },
  mutedTrumpet: { program: 59, name: 'Muted Trumpet' },
  sawLead: { program: 81, name: 'Lead 2 (sawtooth)' },
  polySynth: { program: 90, name: 'Pad 3 (polysynth)' },
  acousticBass: { program: 32, name: 'Acoustic Bass' },
  fingerBass: { program: 33, name: 'Electric Bass (finger)' },
  synthBass: { program: 38, name: 'Synth Bass 1' },
  violin: { program: 40, name: 'Violin' },
  cello: { program: 42, name: 'Cello' },
  harp: { program: 46, name: 'Orchestral Harp' },
  strings: { program: 48, name: 'String Ensemble 1' },
  slowStrings: { program: 49, name: 'String Ensemble 2' },
  trumpet: { program: 56, name: 'Trumpet' },
  altoSax: { program: 65, name: 'Alto Sax' },
  oboe: { program: 68, name: 'Oboe' },
  clarinet: { program: 71, name: 'Clarinet' },
  flute: { program: 73, name: 'Flute' },
  squareLead: { program: 80, name: 'Lead 1 (square)' },
  newAgePad: { program: 88, name: 'Pad 1 (new age)' },
  warmPad: { program: 89, name: 'Pad 2 (warm)' },
  choirPad: { program: 91, name: 'Pad 4 (choir)' },
  haloPad: { program: 94, name: 'Pad 7 (halo)' },
  standardKit: { program: 0, name: 'Standard Kit' },
  brushKit: { program: 40, name: 'Brush Kit' },
  jazzKit: { program: 32, name: 'Jazz Kit' },
} as const satisfies Record<string, GmInstrument>;

const STYLE_REASON: Record<Style, string> = {
  ambient: 'calm (low arousal) → ambient pads, no drums',
  'pop-ballad': 'moderate arousal → pop ballad: broken-chord accompaniment, brushes',
  upbeat: 'high arousal → upbeat electronic groove: synth stabs, driving bass, full drums',
  'lo-fi': 'muted, wistful and unhurried → lo-fi: swung Rhodes sevenths, soft boom-bap drums',
  cinematic: 'dramatic light → cinematic: string ostinato, horn theme, toms and swells',
  folk: 'warm and natural → folk: finger-picked steel guitar, tambourine',
  'piano-solo': 'calm and clear → solo piano: broken chords under the tune, no drums',
  jazz: 'warm low light → jazz: swung eighths, seventh chords, walking bass, ride cymbal',
};

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
  return { style, reason: STYLE_REASON[style] };
}

/**
 * Timbre follows the same emotional reading rather than any hue: warm, positive images get
 * reedy or brassy leads; cool ones airy flutes and bells; dark, negative ones low strings.
 */
function chooseInstrumentation(
  style: Style,
  valence: number,
  features: ImageFeatures,
): MusicPlan['instrumentation'] {
  const warm = features.warmth > 0.25;
  const cool = features.warmth < -0.25;
  if (style === 'ambient') {
    return {
      melody:
        valence < -0.4
          ? INSTRUMENTS.cello
          : cool
            ? INSTRUMENTS.vibraphone
            : warm
              ? INSTRUMENTS.harp
              : INSTRUMENTS.flute,
      chords: cool ? INSTRUMENTS.haloPad : warm ? INSTRUMENTS.warmPad : INSTRUMENTS.newAgePad,
      bass: INSTRUMENTS.acousticBass,
      pad: null,
      drums: null,
    };
  }
  if (style === 'pop-ballad') {
    return {
      melody:
        valence < -0.3
          ? INSTRUMENTS.cello
          : warm
            ? valence > 0.3
              ? INSTRUMENTS.oboe
              : INSTRUMENTS.clarinet
            : cool
              ? INSTRUMENTS.flute
              : INSTRUMENTS.violin,
      chords: warm && valence > 0 ? INSTRUMENTS.nylonGuitar : INSTRUMENTS.piano,
      bass: INSTRUMENTS.fingerBass,
      pad: valence < 0 ? INSTRUMENTS.slowStrings : INSTRUMENTS.strings,
      // Brushes keep a ballad's pulse without the weight of sticks.
      drums: INSTRUMENTS.brushKit,
    };
  }
  if (style === 'lo-fi') {
    return {
      melody: cool
        ? INSTRUMENTS.vibraphone
        : warm
          ? INSTRUMENTS.mutedTrumpet
          : INSTRUMENTS.jazzGuitar,
      chords: INSTRUMENTS.electricPiano,
      bass: INSTRUMENTS.fingerBass,
      pad: null,
      drums: INSTRUMENTS.standardKit,
    };
  }
  if (style === 'cinematic') {
    return {
      melody:
        valence < -0.3 ? INSTRUMENTS.cello : warm ? INSTRUMENTS.frenchHorn : INSTRUMENTS.violin,
      chords: INSTRUMENTS.strings,
      bass: INSTRUMENTS.contrabass,
      pad: INSTRUMENTS.choirPad,
      drums: INSTRUMENTS.standardKit,
    };
  }
  if (style === 'folk') {
    return {
      melody: cool ? INSTRUMENTS.flute : valence > 0.4 ? INSTRUMENTS.harmonica : INSTRUMENTS.violin,
      chords: INSTRUMENTS.steelGuitar,
      bass: INSTRUMENTS.acousticBass,
      pad: null,
      drums: INSTRUMENTS.standardKit,
    };
  }
  if (style === 'piano-solo') {
    // One instrument in three hands' worth of parts: tune, broken chords, bass octaves.
    return {
      melody: INSTRUMENTS.piano,
      chords: INSTRUMENTS.piano,
      bass: INSTRUMENTS.piano,
      pad: null,
      drums: null,
    };
  }
  if (style === 'jazz') {
    return {
      melody: warm ? INSTRUMENTS.altoSax : cool ? INSTRUMENTS.vibraphone : INSTRUMENTS.mutedTrumpet,
      chords: INSTRUMENTS.piano,
      bass: INSTRUMENTS.acousticBass,
      pad: null,
      drums: INSTRUMENTS.jazzKit,
    };
  }
  return {
    melody:
      valence < -0.2
        ? INSTRUMENTS.sawLead
        : warm
          ? features.brightness > 0.55
            ? INSTRUMENTS.trumpet
            : INSTRUMENTS.altoSax
          : INSTRUMENTS.vibraphone,
    chords: INSTRUMENTS.polySynth,
    bass: INSTRUMENTS.synthBass,
    pad: null,
    drums: INSTRUMENTS.standardKit,
  };
}

/**
 * Tonic by "lightness" on the circle of fifths: bright, warm images land on sharp keys (D, A, E),
 * dark ones on flat keys. In equal temperament this mainly sets the register, but it keeps the
 * choice explainable and independent of hue.
 */
function chooseKey(mode: Mode, features: ImageFeatures): MusicPlan['key'] {
  const light = clamp((features.brightness - 0.45) / 0.3, -1, 1) * 0.7 + features.warmth * 0.3;
  const step = Math.round(((light + 1) / 2) * 6); // 0..6
  const majorTonics = ['Eb', 'Bb', 'F', 'C', 'G', 'D', 'A'] as const;
  const minorTonics = ['F', 'C', 'G', 'D', 'A', 'E', 'B'] as const;
  const tonic = (mode === 'major' ? majorTonics : minorTonics)[step] ?? 'C';
  const fifths = mode === 'major' ? Key.majorKey(tonic).alteration : Key.minorKey(tonic).alteration;
  return { tonic, mode, name: `${tonic} ${mode}`, fifths };
}

const TEMPO_RANGE: Record<Style, readonly [number, number]> = {
  ambient: [56, 84],
  'pop-ballad': [68, 108],
  upbeat: [112, 136],
  'lo-fi': [70, 88],
  cinematic: [64, 110],
  folk: [84, 120],
  'piano-solo': [60, 96],
  jazz: [96, 150],
};
/** Reverb send by style: space for slow, calm music; a drier room for grooves. */
const REVERB: Record<Style, number> = {
  ambient: 96,
  'pop-ballad': 72,
  upbeat: 48,
  'lo-fi': 40,
  cinematic: 100,
  folk: 56,
  'piano-solo': 80,
  jazz: 44,
};
/** Long notes for calm styles, busy lines for grooves. */
const DENSITY_OFFSET: Record<Style, number> = {
  ambient: -0.25,
  'pop-ballad': 0,
  upbeat: 0,
  'lo-fi': -0.1,
  cinematic: -0.1,
  folk: 0.05,
  'piano-solo': 0,
  jazz: 0.1,
};

/** Tempo from arousal first, then valence and warmth (Palmer et al.: lighter, warmer → faster). */
function chooseTempo(
  style: Style,
  valence: number,
  arousal: number,
  features: ImageFeatures,
): number {
  const raw = 88 + 30 * arousal + 12 * valence + 6 * features.warmth;
  const [lo, hi] = TEMPO_RANGE[style];
  return clamp(raw, lo, hi);
}

function fitBars(
  tempo: number,
  beatsPerBar: number,
  ritardando: number,
  seconds: number,
  tail: number,
): { bars: number; tempo: number } {
  const musicSeconds = Math.max(1, seconds - tail);
  // The slowed final bar lasts 1/ritardando of a normal bar.
  const barUnits = (bars: number): number => bars - 1 + 1 / ritardando;
  const barSeconds = (beatsPerBar * 60) / tempo;
  let bars = 2;
  while (barUnits(bars + 1) * barSeconds <= musicSeconds + barSeconds / 2) bars++;
  const fitted = (barUnits(bars) * beatsPerBar * 60) / musicSeconds;
  const withinFit = Math.abs(fitted / tempo - 1) <= MAX_TEMPO_FIT;
  return { bars, tempo: withinFit ? fitted : tempo };
}

function planForm(bars: number, arousal: number): PlanSection[] {
  const intro = bars >= 24 ? 4 : bars >= 8 ? 2 : 0;
  const outro = bars >= 12 ? 2 : 1;
  const body = bars - intro - outro;
  const sections: PlanSection[] = [];
  const lift = arousal > 0.35 ? 0.1 : 0; // lively music stays louder throughout
  let cursor = 0;
  if (intro > 0) {
    sections.push({ name: 'intro', startBar: 0, bars: intro, energy: round(0.4 + lift) });
    cursor = intro;
  }
  // Body in 8-bar periods (two 4-bar phrases), alternating theme and contrast; a short remainder
  // joins the last period rather than leaving a stub phrase.
  const periods: number[] = [];
  let left = body;
  while (left > 0) {
    const size = left >= 12 || left <= 8 ? Math.min(8, left) : left;
    periods.push(size);
    left -= size;
  }
  periods.forEach((size, index) => {
    const isLast = index === periods.length - 1;
    const name: SectionName =
      index === 0
        ? 'theme'
        : isLast && periods.length > 2
          ? 'reprise'
          : index % 2 === 1
            ? 'contrast'
            : 'theme';
    // Dynamics arc: each period a little fuller than the last, up to +0.12, then the outro settles.
    const growth = Math.min(0.12, 0.04 * index);
    const energy =
      (name === 'contrast' ? 0.76 : name === 'reprise' ? 0.72 : periods.length === 1 ? 0.65 : 0.6) +
      growth;
    sections.push({
      name,
      startBar: cursor,
      bars: size,
      energy: round(Math.min(1, energy + lift)),
    });
    cursor += size;
  });
  sections.push({ name: 'outro', startBar: cursor, bars: outro, energy: round(0.5 + lift) });
  return sections;
}

function describePalette(features: ImageFeatures): string {
  const light =
    features.brightness < 0.2
      ? 'very dark'
      : features.brightness < 0.38
        ? 'dark'
        : features.brightness < 0.55
          ? 'mid-tone'
          : features.brightness < 0.7
            ? 'light'
            : 'bright';
  const colour =
    features.saturation < 0.1
      ? 'grey'
      : features.saturation < 0.25
        ? 'muted'
        : features.saturation < 0.5
          ? 'colourful'
          : 'vivid';
  const temperature =
    features.warmth > 0.25 ? 'warm' : features.warmth < -0.25 ? 'cool' : 'neutral';
  return `${light}, ${colour}, ${temperature} palette`;
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
  const beatsPerBar = 4;
  // A loop has no ending to slow into and no tail: its bars fill the whole length.
  const ritardando = loop ? 1 : 0.9;
  const fit = fitBars(tempo, beatsPerBar, ritardando, seconds, loop ? 0 : TAIL_SECONDS);
  const sections = planForm(fit.bars, arousal);
  const chosenInstrumentation = chooseInstrumentation(style, valence, features);
  // A lead instrument named in the text ("violin", "二胡") takes the melody; the band stays.
  const lead = controls.instrument ?? text.instrument;
  const instrumentation = lead
    ? { ...chosenInstrumentation, melody: { program: lead.program, name: lead.name } }
    : chosenInstrumentation;
  // Ambient music breathes in long notes whatever the image, so its density starts lower.
  const density = round(
    clamp(0.5 + 0.35 * arousal + 0.15 * (features.texture - 0.3) + DENSITY_OFFSET[style], 0, 1),
  );
  // The skyline gives the shape; the light contour keeps it from being flat when there is no horizon.
  const contour = features.skyline.map((h, i) =>
    round(clamp(0.65 * h + 0.35 * (features.lightContour[i] ?? 0.5), 0, 1)),
  );
  const homeNote = chooseHomeNote(key.tonic, instrumentation.melody);
  const reverb = REVERB[style];

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
  reasons.push(`${modeReason} → ${key.name}, ${Math.round(fit.tempo)} BPM${tempoReason}`);
  reasons.push(styleReason);
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
    `${fit.bars} bars (${sections.map((s) => `${s.name} ${s.bars}`).join(', ')}); ` +
      "the melody rises and falls with the image's skyline, left to right",
  );

  return {
    version: PLAN_VERSION,
    valence,
    arousal,
    key,
    tempoBpm: round(fit.tempo, 2),
    meter: { beatsPerBar, beatUnit: 4 },
    style,
    instrumentation,
    form: {
      bars: fit.bars,
      barsPerChord: style === 'ambient' || style === 'cinematic' ? 2 : 1,
      ritardando,
      loop,
      sections,
    },
    swing: style === 'jazz' ? 1 / 3 : style === 'lo-fi' ? 0.2 : 0,
    sevenths: style === 'jazz' || style === 'lo-fi',
    melody: { homeNote, density, contour },
    reverb,
    textWords: text.matched,
    explanation: reasons.join('; '),
  };
}

/** Puts the tune's home tonic where the lead instrument sounds best. */
function chooseHomeNote(tonic: string, melody: GmInstrument): number {
  const chroma = Note.chroma(tonic);
  let home = 60 + chroma;
  if (home > 67) home -= 12; // keep the tune's upper reach below about A5
  const high = [
    INSTRUMENTS.flute,
    INSTRUMENTS.violin,
    INSTRUMENTS.oboe,
    INSTRUMENTS.squareLead,
    INSTRUMENTS.sawLead,
    INSTRUMENTS.harmonica,
  ];
  if (home < 60 && high.some((i) => i.program === melody.program)) home += 12;
  // Cello sings best from about D3 to A4: put its home tonic between D3 and C#4.
  if (melody.program === INSTRUMENTS.cello.program) home = 50 + ((chroma - 2 + 12) % 12);
  return home;
}
