import type { GmInstrument } from './instruments.js';

/**
 * Instruments in plain words, English and Chinese, for the explanation a listener reads ("a
 * violin over finger-picked guitar"), rather than General MIDI's catalogue names.
 */
const NAMES: Record<number, { en: string; zh: string }> = {
  0: { en: 'piano', zh: '钢琴' },
  1: { en: 'bright piano', zh: '明亮的钢琴' },
  4: { en: 'electric piano', zh: '电钢琴' },
  8: { en: 'celesta', zh: '钢片琴' },
  9: { en: 'glockenspiel', zh: '钟琴' },
  11: { en: 'vibraphone', zh: '颤音琴' },
  12: { en: 'marimba', zh: '马林巴' },
  19: { en: 'organ', zh: '管风琴' },
  21: { en: 'accordion', zh: '手风琴' },
  22: { en: 'harmonica', zh: '口琴' },
  24: { en: 'nylon-string guitar', zh: '尼龙弦吉他' },
  25: { en: 'steel-string guitar', zh: '钢弦吉他' },
  26: { en: 'jazz guitar', zh: '爵士吉他' },
  32: { en: 'double bass', zh: '低音提琴' },
  33: { en: 'electric bass', zh: '电贝斯' },
  38: { en: 'synth bass', zh: '合成贝斯' },
  40: { en: 'violin', zh: '小提琴' },
  42: { en: 'cello', zh: '大提琴' },
  43: { en: 'contrabass', zh: '低音提琴' },
  44: { en: 'tremolo strings', zh: '震音弦乐' },
  45: { en: 'pizzicato strings', zh: '拨奏弦乐' },
  46: { en: 'harp', zh: '竖琴' },
  47: { en: 'timpani', zh: '定音鼓' },
  48: { en: 'strings', zh: '弦乐' },
  49: { en: 'soft strings', zh: '柔和的弦乐' },
  52: { en: 'choir', zh: '合唱' },
  56: { en: 'trumpet', zh: '小号' },
  59: { en: 'muted trumpet', zh: '弱音小号' },
  60: { en: 'French horn', zh: '圆号' },
  65: { en: 'alto saxophone', zh: '中音萨克斯' },
  68: { en: 'oboe', zh: '双簧管' },
  71: { en: 'clarinet', zh: '单簧管' },
  73: { en: 'flute', zh: '长笛' },
  78: { en: 'whistle', zh: '哨笛' },
  80: { en: 'square-wave synth', zh: '方波合成器' },
  81: { en: 'sawtooth synth', zh: '锯齿波合成器' },
  88: { en: 'new-age pad', zh: '新世纪音色铺底' },
  89: { en: 'warm pad', zh: '温暖的音色铺底' },
  90: { en: 'polysynth', zh: '复音合成器' },
  91: { en: 'choir pad', zh: '人声铺底' },
  94: { en: 'halo pad', zh: '光环音色铺底' },
  104: { en: 'sitar', zh: '西塔琴' },
  106: { en: 'shamisen', zh: '三味线' },
  107: { en: 'koto', zh: '古筝' },
  110: { en: 'fiddle', zh: '胡琴' },
};

export function instrumentName(instrument: GmInstrument, lang: 'en' | 'zh'): string {
  const name = NAMES[instrument.program];
  return name ? name[lang] : lang === 'en' ? instrument.name.toLowerCase() : instrument.name;
}
