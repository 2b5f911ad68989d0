import type { ImageFeatures } from './image-features.js';
import { INSTRUMENTS, type GmInstrument } from '../plan/instruments.js';
import type { Mode } from '../plan/music-plan.js';
import type { Style } from '../styles/style-registry.js';
import type { CocoClass, ImageContent } from './content-analysis.js';

/**
 * Content → music: what the picture shows suggests a style family, instrument colours and
 * textures, beyond the mood (water → flowing arpeggios, a night city → lo-fi or jazz, a storm →
 * minor, fast and percussive, a portrait → a warm solo instrument). A pure function for the
 * planner to call: it returns ranked suggestions with a strength 0..1 and the reason in both
 * languages; the planner decides how much to follow them. The user's words and explicit
 * controls always win: apply a suggestion only where the text and the controls say nothing.
 *
 * The pairings follow common film- and library-music practice (water and harp/piano arpeggios,
 * night city and jazz/lo-fi, storms and low percussion with minor harmony) and cross-modal
 * research: Palmer et al. (2013) for mood-matched music; Spence (2011, "Crossmodal
 * correspondences") for bright/high/light and dark/low/heavy pairings.
 */

/** Accompaniment and arrangement words the composer can map to patterns. */
export type Texture =
  | 'flowing-arpeggios'
  | 'sustained-pads'
  | 'sparse'
  | 'percussive'
  | 'driving-rhythm'
  | 'swing'
  | 'tremolo-strings'
  | 'bell-like'
  | 'pizzicato'
  | 'intimate-solo';

export interface Reason {
  en: string;
  zh: string;
}

export interface MusicSteering {
  /** Style families, most suggested first (may be empty), each with its strongest rule's reason. */
  styles: { style: Style; strength: number; reason: Reason }[];
  /** Lead / colour instruments, most suggested first. */
  instruments: { instrument: GmInstrument; strength: number; reason: Reason }[];
  textures: { texture: Texture; strength: number; reason: Reason }[];
  /** A mode to lean to, when the content clearly asks for one. */
  mode?: { mode: Mode; strength: number };
  /** Tempo lean: −1 much slower .. +1 much faster (0: no opinion). */
  tempo: number;
  /** Why, one entry per rule that fired, strongest first. */
  reasons: (Reason & { strength: number })[];
}

interface Rule {
  strength: number;
  reason: Reason;
  styles?: Style[];
  instruments?: GmInstrument[];
  textures?: Texture[];
  mode?: Mode;
  tempo?: number;
}

const ANIMALS: ReadonlySet<CocoClass> = new Set([
  'bird',
  'cat',
  'dog',
  'horse',
  'sheep',
  'cow',
  'elephant',
  'zebra',
  'giraffe',
  'teddy bear',
]);
const THREATS: ReadonlySet<CocoClass> = new Set(['knife', 'bear', 'scissors']);
const SPORT: ReadonlySet<CocoClass> = new Set([
  'sports ball',
  'skateboard',
  'surfboard',
  'skis',
  'snowboard',
  'tennis racket',
  'baseball bat',
  'frisbee',
  'motorcycle',
]);
const FOOD: ReadonlySet<CocoClass> = new Set([
  'pizza',
  'cake',
  'donut',
  'sandwich',
  'hot dog',
  'wine glass',
  'cup',
  'bowl',
  'dining table',
]);

function presence(content: ImageContent, set: ReadonlySet<CocoClass>): number {
  return Math.min(
    1,
    content.objects.filter((o) => set.has(o.label)).reduce((s, o) => s + o.score * 1.5, 0),
  );
}

