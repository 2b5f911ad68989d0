/**
 * A deliberately small reading of the user's description: a few English and Chinese mood,
 * tempo and mode words. The user's words outrank the image (DESIGN.md), so these cues are
 * applied after the colour-derived emotion in music-plan.ts.
 */

export type TempoHint = 'slower' | 'faster';

export interface TextCues {
  /** Recognised words in order of appearance; negated ones are prefixed with "not ". */
  matched: string[];
  /** Mean valence of the recognised mood words, −1..1, or undefined if none. */
  valence: number | undefined;
  /** Mean arousal of the recognised mood words, −1..1, or undefined if none. */
  arousal: number | undefined;
  tempo: TempoHint | undefined;
  mode: 'major' | 'minor' | undefined;
}

interface MoodEntry {
  en: readonly string[];
  zh: readonly string[];
  valence: number;
  arousal: number;
}

// Valence/arousal positions follow the usual circumplex placement of these words (Russell 1980).
const MOODS: readonly MoodEntry[] = [
  {
    en: [
      'calm',
      'calming',
      'peaceful',
      'serene',
      'quiet',
      'relaxing',
      'relaxed',
      'gentle',
      'tranquil',
      'soft',
    ],
    zh: ['平静', '安静', '宁静', '放松', '温柔', '舒缓', '安详'],
    valence: 0.3,
    arousal: -0.7,
  },
  {
    en: [
      'happy',
      'happiness',
      'joy',
      'joyful',
      'cheerful',
      'bright',
      'sunny',
      'fun',
      'playful',
      'hopeful',
    ],
    zh: ['快乐', '开心', '高兴', '欢乐', '愉快', '明亮', '阳光', '希望'],
    valence: 0.8,
    arousal: 0.3,
  },
  {
    en: [
      'sad',
      'sadness',
      'melancholy',
      'melancholic',
      'lonely',
      'sorrow',
      'grief',
      'gloomy',
      'nostalgic',
      'rain',
      'rainy',
    ],
    zh: ['悲伤', '难过', '伤心', '忧伤', '孤独', '忧郁', '思念', '雨'],
    valence: -0.7,
    arousal: -0.4,
  },
  {
    en: [
      'energetic',
      'energy',
      'exciting',
      'excited',
      'epic',
      'intense',
      'powerful',
      'dance',
      'party',
      'upbeat',
    ],
    zh: ['激动', '兴奋', '活力', '激昂', '热烈', '动感', '热闹'],
    valence: 0.4,
    arousal: 0.85,
  },
  {
    en: [
      'night',
      'midnight',
      'moon',
      'moonlight',
      'dark',
      'mysterious',
      'mystery',
      'dream',
      'dreamy',
    ],
    zh: ['夜', '夜晚', '深夜', '月光', '月亮', '黑暗', '神秘', '梦'],
    valence: -0.3,
    arousal: -0.4,
  },
  {
    en: ['love', 'romantic', 'tender', 'warm'],
    zh: ['爱', '浪漫', '温暖', '温馨'],
    valence: 0.6,
    arousal: -0.1,
  },
  {
    en: ['angry', 'anger', 'tense', 'scary', 'fear', 'storm', 'stormy', 'chaos', 'war'],
    zh: ['愤怒', '紧张', '恐惧', '暴风', '混乱', '战争'],
    valence: -0.7,
    arousal: 0.8,
  },
];

const TEMPO_WORDS: readonly { en: readonly string[]; zh: readonly string[]; hint: TempoHint }[] = [
  { en: ['slow', 'slowly', 'lazy'], zh: ['慢', '缓慢'], hint: 'slower' },
  // Not the bare 快: it also starts 快乐 (happy).
  {
    en: ['fast', 'quick', 'rapid', 'speed'],
    zh: ['快速', '快节奏', '急促', '飞快'],
    hint: 'faster',
  },
];

const MODE_WORDS: readonly {
  en: readonly string[];
  zh: readonly string[];
  mode: 'major' | 'minor';
}[] = [
  { en: ['major'], zh: ['大调'], mode: 'major' },
  { en: ['minor'], zh: ['小调'], mode: 'minor' },
];

