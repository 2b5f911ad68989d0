import type { ImageFeatures } from './image-features.js';
import type { CocoClass, ImageContent } from './content-analysis.js';

/**
 * What was seen, in plain words, English and Chinese: "two dogs on a beach at sunset" /
 * "夕阳下海滩上的两只狗". A pure function of the content (and, optionally, the colour features
 * for the light: "in sunshine"). Deterministic and short, for the plan's explanation.
 *
 * Privacy: people are counted ("a portrait", "two people") but never described: no
 * expression, age, gender or any other reading of a face appears in the words, because the
 * explanation is stored with the music.
 */

export interface SceneDescription {
  en: string;
  zh: string;
}

interface Noun {
  en: string;
  /** English plural; defaults to en + "s". */
  plural?: string;
  zh: string;
  /** Chinese measure word (个 by default). */
  measure?: string;
}

const N = (en: string, zh: string, measure?: string, plural?: string): Noun => ({
  en,
  zh,
  ...(measure ? { measure } : {}),
  ...(plural ? { plural } : {}),
});

const NOUNS: Record<CocoClass, Noun> = {
  person: N('person', '人', '个', 'people'),
  bicycle: N('bicycle', '自行车', '辆'),
  car: N('car', '汽车', '辆'),
  motorcycle: N('motorcycle', '摩托车', '辆'),
  airplane: N('aeroplane', '飞机', '架'),
  bus: N('bus', '公共汽车', '辆', 'buses'),
  train: N('train', '火车', '列'),
  truck: N('lorry', '卡车', '辆', 'lorries'),
  boat: N('boat', '船', '条'),
  'traffic light': N('traffic light', '红绿灯', '个'),
  'fire hydrant': N('fire hydrant', '消防栓', '个'),
  'stop sign': N('stop sign', '停车标志', '个'),
  'parking meter': N('parking meter', '停车计时器', '个'),
  bench: N('bench', '长椅', '张', 'benches'),
  bird: N('bird', '鸟', '只'),
  cat: N('cat', '猫', '只'),
  dog: N('dog', '狗', '只'),
  horse: N('horse', '马', '匹'),
  sheep: N('sheep', '羊', '只', 'sheep'),
  cow: N('cow', '牛', '头'),
  elephant: N('elephant', '大象', '头'),
  bear: N('bear', '熊', '头'),
  zebra: N('zebra', '斑马', '匹'),
  giraffe: N('giraffe', '长颈鹿', '只'),
  backpack: N('backpack', '背包', '个'),
  umbrella: N('umbrella', '伞', '把'),
  handbag: N('handbag', '手提包', '个'),
  tie: N('tie', '领带', '条'),
  suitcase: N('suitcase', '行李箱', '个'),
  frisbee: N('frisbee', '飞盘', '个'),
  skis: N('pair of skis', '滑雪板', '副', 'pairs of skis'),
  snowboard: N('snowboard', '单板滑雪板', '块'),
  'sports ball': N('ball', '球', '个'),
  kite: N('kite', '风筝', '只'),
  'baseball bat': N('baseball bat', '棒球棒', '根'),
  'baseball glove': N('baseball glove', '棒球手套', '只'),
  skateboard: N('skateboard', '滑板', '块'),
  surfboard: N('surfboard', '冲浪板', '块'),
  'tennis racket': N('tennis racket', '网球拍', '只'),
  bottle: N('bottle', '瓶子', '个'),
  'wine glass': N('wine glass', '酒杯', '只', 'wine glasses'),
  cup: N('cup', '杯子', '个'),
  fork: N('fork', '叉子', '把'),
  knife: N('knife', '刀', '把', 'knives'),
  spoon: N('spoon', '勺子', '把'),
  bowl: N('bowl', '碗', '只'),
  banana: N('banana', '香蕉', '根'),
  apple: N('apple', '苹果', '个'),
  sandwich: N('sandwich', '三明治', '个', 'sandwiches'),
  orange: N('orange', '橙子', '个'),
  broccoli: N('head of broccoli', '西兰花', '棵', 'heads of broccoli'),
  carrot: N('carrot', '胡萝卜', '根'),
  'hot dog': N('hot dog', '热狗', '个'),
  pizza: N('pizza', '比萨', '块'),
  donut: N('doughnut', '甜甜圈', '个'),
  cake: N('cake', '蛋糕', '块'),
  chair: N('chair', '椅子', '把'),
  couch: N('sofa', '沙发', '张'),
  'potted plant': N('potted plant', '盆栽', '盆'),
  bed: N('bed', '床', '张'),
  'dining table': N('table', '桌子', '张'),
  toilet: N('toilet', '马桶', '个'),
  tv: N('television', '电视', '台'),
  laptop: N('laptop', '笔记本电脑', '台'),
  mouse: N('computer mouse', '鼠标', '个', 'computer mice'),
  remote: N('remote control', '遥控器', '个'),
  keyboard: N('keyboard', '键盘', '个'),
  'cell phone': N('mobile phone', '手机', '部'),
  microwave: N('microwave', '微波炉', '台'),
  oven: N('oven', '烤箱', '台'),
  toaster: N('toaster', '烤面包机', '台'),
  sink: N('sink', '水槽', '个'),
  refrigerator: N('fridge', '冰箱', '台'),
  book: N('book', '书', '本'),
  clock: N('clock', '钟', '个'),
  vase: N('vase', '花瓶', '个'),
  scissors: N('pair of scissors', '剪刀', '把', 'pairs of scissors'),
  'teddy bear': N('teddy bear', '泰迪熊', '只'),
  'hair drier': N('hair dryer', '吹风机', '个'),
  toothbrush: N('toothbrush', '牙刷', '把', 'toothbrushes'),
};

