/**
 * One thread of `scripts/build-piano-bank.ts`: decodes a stereo Ogg file of the Salamander
 * piano, keeps its first seconds (faded out at the end) and encodes each channel as a mono
 * Vorbis stream. libvorbis and the decoder are WebAssembly: the same input gives the same bytes
 * on every machine, which keeps the bank reproducible.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { createOggEncoder } from 'wasm-media-encoders';
import { concatBytes } from '../src/music/bytes.js';

export interface PianoSampleJob {
  id: number;
  file: string;
  seconds: number;
  fadeSeconds: number;
  quality: number;
}

export interface PianoSampleResult {
  id: number;
  sampleRate: number;
  frames: number;
  left: Uint8Array;
  right: Uint8Array;
}

/** The kept, faded frames of one channel. */
export function trimAndFade(
  channel: Float32Array,
  sampleRate: number,
  seconds: number,
  fadeSeconds: number,
): Float32Array {
  const frames = Math.min(channel.length, Math.round(seconds * sampleRate));
  const out = channel.slice(0, frames);
  const fade = Math.min(Math.round(fadeSeconds * sampleRate), frames >> 1);
  for (let i = 0; i < fade; i++) {
    // Raised cosine from 1 to 0 over the last `fade` frames.
    const gain = 0.5 * (1 + Math.cos((Math.PI * (i + 1)) / fade));
    const at = frames - fade + i;
    out[at] = (out[at] as number) * gain;
  }
  return out;
}

/** Bytes of Ogg handed to the decoder per call. */
const DECODE_CHUNK = 32_768;
/** Frames handed to libvorbis per call. */
const ENCODE_CHUNK = 16_384;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const decoder = new OggVorbisDecoder();
  await decoder.ready;
  const encode = async (channel: Float32Array, sampleRate: number, quality: number) => {
    // A fresh encoder per stream, with a fixed stream serial number: the bytes must not vary.
    const encoder = await createOggEncoder();
    encoder.configure({ channels: 1, sampleRate, vbrQuality: quality, oggSerialNo: 1 });
    const parts: Uint8Array[] = [];
    for (let start = 0; start < channel.length; start += ENCODE_CHUNK) {
      // The returned view points into the encoder's memory and is overwritten by the next call.
      const piece = encoder.encode([channel.subarray(start, start + ENCODE_CHUNK)]);
      if (piece.length > 0) parts.push(piece.slice());
    }
    parts.push(encoder.finalize().slice());
    return concatBytes(parts);
  };
  port.on('message', (job: PianoSampleJob | null) => {
    if (job === null) {
      decoder.free();
      port.close();
      return;
    }
    void (async () => {
      // Only as much of the file as the kept seconds need: the decoder streams page by page.
      const bytes = readFileSync(job.file);
      const left0: Float32Array[] = [];
      const right0: Float32Array[] = [];
      let frames = 0;
      let sr = 0;
      for (let at = 0; at < bytes.length; at += DECODE_CHUNK) {
        const decoded = await decoder.decode(bytes.subarray(at, at + DECODE_CHUNK));
        if (decoded.errors.length > 0) throw new Error(`cannot decode ${job.file}`);
        const [l, r] = decoded.channelData;
        if (decoded.samplesDecoded > 0) {
          if (!l || !r) throw new Error(`${job.file} is not stereo`);
          left0.push(l.slice(0, decoded.samplesDecoded));
          right0.push(r.slice(0, decoded.samplesDecoded));
          frames += decoded.samplesDecoded;
          sr = decoded.sampleRate;
        }
        if (sr > 0 && frames >= job.seconds * sr) break;
      }
      await decoder.reset();
      const join = (parts: Float32Array[]): Float32Array => {
        const out = new Float32Array(frames);
        let offset = 0;
        for (const part of parts) {
          out.set(part, offset);
          offset += part.length;
        }
        return out;
      };
      const l = join(left0);
      const r = join(right0);
      const left = trimAndFade(l, sr, job.seconds, job.fadeSeconds);
      const right = trimAndFade(r, sr, job.seconds, job.fadeSeconds);
      const result: PianoSampleResult = {
        id: job.id,
        sampleRate: sr,
        frames: left.length,
        left: await encode(left, sr, job.quality),
        right: await encode(right, sr, job.quality),
      };
      port.postMessage(result, [
        result.left.buffer as ArrayBuffer,
        result.right.buffer as ArrayBuffer,
      ]);
    })().catch((error: unknown) => {
      setImmediate(() => {
        throw error;
      });
    });
  });
}

await main();