const EN_NEGATIONS = new Set(['not', 'no', 'never', 'without', "isn't", "don't", "doesn't", 'nor']);
const ZH_NEGATIONS = ['不', '没', '别', '无'];

type Kind =
  | { type: 'mood'; entry: MoodEntry }
  | { type: 'tempo'; hint: TempoHint }
  | { type: 'mode'; mode: 'major' | 'minor' };

interface Hit {
  index: number;
  word: string;
  negated: boolean;
  kind: Kind;
}

function lexicon(): { word: string; zh: boolean; kind: Kind }[] {
  const all: { word: string; zh: boolean; kind: Kind }[] = [];
  for (const entry of MOODS) {
    for (const w of entry.en) all.push({ word: w, zh: false, kind: { type: 'mood', entry } });
    for (const w of entry.zh) all.push({ word: w, zh: true, kind: { type: 'mood', entry } });
  }
  for (const t of TEMPO_WORDS) {
    for (const w of t.en) all.push({ word: w, zh: false, kind: { type: 'tempo', hint: t.hint } });
    for (const w of t.zh) all.push({ word: w, zh: true, kind: { type: 'tempo', hint: t.hint } });
  }
  for (const m of MODE_WORDS) {
    for (const w of m.en) all.push({ word: w, zh: false, kind: { type: 'mode', mode: m.mode } });
    for (const w of m.zh) all.push({ word: w, zh: true, kind: { type: 'mode', mode: m.mode } });
  }
  return all;
}

const LEXICON = lexicon();
const EN_LEXICON = new Map(LEXICON.filter((e) => !e.zh).map((e) => [e.word, e.kind]));
// Longest first so 夜晚 wins over 夜 and each character is read once.
const ZH_LEXICON = LEXICON.filter((e) => e.zh).sort((a, b) => b.word.length - a.word.length);

/** Longest description we read; anything longer is almost certainly not a mood description. */
const MAX_TEXT_LENGTH = 2000;

export function readTextCues(text: string | undefined): TextCues {
  const hits: Hit[] = [];
  const source = (text ?? '').slice(0, MAX_TEXT_LENGTH).toLowerCase();

  for (const match of source.matchAll(/[a-z']+/g)) {
    const word = match[0];
    const kind = EN_LEXICON.get(word);
    if (!kind) continue;
    const before = source.slice(0, match.index).match(/[a-z']+/g) ?? [];
    const negated = before.slice(-2).some((w) => EN_NEGATIONS.has(w));
    hits.push({ index: match.index, word, negated, kind });
  }

  const taken = new Array<boolean>(source.length).fill(false);
  for (const { word, kind } of ZH_LEXICON) {
    let from = 0;
    for (;;) {
      const index = source.indexOf(word, from);
      if (index < 0) break;
      from = index + word.length;
      if (taken.slice(index, index + word.length).some(Boolean)) continue;
      taken.fill(true, index, index + word.length);
      const negated = ZH_NEGATIONS.includes(source[index - 1] ?? '');
      hits.push({ index, word, negated, kind });
    }
  }
  hits.sort((a, b) => a.index - b.index);

  let valenceSum = 0;
  let arousalSum = 0;
  let moodCount = 0;
  let tempo: TempoHint | undefined;
  let mode: 'major' | 'minor' | undefined;
  for (const hit of hits) {
    if (hit.kind.type === 'mood') {
      // "not calm" is not the opposite of calm, so a negated word only pulls half as far, reversed.
      const sign = hit.negated ? -0.5 : 1;
      valenceSum += sign * hit.kind.entry.valence;
      arousalSum += sign * hit.kind.entry.arousal;
      moodCount++;
    } else if (!hit.negated && hit.kind.type === 'tempo') {
      tempo = hit.kind.hint;
    } else if (!hit.negated && hit.kind.type === 'mode') {
      mode = hit.kind.mode;
    }
  }
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    matched: hits.map((h) => (h.negated ? `not ${h.word}` : h.word)),
    valence: moodCount > 0 ? round(valenceSum / moodCount) : undefined,
    arousal: moodCount > 0 ? round(arousalSum / moodCount) : undefined,
    tempo,
    mode,
  };
}
