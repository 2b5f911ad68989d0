import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tf, type GraphModel, type io } from './tf.js';
import {
  ensureWasmBackend,
  readJsonModel,
  readNsfwjsModel,
  type ModelJson,
} from './tfjs-models.js';

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

/**
 * CenterNet takes objects at this input size instead of its native 512 px: 384 px costs about
 * 60 % of the time (≈65 ms instead of ≈110 ms per image here), keeping perception within its
 * 150 ms budget. Must be a multiple of 32 (the backbone's stride).
 */
export const OBJECT_INPUT_SIZE = 384;

const require = createRequire(import.meta.url);

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

export interface VisionModels {
  /**
   * CenterNet, input [1, OBJECT_INPUT_SIZE², 3] in 0..255; output `tower_0/detections`
   * [1, 100, 6]: x1, y1, x2, y2 (input pixels), score, class index (0 = person).
   */
  objects: GraphModel;
  /** BlazeFace, input [1, 256, 256, 3] in −1..1. */
  faces: GraphModel;
  /** Expression classifier, input [n, 64, 64, 1] grey in −1..1, output [n, 7] softmax. */
  expressions: GraphModel;
  /** MobileNetV2 (nsfwjs Mid), input [1, 224, 224, 3] in 0..1. */
  backbone: GraphModel;
}

/** Output node of the MobileNetV2 feature vector (global average pool, 1280-d). */
const BACKBONE_PREFIX =
  'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/' +
  'StatefulPartitionedCall/predict/';
export const BACKBONE_FEATURE_NODE = `${BACKBONE_PREFIX}feature_vector/SpatialSqueeze`;
/**
 * Residual outputs of ten intermediate blocks (56² … 7² grids), averaged over the grid, then the
 * maxima over the grid of the final 7 × 7 map and of the same ten blocks. Mid-level layers carry
 * the colour, texture and composition cues that image-emotion work finds complementary to the
 * last layer (Machajdik & Hanbury 2010; Rao, Li & Xu 2020, "Learning multi-level deep
 * representations for image emotion classification"); the maximum keeps what fills only part of
 * the picture ("mean + max" pooling, Razavian et al. 2014). In leave-one-source-out CV on the
 * team set they rank valence at 0.40 (mean ρ within sources) where the round-4 embedding (four
 * block means) gave 0.37; arousal gained nothing and reads only the final vector and the means
 * of blocks 5, 9, 12 and 15 (docs/decisions/0012-content-perception.md, "Round 5"). The maxima
 * are nodes added to the graph on load (`withGridMaxima`), each [1, 1, 1, C], so averaging them
 * over the grid, as the embedding does for every mid-level output, leaves the maximum.
 */
const BACKBONE_BLOCKS = [2, 4, 5, 7, 8, 9, 11, 12, 14, 15].map(
  (block) => `${BACKBONE_PREFIX}MobilenetV2/expanded_conv_${block}/add`,
);
const BACKBONE_LAST_GRID = `${BACKBONE_PREFIX}MobilenetV2/Conv_1/Relu6`;
const GRID_MAX_SUFFIX = '/grid_max';
const GRID_MAX_AXES = `${BACKBONE_PREFIX}grid_max_axes`;
export const BACKBONE_MID_NODES = [
  ...BACKBONE_BLOCKS,
  ...[BACKBONE_LAST_GRID, ...BACKBONE_BLOCKS].map((node) => `${node}${GRID_MAX_SUFFIX}`),
];

/**
 * Adds a Max over the grid (axes 1 and 2, dimensions kept) after the last map and each of the
 * blocks above: graph nodes plus one int32 constant for the axes, appended to the weights.
 */
async function withGridMaxima(handler: io.IOHandler): Promise<io.IOHandler> {
  const artifacts = await (handler.load as () => Promise<io.ModelArtifacts>)();
  const topology = structuredClone(artifacts.modelTopology) as { node: object[] };
  topology.node.push({
    name: GRID_MAX_AXES,
    op: 'Const',
    attr: {
      value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: [{ size: '2' }] } } },
      dtype: { type: 'DT_INT32' },
    },
  });
  for (const source of [BACKBONE_LAST_GRID, ...BACKBONE_BLOCKS]) {
    topology.node.push({
      name: `${source}${GRID_MAX_SUFFIX}`,
      op: 'Max',
      input: [source, GRID_MAX_AXES],
      attr: {
        keep_dims: { b: true },
        T: { type: 'DT_FLOAT' },
        Tidx: { type: 'DT_INT32' },
      },
    });
  }
  const data = artifacts.weightData as ArrayBuffer;
  const weightData = new Uint8Array(data.byteLength + 8);
  weightData.set(new Uint8Array(data), 0);
  new DataView(weightData.buffer).setInt32(data.byteLength, 1, true);
  new DataView(weightData.buffer).setInt32(data.byteLength + 4, 2, true);
  return tf.io.fromMemory({
    modelTopology: topology,
    ...(artifacts.format === undefined ? {} : { format: artifacts.format }),
    weightSpecs: [
      ...(artifacts.weightSpecs ?? []),
      { name: GRID_MAX_AXES, shape: [2], dtype: 'int32' },
    ],
    weightData: weightData.buffer,
  });
}

async function loadModels(): Promise<VisionModels> {
  await ensureWasmBackend();
  // The package's exports map hides package.json; resolving (not loading) its main bundle
  // finds the folder, whose models/ holds the weights.
  const humanModels = join(dirname(require.resolve('@vladmandic/human')), '..', 'models');
  const load = (handler: io.IOHandler): Promise<GraphModel> => tf.loadGraphModel(handler);
  return {
    objects: await load(
      readJsonModel(join(humanModels, 'centernet.json'), resizeCenterNet(OBJECT_INPUT_SIZE)),
    ),
    faces: await load(readJsonModel(join(humanModels, 'blazeface.json'))),
    expressions: await load(readJsonModel(join(humanModels, 'emotion.json'))),
    backbone: await load(await withGridMaxima(readNsfwjsModel('mobilenet_v2_mid'))),
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
