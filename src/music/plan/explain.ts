import type { ImageFeatures } from '../perception/image-features.js';
import type { Style } from '../styles/style-registry.js';
import { instrumentName } from './instrument-names.js';
import type { Instrumentation } from './instruments.js';
import type { PlanSection } from './music-plan.js';

/**
 * The explanation a listener reads, in English and Chinese: what we saw, what we chose and why,
 * in plain words; the numbers behind it (valence and arousal, the drivers, bars and sections)
 * are the details, shown on request. Built from the plan's own decisions, so it stays true to
 * every choice.
 */

export interface Bilingual {
  en: string;
  zh: string;
}

export interface PlanStory {
  /** A short paragraph: what we saw → what we wrote. */
  summary: Bilingual;
  /** One line per decision, with the numbers. */
  details: Bilingual[];
}

export interface StoryFacts {
  features: ImageFeatures;
  /** What the picture shows, when content analysis ran ("a lighthouse on a rocky coast"). */
  seen?: Bilingual | undefined;
  valence: number;
  arousal: number;
  /** The user's words or chosen mood moved the reading. */
  wordsShaped: boolean;
  style: Style;
  styleChosen: boolean;
  /** "a folk tune" / "一首民谣", from the style's declaration. */
  noun: Bilingual;
  key: { tonic: string; mode: 'major' | 'minor' };
  tempoBpm: number;
  meter: string;
  instrumentation: Instrumentation;
  sections: readonly PlanSection[];
  loop: boolean;
  details: Bilingual[];
}

/** Words for the first step whose bound `value` is below, or `top` above them all. */
function wordsBelow(
  value: number,
  steps: readonly (readonly [below: number, words: Bilingual])[],
  top: Bilingual,
): Bilingual {
  return steps.find(([below]) => value < below)?.[1] ?? top;
}

function paletteWords(f: ImageFeatures): Bilingual {
  const light = wordsBelow(
    f.brightness,
    [
      [0.2, { en: 'very dark', zh: '很暗' }],
      [0.38, { en: 'dark', zh: '偏暗' }],
      [0.55, { en: 'mid-toned', zh: '明暗适中' }],
      [0.7, { en: 'light', zh: '明亮' }],
    ],
    { en: 'bright', zh: '非常明亮' },
  );
  const colour = wordsBelow(
    f.saturation,
    [
      [0.1, { en: 'grey', zh: '灰调' }],
      [0.25, { en: 'muted', zh: '色彩柔和' }],
      [0.5, { en: 'colourful', zh: '色彩丰富' }],
    ],
    { en: 'vivid', zh: '色彩鲜艳' },
  );
  const warmth =
    f.warmth > 0.25
      ? { en: 'warm', zh: '暖色调' }
      : f.warmth < -0.25
        ? { en: 'cool', zh: '冷色调' }
        : null;
  const en = [warmth?.en, light.en, colour.en].filter(Boolean).join(', ');
  const zh = [warmth?.zh, light.zh, colour.zh].filter(Boolean).join('、');
  return { en, zh };
}

function moodWords(valence: number, arousal: number): Bilingual {
  if (valence >= 0.25 && arousal >= 0.25) return { en: 'bright and lively', zh: '明快而活泼' };
  if (valence >= 0.25 && arousal <= -0.2) return { en: 'calm and pleasant', zh: '平静而愉悦' };
  if (valence >= 0.25) return { en: 'warm and pleasant', zh: '温暖而愉悦' };
  if (valence <= -0.25 && arousal >= 0.25) return { en: 'tense and restless', zh: '紧张不安' };
  if (valence <= -0.25 && arousal <= -0.2) return { en: 'sad and still', zh: '忧伤而安静' };
  if (valence <= -0.25) return { en: 'wistful', zh: '略带忧郁' };
  if (arousal >= 0.3) return { en: 'energetic', zh: '充满活力' };
  if (arousal <= -0.3) return { en: 'quiet and gentle', zh: '安静而温和' };
  return { en: 'balanced, neither happy nor sad', zh: '平和，不悲不喜' };
}

function keyWords(key: StoryFacts['key']): Bilingual {
  return {
    en: `${key.tonic} ${key.mode}`,
    zh: `${key.tonic}${key.mode === 'major' ? '大调' : '小调'}`,
  };
}

