import { Note } from 'tonal';
import type { ImageFeatures } from '../perception/image-features.js';
import type { TextCues } from '../perception/text-cues.js';
import { requireStyle, type Style } from '../styles/style-registry.js';
import { describeImageEmotion, describeWordEffects, estimateEmotion, signed } from './emotion.js';
import { meterOf, type MeterName } from '../compose/meter.js';
import { fitBars, planSections } from './form.js';
import type { GmInstrument, Instrumentation } from './instruments.js';
import { chooseKey, namedKey, type Tonic } from './key.js';
import { melodyRegister } from './register.js';
import type { Texture } from '../perception/content-steering.js';
import {
  steeredLead,
  steeredMode,
  steeredStyle,
  steeredTextures,
  tempoLean,
  type ImageReading,
} from './content-choices.js';
import { tellStory, type Bilingual, type PlanStory } from './explain.js';
import { instrumentName } from './instrument-names.js';

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
 * v6: the final bar is held by the plan's fermata, as the form was fitted, so a piece lasts the
 * length asked for (v5 plans dropped the hold and ended up to a bar early; they replay as they
 * were).
 * v7: a picture's arousal is the perception blend's alone (perception/affect-model.ts
 * planAffect), no longer half blend and half colour; the plan stores the mood it was made with,
 * so v6 plans replay exactly as they were.
 */
export const PLAN_VERSION = 7;

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
    /** Bars the contour spans (an extended piece keeps the span it was planned with). */
    contourSpan?: number | undefined;
  };
  /** From plan v5: seconds after the last bar for the final chord and the reverb to ring out. */
  tailSeconds?: number | undefined;
  /** From plan v5: textures the picture's content asks for (water → flowing arpeggios…). */
  textures?: Texture[] | undefined;
  /** Reverb send 0..127: more space for slower, calmer music. */
  reverb: number;
  /** Words from the description that changed the plan. */
  textWords: string[];
  /** Human-readable reasons, e.g. "bright warm palette → D major, 112 BPM" (English). */
  explanation: string;
  /** From plan v5: the explanation for a listener, in English and Chinese, numbers as details. */
  story?: PlanStory | undefined;
}

function meterParts(name: MeterName): [number, number] {
  const [beats = '4', unit = '4'] = name.split('/');
  return [Number(beats), Number(unit)];
}

const MOOD_NAMES_ZH: Record<Mood, string> = {
  calm: '平静',
  happy: '快乐',
  sad: '忧伤',
  energetic: '活力',
  dark: '暗黑',
  dreamy: '梦幻',
};

const SECTION_NAMES_ZH: Record<SectionName, string> = {
  intro: '前奏',
  theme: '主题',
  contrast: '对比段',
  reprise: '主题再现',
  bridge: '桥段',
  outro: '尾声',
};

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

/** The mood a user could have picked that lies nearest a plan's valence and arousal. */
export function moodOf(emotion: { valence: number; arousal: number }): Mood {
  let best: Mood = MOODS[0];
  let bestDistance = Infinity;
  for (const mood of MOODS) {
    const point = MOOD_EMOTION[mood];
    const distance =
      (point.valence - emotion.valence) ** 2 + (point.arousal - emotion.arousal) ** 2;
    if (distance < bestDistance) {
      best = mood;
      bestDistance = distance;
    }
  }
  return best;
}

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
  /** A key: its tonic, its mode, or both (either one left to the picture). */
  key?: { tonic?: Tonic | undefined; mode?: Mode | undefined } | undefined;
}

