import { createRequire } from 'node:module';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfConverter from '@tensorflow/tfjs-converter';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';

/**
 * The parts of TensorFlow.js perception uses (core, the graph-model converter and the WebAssembly
 * backend) instead of the whole `@tensorflow/tfjs` package (which adds layers, data and the cpu
 * and WebGL backends, none of them used), loaded with `require` rather than `import`: they are
 * CommonJS bundles, and an `import` of one has Node's ESM loader scan its source (and that of
 * every bundle it re-exports) for its export names first. Together that took a fresh process
 * ~0.6–1 s of module loading before perception could start; this takes ~0.1 s
 * (docs/decisions/0027-cold-start.md). `@tensorflow/tfjs`, where something else loads it (nsfwjs
 * for the upload check), requires these same modules, so there is still one engine and one set
 * of backends per thread.
 */

const require = createRequire(import.meta.url);

const core = require('@tensorflow/tfjs-core') as typeof TfCore;
const converter = require('@tensorflow/tfjs-converter') as typeof TfConverter;

export const tf = { ...core, loadGraphModel: converter.loadGraphModel };
export const { setWasmPaths } = require('@tensorflow/tfjs-backend-wasm') as typeof TfWasm;

export type { io, Tensor, Tensor2D, Tensor3D, Tensor4D } from '@tensorflow/tfjs-core';
export type { GraphModel } from '@tensorflow/tfjs-converter';
