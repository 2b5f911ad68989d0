import { z } from 'zod';
import { EngineError } from '../engine-error.js';
import type { ImageFeatures } from '../perception/image-features.js';
import type { Texture } from '../perception/content-steering.js';
import { isStyle, type Style } from '../styles/style-registry.js';
import type { MusicPlan } from './music-plan.js';

/**
 * Stored plans are a boundary: a variation replays a plan an older engine wrote (versions 1 to
 * PLAN_VERSION), read back from the database. These schemas accept every version the composers
 * still play: fields added in later versions are optional, exactly as in `MusicPlan`. Objects
 * are loose: a field this schema does not name is kept as stored, so a replay sees the plan it
 * would have seen before the check existed.
 *
 * The TypeScript types stay where the engine defines them (`MusicPlan`, `ImageFeatures`); the
 * checks at the bottom make a schema that drifts from its type fail to compile.
 */

const gmInstrument = z.looseObject({ program: z.number().int().min(0).max(127), name: z.string() });
const bilingual = z.looseObject({ en: z.string(), zh: z.string() });
const textures = [
  'flowing-arpeggios',
  'sustained-pads',
  'sparse',
  'percussive',
  'driving-rhythm',
  'swing',
  'tremolo-strings',
  'bell-like',
  'pizzicato',
  'intimate-solo',
] as const satisfies readonly Texture[];

export const musicPlanSchema = z.looseObject({
  version: z.number().int().min(1),
  valence: z.number(),
  arousal: z.number(),
  key: z.looseObject({
    tonic: z.string(),
    mode: z.enum(['major', 'minor']),
    name: z.string(),
    fifths: z.number().int(),
  }),
  tempoBpm: z.number().positive(),
  meter: z.looseObject({ beatsPerBar: z.number().int().positive(), beatUnit: z.number().int() }),
  style: z.custom<Style>(isStyle, { message: 'not a style this engine plays' }),
  instrumentation: z.looseObject({
    melody: gmInstrument,
    chords: gmInstrument,
    bass: gmInstrument,
    pad: gmInstrument.nullable(),
    drums: gmInstrument.nullable(),
  }),
  form: z.looseObject({
    bars: z.number().int().positive(),
    barsPerChord: z.union([z.literal(1), z.literal(2)]),
    ritardando: z.number(),
    loop: z.boolean(),
    fermata: z.number().optional(),
    sections: z.array(
      z.looseObject({
        name: z.enum(['intro', 'theme', 'contrast', 'reprise', 'bridge', 'outro']),
        startBar: z.number().int().min(0),
        bars: z.number().int().positive(),
        energy: z.number(),
        material: z.enum(['intro', 'A', 'B', 'C', 'outro']).optional(),
      }),
    ),
  }),
  swing: z.number(),
  sevenths: z.boolean(),
  melody: z.looseObject({
    homeNote: z.number(),
    density: z.number(),
    contour: z.array(z.number()),
    low: z.number().optional(),
    high: z.number().optional(),
    contourSpan: z.number().optional(),
  }),
  tailSeconds: z.number().optional(),
  textures: z.array(z.enum(textures)).optional(),
  reverb: z.number(),
  textWords: z.array(z.string()),
  explanation: z.string(),
  story: z.looseObject({ summary: bilingual, details: z.array(bilingual) }).optional(),
});

export const imageFeaturesSchema = z.looseObject({
  version: z.number().int().min(1),
  aspectRatio: z.number(),
  brightness: z.number(),
  saturation: z.number(),
  warmth: z.number(),
  contrast: z.number(),
  texture: z.number(),
  colourfulness: z.number().optional(),
  dynamicLines: z.number().optional(),
  palette: z.array(
    z.looseObject({
      hex: z.string(),
      lab: z.tuple([z.number(), z.number(), z.number()]),
      weight: z.number(),
    }),
  ),
  lightContour: z.array(z.number()),
  skyline: z.array(z.number()),
});

/** What a variation recomposes from: the original's plan and the features it was made from. */
export const recipeSchema = z.looseObject({ plan: musicPlanSchema, features: imageFeaturesSchema });
export interface Recipe {
  plan: MusicPlan;
  features: ImageFeatures;
}

/**
 * A stored recipe, from its JSON text. Text that is not JSON, or not a plan of a version the
 * engine plays, throws `invalid_plan` naming the first offending fields, instead of failing
 * somewhere inside a composer.
 */
export function parseRecipe(json: string): Recipe {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new EngineError('invalid_plan', 'the stored recipe is not JSON');
  }
  const parsed = recipeSchema.safeParse(value);
  if (!parsed.success) {
    throw new EngineError('invalid_plan', 'the stored plan is not one this engine can play', {
      issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  return parsed.data;
}

// Compile-time checks: each schema's output and the engine's type must be assignable both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Plain<T> = T extends readonly (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Plain<T[K]> }
    : T;
const planMatches: Same<Plain<z.infer<typeof musicPlanSchema>>, Plain<MusicPlan>> = true;
const featuresMatch: Same<Plain<z.infer<typeof imageFeaturesSchema>>, Plain<ImageFeatures>> = true;
void planMatches;
void featuresMatch;
