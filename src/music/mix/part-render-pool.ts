import type { Worker } from 'node:worker_threads';
import type { StereoAudio } from '../render/render.js';
import { sharedSoundFontFile } from '../render/soundfont.js';
import { startWorker } from '../worker-thread.js';
import { renderAndMixParts, shareParts, type PartsJob } from './mix-parts.js';
import {
  abandonMix,
  claimedParts,
  renderClaimedIntoMix,
  type ClaimedParts,
  type SharedMix,
} from './shared-mix.js';
import {
  encodeMp3UnderCeiling,
  MP3_STOPPED,
  type Mp3Check,
  type Mp3Encoder,
} from '../encode/mp3-readback.js';
import type { Mp3Job, PartsReply, PartsRequest } from './part-render-worker.js';

/**
 * Renders a piece's parts on several cores: the calling thread and the render threads (started on
 * first use and kept, each with its sound bank loaded). Without stems (`renderPartsIntoMix`) the
 * threads claim the parts as they go and each adds its own into one shared mix, in the parts'
 * order (mix/shared-mix.ts); with stems (`renderPartsInParallel`) the parts are shared out by
 * cost and each is handed to the caller as soon as it and every part before it are mixed. Either
 * way each part's audio depends only on its job and the sum is made in the parts' order, so
 * thread scheduling never changes a byte.
 */

/** The replies that stream a job's results before its last reply. */
type StreamedReply = Extract<PartsReply, { part: unknown } | { mp3Bytes: unknown }>;

interface Pending {
  resolve: (r: PartsReply) => void;
  reject: (e: unknown) => void;
  /** A 'parts' job's parts or an 'mp3' job's pieces, as they come. */
  onStream?: ((reply: StreamedReply) => void) | undefined;
}

interface RenderThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

const threads = new Map<number, RenderThread>();
let nextId = 1;

function renderThread(index: number): RenderThread {
  const existing = threads.get(index);
  if (existing) return existing;
  const worker = startWorker(new URL('./part-render-worker.js', import.meta.url));
  const thread: RenderThread = { worker, pending: new Map() };
  const failAll = (error: unknown): void => {
    for (const { reject } of thread.pending.values()) reject(error);
    thread.pending.clear();
    // A dead thread is replaced on the next render.
    if (threads.get(index) === thread) threads.delete(index);
  };
  worker.on('message', (reply: PartsReply) => {
    const waiting = thread.pending.get(reply.id);
    if (!waiting) return;
    if ('part' in reply || 'mp3Bytes' in reply) {
      try {
        waiting.onStream?.(reply);
      } catch (error) {
        waiting.onStream = undefined; // the job has failed: drop the rest of its results
        thread.pending.delete(reply.id);
        if (thread.pending.size === 0) worker.unref();
        waiting.reject(error);
      }
      return;
    }
    thread.pending.delete(reply.id);
    if (thread.pending.size === 0) worker.unref();
    waiting.resolve(reply);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`render thread exited with code ${code}`)));
  worker.unref(); // an idle render thread must not keep the process alive
  threads.set(index, thread);
  return thread;
}

/** A request without its id (Omit over each member of the union, not over the union). */
type Unsent = PartsRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

function send(
  index: number,
  request: Unsent,
  transfer: ArrayBuffer[] = [],
  onStream?: Pending['onStream'],
) {
  const thread = renderThread(index);
  const id = nextId++;
  return new Promise<PartsReply>((resolve, reject) => {
    thread.pending.set(id, { resolve, reject, onStream });
    thread.worker.ref();
    thread.worker.postMessage({ ...request, id }, transfer);
  }).then((reply) => {
    if (!reply.ok) throw new Error(`render thread: ${reply.message}`);
    return reply;
  });
}

async function renderClaimedElsewhere(
  index: number,
  job: PartsJob,
  work: ClaimedParts,
): Promise<number> {
  const reply = await send(index, { kind: 'parts', job, into: work });
  if (!('parts' in reply)) throw new Error('render thread: not a parts reply');
  return reply.parts;
}

