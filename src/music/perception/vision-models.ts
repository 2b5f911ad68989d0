import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * The vision models behind content perception, read from packages that `npm ci` installs and
 * run on the TensorFlow.js WebAssembly backend (docs/decisions/0012-content-perception.md).
 * Nothing is fetched: every byte of every model comes from node_modules.
 *
 * - CenterNet (MobileNetV3 backbone, COCO 80 classes), BlazeFace (256 px, the short+full range
 *   pair converted by PINTO) and the Oarriaga mini-Xception expression classifier (FER-2013
 *   classes) from @vladmandic/human 3.3.6 (MIT; only its model files are used, not its code);
 * - the MobileNetV2 feature extractor inside nsfwjs 4.4.0's MobileNetV2Mid model (MIT): the
 *   1280-d ImageNet feature vector before its NSFW head is the backbone embedding.
 *
 * Each worker thread holds its own copy (module state is per thread); models load once, on first
 * use, and a failed load is retried on the next call.
 */

const require = createRequire(import.meta.url);

interface ModelJson {
  modelTopology: object;
  format?: string;
  signature?: object;
  userDefinedMetadata?: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  return buffer.buffer.slice(
    buffer.byteOffset,
    buffer.byteOffset + buffer.byteLength,
  ) as ArrayBuffer;
}

/**
 * A tfjs graph model stored as model.json + .bin shards (the @vladmandic/human layout).
 * `patch` may rewrite the topology and int32 constants before the model is built.
 */
function readJsonModel(
  jsonPath: string,
  patch?: (json: ModelJson, setConstant: (name: string, values: number[]) => void) => void,
): tf.io.IOHandler {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelJson;
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Buffer[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) chunks.push(readFileSync(join(dirname(jsonPath), path)));
    specs.push(...group.weights);
  }
  // A fresh copy: Buffer.concat may hand back a pooled slice whose offset breaks Int32Array views.
  const weights = new Uint8Array(Buffer.concat(chunks));
  if (patch) {
    // Where each plain int32 constant sits (quantised weights before it leave odd offsets).
    const constants = new Map<string, { offset: number; count: number }>();
    let offset = 0;
    for (const spec of specs) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const bytes =
        spec.quantization === undefined ? 4 : spec.quantization.dtype === 'uint8' ? 1 : 2;
      if (spec.dtype === 'int32' && spec.quantization === undefined) {
        constants.set(spec.name, { offset, count });
      }
      offset += count * bytes;
    }
    const view = new DataView(weights.buffer);
    patch(json, (name, values) => {
      const target = constants.get(name);
      if (!target || target.count !== values.length)
        throw new Error(`model constant ${name} is not as expected`);
      values.forEach((v, i) => view.setInt32(target.offset + 4 * i, v, true));
    });
  }
  return tf.io.fromMemory({
    modelTopology: json.modelTopology,
    format: json.format,
    weightSpecs: specs,
    weightData: weights.buffer,
  });
}

/**
 * CenterNet takes objects at this input size instead of its native 512 px: 384 px costs about
 * 60 % of the time (≈65 ms instead of ≈110 ms per image here), keeping perception within its
 * 150 ms budget. Must be a multiple of 32 (the backbone's stride).
 */
export const OBJECT_INPUT_SIZE = 384;

interface GraphNode {
  name: string;
  op: string;
  attr?: { shape?: { shape?: { dim?: { size: string }[] } } };
}

/**
 * The converted graph bakes its 512 px geometry into constants: the placeholder's shape, the
 * three FPN up-sampling sizes (32, 64, 128), the 128 × 128 heat-map side used to decode a peak's
 * row and column, and the 128² rows gathered for box sizes. Scaling them together runs the same
 * weights at another resolution (the convolutions themselves are size-agnostic).
 */
function resizeCenterNet(size: number) {
  return (json: ModelJson, set: (name: string, values: number[]) => void): void => {
    const side = size / 4;
    const nodes = (json.modelTopology as { node: GraphNode[] }).node;
    for (const node of nodes) {
      const dims = node.attr?.shape?.shape?.dim;
      if (node.op === 'Placeholder' && dims) {
        dims.splice(
          0,
          dims.length,
          { size: '1' },
          { size: String(size) },
          { size: String(size) },
          { size: '3' },
        );
      }
    }
    delete json.signature;
    set('tower_0/CenternetHead/c5_upsample/up_sampling2d/mul', [size / 16, size / 16]);
    set('tower_0/CenternetHead/c4_upsample/up_sampling2d_1/mul', [size / 8, size / 8]);
    set('tower_0/CenternetHead/c3_upsample/up_sampling2d_2/mul', [side, side]);
    set('tower_0/strided_slice_6', [side]);
    set('tower_0/BatchGather/concat', [side * side, 4]);
  };
}

