import { parentPort, workerData } from 'node:worker_threads';
import type { ImageFeatures } from './image-features.js';
import type { ImageReading } from '../plan/content-choices.js';

/**
 * Perception thread (perception-thread.ts): reads the one picture it was started with, posts
 * what the plan needs (the features and the reading) or the error's message, and is then ended
 * by the thread that started it, which takes its vision models' memory with it.
 */

export type PerceptionReply =
  { ok: true; features: ImageFeatures; reading: ImageReading } | { ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('perception-worker.ts must run in a worker thread');

try {
  const [{ perceiveImage }, { readingOf }] = await Promise.all([
    import('./image-perception.js'),
    import('../plan/content-choices.js'),
  ]);
  const seen = await perceiveImage((workerData as { image: Uint8Array }).image);
  port.postMessage({
    ok: true,
    features: seen.features,
    reading: readingOf(seen),
  } satisfies PerceptionReply);
} catch (error) {
  port.postMessage({
    ok: false,
    message: error instanceof Error ? error.message : String(error),
  } satisfies PerceptionReply);
}