async function renderElsewhere(
  index: number,
  job: PartsJob,
  onPart: (index: number, audio: StereoAudio) => void,
): Promise<void> {
  const reply = await send(index, { kind: 'parts', job }, [], (streamed) => {
    if (!('part' in streamed)) throw new Error('render thread: not a part');
    const p = streamed.part;
    onPart(p.index, { sampleRate: job.sampleRate, left: p.left, right: p.right });
  });
  if (!('parts' in reply) || reply.parts !== job.parts.length) {
    throw new Error('render thread: not a whole parts reply');
  }
}

/** An MP3 encode under way: its result, and a way to stop it reading the audio early. */
export interface Mp3Aside {
  result: Promise<Mp3Check>;
  /**
   * Stops the encode at its next piece and resolves once nothing reads the audio any more (the
   * result then rejects); the caller may then change the audio and encode again.
   */
  stop(): Promise<void>;
}

/**
 * The MP3 of a mastered mix under `ceilingDb`, read back (encode/mp3-readback.ts). With render
 * threads, LAME runs on one and hands its pieces back as it goes, and this thread decodes them
 * meanwhile, so it is free for the WAVs and the read-back costs no extra wait. Audio in shared
 * memory (the engine masters into it when it has render threads) is handed over as it is: both
 * threads only read it. Other audio is copied for the thread. The bytes are the same wherever
 * LAME runs.
 */
export function encodeMp3Aside(
  audio: StereoAudio,
  ceilingDb: number,
  threadCount: number,
): Mp3Aside {
  if (threadCount < 2) {
    const result = encodeMp3UnderCeiling(audio, ceilingDb);
    return {
      result,
      stop: () =>
        result.then(
          () => undefined,
          () => undefined,
        ),
    };
  }
  const stop = new Int32Array(new SharedArrayBuffer(4));
  let current: Promise<unknown> = Promise.resolve();
  const shared = (a: Float32Array): boolean => a.buffer instanceof SharedArrayBuffer;
  const handOver = shared(audio.left) && shared(audio.right);
  const onThread: Mp3Encoder = (trimDb, onBytes) => {
    if (Atomics.load(stop, 0) !== 0) return Promise.reject(new Error(MP3_STOPPED));
    const job: Mp3Job = {
      sampleRate: audio.sampleRate,
      left: handOver ? audio.left : audio.left.slice(),
      right: handOver ? audio.right : audio.right.slice(),
      trimDb,
      stop,
    };
    const transfer = handOver
      ? []
      : [job.left.buffer as ArrayBuffer, job.right.buffer as ArrayBuffer];
    const pieces: Uint8Array[] = [];
    const encoded = send(0, { kind: 'mp3', job }, transfer, (streamed) => {
      if (!('mp3Bytes' in streamed)) throw new Error('render thread: not a piece of MP3');
      pieces.push(streamed.mp3Bytes);
      onBytes(streamed.mp3Bytes);
    }).then((reply) => {
      if (!('mp3Length' in reply)) throw new Error('render thread: not an MP3 reply');
      const mp3 = new Uint8Array(reply.mp3Length);
      let at = 0;
      for (const piece of pieces) {
        mp3.set(piece, at);
        at += piece.length;
      }
      if (at !== mp3.length) throw new Error('render thread: MP3 pieces missing');
      return mp3;
    });
    current = encoded.catch(() => undefined);
    return encoded;
  };
  const result = encodeMp3UnderCeiling(audio, ceilingDb, onThread);
  return {
    result,
    stop: async () => {
      Atomics.store(stop, 0, 1);
      await current;
      await result.catch(() => undefined);
    },
  };
}

/**
 * Starts the render threads and has them load the bank now, so that in a fresh process their
 * start-up and bank load overlap the perception and composition instead of following them.
 * Costs nothing when they are already up (the bank is cached per thread).
 */
