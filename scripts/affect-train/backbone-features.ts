/**
 * Richer backbone features for the affect study (scripts/affect-train/backbone-study.ts), read
 * outside the engine so that candidate designs can be compared before any of them ships:
 *
 * - MobileNetV2 (nsfwjs MobileNetV2Mid, the network the engine already runs): the final
 *   1792-d feature vector, its max over the 7 × 7 grid, and the mean and the max over the grid
 *   of ten intermediate residual blocks (56² … 7²): multi-level pooled features, as in Rao, Li
 *   & Xu (2020) and the "mean + max" pooling of Razavian et al. (2014).
 * - InceptionV3 (nsfwjs InceptionV3, ImageNet backbone under an NSFW head): the grid mean of
 *   mixed10 (2048-d), mixed7 and mixed5 (768-d each), at a chosen input side. Its Keras
 *   topology fixes a 299 px input; the convolutions are size-agnostic, so the input layer's
 *   shape is opened before loading.
 *
 * Inputs are prepared as the engine prepares its backbone input: the 512 px working copy
 * (rotated, flattened on white, sRGB), squashed to a square and scaled to 0..1 (as nsfwjs does).
 * Results are cached on disk outside the project (derived from third-party images).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import {
  ensureWasmBackend,
  readNsfwjsModel,
  type ModelJson,
} from '../../src/music/perception/tfjs-models.js';

const require = createRequire(import.meta.url);
export const BACKBONE_CACHE_DIR = '/tmp/affect-backbone-cache';
/** Bumped when what is extracted changes, so stale cache files are never read. */
const FEATURE_VERSION = 1;

const MOBILENET_PREFIX =
  'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/' +
  'StatefulPartitionedCall/predict/';
/** The residual adds of MobileNetV2 (α 1.4): 56² × 32, 28² × 48, 14² × 88, 14² × 136, 7² × 224. */
export const MOBILENET_BLOCKS = [2, 4, 5, 7, 8, 9, 11, 12, 14, 15];
const MOBILENET_NODES = {
  last: `${MOBILENET_PREFIX}feature_vector/SpatialSqueeze`,
  lastGrid: `${MOBILENET_PREFIX}MobilenetV2/Conv_1/Relu6`,
  blocks: MOBILENET_BLOCKS.map((b) => `${MOBILENET_PREFIX}MobilenetV2/expanded_conv_${b}/add`),
};
export const INCEPTION_LAYERS = ['mixed5', 'mixed7', 'mixed10'];

export interface StudyFeatures {
  /** MobileNetV2 final feature vector (1792). */
  mnLast: number[];
  /** Max over the final 7 × 7 grid (1792). */
  mnLastMax: number[];
  /** Grid means of MOBILENET_BLOCKS, concatenated (1112). */
  mnBlocksMean: number[];
  /** Grid maxima of MOBILENET_BLOCKS, concatenated (1112). */
  mnBlocksMax: number[];
  /** InceptionV3 grid means of INCEPTION_LAYERS at INCEPTION_SIDE px (768 + 768 + 2048). */
  inception: number[];
  /** Per-image time of each network after warm-up (ms, not counting decode). */
  ms: { mobilenet: number; inception: number };
}

interface Networks {
  mobilenet: tf.GraphModel;
  inception: tf.LayersModel;
}

let networks: Promise<Networks> | undefined;

async function loadInception(): Promise<tf.LayersModel> {
  const modelDir = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'inception_v3');
  const json = structuredClone(require(join(modelDir, 'model.min.js')) as ModelJson);
  const topology = json.modelTopology as {
    model_config: {
      config: {
        layers: { name: string; config: { batch_input_shape?: (number | null)[] } }[];
        output_layers: unknown[];
      };
    };
  };
  const config = topology.model_config.config;
  const input = config.layers[0];
  if (input?.config.batch_input_shape) input.config.batch_input_shape = [null, null, null, 3];
  // The NSFW head (pool, flatten, dense) needs the fixed size; only the backbone is kept.
  config.layers = config.layers.slice(0, config.layers.findIndex((l) => l.name === 'mixed10') + 1);
  config.output_layers = [['mixed10', 0, 0]];
  const handler = readNsfwjsModel('inception_v3');
  const artifacts = await (handler.load as () => Promise<tf.io.ModelArtifacts>)();
  const full = await tf.loadLayersModel(
    tf.io.fromMemory({ ...artifacts, modelTopology: json.modelTopology }),
    { strict: false },
  );
  return tf.model({
    inputs: full.inputs,
    outputs: INCEPTION_LAYERS.map((name) => full.getLayer(name).output as tf.SymbolicTensor),
  });
}

