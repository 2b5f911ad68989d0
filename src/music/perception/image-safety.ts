import { tf } from './tf.js';
import { NSFWJS } from 'nsfwjs/core';
import sharp from 'sharp';
import { ensureWasmBackend, readNsfwjsModel } from './tfjs-models.js';

/**
 * Content safety for uploads: the NSFWJS classifier (nsfwjs 4.4.0, MIT) on the TensorFlow.js
 * WebAssembly backend. Its weights ship inside the npm package as JS bundles; they are read from
 * node_modules, never fetched, so this works offline and sends the image nowhere.
 *
 * Model: MobileNetV2Mid (graph model, ~56 ms per image here). The smaller MobileNetV2 scored a
 * macro photo of a yellow flower (mate_YellowFlower.jpg) as 76 % "Porn"; Mid keeps every one of
 * the 55 shared images below 26 % Porn + Hentai.
 *
 * Classes: Drawing, Hentai, Neutral, Porn, Sexy (softmax, sum ≈ 1).
 */

/**
 * Porn + Hentai above this → unsafe. The two explicit classes are summed because the model often
 * splits an explicit image between them; "Sexy" (swimwear, lingerie) stays allowed — a beach
 * photo is a fair input for music. 0.7 follows the nsfwjs authors' advice to flag on a clear
 * majority rather than the top class, which keeps false positives on skin-toned art rare.
 * Untested on unsafe images (the project holds none); revisit with real moderation data.
 */
export const UNSAFE_THRESHOLD = 0.7;
const UNSAFE_CLASSES = ['Porn', 'Hentai'] as const;
const INPUT_SIZE = 224;
/** Same decompression-bomb guard as perception. */
const MAX_INPUT_PIXELS = 50_000_000;

export interface ImageSafety {
  safe: boolean;
  /** Class → probability, e.g. { Neutral: 0.93, Drawing: 0.05, Porn: 0.01, … }. */
  scores: Record<string, number>;
}

/** The model's graph; its backbone is the one perception reads (vision-models.ts). */
const MODEL = { directory: 'mobilenet_v2_mid', type: 'graph' } as const;

let modelPromise: Promise<NSFWJS> | undefined;

async function loadModel(): Promise<NSFWJS> {
  await ensureWasmBackend();
  const model = new NSFWJS(readNsfwjsModel(MODEL.directory), {
    size: INPUT_SIZE,
    type: MODEL.type,
  });
  await model.load();
  return model;
}

/** Loads the model once per process; a failed load is retried on the next call. */
function getModel(): Promise<NSFWJS> {
  modelPromise ??= loadModel().catch((error: unknown) => {
    modelPromise = undefined;
    throw error;
  });
  return modelPromise;
}

/** Warms the model (≈0.4 s) so the first upload does not pay for it. */
export async function prepareImageSafety(): Promise<void> {
  await getModel();
}

/**
 * Classifies an image. Throws on bytes sharp cannot decode (callers validate uploads first).
 * About 55–60 ms per image on one core once loaded (first call: +~0.4 s to load); inference runs
 * on the calling thread, so the event loop is busy for that long.
 */
export async function assessImageSafety(image: Uint8Array): Promise<ImageSafety> {
  const { data } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    // The model was trained on images squashed to a square, not cropped.
    .resize(INPUT_SIZE, INPUT_SIZE, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const model = await getModel();
  const input = tf.tensor3d(new Int32Array(data), [INPUT_SIZE, INPUT_SIZE, 3], 'int32');
  try {
    // nsfwjs 4.3.0's typings import their class list without an extension, which NodeNext
    // cannot resolve; the shape is the documented one.
    const predictions: readonly { className: string; probability: number }[] = await model.classify(
      input,
      5,
    );
    const scores: Record<string, number> = {};
    for (const p of predictions) scores[p.className] = Math.round(p.probability * 10_000) / 10_000;
    const unsafe = UNSAFE_CLASSES.reduce((sum, name) => sum + (scores[name] ?? 0), 0);
    return { safe: unsafe <= UNSAFE_THRESHOLD, scores };
  } finally {
    input.dispose();
  }
}
