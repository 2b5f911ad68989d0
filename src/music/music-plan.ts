import { Key, Note } from 'tonal';
import type { ImageFeatures } from './image-features.js';
import type { TextCues } from './text-cues.js';

/**
 * Bump whenever the same features + text + seconds would plan differently, so a stored plan
 * (and its "same seed → same music" promise) can be tied to the engine that made it.
 */
export const PLAN_VERSION = 1;

export type Mode = 'major' | 'minor';
/** v0 styles, chosen by arousal. A richer engine adds more; consumers should not exhaust-match. */
export type Style = 'ambient' | 'pop-ballad' | 'upbeat';
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
    sections: PlanSection[];
  };
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

export interface PlanInput {
  features: ImageFeatures;
  text: TextCues;
  seconds: number;
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

/**
 * Colour → emotion, following DESIGN.md: Valdez & Mehrabian (1994) pleasure ≈ .69·brightness +
 * .22·saturation and arousal ≈ −.31·brightness + .60·saturation, on inputs centred on typical
 * photos (brightness .45, saturation .30, measured over the shared image set) and scaled to ±1.
 * Palmer et al. (2013) add that warmer colours feel happier and more active; edge density adds
 * a little arousal (busy images feel livelier).
 */
export function estimateEmotion(features: ImageFeatures): { valence: number; arousal: number } {
  const b = clamp((features.brightness - 0.45) / 0.3, -1, 1);
  const s = clamp((features.saturation - 0.3) / 0.3, -1, 1);
  const texture = clamp((features.texture - 0.3) / 0.3, -1, 1);
  const valence = (0.69 * b + 0.22 * s) / 0.91 + 0.2 * features.warmth;
  const arousal = (-0.31 * b + 0.6 * s) / 0.91 + 0.1 * features.warmth + 0.15 * texture;
  return { valence: clamp(valence, -1, 1), arousal: clamp(arousal, -1, 1) };
}

const INSTRUMENTS = {
  piano: { program: 0, name: 'Acoustic Grand Piano' },
  electricPiano: { program: 4, name: 'Electric Piano 1' },
  celesta: { program: 8, name: 'Celesta' },
  vibraphone: { program: 11, name: 'Vibraphone' },
  nylonGuitar: { program: 24, name: 'Acoustic Guitar (nylon)' },
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
} as const satisfies Record<string, GmInstrument>;

const STYLE_REASON: Record<Style, string> = {
  ambient: 'calm (low arousal) → ambient pads, no drums',
  'pop-ballad': 'moderate arousal → pop ballad with light drums',
  upbeat: 'high arousal → upbeat groove with full drums',
};

function chooseStyle(arousal: number): Style {
  if (arousal < -0.2) return 'ambient';
  if (arousal < 0.35) return 'pop-ballad';
  return 'upbeat';
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
  return {
    melody:
      valence < -0.2
        ? INSTRUMENTS.squareLead
        : warm
          ? features.brightness > 0.55
            ? INSTRUMENTS.trumpet
            : INSTRUMENTS.altoSax
          : INSTRUMENTS.vibraphone,
    chords: INSTRUMENTS.electricPiano,
    bass: valence < 0 ? INSTRUMENTS.synthBass : INSTRUMENTS.fingerBass,
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

/** Tempo from arousal first, then valence and warmth (Palmer et al.: lighter, warmer → faster). */
function chooseTempo(
  style: Style,
  valence: number,
  arousal: number,
  features: ImageFeatures,
): number {
  const raw = 88 + 30 * arousal + 12 * valence + 6 * features.warmth;
  const [lo, hi] = style === 'ambient' ? [56, 84] : style === 'pop-ballad' ? [68, 108] : [100, 140];
  return clamp(raw, lo, hi);
}

function fitBars(
  tempo: number,
  beatsPerBar: number,
  ritardando: number,
  seconds: number,
): { bars: number; tempo: number } {
  const musicSeconds = Math.max(1, seconds - TAIL_SECONDS);
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
  const image = estimateEmotion(features);
  const valence = round(
    text.valence === undefined
      ? image.valence
      : (1 - TEXT_WEIGHT) * image.valence + TEXT_WEIGHT * text.valence,
  );
  const arousal = round(
    text.arousal === undefined
      ? image.arousal
      : (1 - TEXT_WEIGHT) * image.arousal + TEXT_WEIGHT * text.arousal,
  );
  const mode: Mode = text.mode ?? (valence >= 0 ? 'major' : 'minor');
  const style = chooseStyle(arousal);
  const key = chooseKey(mode, features);
  let tempo = chooseTempo(style, valence, arousal, features);
  if (text.tempo === 'slower') tempo *= 0.85;
  if (text.tempo === 'faster') tempo *= 1.15;
  const beatsPerBar = 4;
  const ritardando = 0.9;
  const fit = fitBars(tempo, beatsPerBar, ritardando, seconds);
  const sections = planForm(fit.bars, arousal);
  const instrumentation = chooseInstrumentation(style, valence, features);
  // Ambient music breathes in long notes whatever the image, so its density starts lower.
  const density = round(
    clamp(
      0.5 + 0.35 * arousal + 0.15 * (features.texture - 0.3) - (style === 'ambient' ? 0.25 : 0),
      0,
      1,
    ),
  );
  // The skyline gives the shape; the light contour keeps it from being flat when there is no horizon.
  const contour = features.skyline.map((h, i) =>
    round(clamp(0.65 * h + 0.35 * (features.lightContour[i] ?? 0.5), 0, 1)),
  );
  const homeNote = chooseHomeNote(key.tonic, instrumentation.melody);
  const reverb = Math.round(style === 'ambient' ? 96 : style === 'pop-ballad' ? 72 : 48);

  const reasons: string[] = [
    `${describePalette(features)} → valence ${signed(image.valence)}, arousal ${signed(image.arousal)}` +
      ' (colour → emotion: Valdez & Mehrabian 1994, Palmer et al. 2013)',
  ];
  if (text.matched.length > 0) {
    reasons.push(
      `your words ${text.matched.map((w) => `“${w}”`).join(', ')} → valence ${signed(valence)}, ` +
        `arousal ${signed(arousal)}`,
    );
  }
  const modeReason = text.mode
    ? 'as asked'
    : valence >= 0
      ? 'positive valence'
      : 'negative valence';
  const tempoReason = text.tempo ? `, ${text.tempo} as asked` : '';
  reasons.push(`${modeReason} → ${key.name}, ${Math.round(fit.tempo)} BPM${tempoReason}`);
  reasons.push(STYLE_REASON[style]);
  const parts = [
    `${instrumentation.melody.name} melody`,
    `${instrumentation.chords.name} chords`,
    instrumentation.bass.name,
  ];
  if (instrumentation.pad) parts.push(instrumentation.pad.name);
  if (instrumentation.drums) parts.push(instrumentation.drums.name);
  reasons.push(parts.join(', '));
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
    form: { bars: fit.bars, barsPerChord: style === 'ambient' ? 2 : 1, ritardando, sections },
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
  const high = [INSTRUMENTS.flute, INSTRUMENTS.violin, INSTRUMENTS.oboe, INSTRUMENTS.squareLead];
  if (home < 60 && high.some((i) => i.program === melody.program)) home += 12;
  // Cello sings best from about D3 to A4: put its home tonic between D3 and C#4.
  if (melody.program === INSTRUMENTS.cello.program) home = 50 + ((chroma - 2 + 12) % 12);
  return home;
}