const EN_NUMBERS = ['', 'a', 'two', 'three', 'four', 'five'];
const ZH_NUMBERS = ['', '一', '两', '三', '四', '五'];

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function nounPhrase(noun: Noun, count: number): SceneDescription {
  const measure = noun.measure ?? '个';
  if (count <= 1) return { en: `${article(noun.en)} ${noun.en}`, zh: `一${measure}${noun.zh}` };
  const plural = noun.plural ?? `${noun.en}s`;
  if (count <= 5) {
    return {
      en: `${EN_NUMBERS[count] ?? 'several'} ${plural}`,
      zh: `${ZH_NUMBERS[count] ?? '几'}${measure}${noun.zh}`,
    };
  }
  return { en: `many ${plural}`, zh: `许多${noun.zh}` };
}

/** The picture's subject: people first (counted, never described), then the clearest objects. */
function subject(content: ImageContent): SceneDescription | undefined {
  const parts: SceneDescription[] = [];
  const people = content.people.count;
  if (people === 1 && content.people.largestArea >= 0.2)
    parts.push({ en: 'a portrait', zh: '一幅人像' });
  else if (people === 1) parts.push({ en: 'a person', zh: '一个人' });
  else if (people >= 2 && people <= 5) parts.push(nounPhrase(NOUNS.person, people));
  else if (people > 5) parts.push({ en: 'a crowd', zh: '一群人' });
  // The two most salient other kinds of object (confidence × √area), each counted.
  const kinds = new Map<CocoClass, { salience: number; count: number }>();
  for (const o of content.objects) {
    // Words need surer detections than the mood does: a wrong noun is worse than none.
    if (o.label === 'person' || o.score < 0.35) continue;
    const k = kinds.get(o.label) ?? { salience: 0, count: 0 };
    kinds.set(o.label, { salience: k.salience + o.score * Math.sqrt(o.area), count: k.count + 1 });
  }
  const top = [...kinds.entries()]
    .sort((a, b) => b[1].salience - a[1].salience || a[0].localeCompare(b[0]))
    .slice(0, parts.length > 0 ? 1 : 2);
  for (const [label, { count }] of top) parts.push(nounPhrase(NOUNS[label], count));
  if (parts.length === 0) return undefined;
  return {
    en: parts.map((p) => p.en).join(' and '),
    zh: parts.map((p) => p.zh).join('和'),
  };
}

/** A stand-in subject when nothing was recognised, from the kind of scene. */
function sceneNoun(content: ImageContent): SceneDescription {
  const s = content.scene.scores;
  if (s.water >= 0.5 && (s.sand >= 0.4 || s.sky >= 0.5))
    return { en: 'a seascape', zh: '一片海景' };
  if (s.snow >= 0.5) return { en: 'a snowy landscape', zh: '一片雪景' };
  if (s.city >= 0.5) return { en: 'a cityscape', zh: '一片城市景色' };
  if (s.indoor >= 0.5) return { en: 'an interior', zh: '一处室内' };
  if (s.vegetation >= 0.5 || s.sky >= 0.5) return { en: 'a landscape', zh: '一片风景' };
  if (s.night >= 0.5) return { en: 'a night scene', zh: '一幅夜景' };
  return { en: 'a picture', zh: '一幅画面' };
}

/** Where: the strongest setting, if it adds something to the subject. */
function setting(content: ImageContent, hasSubject: boolean): SceneDescription | undefined {
  if (!hasSubject) return undefined;
  const s = content.scene.scores;
  if (s.sand >= 0.4 && s.water >= 0.3) return { en: 'on a beach', zh: '海滩上' };
  if (s.water >= 0.5) return { en: 'by the water', zh: '水边' };
  if (s.snow >= 0.5) return { en: 'in the snow', zh: '雪地里' };
  if (s.city >= 0.5) return { en: 'in the city', zh: '城市里' };
  if (s.indoor >= 0.5) return { en: 'indoors', zh: '室内' };
  if (s.vegetation >= 0.5) return { en: 'among greenery', zh: '绿意中' };
  return undefined;
}

/** When and what light: sunset, night, storm, or sunshine (needs the colour features). */
function light(content: ImageContent, features?: ImageFeatures): SceneDescription | undefined {
  const s = content.scene.scores;
  if (s.storm >= 0.5) return { en: 'under a stormy sky', zh: '暴风雨的天空下' };
  if (s.sunset >= 0.5) return { en: 'at sunset', zh: '夕阳下' };
  if (s.night >= 0.5) return { en: 'at night', zh: '夜晚' };
  if (features && features.brightness >= 0.55 && features.warmth > 0.1 && s.sky >= 0.3) {
    return { en: 'in sunshine', zh: '阳光下' };
  }
  return undefined;
}

export function describeScene(content: ImageContent, features?: ImageFeatures): SceneDescription {
  const who = subject(content);
  const what = who ?? sceneNoun(content);
  const where = setting(content, who !== undefined);
  const lit = light(content, features);
  // "a night scene at night" says it twice.
  const when = lit && what.en.includes('night') && lit.en.includes('night') ? undefined : lit;
  const sky =
    who !== undefined &&
    where === undefined &&
    when === undefined &&
    content.scene.scores.sky >= 0.6
      ? { en: 'under an open sky', zh: '开阔天空下' }
      : undefined;
  const en = [what.en, where?.en, sky?.en, when?.en].filter(Boolean).join(' ');
  // Chinese puts the circumstances first: "夕阳下海滩上的两只狗".
  const before = `${when?.zh ?? ''}${where?.zh ?? ''}${sky?.zh ?? ''}`;
  const zh = before === '' ? what.zh : `${before}的${what.zh}`;
  return { en, zh };
}
