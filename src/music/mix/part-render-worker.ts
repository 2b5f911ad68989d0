import { parentPort } from 'node:worker_threads';
import { encodeMp3UnderCeiling, type Mp3Check } from '../encode/mp3-readback.js';
import { loadSoundFont } from '../render/soundfont.js';
import { runInBackground } from '../thread-priority.js';
import { renderAndMixParts, type PartsJob } from './mix-parts.js';

/**
 * Render thread: loads the bank when asked ahead of work, renders and mixes the parts it is sent,
 * or encodes a mastered mix to MP3 while the calling thread writes the WAVs (one job at a time,
 * in order), and posts the result back with its buffers transferred. Its sound bank stays
 * loaded between jobs.
 */

export type Mp3Job = {
  sampleRate: number;
  left: Float32Array;
  right: Float32Array;
  ceilingDb: number;
};
export type PartsRequest =
  | { id: number; kind: 'parts'; job: PartsJob }
  | { id: number; kind: 'mp3'; job: Mp3Job }
  | { id: number; kind: 'load'; soundFontPath: string };
export type PartsReply =
  | { id: number; ok: true; parts: { left: Float32Array; right: Float32Array }[] }
  | { id: number; ok: true; mp3: Mp3Check }
  | { id: number; ok: true; loaded: true }
  | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('part-render-worker.ts must run in a worker thread');
runInBackground();

let queue: Promise<void> = Promise.resolve();

async function run(request: PartsRequest): Promise<void> {
  if (!port) return;
  try {
    if (request.kind === 'load') {
      await loadSoundFont(request.soundFontPath);
      port.postMessage({ id: request.id, ok: true, loaded: true } satisfies PartsReply);
      return;
    }
    if (request.kind === 'mp3') {
      const { ceilingDb, ...audio } = request.job;
      const mp3 = await encodeMp3UnderCeiling(audio, ceilingDb);
      const reply: PartsReply = { id: request.id, ok: true, mp3 };
      port.postMessage(reply, [mp3.mp3.buffer as ArrayBuffer]);
      return;
    }
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
