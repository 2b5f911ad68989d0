import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tf, setWasmPaths, type io } from './tf.js';

/**
 * How this engine runs TensorFlow.js models: the WebAssembly backend, and graph models read from
 * the files of installed packages (never fetched). Shared by the vision models of perception and
 * the upload safety check, which runs one of those models with its own head.
 */

const require = createRequire(import.meta.url);

export interface ModelJson {
  modelTopology: object;
  format?: string;
  signature?: object;
  userDefinedMetadata?: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
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
export function readJsonModel(
  jsonPath: string,
  patch?: (json: ModelJson, setConstant: (name: string, values: number[]) => void) => void,
): io.IOHandler {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelJson;
  const specs: io.WeightsManifestEntry[] = [];
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

/** nsfwjs ships its models as UMD bundles: model.min.js plus base64 shards. */
export function readNsfwjsModel(directory: string): io.IOHandler {
  const modelDir = join(dirname(require.resolve('nsfwjs')), '..', 'models', directory);
  const json = require(join(modelDir, 'model.min.js')) as ModelJson;
  const specs: io.WeightsManifestEntry[] = [];
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

async function initialiseBackend(): Promise<void> {
  // tfjs prints a "use tfjs-node" hint in Node and backend notices; production mode turns
  // off its debug checks, and the hint only appears for the cpu backend, which we never pick.
  tf.env().set('PROD', true);
  tf.env().set('IS_TEST', true);
  if (tf.getBackend() === 'wasm') return;
  const wasmDir = join(
    dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  setWasmPaths(`${wasmDir}/`);
  // Emscripten's Node glue adds process-wide uncaughtException/unhandledRejection listeners that
  // rethrow; they would override the service's own error handling, so they are taken off again.
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
 * The wasm backend, set up once per thread (its binaries read from the package's dist/); a
 * failed set-up is tried again on the next call.
 */
export function ensureWasmBackend(): Promise<void> {
  backendPromise ??= initialiseBackend().catch((error: unknown) => {
    backendPromise = undefined;
    throw error;
  });
  return backendPromise;
}