export function prewarmRenderThreads(soundFontPath: string, threadCount: number): void {
  if (Math.floor(threadCount) < 2) return;
  let soundFontFile: SharedArrayBuffer;
  try {
    soundFontFile = sharedSoundFontFile(soundFontPath);
  } catch {
    return; // an unreadable bank is reported by the render that needs it
  }
  for (let index = 0; index < Math.floor(threadCount) - 1; index++) {
    // A failure here surfaces again, and is reported, when the thread is given real work.
    send(index, { kind: 'load', soundFontPath, soundFontFile }).catch(() => undefined);
  }
}

/**
 * Renders and mixes `job.parts` using up to `threadCount` threads (this one included), handing
 * each part to `onPart` with its index, in the parts' order. A part that is ready before one
 * ahead of it waits for it; each thread renders its share in the parts' order, so few wait.
 */
export async function renderPartsInParallel(
  job: PartsJob,
  threadCount: number,
  onPart: (index: number, audio: StereoAudio) => void,
): Promise<void> {
  const groups = shareParts(job.parts, Math.max(1, Math.floor(threadCount)));
  if (groups.length <= 1) return renderAndMixParts(job, onPart);
  const early = new Map<number, StereoAudio>();
  let next = 0;
  const arrived = (index: number, audio: StereoAudio): void => {
    early.set(index, audio);
    for (let ready = early.get(next); ready; ready = early.get(next)) {
      early.delete(next);
      onPart(next++, ready);
    }
  };
  const soundFontFile = job.soundFontFile ?? sharedSoundFontFile(job.soundFontPath);
  await Promise.all(
    groups.map((group, g) => {
      const share = [...group].sort((a, b) => a.index - b.index);
      const sub: PartsJob = { ...job, soundFontFile, parts: share.map((item) => item.spec) };
      const back = (k: number, audio: StereoAudio): void => {
        const item = share[k];
        if (!item) throw new Error('a render thread returned a part it was not given');
        arrived(item.index, audio);
      };
      return g === 0 ? renderAndMixParts(sub, back) : renderElsewhere(g - 1, sub, back);
    }),
  );
  if (next !== job.parts.length) throw new Error('a render thread returned too few parts');
}

/**
 * Renders and mixes `job.parts` using up to `threadCount` threads (this one included), each
 * thread adding the parts it renders into `mix` itself, in the parts' order (mix/shared-mix.ts):
 * the sum is the one `renderPartsInParallel` hands out part by part, made where the parts are,
 * so no part crosses threads. For a render that delivers no stems.
 */
export async function renderPartsIntoMix(
  job: PartsJob,
  threadCount: number,
  mix: SharedMix,
): Promise<void> {
  const work = claimedParts(mix, job.parts);
  const others = Math.min(Math.max(0, Math.floor(threadCount) - 1), work.units.length - 1);
  const shared: PartsJob = {
    ...job,
    soundFontFile:
      others > 0
        ? (job.soundFontFile ?? sharedSoundFontFile(job.soundFontPath))
        : job.soundFontFile,
  };
  const counts = await Promise.all([
    renderClaimedIntoMix(shared, work),
    ...Array.from({ length: others }, (_, g) => renderClaimedElsewhere(g, shared, work)),
  ]).catch((error: unknown) => {
    abandonMix(mix);
    throw error;
  });
  const added = counts.reduce((a, b) => a + b, 0);
  if (added !== job.parts.length || Atomics.load(mix.turn, 0) !== job.parts.length) {
    throw new Error('the render threads added too few parts');
  }
}

/** Stops the render threads (tests and one-shot tools; a service keeps them). */
export async function closeRenderThreads(): Promise<void> {
  const all = [...threads.values()];
  threads.clear();
  await Promise.all(all.map((t) => t.worker.terminate()));
}
