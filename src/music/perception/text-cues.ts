/**
 * A deliberately small reading of the user's description: English and Chinese mood and scene
 * words (occasions, seasons, times of day, places), tempo, mode, genre and instrument words. The user's words outrank the image (DESIGN.md), so these cues are
 * applied after the colour-derived emotion in music-plan.ts.
 */

import { STYLE_DECLARATIONS, type Style } from '../styles/style-registry.js';

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
  /** The first genre or instrument word that names a style ("jazz", "钢琴"), if any. */
  style: Style | undefined;
  /** Each recognised mood/scene word with where it points (negation applied), for explanations. */
  moods: { word: string; valence: number; arousal: number }[];
  /** The first lead-instrument word ("violin", "二胡") as a General MIDI program, if any. */
  instrument: { word: string; program: number; name: string } | undefined;
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
    zh: ['快乐', '开心', '高兴', '欢乐', '愉快', '欢快', '喜悦', '明亮', '阳光', '希望'],
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
    zh: ['激动', '兴奋', '活力', '激昂', '热烈', '动感', '热闹', '跳舞', '派对'],
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
  // Scenes: occasions, seasons, times of day and places, placed by the feelings they usually
  // carry (festivals are joyful and lively, autumn wistful, dusk and forests quiet). They count
  // like mood words, so "a festival" lifts the energy of even a dim photo.
  {
    en: [
      'festival',
      'festive',
      'celebration',
      'celebrate',
      'carnival',
      'holiday',
      'birthday',
      'wedding',
      'fireworks',
      'christmas',
    ],
    zh: ['节日', '庆典', '庆祝', '狂欢', '春节', '新年', '过年', '生日', '婚礼', '烟花', '圣诞'],
    valence: 0.8,
    arousal: 0.7,
  },
  {
    en: ['spring', 'springtime', 'blossom', 'bloom'],
    zh: ['春', '春天', '花开', '樱花'],
    valence: 0.6,
    arousal: 0.2,
  },
  {
    en: ['summer', 'summertime', 'noon', 'midday'],
    zh: ['夏', '夏天', '盛夏', '中午', '正午'],
    valence: 0.6,
    arousal: 0.5,
  },
  {
    en: ['autumn', 'harvest'],
    zh: ['秋', '秋天', '落叶', '金秋'],
    valence: -0.1,
    arousal: -0.3,
  },
  {
    en: ['winter', 'snow', 'snowy', 'frost', 'ice'],
    zh: ['冬', '冬天', '雪', '下雪', '冰'],
    valence: -0.1,
    arousal: -0.5,
  },
  {
    en: ['morning', 'dawn', 'sunrise', 'daybreak'],
    zh: ['早晨', '清晨', '早上', '黎明', '日出'],
    valence: 0.5,
    arousal: 0,
  },
  {
    en: ['evening', 'dusk', 'sunset', 'twilight'],
    zh: ['傍晚', '黄昏', '日落', '夕阳', '晚霞'],
    valence: 0.2,
    arousal: -0.4,
  },
  {
    en: ['sea', 'ocean', 'beach', 'shore', 'lake', 'river'],
    zh: ['海', '大海', '海边', '海滩', '湖', '河'],
    valence: 0.4,
    arousal: -0.3,
  },
  {
    en: ['mountain', 'mountains', 'forest', 'woods', 'meadow', 'countryside', 'garden'],
    zh: ['山', '高山', '森林', '树林', '草原', '田野', '乡间', '花园'],
    valence: 0.4,
    arousal: -0.4,
  },
  {
    en: ['city', 'street', 'streets', 'downtown', 'traffic', 'neon'],
    zh: ['城市', '街道', '都市', '街头', '霓虹', '上海', '北京'],
    valence: 0.1,
    arousal: 0.5,
  },
  {
    en: ['home', 'hometown', 'childhood', 'memories', 'memory'],
    zh: ['家乡', '故乡', '童年', '回忆'],
    valence: 0.3,
    arousal: -0.3,
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

// Genre and signature-instrument words, declared with each style. Not "epic" or "dance": those
// are mood words above.
const STYLE_WORDS: readonly { en: readonly string[]; zh: readonly string[]; style: Style }[] =
  STYLE_DECLARATIONS.map((d) => ({ en: d.words.en, zh: d.words.zh, style: d.id }));

/**
 * Lead-instrument words → General MIDI program for the melody. Piano, guitar, synth and
 * orchestra are style words above, so they are not repeated here.
 */
const INSTRUMENT_WORDS: readonly {
  en: readonly string[];
  zh: readonly string[];
  program: number;
  name: string;
}[] = [
  { en: ['violin', 'fiddle'], zh: ['小提琴'], program: 40, name: 'Violin' },
  { en: ['cello'], zh: ['大提琴'], program: 42, name: 'Cello' },
  { en: ['strings'], zh: ['弦乐'], program: 48, name: 'String Ensemble 1' },
  { en: ['flute', 'dizi'], zh: ['长笛', '笛子', '竹笛'], program: 73, name: 'Flute' },
  { en: ['harp'], zh: ['竖琴'], program: 46, name: 'Orchestral Harp' },
  { en: ['trumpet'], zh: ['小号'], program: 56, name: 'Trumpet' },
  { en: ['saxophone', 'sax'], zh: ['萨克斯'], program: 65, name: 'Alto Sax' },
  { en: ['clarinet'], zh: ['单簧管'], program: 71, name: 'Clarinet' },
  { en: ['oboe'], zh: ['双簧管'], program: 68, name: 'Oboe' },
  { en: ['harmonica'], zh: ['口琴'], program: 22, name: 'Harmonica' },
  { en: ['accordion'], zh: ['手风琴'], program: 21, name: 'Accordion' },
  { en: ['organ'], zh: ['管风琴', '风琴'], program: 19, name: 'Church Organ' },
  { en: ['choir', 'voices'], zh: ['合唱', '人声'], program: 52, name: 'Choir Aahs' },
  { en: ['bells', 'celesta'], zh: ['钟声', '铃声'], program: 8, name: 'Celesta' },
  { en: ['vibraphone', 'vibes'], zh: ['颤音琴'], program: 11, name: 'Vibraphone' },
  { en: ['marimba'], zh: ['马林巴'], program: 12, name: 'Marimba' },
  { en: ['guzheng', 'koto', 'zither'], zh: ['古筝'], program: 107, name: 'Koto' },
  { en: ['erhu'], zh: ['二胡', '胡琴'], program: 110, name: 'Fiddle' },
  { en: ['pipa', 'shamisen'], zh: ['琵琶'], program: 106, name: 'Shamisen' },
  { en: ['sitar'], zh: ['西塔琴'], program: 104, name: 'Sitar' },
];

const EN_NEGATIONS = new Set(['not', 'no', 'never', 'without', "isn't", "don't", "doesn't", 'nor']);
const ZH_NEGATIONS = ['不', '没', '别', '无'];

type Kind =
  | { type: 'mood'; entry: MoodEntry }
  | { type: 'tempo'; hint: TempoHint }
  | { type: 'mode'; mode: 'major' | 'minor' }
  | { type: 'style'; style: Style }
  | { type: 'instrument'; program: number; name: string };

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
  for (const g of STYLE_WORDS) {
    for (const w of g.en) all.push({ word: w, zh: false, kind: { type: 'style', style: g.style } });
    for (const w of g.zh) all.push({ word: w, zh: true, kind: { type: 'style', style: g.style } });
  }
  for (const i of INSTRUMENT_WORDS) {
    const kind: Kind = { type: 'instrument', program: i.program, name: i.name };
    for (const w of i.en) all.push({ word: w, zh: false, kind });
    for (const w of i.zh) all.push({ word: w, zh: true, kind });
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
  // "lo-fi" / "lo fi" become one word; same length, so every index below still lines up.
  const source = (text ?? '')
    .slice(0, MAX_TEXT_LENGTH)
    .toLowerCase()
    .replace(/\blo[- ]fi\b/g, 'lofi ');

  for (const match of source.matchAll(/[a-z']+/g)) {
    const word = match[0];
    // A plain plural ("festivals", "violins") reads as its singular.
    const kind =
      EN_LEXICON.get(word) ?? (word.endsWith('s') ? EN_LEXICON.get(word.slice(0, -1)) : undefined);
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
  let style: Style | undefined;
  let instrument: TextCues['instrument'];
  const moods: TextCues['moods'] = [];
  for (const hit of hits) {
    if (hit.kind.type === 'mood') {
      // "not calm" is not the opposite of calm, so a negated word only pulls half as far, reversed.
      const sign = hit.negated ? -0.5 : 1;
      valenceSum += sign * hit.kind.entry.valence;
      arousalSum += sign * hit.kind.entry.arousal;
      moodCount++;
      moods.push({
        word: hit.negated ? `not ${hit.word}` : hit.word,
        valence: sign * hit.kind.entry.valence,
        arousal: sign * hit.kind.entry.arousal,
      });
    } else if (!hit.negated && hit.kind.type === 'tempo') {
      tempo = hit.kind.hint;
    } else if (!hit.negated && hit.kind.type === 'mode') {
      mode = hit.kind.mode;
    } else if (!hit.negated && hit.kind.type === 'style') {
      style ??= hit.kind.style;
    } else if (!hit.negated && hit.kind.type === 'instrument') {
      instrument ??= { word: hit.word, program: hit.kind.program, name: hit.kind.name };
    }
  }
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    matched: hits.map((h) => (h.negated ? `not ${h.word}` : h.word)),
    valence: moodCount > 0 ? round(valenceSum / moodCount) : undefined,
    arousal: moodCount > 0 ? round(arousalSum / moodCount) : undefined,
    tempo,
    mode,
    style,
    moods,
    instrument,
  };
}
