import type { ImageFeatures } from './image-features.js';
import { estimateEmotion } from '../plan/emotion.js';
import {
  EXPRESSION_AFFECT,
  OBJECT_AFFECT,
  SCENE_AFFECT,
  type Affect,
} from './content-affect-table.js';
import { EXPRESSIONS, SCENE_TYPES, type ImageContent } from './content-types.js';
import derived from './affect-model.json' with { type: 'json' };

/**
 * Image → valence/arousal from three readings, blended:
 * - colour: the existing colour–emotion model (`estimateEmotion`, plan/emotion.ts);
 * - content: what is in the picture through the team-written table (content-affect-table.ts);
 * - learned: a ridge head on the MobileNetV2 backbone embedding, fitted only on the team's own
 *   labelled images (datasets/affect-train, docs/affect-rubric.md).
 * The head's coefficients and the blend weights come from affect-model.json, written by
 * `npm run derive:affect` (scripts/derive-affect-model.ts): the weights were chosen by cross-
 * validation on the team set (whole sources held out, scored by the mean ρ within each source)
 * and only then checked on affect-dev (`npm run eval:affect`). Arousal is fitted on OASIS's
 * definition, the intensity of the response (docs/affect-rubric.md, "Arousal v2"), so the
 * blend's arousal is how strongly a picture moves people; the planner reads the blend on both
 * axes (`planAffect`).
 *
 * All values are on the plan's scale, −1..1 (OASIS 1..7 mapped by (x − 4) / 3).
 */

export interface AffectReading {
  valence: number;
  arousal: number;
}

/** One thing that pushed the content reading, for the explanation ("a snarling dog"). */
export interface ContentDriver {
  /** What it was: a COCO class, a scene type or `face:<expression>`. */
  source: string;
  weight: number;
  valence: number;
  arousal: number;
}

export interface ContentAffect extends AffectReading {
  /** Total weight of what was seen: 0 when nothing was recognised (the reading is the prior). */
  evidence: number;
  /** Contributions, heaviest first. */
  drivers: ContentDriver[];
}

export interface ImageAffect extends AffectReading {
  /**
   * The blend before it is mapped back to the label scale: standard scores, 0 at the team
   * set's typical picture, ±1 one spread away. The label-scale values above regress toward
   * the team set's mean (a modest correlation shrinks them); these keep the full spread, for
   * a planner that must tell a stormy picture from a calm one.
   */
  standard: AffectReading;
  colour: AffectReading;
  content: ContentAffect;
  learned: AffectReading;
}

type BlendPart = 'colour' | 'content' | 'learned' | 'extremity';

interface LinearHead {
  weights: number[];
  bias: number;
}

/** The shape of affect-model.json (see scripts/derive-affect-model.ts). */
export interface AffectModelFile {
  version: number;
  head: {
    /** Per-dimension mean and scale used to standardise the embedding before the weights. */
    mean: number[];
    scale: number[];
    valence: LinearHead;
    arousal: LinearHead;
  };
  /**
   * Per axis: weights on standardised readings, then back to the label scale. `extremity`
   * (arousal only) is |valence − valenceCentre|, the blended valence's distance from neutral.
   */
  blend: Record<
    'valence' | 'arousal',
    {
      weights: Partial<Record<BlendPart, number>>;
      centre: Partial<Record<BlendPart, number>>;
      spread: Partial<Record<BlendPart, number>>;
      slope: number;
      intercept: number;
      valenceCentre?: number;
    }
  >;
}

const MODEL = derived as unknown as AffectModelFile;

const clamp = (v: number): number => Math.max(-1, Math.min(1, v));
const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** Where an image with nothing recognisable sits: mildly pleasant, calm (the OASIS centre). */
const PRIOR: Affect = { valence: 0.1, arousal: -0.1 };
const PRIOR_WEIGHT = 0.3;
/** Faces weigh more than objects of the same size: people look at faces first. */
const FACE_WEIGHT = 1.5;
const SCENE_WEIGHT = 0.5;

/**
 * The table reading: a weighted mean of every recognised thing's entry, each weighted by how
 * sure the detector is and how much of the picture it fills (square root, so a small snake
 * still counts), plus a weak prior so an empty reading stays near the centre.
 */
