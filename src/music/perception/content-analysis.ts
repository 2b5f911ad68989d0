import { createHash } from 'node:crypto';
import { tf } from './tf.js';
import sharp from 'sharp';
import { computeImageFeatures, decodeToLab } from './image-features.js';
import { getVisionModels } from './vision-models.js';
import {
  SURE_FACE_SCORE,
  contains,
  detectFaces,
  detectObjects,
  embed,
  readExpressions,
} from './content-detectors.js';
import { analyseScene } from './content-scene.js';
import { CONTENT_VERSION, type ContentPerception, type ImageContent } from './content-types.js';

export * from './content-types.js';

/**
 * Content perception: what is in the picture: objects, people and their faces' expressions,
 * and the kind of scene, as one typed, JSON-safe result.
 *
 * API
 * - `analyseImageContent(image) → Promise<ImageContent>`: objects (COCO class, confidence, share
 *   of the image), people and faces with an expression, scene scores and regions. Deterministic
 *   for the same bytes; results are cached per image (SHA-256 of the bytes) in this thread.
 * - `perceiveContent(image) → Promise<ContentPerception>`: the same plus the colour features and
 *   the backbone embedding the learned affect head reads (affect-model.ts). The embedding is a
 *   description of the whole picture, never of a face, and must not be stored.
 * - `describeScene` is in content-words.ts, `steerMusic` in content-steering.ts, affect in
 *   affect-model.ts; `perceiveImage` (image-perception.ts) bundles them for the planner.
 *
 * Privacy: faces are located to read their expression only. No identity, landmark set, face
 * embedding or crop leaves this module, and nothing is written anywhere; the cache holds the
 * typed result in memory for the life of the thread, keyed by a hash, and is bounded.
 *
 * Cost (2-core machine, wasm backend, after warm-up): ≈ 130–160 ms per image, most of it
 * CenterNet (≈ 65 ms) and the backbone (≈ 40 ms); models ≈ 1 s to load, once per thread.
 *
 * Parts: content-types.ts (the result's types and class lists), content-detectors.ts (the model
 * passes), content-scene.ts (regions, horizon, scene types); this file runs them and caches.
 */

const WORKING_SIZE = 512;
const MAX_INPUT_PIXELS = 50_000_000;
const CACHE_SIZE = 32;

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

interface Raw {
  data: Buffer;
  width: number;
  height: number;
}

async function decodeWorking(image: Uint8Array): Promise<Raw> {
  const { data, info } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate()
    .resize(WORKING_SIZE, WORKING_SIZE, { fit: 'inside' })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
async function runPerception(image: Uint8Array): Promise<ContentPerception> {
  const [raw, lab, models] = await Promise.all([
    decodeWorking(image),
    decodeToLab(image),
    getVisionModels(),
  ]);
  const features = computeImageFeatures(lab);
  const pixels = tf.tensor4d(new Float32Array(raw.data), [1, raw.height, raw.width, 3]);
  try {
    const objects = await detectObjects(models, pixels);
    const personBoxes = objects.filter((o) => o.label === 'person').map((o) => o.box);
    const faceBoxes = (await detectFaces(models, pixels, raw.width, raw.height)).filter(
      (f) => f.score >= SURE_FACE_SCORE || personBoxes.some((p) => contains(p, f.box)),
    );
    const faces = await readExpressions(models, pixels, raw.width, raw.height, faceBoxes);
    const embedding = await embed(models, pixels);
    const persons = objects.filter((o) => o.label === 'person' && o.score >= 0.3);
    const content: ImageContent = {
      version: CONTENT_VERSION,
      objects,
      people: {
        count: Math.max(persons.length, faces.length),
        largestArea: round3(
          Math.max(0, ...persons.map((p) => p.area), ...faces.map((f) => f.area)),
        ),
        faces,
      },
      scene: analyseScene(lab, features, objects),
    };
    return { content: deepFreeze(content), features: deepFreeze(features), embedding };
  } finally {
    pixels.dispose();
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Bounded, per-thread; the key is a hash so the cache holds no image bytes. */
const cache = new Map<string, Promise<ContentPerception>>();

/** Perceives an image once per thread per distinct bytes (see the module header). */
export function perceiveContent(image: Uint8Array): Promise<ContentPerception> {
  const key = createHash('sha256').update(image).digest('hex');
  const hit = cache.get(key);
  if (hit) {
    // Refresh its place so the least recently used entry is the one evicted.
    cache.delete(key);
    cache.set(key, hit);
    return hit.then((p) => ({ ...p, embedding: Float32Array.from(p.embedding) }));
  }
  const pending = runPerception(image);
  cache.set(key, pending);
  pending.catch(() => cache.delete(key));
  while (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return pending.then((p) => ({ ...p, embedding: Float32Array.from(p.embedding) }));
}

/** What is in the picture; see the module header. Throws on bytes sharp cannot decode. */
export async function analyseImageContent(image: Uint8Array): Promise<ImageContent> {
  return (await perceiveContent(image)).content;
}

/** Empties this thread's result cache (tests; or a worker that wants its memory back). */
export function clearContentCache(): void {
  cache.clear();
}

/** Loads the models (≈ 1 s) so the first image does not pay for it. */
export async function prepareContentAnalysis(): Promise<void> {
  await getVisionModels();
}