/** nsfwjs ships its models as UMD bundles: model.min.js plus base64 shards. */
function readNsfwjsModel(directory: string): tf.io.IOHandler {
  const modelDir = join(dirname(require.resolve('nsfwjs')), '..', 'models', directory);
  const json = require(join(modelDir, 'model.min.js')) as ModelJson;
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Buffer[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      chunks.push(Buffer.from(require(join(modelDir, `${path}.min.js`)) as string, 'base64'));
    }
    specs.push(...group.weights);
  }
  return tf.io.fromMemory({
    modelTopology: json.modelTopology,
    format: json.format,
    weightSpecs: specs,
    weightData: toArrayBuffer(Buffer.concat(chunks)),
  });
}

let backendPromise: Promise<void> | undefined;

/**
 * The wasm binaries come from the package's dist/ on disk (never fetched); Emscripten's Node glue
 * adds process-wide uncaughtException/unhandledRejection listeners that rethrow, which would
 * override the service's own error handling, so they are taken off again.
 */
async function initialiseBackend(): Promise<void> {
  tf.env().set('PROD', true);
  tf.env().set('IS_TEST', true);
  if (tf.getBackend() === 'wasm') return;
  const wasmDir = join(
    dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  setWasmPaths(`${wasmDir}/`);
  const beforeException = process.listeners('uncaughtException');
  const beforeRejection = process.listeners('unhandledRejection');
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js wasm backend failed');
    await tf.ready();
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!beforeException.includes(listener))
        process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!beforeRejection.includes(listener))
        process.removeListener('unhandledRejection', listener);
    }
  }
}

/**
 * Sets TensorFlow.js up on the wasm backend once per thread, for every model that runs in it
 * (the vision models and the upload safety check): two models setting the backend up at once
 * would race, and the loser sees it fail.
 */
export function ensureBackend(): Promise<void> {
  backendPromise ??= initialiseBackend().catch((error: unknown) => {
    backendPromise = undefined;
    throw error;
  });
  return backendPromise;
}

export interface VisionModels {
  /**
   * CenterNet, input [1, OBJECT_INPUT_SIZE², 3] in 0..255; output `tower_0/detections`
   * [1, 100, 6]: x1, y1, x2, y2 (input pixels), score, class index (0 = person).
   */
  objects: tf.GraphModel;
  /** BlazeFace, input [1, 256, 256, 3] in −1..1. */
  faces: tf.GraphModel;
  /** Expression classifier, input [n, 64, 64, 1] grey in −1..1, output [n, 7] softmax. */
  expressions: tf.GraphModel;
  /** MobileNetV2 (nsfwjs Mid), input [1, 224, 224, 3] in 0..1. */
  backbone: tf.GraphModel;
}

/** Output node of the MobileNetV2 feature vector (global average pool, 1280-d). */
const BACKBONE_PREFIX =
  'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/' +
  'StatefulPartitionedCall/predict/';
export const BACKBONE_FEATURE_NODE = `${BACKBONE_PREFIX}feature_vector/SpatialSqueeze`;
/**
 * Residual outputs of four intermediate blocks (28², 14², 14² and 7² grids). Their spatially
 * averaged channels join the embedding: mid-level layers carry the colour, texture and
 * composition cues that image-emotion work finds complementary to the last layer (Machajdik &
 * Hanbury 2010; Rao, Li & Xu 2020, "Learning multi-level deep representations for image
 * emotion classification").
 */
export const BACKBONE_MID_NODES = [5, 9, 12, 15].map(
  (block) => `${BACKBONE_PREFIX}MobilenetV2/expanded_conv_${block}/add`,
);

async function loadModels(): Promise<VisionModels> {
  await ensureBackend();
  // The package's exports map hides package.json; resolving (not loading) its main bundle
  // finds the folder, whose models/ holds the weights.
  const humanModels = join(dirname(require.resolve('@vladmandic/human')), '..', 'models');
  const load = (handler: tf.io.IOHandler): Promise<tf.GraphModel> => tf.loadGraphModel(handler);
  return {
    objects: await load(
      readJsonModel(join(humanModels, 'centernet.json'), resizeCenterNet(OBJECT_INPUT_SIZE)),
    ),
    faces: await load(readJsonModel(join(humanModels, 'blazeface.json'))),
    expressions: await load(readJsonModel(join(humanModels, 'emotion.json'))),
    backbone: await load(readNsfwjsModel('mobilenet_v2_mid')),
  };
}

let modelsPromise: Promise<VisionModels> | undefined;

/** Loads the four models once per thread (≈1 s); a failed load is retried on the next call. */
export function getVisionModels(): Promise<VisionModels> {
  modelsPromise ??= loadModels().catch((error: unknown) => {
    modelsPromise = undefined;
    throw error;
  });
  return modelsPromise;
}
