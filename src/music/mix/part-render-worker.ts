import { parentPort } from 'node:worker_threads';
import { renderAndMixParts, type PartsJob } from './mix-parts.js';

/**
 * Render thread: renders and mixes the parts it is sent (one job at a time, in order) and posts
 * them back with their buffers transferred. Its sound bank stays loaded between jobs.
 */

export type PartsRequest = { id: number; job: PartsJob };
export type PartsReply =
  | { id: number; ok: true; parts: { left: Float32Array; right: Float32Array }[] }
  | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('part-render-worker.ts must run in a worker thread');

let queue: Promise<void> = Promise.resolve();

async function run(request: PartsRequest): Promise<void> {
  if (!port) return;
  try {
    const parts = await renderAndMixParts(request.job);
    const reply: PartsReply = {
      id: request.id,
      ok: true,
      parts: parts.map((p) => ({ left: p.left, right: p.right })),
    };
    port.postMessage(
      reply,
      parts.flatMap((p) => [p.left.buffer as ArrayBuffer, p.right.buffer as ArrayBuffer]),
    );
  } catch (error) {
    const reply: PartsReply = {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
    port.postMessage(reply);
  }
}

// One job at a time, in arrival order (a job is seconds of CPU; interleaving gains nothing).
port.on('message', (request: PartsRequest) => {
  queue = queue.then(() => run(request));
});