function meterWords(meter: string): Bilingual | null {
  if (meter === '3/4') return { en: ', in waltz time (3/4)', zh: '，三拍子（3/4）' };
  if (meter === '6/8') return { en: ', in a lilting 6/8', zh: '，6/8 拍的摇曳节奏' };
  return null;
}

function bandWords(band: Instrumentation): Bilingual {
  const lead = { en: instrumentName(band.melody, 'en'), zh: instrumentName(band.melody, 'zh') };
  if (band.melody.program === band.chords.program && band.chords.program === band.bass.program) {
    return { en: `one ${lead.en} plays it all`, zh: `由一架${lead.zh}独自演奏` };
  }
  const others: Bilingual[] = [
    { en: instrumentName(band.chords, 'en'), zh: instrumentName(band.chords, 'zh') },
    { en: instrumentName(band.bass, 'en'), zh: instrumentName(band.bass, 'zh') },
  ];
  if (band.pad)
    others.push({ en: instrumentName(band.pad, 'en'), zh: instrumentName(band.pad, 'zh') });
  if (band.drums) {
    others.push(
      band.drums.program === 40 ? { en: 'brushed drums', zh: '鼓刷' } : { en: 'drums', zh: '鼓' },
    );
  }
  const list = (items: string[], and: string, sep: string): string =>
    items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(sep)}${and}${items.at(-1)}`;
  return {
    en: `the ${lead.en} carries the tune over ${list(
      others.map((o) => o.en),
      ' and ',
      ', ',
    )}`,
    zh: `${lead.zh}演奏旋律，${list(
      others.map((o) => o.zh),
      '和',
      '、',
    )}伴奏`,
  };
}

export function formWords(sections: readonly PlanSection[], loop: boolean): Bilingual {
  if (loop) return { en: 'It loops seamlessly, with no ending.', zh: '它可以无缝循环，没有结尾。' };
  const returns = sections.filter((s) => s.name === 'reprise').length;
  const contrast = sections.some((s) => s.name === 'contrast');
  if (returns >= 2) {
    return {
      en: `The theme comes back ${returns} times, the last time fullest.`,
      zh: `主题会再出现 ${returns} 次，最后一次最饱满。`,
    };
  }
  if (returns === 1 && contrast) {
    return {
      en: 'The theme comes back after a contrasting middle.',
      zh: '主题在一段对比之后再次回来。',
    };
  }
  return { en: 'A short piece built on one theme.', zh: '一首围绕一个主题的短曲。' };
}

export function tellStory(facts: StoryFacts): PlanStory {
  const palette = paletteWords(facts.features);
  const seen = facts.seen ?? {
    en: `a ${palette.en} picture`,
    zh: `一幅${palette.zh}的画面`,
  };
  const mood = moodWords(facts.valence, facts.arousal);
  const style = facts.noun;
  const key = keyWords(facts.key);
  const meter = meterWords(facts.meter);
  const band = bandWords(facts.instrumentation);
  const form = formWords(facts.sections, facts.loop);
  const bpm = Math.round(facts.tempoBpm);
  const why = facts.styleChosen
    ? { en: ', as you asked,', zh: '（按你的要求）' }
    : { en: '', zh: '' };
  const felt = facts.wordsShaped
    ? { en: `With your words it feels ${mood.en}`, zh: `结合你的描述，它显得${mood.zh}` }
    : { en: `It feels ${mood.en}`, zh: `它显得${mood.zh}` };
  const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return {
    summary: {
      en:
        `We saw ${seen.en}. ${felt.en}, so we wrote ${style.en}${why.en} in ${key.en} at ${bpm} ` +
        `beats a minute${meter?.en ?? ''}: ${band.en}. ${form.en}`,
      zh:
        `我们看到了${seen.zh}。${felt.zh}，所以我们写了${style.zh}${why.zh}，${key.zh}，每分钟 ${bpm} 拍` +
        `${meter?.zh ?? ''}：${band.zh}。${form.zh}`,
    },
    details: facts.details.map((d) => ({ en: capital(d.en), zh: d.zh })),
  };
}
