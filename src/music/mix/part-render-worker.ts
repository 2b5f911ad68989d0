import { parentPort } from 'node:worker_threads';
import { encodeMp3UnderCeiling, type Mp3Check } from '../encode/mp3-readback.js';
import { loadSoundFont } from '../render/soundfont.js';
import { runInBackground } from '../thread-priority.js';
import { renderAndMixParts, type PartsJob } from './mix-parts.js';

/**
 * Render thread: loads the bank when asked ahead of work, renders and mixes the parts it is sent
 * (posting each part back, transferred, as soon as it is mixed), or encodes a mastered mix to MP3
 * while the calling thread writes the WAVs (one job at a time, in order). Its sound bank stays
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
  | { id: number; kind: 'load'; soundFontPath: string; soundFontFile: SharedArrayBuffer };
export type PartsReply =
  /** One mixed part of a 'parts' job (its index in the job), sent as soon as it is mixed. */
  | { id: number; ok: true; part: { index: number; left: Float32Array; right: Float32Array } }
  /** The 'parts' job is done: every part has been sent. */
  | { id: number; ok: true; parts: number }
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
      await loadSoundFont(request.soundFontPath, request.soundFontFile);
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
    let sent = 0;
    await renderAndMixParts(request.job, (index, audio) => {
      const { left, right } = audio;
      const reply: PartsReply = { id: request.id, ok: true, part: { index, left, right } };
      // Transferred: this thread keeps no part once it is sent.
      port.postMessage(reply, [left.buffer as ArrayBuffer, right.buffer as ArrayBuffer]);
      sent++;
    });
    port.postMessage({ id: request.id, ok: true, parts: sent } satisfies PartsReply);
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
