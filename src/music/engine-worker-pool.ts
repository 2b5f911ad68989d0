import type { Worker } from 'node:worker_threads';
import { EngineError, engineErrorCodes, type EngineErrorCode } from './engine-error.js';
import type { ComposeRequest, ComposeStage, ComposedTrack, EngineOptions } from './engine.js';
import type { WorkerError, WorkerJob, WorkerReply } from './engine-worker.js';
import type { ImageSafety } from './perception/image-safety.js';
import { startWorker } from './worker-thread.js';

/**
 * composeTrack off the event loop: a small pool of worker threads, each composing one request
 * at a time, so rendering and encoding (seconds of CPU) never stall the web role. Same
 * function shape as composeTrack; the files come back as transferred buffers (no copy) and
 * progress stages are relayed to `onProgress` in order, before the result resolves.
 *
 * The upload's safety check runs in the same threads: it is TensorFlow inference (~60 ms of
 * CPU per image, ~0.4 s to load the model), which on the calling thread would stall every
 * request of the all-in-one default for that long, and the threads already hold TensorFlow for
 * perception, so the model costs no second runtime.
 */

export interface ComposeWorkerPool {
  compose: (request: ComposeRequest) => Promise<ComposedTrack>;
  assessSafety: (image: Uint8Array) => Promise<ImageSafety>;
  /** Stops the workers; requests still queued or running are rejected. */
  close: () => Promise<void>;
  readonly size: number;
}

export interface ComposeWorkerPoolOptions {
  /** Worker threads (default 1): each holds a sound bank (~30 MB) and one render at a time. */
  size?: number;
  /** How each worker's engine runs (sound bank, render threads), from the service's config. */
  engine?: EngineOptions;
}

type Job = { id: number; reject: (error: unknown) => void } & (
  | {
      kind: 'compose';
      request: ComposeRequest;
      resolve: (track: ComposedTrack) => void;
      /** Progress callbacks run one after another; the result waits for the last of them. */
      progress: Promise<void>;
    }
  | { kind: 'safety'; image: Uint8Array; resolve: (safety: ImageSafety) => void }
);

interface Slot {
  worker: Worker;
  job: Job | null;
}

function toError(error: WorkerError): Error {
  if (error.code && (engineErrorCodes as readonly string[]).includes(error.code)) {
    return new EngineError(error.code as EngineErrorCode, error.message, error.details);
  }
  return new Error(error.message);
}

export function createComposeWorkerPool(options: ComposeWorkerPoolOptions = {}): ComposeWorkerPool {
  const size = options.size ?? 1;
  if (!Number.isInteger(size) || size < 1) throw new Error('pool size must be a positive integer');
  const slots: (Slot | null)[] = Array.from({ length: size }, () => null);
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  const finish = (slot: Slot, outcome: () => void): void => {
    slot.job = null;
    slot.worker.unref(); // an idle pool must not keep the process alive
    outcome();
    dispatch();
  };

  const spawn = (index: number): Slot => {
    const worker = startWorker(new URL('./engine-worker.js', import.meta.url), {
      engine: options.engine ?? {},
    });
    const slot: Slot = { worker, job: null };
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (!job || reply.id !== job.id) return;
      if (job.kind === 'safety') {
        finish(slot, () => {
          if (reply.type === 'safety') job.resolve(reply.safety);
          else if (reply.type === 'error') job.reject(toError(reply.error));
        });
        return;
      }
      if (reply.type === 'progress') {
        const stage = reply.stage as ComposeStage;
        job.progress = job.progress.then(() => job.request.onProgress?.(stage));
        // A callback that fails (its database write lost the connection) fails the job when the
        // result arrives; until then the rejection must count as handled, or Node ends the
        // whole process for an unhandled rejection while the thread is still rendering.
        job.progress.catch(() => undefined);
        return;
      }
      const settled = job.progress;
      finish(slot, () => {
        settled
          .then(() =>
            reply.type === 'done'
              ? job.resolve(reply.track)
              : job.reject(reply.type === 'error' ? toError(reply.error) : new Error('bad reply')),
          )
          .catch(job.reject);
      });
    });
    const fail = (error: Error): void => {
      // A dead worker is replaced on the next dispatch; its job fails (the queue retries).
      if (slots[index] === slot) slots[index] = null;
      const job = slot.job;
      slot.job = null;
      job?.reject(error);
      dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (slots[index] === slot) slots[index] = null;
      if (slot.job) fail(new Error(`compose worker exited with code ${code}`));
    });
    return slot;
  };

  function dispatch(): void {
    if (closed) return;
    for (let i = 0; i < slots.length && queue.length > 0; i++) {
      const slot = slots[i] ?? spawn(i);
      slots[i] = slot;
      if (slot.job) continue;
      const job = queue.shift() as Job;
      slot.job = job;
      slot.worker.ref();
      // Everything but the callback crosses to the worker; the image is copied (structured
      // clone), so the caller keeps its bytes.
      let message: WorkerJob;
      if (job.kind === 'safety') {
        message = { id: job.id, kind: 'safety', image: job.image };
      } else {
        const { onProgress, ...request } = job.request;
        message = { id: job.id, kind: 'compose', request };
      }
      slot.worker.postMessage(message);
    }
  }

  const enqueue = (job: Job): void => {
    if (closed) {
      job.reject(new Error('the compose worker pool is closed'));
      return;
    }
    queue.push(job);
    dispatch();
  };

  return {
    size,
    compose: (request) =>
      new Promise<ComposedTrack>((resolve, reject) => {
        enqueue({
          id: nextId++,
          kind: 'compose',
          request,
          resolve,
          reject,
          progress: Promise.resolve(),
        });
      }),
    assessSafety: (image) =>
      new Promise<ImageSafety>((resolve, reject) => {
        enqueue({ id: nextId++, kind: 'safety', image, resolve, reject });
      }),
    close: async () => {
      closed = true;
      const error = new Error('the compose worker pool is closed');
      for (const job of queue.splice(0)) job.reject(error);
      await Promise.all(
        slots.map(async (slot, i) => {
          if (!slot) return;
          slots[i] = null;
          slot.job?.reject(error);
          slot.job = null;
          await slot.worker.terminate();
        }),
      );
    },
  };
}