function rules(content: ImageContent, features?: ImageFeatures): Rule[] {
  const s = content.scene.scores;
  const out: Rule[] = [];
  const people = content.people;
  if (s.storm >= 0.4) {
    out.push({
      strength: s.storm,
      reason: {
        en: 'a stormy sky → minor, faster, percussive',
        zh: '暴风雨的天空 → 小调、更快、打击乐',
      },
      styles: ['cinematic'],
      instruments: [INSTRUMENTS.strings, INSTRUMENTS.timpani, INSTRUMENTS.frenchHorn],
      textures: ['percussive', 'tremolo-strings', 'driving-rhythm'],
      mode: 'minor',
      tempo: 0.5,
    });
  }
  if (s.night >= 0.5 && s.city >= 0.4) {
    out.push({
      strength: Math.min(s.night, s.city + 0.3),
      reason: { en: 'a city at night → lo-fi or jazz', zh: '夜晚的城市 → 低保真或爵士' },
      styles: ['lo-fi', 'jazz'],
      instruments: [INSTRUMENTS.electricPiano, INSTRUMENTS.mutedTrumpet, INSTRUMENTS.altoSax],
      textures: ['swing'],
      tempo: -0.2,
    });
  } else if (s.night >= 0.5) {
    out.push({
      strength: s.night * 0.7,
      reason: { en: 'night → quiet, spacious', zh: '夜色 → 安静、空旷' },
      styles: ['ambient', 'piano-solo'],
      instruments: [INSTRUMENTS.piano, INSTRUMENTS.vibraphone],
      textures: ['sparse', 'sustained-pads'],
      tempo: -0.3,
    });
  }
  if (s.water >= 0.4) {
    out.push({
      strength: s.water * 0.9,
      reason: { en: 'water → flowing arpeggios', zh: '水 → 流动的琶音' },
      // Water is a texture, not a genre: the style stays the mood's (a calm lake and a storm
      // at sea both have water).
      instruments: [INSTRUMENTS.harp, INSTRUMENTS.piano],
      textures: ['flowing-arpeggios'],
    });
  }
  if (s.snow >= 0.5) {
    out.push({
      strength: s.snow * 0.8,
      reason: { en: 'snow → bell-like, sparse', zh: '雪 → 铃声般、疏朗' },
      instruments: [INSTRUMENTS.celesta, INSTRUMENTS.glockenspiel],
      textures: ['bell-like', 'sparse'],
      tempo: -0.2,
    });
  }
  if (s.sunset >= 0.5) {
    out.push({
      strength: s.sunset * 0.7,
      reason: { en: 'a sunset → warm pads, unhurried', zh: '夕阳 → 温暖的铺底、从容' },
      styles: ['pop-ballad', 'ambient'],
      instruments: [INSTRUMENTS.warmPad, INSTRUMENTS.nylonGuitar],
      textures: ['sustained-pads'],
      tempo: -0.2,
    });
  }
  if (s.vegetation >= 0.5 && s.city < 0.4) {
    out.push({
      strength: s.vegetation * 0.6,
      reason: { en: 'green nature → folk colours', zh: '绿色自然 → 民谣色彩' },
      styles: ['folk'],
      instruments: [INSTRUMENTS.flute, INSTRUMENTS.steelGuitar],
      textures: [],
    });
  }
  if (people.count === 1 && people.largestArea >= 0.2) {
    out.push({
      strength: Math.min(1, 0.5 + people.largestArea),
      reason: { en: 'a portrait → a warm solo instrument', zh: '人像 → 温暖的独奏乐器' },
      styles: ['piano-solo', 'pop-ballad'],
      instruments: [INSTRUMENTS.cello, INSTRUMENTS.nylonGuitar, INSTRUMENTS.piano],
      textures: ['intimate-solo', 'sparse'],
    });
  } else if (people.count >= 6) {
    out.push({
      strength: 0.7,
      reason: { en: 'a crowd → a fuller, rhythmic band', zh: '人群 → 更饱满、有律动的编制' },
      styles: ['upbeat', 'pop-ballad'],
      instruments: [INSTRUMENTS.strings],
      textures: ['driving-rhythm', 'percussive'],
      tempo: 0.3,
    });
  }
  const sport = presence(content, SPORT);
  if (sport >= 0.4) {
    out.push({
      strength: sport * 0.8,
      reason: { en: 'sport and speed → driving rhythm', zh: '运动与速度 → 强劲的节奏' },
      styles: ['upbeat'],
      textures: ['driving-rhythm', 'percussive'],
      tempo: 0.5,
    });
  }
  const animals = presence(content, ANIMALS);
  if (animals >= 0.4) {
    out.push({
      strength: animals * 0.6,
      reason: { en: 'animals → playful pizzicato and woodwind', zh: '动物 → 俏皮的拨弦与木管' },
      styles: ['folk'],
      instruments: [INSTRUMENTS.clarinet, INSTRUMENTS.pizzicato],
      textures: ['pizzicato'],
    });
  }
  const threat = presence(content, THREATS);
  if (threat >= 0.4) {
    out.push({
      strength: threat * 0.8,
      reason: { en: 'something threatening → low strings, minor', zh: '危险之物 → 低音弦乐、小调' },
      styles: ['cinematic'],
      instruments: [INSTRUMENTS.cello, INSTRUMENTS.tremoloStrings],
      textures: ['tremolo-strings'],
      mode: 'minor',
    });
  }
  const food = presence(content, FOOD);
  if (food >= 0.4) {
    out.push({
      strength: food * 0.5,
      reason: { en: 'a table and food → relaxed jazz', zh: '餐桌与美食 → 轻松的爵士' },
      styles: ['jazz'],
      instruments: [INSTRUMENTS.vibraphone, INSTRUMENTS.nylonGuitar],
      textures: ['swing'],
    });
  }
  if (s.indoor >= 0.5 && people.count <= 1) {
    out.push({
      strength: s.indoor * 0.4,
      reason: { en: 'an interior → intimate, close', zh: '室内 → 亲密、贴近' },
      styles: ['piano-solo'],
      instruments: [INSTRUMENTS.piano],
      textures: ['intimate-solo'],
    });
  }
  // A bright, warm, open view leans lighter and a little faster (Palmer et al. 2013).
  if (features && features.brightness > 0.6 && s.sky >= 0.5 && s.storm < 0.3) {
    out.push({
      strength: 0.3,
      reason: { en: 'an open, sunlit view → light and airy', zh: '开阔明亮的景色 → 轻盈通透' },
      instruments: [INSTRUMENTS.flute],
      textures: [],
      tempo: 0.15,
    });
  }
  return out.sort((a, b) => b.strength - a.strength || a.reason.en.localeCompare(b.reason.en));
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

/**
 * Adds up each suggestion over the rules that made it (capped at 1), strongest first, keeping
 * the reason of the strongest rule behind it (the rules come strongest first).
 */
function rank<K>(
  entries: [K, number, Reason][],
  key: (k: K) => string,
): { item: K; strength: number; reason: Reason }[] {
  const sums = new Map<string, { item: K; strength: number; order: number; reason: Reason }>();
  entries.forEach(([item, strength, reason], order) => {
    const k = key(item);
    const prev = sums.get(k);
    sums.set(k, {
      item,
      strength: (prev?.strength ?? 0) + strength,
      order: prev?.order ?? order,
      reason: prev?.reason ?? reason,
    });
  });
  return [...sums.values()]
    .sort((a, b) => b.strength - a.strength || a.order - b.order)
    .map(({ item, strength, reason }) => ({
      item,
      strength: round2(Math.min(1, strength)),
      reason,
    }));
}

export function steerMusic(content: ImageContent, features?: ImageFeatures): MusicSteering {
  const fired = rules(content, features);
  const styles = rank(
    fired.flatMap((r) =>
      (r.styles ?? []).map((s, i): [Style, number, Reason] => [s, r.strength / (i + 1), r.reason]),
    ),
    (s) => s,
  ).map(({ item, strength, reason }) => ({ style: item, strength, reason }));
  const instruments = rank(
    fired.flatMap((r) =>
      (r.instruments ?? []).map((g, i): [GmInstrument, number, Reason] => [
        g,
        r.strength / (i + 1),
        r.reason,
      ]),
    ),
    (g) => String(g.program),
  ).map(({ item, strength, reason }) => ({ instrument: item, strength, reason }));
  const textures = rank(
    fired.flatMap((r) =>
      (r.textures ?? []).map((t): [Texture, number, Reason] => [t, r.strength, r.reason]),
    ),
    (t) => t,
  ).map(({ item, strength, reason }) => ({ texture: item, strength, reason }));
  const minor = fired.filter((r) => r.mode === 'minor').reduce((s, r) => s + r.strength, 0);
  const major = fired.filter((r) => r.mode === 'major').reduce((s, r) => s + r.strength, 0);
  const tempoWeight = fired.reduce((s, r) => s + (r.tempo === undefined ? 0 : r.strength), 0);
  const tempo =
    tempoWeight === 0
      ? 0
      : fired.reduce((s, r) => s + (r.tempo ?? 0) * r.strength, 0) / tempoWeight;
  const steering: MusicSteering = {
    styles,
    instruments,
    textures,
    tempo: round2(Math.max(-1, Math.min(1, tempo))),
    reasons: fired.map((r) => ({ ...r.reason, strength: round2(r.strength) })),
  };
  if (minor !== major) {
    steering.mode = {
      mode: minor > major ? 'minor' : 'major',
      strength: round2(Math.min(1, Math.abs(minor - major))),
    };
  }
  return steering;
}
