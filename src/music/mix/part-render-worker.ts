import { parentPort } from 'node:worker_threads';
import { MP3_BITRATE_KBPS, encodeMp3 } from '../encode/mp3-encode.js';
import { MP3_STOPPED, trimmedForEncode } from '../encode/mp3-readback.js';
import { loadSoundFont } from '../render/soundfont.js';
import { releaseSampleBuffers } from '../sample-buffers.js';
import { runInBackground } from '../thread-priority.js';
import { renderAndMixParts, type PartsJob } from './mix-parts.js';
import { renderClaimedIntoMix, type ClaimedParts } from './shared-mix.js';

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
  /** Scale the audio by this first unless 0 (see `trimmedForEncode`). */
  trimDb: number;
  /** Shared flag: once the caller sets it to 1, the encode stops at its next piece. */
  stop: Int32Array;
};

export type PartsRequest =
  /**
   * Render and mix the job's parts; with `into`, claim them with the other threads and add each
   * into that shared mix in turn instead of posting it back.
   */
  | { id: number; kind: 'parts'; job: PartsJob; into?: ClaimedParts }
  | { id: number; kind: 'mp3'; job: Mp3Job }
  | { id: number; kind: 'load'; soundFontPath: string; soundFontFile: SharedArrayBuffer };
export type PartsReply =
  /** One mixed part of a 'parts' job (its index in the job), sent as soon as it is mixed. */
  | { id: number; ok: true; part: { index: number; left: Float32Array; right: Float32Array } }
  /** The 'parts' job is done: every part has been sent. */
  | { id: number; ok: true; parts: number }
  /** A piece of an 'mp3' job's file, in order, as LAME makes it. */
  | { id: number; ok: true; mp3Bytes: Uint8Array }
  /** The 'mp3' job is done: its file is the pieces sent, this many bytes. */
  | { id: number; ok: true; mp3Length: number }
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
      const { trimDb, stop, ...audio } = request.job;
      // Pieces are posted as they come (copied: they are a few kB each) so the caller decodes
      // them meanwhile; the check between pieces lets a caller who must change the audio stop
      // this read of it within one piece.
      const mp3 = await encodeMp3(trimmedForEncode(audio, trimDb), MP3_BITRATE_KBPS, (bytes) => {
        if (Atomics.load(stop, 0) !== 0) throw new Error(MP3_STOPPED);
        port.postMessage({ id: request.id, ok: true, mp3Bytes: bytes } satisfies PartsReply);
      });
      port.postMessage({ id: request.id, ok: true, mp3Length: mp3.length } satisfies PartsReply);
      return;
    }
    let sent = 0;
    if (request.into) {
      const added = await renderClaimedIntoMix(request.job, request.into);
      port.postMessage({ id: request.id, ok: true, parts: added } satisfies PartsReply);
      return;
    }
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
  } finally {
    // Between jobs the thread holds no sample buffers (its memory goes back to the process).
    releaseSampleBuffers();
  }
}

// One job at a time, in arrival order (a job is seconds of CPU; interleaving gains nothing).
port.on('message', (request: PartsRequest) => {
  queue = queue.then(() => run(request));
});