export interface PlanInput {
  features: ImageFeatures;
  text: TextCues;
  seconds: number;
  controls?: PlanControls | undefined;
  /** Plan a seamless loop (see MusicPlan.form.loop). */
  loop?: boolean | undefined;
  /** What the picture shows (content analysis); without it the colour reading stands alone. */
  reading?: ImageReading | undefined;
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
): { style: Style; reason: Bilingual } {
  if (text.style) {
    const name = requireStyle(text.style).names;
    return {
      style: text.style,
      reason: { en: `“${text.style}” as asked`, zh: `按你的要求：${name.zh}` },
    };
  }
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
  const { reading } = input;
  const colourReading = estimateEmotion(features);
  // The content-aware reading replaces the colour one; its colour drivers still explain it.
  const image = reading
    ? { valence: reading.valence, arousal: reading.arousal, drivers: colourReading.drivers }
    : colourReading;
  const chosenMood = controls.mood ? MOOD_EMOTION[controls.mood] : undefined;
  // The chosen mood outranks the words, and the words pull the picture's reading their way.
  const blended = (axis: 'valence' | 'arousal'): number => {
    const worded = text[axis];
    if (chosenMood) return round(chosenMood[axis]);
    if (worded === undefined) return round(image[axis]);
    return round((1 - TEXT_WEIGHT) * image[axis] + TEXT_WEIGHT * worded);
  };
  const valence = blended('valence');
  const arousal = blended('arousal');
  const askedMode = controls.key?.mode ?? text.mode;
  const contentMode = askedMode ? undefined : steeredMode(reading);
  const mode: Mode = askedMode ?? contentMode?.value ?? (valence >= 0 ? 'major' : 'minor');
  const loop = input.loop === true;
  const contentStyle =
    text.style || controls.style ? undefined : steeredStyle(reading, { valence, arousal });
  const chosen = contentStyle
    ? { style: contentStyle.value, reason: contentStyle.reason }
    : chooseStyle(valence, arousal, features, text);
  const style = controls.style ?? chosen.style;
  const styleReason: Bilingual = controls.style
    ? {
        en: `${controls.style} as you chose`,
        zh: `你选择了${requireStyle(controls.style).names.zh}`,
      }
    : chosen.reason;
  const key = controls.key?.tonic ? namedKey(controls.key.tonic, mode) : chooseKey(mode, features);
  let tempo = chooseTempo(style, valence, arousal, features) * tempoLean(reading);
  if (text.tempo === 'slower') tempo *= 0.85;
  if (text.tempo === 'faster') tempo *= 1.15;
  if (controls.tempoBpm !== undefined) tempo = clamp(controls.tempoBpm, 50, 180);
  const declaration = requireStyle(style);
  const meterChoice = declaration.meter({ valence, arousal, features });
  const meter = meterOf(...meterParts(meterChoice.meter));
  // A loop has no ending to slow into and no tail: its bars fill the whole length.
  const ritardando = loop ? 1 : RITARDANDO;
  // The tail is the mix's: long enough for the style's reverb to finish before the file ends.
  const tailSeconds = loop ? 0 : declaration.mix.bus.tailSeconds;
  const fit = fitBars(tempo, meter.barTicks, ritardando, Math.max(1, seconds - tailSeconds), !loop);
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
  // A lead instrument named in the text ("violin", "二胡") takes the melody; the band stays. Without
  // one, what the picture shows may suggest a lead (a portrait → a warm solo instrument), except
  // where one instrument plays the whole piece.
  const lead = controls.instrument ?? text.instrument;
  const oneInstrument =
    chosenInstrumentation.melody.program === chosenInstrumentation.chords.program;
  const contentLead = lead || oneInstrument ? undefined : steeredLead(reading, style);
  const melodyInstrument = lead
    ? { program: lead.program, name: lead.name }
    : (contentLead?.value ?? chosenInstrumentation.melody);
  const instrumentation = { ...chosenInstrumentation, melody: melodyInstrument };
  const textures = steeredTextures(reading);
  // Ambient music breathes in long notes whatever the image, so its density starts lower.
  const sparse = textures.includes('sparse') || textures.includes('intimate-solo') ? -0.12 : 0;
  const density = round(
    clamp(
      0.5 + 0.35 * arousal + 0.15 * (features.texture - 0.3) + declaration.densityOffset + sparse,
      0,
      1,
    ),
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

  const reasons: Bilingual[] = [describeImageEmotion(features, colourReading)];
  if (reading) {
    reasons.push({
      en:
        `${reading.description.en} → valence ${signed(reading.valence)}, arousal ${signed(reading.arousal)} ` +
        '(what the picture shows, with its colours)',
      zh: `${reading.description.zh} → 愉悦度 ${signed(reading.valence)}，唤醒度 ${signed(reading.arousal)}（画面内容与色彩）`,
    });
    if (contentMode) reasons.push(contentMode.reason);
    if (contentLead) reasons.push(contentLead.reason);
    for (const t of reading.steering.textures
      .filter((x) => textures.includes(x.texture))
      .slice(0, 2)) {
      if (!reasons.some((r) => r.en === t.reason.en))
        reasons.push({ en: t.reason.en, zh: t.reason.zh });
    }
  }
  if (controls.mood) {
    reasons.push({
      en: `your chosen mood “${controls.mood}” → valence ${signed(valence)}, arousal ${signed(arousal)}`,
      zh: `你选择的情绪“${MOOD_NAMES_ZH[controls.mood]}” → 愉悦度 ${signed(valence)}，唤醒度 ${signed(arousal)}`,
    });
  } else {
    const wordsReason = describeWordEffects(text, image, { valence, arousal });
    if (wordsReason) reasons.push(wordsReason);
  }
  const leadZh = lead ? instrumentName({ program: lead.program, name: lead.name }, 'zh') : '';
  if (controls.instrument) {
    reasons.push({
      en: `your chosen instrument “${controls.instrument.word}” → ${controls.instrument.name} melody`,
      zh: `你选择的乐器“${controls.instrument.word}” → 由${leadZh}演奏旋律`,
    });
  } else if (text.instrument) {
    reasons.push({
      en: `your word “${text.instrument.word}” → ${text.instrument.name} melody`,
      zh: `你的词“${text.instrument.word}” → 由${leadZh}演奏旋律`,
    });
  }
  const modeReason = controls.key
    ? { en: 'key as you chose', zh: '按你选择的调' }
    : text.mode
      ? { en: 'as asked', zh: '按你的要求' }
      : valence >= 0
        ? { en: 'positive valence', zh: '愉悦度为正' }
        : { en: 'negative valence', zh: '愉悦度为负' };
  const tempoReason =
    controls.tempoBpm !== undefined
      ? {
          en: `, tempo ${Math.round(controls.tempoBpm)} BPM as you chose`,
          zh: `，按你选择的每分钟 ${Math.round(controls.tempoBpm)} 拍`,
        }
      : text.tempo
        ? {
            en: `, ${text.tempo} as asked`,
            zh: text.tempo === 'faster' ? '，按要求加快' : '，按要求放慢',
          }
        : { en: '', zh: '' };
  const lighter = features.brightness >= 0.45;
  reasons.push({
    en: `${modeReason.en}, ${lighter ? 'lighter' : 'darker'} picture → ${key.name}, ${Math.round(fit.tempo)} BPM${tempoReason.en}`,
    zh:
      `${modeReason.zh}，画面${lighter ? '偏亮' : '偏暗'} → ${key.tonic}${key.mode === 'major' ? '大调' : '小调'}，` +
      `每分钟 ${Math.round(fit.tempo)} 拍${tempoReason.zh}`,
  });
  reasons.push(styleReason);
  if (meterChoice.reason) reasons.push(meterChoice.reason);
  const band = [
    instrumentation.melody,
    instrumentation.chords,
    instrumentation.bass,
    instrumentation.pad,
    instrumentation.drums,
  ].filter((i): i is GmInstrument => i !== null);
  const solo = band.every(
    (i) => i === instrumentation.drums || i.program === instrumentation.melody.program,
  );
  reasons.push(
    solo
      ? {
          en: `${instrumentation.melody.name} alone: tune, chords and bass`,
          zh: `${instrumentName(instrumentation.melody, 'zh')}独奏：旋律、和弦与低音`,
        }
      : {
          en: `${instrumentation.melody.name} melody, ${band
            .slice(1)
            .map((i) => i.name)
            .join(', ')}`,
          zh: `${instrumentName(instrumentation.melody, 'zh')}演奏旋律，${band
            .slice(1)
            .map((i) => (i === instrumentation.drums ? '鼓' : instrumentName(i, 'zh')))
            .join('、')}伴奏`,
        },
  );
  if (loop) {
    reasons.push({
      en: 'a seamless loop: no ending, the last bar leads back to the first',
      zh: '无缝循环：没有结尾，最后一小节引回第一小节',
    });
  }
  reasons.push({
    en:
      `${fit.bars} bars of ${meter.name} (${sections.map((s) => `${s.name} ${s.bars}`).join(', ')}); ` +
      "the melody rises and falls with the image's skyline, left to right",
    zh:
      `${fit.bars} 小节，${meter.name} 拍（${sections.map((s) => `${SECTION_NAMES_ZH[s.name]} ${s.bars}`).join('，')}）；` +
      '旋律随画面从左到右的轮廓起伏',
  });
  // One line per reason: the same content rule can choose the style, the lead and a texture.
  const details = reasons.filter((r, i) => reasons.findIndex((x) => x.en === r.en) === i);
  const story = tellStory({
    features,
    seen: reading?.description,
    valence,
    arousal,
    wordsShaped: controls.mood !== undefined || text.moods.length > 0,
    style,
    styleChosen: controls.style !== undefined || text.style !== undefined,
    noun: declaration.noun,
    key,
    tempoBpm: fit.tempo,
    meter: meter.name,
    instrumentation,
    sections,
    loop,
    details,
  });

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
    // A picture of a table set for dinner may ask for swing where the style has none.
    swing: declaration.swing || (textures.includes('swing') ? 0.18 : 0),
    sevenths: declaration.composition.harmony.extensions !== 'triads',
    melody: { homeNote: register.home, density, contour, low: register.low, high: register.high },
    textures,
    tailSeconds,
    reverb,
    textWords: text.matched,
    explanation: details.map((r) => r.en).join('; '),
    story,
  };
}