export function contentAffect(content: ImageContent): ContentAffect {
  const drivers: ContentDriver[] = [];
  for (const face of content.people.faces) {
    if (face.expression === null) continue;
    const weight = FACE_WEIGHT * face.score * Math.sqrt(face.area);
    let valence = 0;
    let arousal = 0;
    for (const name of EXPRESSIONS) {
      const p = face.expressions[name] ?? 0;
      valence += p * EXPRESSION_AFFECT[name].valence;
      arousal += p * EXPRESSION_AFFECT[name].arousal;
    }
    drivers.push({ source: `face:${face.expression}`, weight, valence, arousal });
  }
  for (const object of content.objects) {
    const entry = OBJECT_AFFECT[object.label];
    drivers.push({
      source: object.label,
      weight: object.score * Math.sqrt(object.area),
      valence: entry.valence,
      arousal: entry.arousal,
    });
  }
  for (const type of SCENE_TYPES) {
    const score = content.scene.scores[type];
    if (score <= 0) continue;
    drivers.push({ source: type, weight: SCENE_WEIGHT * score, ...SCENE_AFFECT[type] });
  }
  const evidence = drivers.reduce((s, d) => s + d.weight, 0);
  const total = evidence + PRIOR_WEIGHT;
  const valence =
    (drivers.reduce((s, d) => s + d.weight * d.valence, 0) + PRIOR_WEIGHT * PRIOR.valence) / total;
  const arousal =
    (drivers.reduce((s, d) => s + d.weight * d.arousal, 0) + PRIOR_WEIGHT * PRIOR.arousal) / total;
  return {
    valence: round3(valence),
    arousal: round3(arousal),
    evidence: round3(evidence),
    drivers: drivers
      .filter((d) => d.weight >= 0.01)
      .sort((a, b) => b.weight - a.weight || a.source.localeCompare(b.source))
      .map((d) => ({
        ...d,
        weight: round3(d.weight),
        valence: round3(d.valence),
        arousal: round3(d.arousal),
      })),
  };
}

/** The learned head: standardise the embedding, then one linear map per axis. */
export function learnedAffect(
  embedding: Float32Array,
  model: AffectModelFile = MODEL,
): AffectReading {
  const { mean, scale, valence, arousal } = model.head;
  let v = valence.bias;
  let a = arousal.bias;
  for (let i = 0; i < embedding.length; i++) {
    const z = ((embedding[i] ?? 0) - (mean[i] ?? 0)) / (scale[i] ?? 1);
    v += z * (valence.weights[i] ?? 0);
    a += z * (arousal.weights[i] ?? 0);
  }
  return { valence: round3(clamp(v)), arousal: round3(clamp(a)) };
}

export function colourAffect(features: ImageFeatures): AffectReading {
  const e = estimateEmotion(features);
  return { valence: e.valence, arousal: e.arousal };
}

/** Blends the three readings with the cross-validated weights of affect-model.json. */
export function blendAffect(
  parts: { colour: AffectReading; content: AffectReading; learned: AffectReading },
  model: AffectModelFile = MODEL,
): AffectReading & { standard: AffectReading } {
  const axis = (
    name: 'valence' | 'arousal',
    valence?: number,
  ): { label: number; standard: number } => {
    const b = model.blend[name];
    const reading = (part: BlendPart): number =>
      part === 'extremity' ? Math.abs((valence ?? 0) - (b.valenceCentre ?? 0)) : parts[part][name];
    let mixed = 0;
    for (const [part, weight] of Object.entries(b.weights) as [BlendPart, number][]) {
      mixed += (weight * (reading(part) - (b.centre[part] ?? 0))) / (b.spread[part] || 1);
    }
    return { label: round3(clamp(b.intercept + b.slope * mixed)), standard: round3(mixed) };
  };
  const valence = axis('valence');
  const arousal = axis('arousal', valence.label);
  return {
    valence: valence.label,
    arousal: arousal.label,
    standard: { valence: valence.standard, arousal: arousal.standard },
  };
}

/**
 * The reading the planner uses, as standard scores (0 = the team set's typical picture, ±1 one
 * spread away): the cross-validated blend on both axes. Until plan v6 arousal was half blend and
 * half the colour reading; with the team set re-rated on OASIS's definition of arousal that
 * half ranks worse than the blend alone (leave one source out, mean ρ within sources 0.23
 * against 0.30; photographs 0.17 against 0.25), and the blend already gives colour the weight
 * the team set's CV finds for it. See docs/decisions/0012-content-perception.md, "Round 5".
 * Stored plans keep the mood they were made with, so older plans replay unchanged.
 */
export function planAffect(affect: ImageAffect): AffectReading {
  return { valence: affect.standard.valence, arousal: affect.standard.arousal };
}

/** The full reading for one perceived image (see image-perception.ts for the one-call API). */
export function estimateImageAffect(perception: {
  content: ImageContent;
  features: ImageFeatures;
  embedding: Float32Array;
}): ImageAffect {
  const colour = colourAffect(perception.features);
  const content = contentAffect(perception.content);
  const learned = learnedAffect(perception.embedding);
  return { ...blendAffect({ colour, content, learned }), colour, content, learned };
}