function getNetworks(): Promise<Networks> {
  networks ??= (async () => {
    await ensureWasmBackend();
    return {
      mobilenet: await tf.loadGraphModel(readNsfwjsModel('mobilenet_v2_mid')),
      inception: await loadInception(),
    };
  })();
  return networks;
}

async function decodeWorking(bytes: Uint8Array): Promise<tf.Tensor4D> {
  const { data, info } = await sharp(bytes, { limitInputPixels: 50_000_000, failOn: 'error' })
    .rotate()
    .resize(512, 512, { fit: 'inside' })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return tf.tensor4d(new Float32Array(data), [1, info.height, info.width, 3]);
}

const rounded = (values: Float32Array | Int32Array | Uint8Array): number[] =>
  Array.from(values, (v) => Math.round(v * 1e4) / 1e4);

async function pooled(
  tensors: tf.Tensor[],
  reduce: (t: tf.Tensor) => tf.Tensor,
): Promise<number[]> {
  const joined = tf.tidy(() =>
    tf.concat(
      tensors.map((t) => tf.reshape(reduce(t), [-1])),
      0,
    ),
  );
  const values = rounded(await joined.data());
  joined.dispose();
  return values;
}

export async function extractStudyFeatures(
  bytes: Uint8Array,
  inceptionSide: number,
): Promise<StudyFeatures> {
  const { mobilenet, inception } = await getNetworks();
  const pixels = await decodeWorking(bytes);
  try {
    let started = performance.now();
    const mnInput = tf.tidy(() => tf.div(tf.image.resizeBilinear(pixels, [224, 224]), 255));
    const [last, lastGrid, ...blocks] = mobilenet.execute(mnInput, [
      MOBILENET_NODES.last,
      MOBILENET_NODES.lastGrid,
      ...MOBILENET_NODES.blocks,
    ]) as tf.Tensor[];
    const mean = (t: tf.Tensor): tf.Tensor => tf.mean(t, [0, 1, 2]);
    const max = (t: tf.Tensor): tf.Tensor => tf.max(t, [0, 1, 2]);
    const mnLast = await pooled([last as tf.Tensor], (t) => t);
    const mnLastMax = await pooled([lastGrid as tf.Tensor], max);
    const mnBlocksMean = await pooled(blocks, mean);
    const mnBlocksMax = await pooled(blocks, max);
    const mobilenetMs = performance.now() - started;
    tf.dispose([mnInput, last, lastGrid, ...blocks]);

    started = performance.now();
    const incInput = tf.tidy(() =>
      tf.div(tf.image.resizeBilinear(pixels, [inceptionSide, inceptionSide]), 255),
    );
    const outputs = inception.predict(incInput) as tf.Tensor[];
    const inceptionFeatures = await pooled(outputs, mean);
    const inceptionMs = performance.now() - started;
    tf.dispose([incInput, ...outputs]);
    return {
      mnLast,
      mnLastMax,
      mnBlocksMean,
      mnBlocksMax,
      inception: inceptionFeatures,
      ms: { mobilenet: mobilenetMs, inception: inceptionMs },
    };
  } finally {
    pixels.dispose();
  }
}

/** extractStudyFeatures, cached per image bytes and input side. */
export async function cachedStudyFeatures(
  bytes: Uint8Array,
  inceptionSide: number,
): Promise<StudyFeatures> {
  const hash = createHash('sha256').update(bytes).digest('hex');
  const file = join(BACKBONE_CACHE_DIR, `${hash}-i${inceptionSide}-v${FEATURE_VERSION}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StudyFeatures;
  } catch {
    // Not cached yet.
  }
  const features = await extractStudyFeatures(bytes, inceptionSide);
  mkdirSync(BACKBONE_CACHE_DIR, { recursive: true });
  writeFileSync(file, JSON.stringify(features));
  return features;
}
