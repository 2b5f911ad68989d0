import type { ImageFeatures } from '../perception/image-features.js';
import type { TextCues } from '../perception/text-cues.js';
import type { Bilingual } from './explain.js';

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
export const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;

/** One named push on valence or arousal, kept so the explanation can say what drove the mood. */
export interface EmotionDriver {
  /** Plain words for the explanation, e.g. "rich colour" / "色彩丰富". */
  cue: string;
  cueZh: string;
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
      cueZh: light >= 0 ? '明亮的色调' : '暗沉的色调',
      valence: 0.5 * light,
      arousal: -0.15 * light,
    },
    {
      cue: colour >= 0 ? 'rich colour' : 'muted colour',
      cueZh: colour >= 0 ? '色彩丰富' : '色彩柔和',
      valence: 0.5 * colour,
      arousal: 0.55 * colour,
    },
    {
      cue: warmth >= 0 ? 'warm hues' : 'cool hues',
      cueZh: warmth >= 0 ? '暖色' : '冷色',
      valence: 0,
      arousal: 0.2 * warmth,
    },
    {
      cue: lines >= 0 ? 'diagonal, dynamic lines' : 'level, static lines',
      cueZh: lines >= 0 ? '倾斜、有动感的线条' : '平稳、静止的线条',
      valence: 0,
      arousal: 0.35 * lines,
    },
    {
      cue: texture >= 0 ? 'busy detail' : 'smooth surfaces',
      cueZh: texture >= 0 ? '丰富的细节' : '平滑的表面',
      valence: 0,
      arousal: 0.1 * texture,
    },
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
export function describeImageEmotion(features: ImageFeatures, image: EmotionEstimate): Bilingual {
  const strong = image.drivers
    .filter((d) => Math.abs(d.valence) + Math.abs(d.arousal) >= 0.1)
    .slice(0, 3);
  const palette = describePalette(features);
  const cues = strong.map((d) => d.cue);
  const cuesZh = strong.map((d) => d.cueZh);
  return {
    en:
      `${palette.en}${cues.length > 0 ? ` (${cues.join(', ')})` : ''} → ` +
      `valence ${signed(image.valence)}, arousal ${signed(image.arousal)} ` +
      '(colour → emotion: Valdez & Mehrabian 1994, Palmer et al. 2013)',
    zh:
      `${palette.zh}${cuesZh.length > 0 ? `（${cuesZh.join('、')}）` : ''} → ` +
      `愉悦度 ${signed(image.valence)}，唤醒度 ${signed(image.arousal)}` +
      '（色彩与情绪：Valdez & Mehrabian 1994，Palmer 等 2013）',
  };
}

/** How far a word must pull from the picture's reading before we say it changed something. */
const WORD_EFFECT_MIN = 0.15;

/** What a mood word did to the picture's reading, per axis and direction, in saying order. */
const WORD_EFFECTS: readonly {
  axis: 'arousal' | 'valence';
  sign: 1 | -1;
  en: string;
  zh: string;
}[] = [
  { axis: 'arousal', sign: 1, en: 'raised the energy', zh: '提升了能量' },
  { axis: 'arousal', sign: -1, en: 'calmed it', zh: '让它平静下来' },
  { axis: 'valence', sign: 1, en: 'brightened the mood', zh: '让情绪更明亮' },
  { axis: 'valence', sign: -1, en: 'darkened the mood', zh: '让情绪更暗淡' },
];

/**
 * "your word “festival” raised the energy and brightened the mood → valence +0.55, arousal
 * +0.61": the user's words outrank the image, so the explanation says what each one changed.
 */
export function describeWordEffects(
  text: TextCues,
  image: EmotionEstimate,
  result: { valence: number; arousal: number },
): Bilingual | undefined {
  if (text.moods.length === 0) return undefined;
  const effects = text.moods.map((m) => {
    const change = { arousal: m.arousal - image.arousal, valence: m.valence - image.valence };
    const said = WORD_EFFECTS.filter((e) => e.sign * change[e.axis] > WORD_EFFECT_MIN);
    const en = said.map((e) => e.en);
    const zh = said.map((e) => e.zh);
    return {
      en: `“${m.word}” ${en.length > 0 ? en.join(' and ') : 'agreed with the picture'}`,
      zh: `“${m.word}”${zh.length > 0 ? zh.join('并') : '与画面一致'}`,
    };
  });
  return {
    en:
      `your word${text.moods.length > 1 ? 's' : ''} ${effects.map((e) => e.en).join(', ')} → ` +
      `valence ${signed(result.valence)}, arousal ${signed(result.arousal)} (words outrank the image)`,
    zh:
      `你的描述${effects.map((e) => e.zh).join('，')} → ` +
      `愉悦度 ${signed(result.valence)}，唤醒度 ${signed(result.arousal)}（文字优先于图片）`,
  };
}

export function describePalette(features: ImageFeatures): Bilingual {
  const light =
    features.brightness < 0.2
      ? ['very dark', '很暗']
      : features.brightness < 0.38
        ? ['dark', '偏暗']
        : features.brightness < 0.55
          ? ['mid-tone', '明暗适中']
          : features.brightness < 0.7
            ? ['light', '明亮']
            : ['bright', '非常明亮'];
  const colour =
    features.saturation < 0.1
      ? ['grey', '灰调']
      : features.saturation < 0.25
        ? ['muted', '柔和']
        : features.saturation < 0.5
          ? ['colourful', '多彩']
          : ['vivid', '鲜艳'];
  const temperature =
    features.warmth > 0.25
      ? ['warm', '暖']
      : features.warmth < -0.25
        ? ['cool', '冷']
        : ['neutral', '中性'];
  return {
    en: `${light[0]}, ${colour[0]}, ${temperature[0]} palette`,
    zh: `${light[1]}、${colour[1]}、${temperature[1]}色调的配色`,
  };
}
