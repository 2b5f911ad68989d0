import { parentPort, workerData } from 'node:worker_threads';
import { isEngineError } from './engine-error.js';
import {
  composeTrack,
  type ComposeRequest,
  type ComposedTrack,
  type EngineOptions,
} from './engine.js';
import { prepareContentAnalysis } from './perception/content-analysis.js';
import {
  assessImageSafety,
  prepareImageSafety,
  type ImageSafety,
} from './perception/image-safety.js';
import { runInBackground } from './thread-priority.js';

/**
 * Worker-thread entry for engine-worker-pool.ts: composes one request at a time and posts
 * progress, then the track (its byte arrays transferred, not copied) or a serialised error;
 * or classifies an upload's safety.
 */

export type WorkerJob =
  | { id: number; kind: 'compose'; request: Omit<ComposeRequest, 'onProgress'> }
  | { id: number; kind: 'safety'; image: Uint8Array };
export type WorkerError = { message: string; code?: string; details?: Record<string, unknown> };
export type WorkerReply =
  | { id: number; type: 'progress'; stage: string }
  | { id: number; type: 'done'; track: ComposedTrack }
  | { id: number; type: 'safety'; safety: ImageSafety }
  | { id: number; type: 'error'; error: WorkerError };

const port = parentPort;
const engine: EngineOptions = (workerData as { engine?: EngineOptions } | null)?.engine ?? {};
if (!port) throw new Error('engine-worker.ts must run in a worker thread');

runInBackground();

// Load the vision models while the thread waits for its first job, so that job does not pay for
// them; a failed load is retried (and reported) by the job that needs them.
prepareContentAnalysis().catch(() => undefined);
prepareImageSafety().catch(() => undefined);

/** Transferable only when the view owns its whole buffer (ours always do; a slice never). */
function ownBuffer(bytes: Uint8Array): { bytes: Uint8Array; buffer: ArrayBuffer } {
  const owned =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  return { bytes: owned, buffer: owned.buffer as ArrayBuffer };
}

function serialise(error: unknown): WorkerError {
  return isEngineError(error)
    ? { message: error.message, code: error.code, details: error.details }
    : { message: error instanceof Error ? error.message : String(error) };
}

async function classify(job: Extract<WorkerJob, { kind: 'safety' }>): Promise<void> {
  try {
    const safety = await assessImageSafety(job.image);
    port?.postMessage({ id: job.id, type: 'safety', safety } satisfies WorkerReply);
  } catch (error) {
    port?.postMessage({ id: job.id, type: 'error', error: serialise(error) } satisfies WorkerReply);
  }
}

async function run(job: Extract<WorkerJob, { kind: 'compose' }>): Promise<void> {
  try {
    const track = await composeTrack(
      {
        ...job.request,
        onProgress: (stage) => port?.postMessage({ id: job.id, type: 'progress', stage }),
      },
      engine,
    );
    const mp3 = ownBuffer(track.mp3);
    const wav = ownBuffer(track.wav);
    const midi = ownBuffer(track.midi);
    const stems = track.stems ? ownBuffer(track.stems) : null;
    const reply: WorkerReply = {
      id: job.id,
      type: 'done',
      track: {
        ...track,
        mp3: mp3.bytes,
        wav: wav.bytes,
        midi: midi.bytes,
        stems: stems?.bytes ?? null,
      },
    };
    port?.postMessage(reply, [
      mp3.buffer,
      wav.buffer,
      midi.buffer,
      ...(stems ? [stems.buffer] : []),
    ]);
  } catch (error) {
    port?.postMessage({ id: job.id, type: 'error', error: serialise(error) } satisfies WorkerReply);
  }
}

port.on('message', (job: WorkerJob) => void (job.kind === 'safety' ? classify(job) : run(job)));
