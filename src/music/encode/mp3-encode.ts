import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createEncoder } from 'wasm-media-encoders';
import type { StereoAudio } from '../render/render.js';
import { concatBytes } from '../bytes.js';

export const MP3_BITRATE_KBPS = 192;

type CbrKbps = 8 | 16 | 24 | 32 | 40 | 48 | 64 | 80 | 96 | 112 | 128 | 160 | 192 | 224 | 256 | 320;

/** One MPEG-1 Layer III frame holds 1152 samples per channel. */
const FRAME_SAMPLES = 1152;
/** Frames per encoder call; between calls we yield so a shared process stays responsive. */
const FRAMES_PER_CHUNK = 64;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const require = createRequire(import.meta.url);

/**
 * LAME compiled to WebAssembly (wasm-media-encoders), about 3× faster than the pure-JS port it
 * replaced (docs/decisions/0008-mp3-encoder.md). The wasm file is read and compiled on the first
 * encode in a thread; later encodes reuse the compiled module (the library hands it back) and
 * get their own instance, so encodes never share state.
 */
type LameWasm = Parameters<typeof createEncoder>[1];
let lame: Promise<LameWasm> | undefined;

async function createLameEncoder() {
  if (lame) return createEncoder('audio/mpeg', await lame);
  let compiled: LameWasm | undefined;
  const pending = readFile(require.resolve('wasm-media-encoders/wasm/mp3')).then((bytes) =>
    createEncoder('audio/mpeg', bytes, (module) => (compiled = module)),
  );
  lame = pending.then(() => {
    if (!compiled) throw new Error('the MP3 encoder module did not compile');
    return compiled;
  });
  // A failed read or compile must not stick: the next encode tries again.
  lame.catch(() => (lame = undefined));
  return pending;
}

/**
 * CBR MP3 (MPEG-1 Layer III, no ID3 or Xing header); LAME reads the float samples directly.
 * `onBytes` sees the file as it is made, in order, piece by piece (copies out of LAME's memory,
 * which are also the pieces the file is joined from: read them, do not change or transfer
 * them), so a read-back can decode the file while LAME goes on.
 */
export async function encodeMp3(
  audio: StereoAudio,
  kbps: CbrKbps = MP3_BITRATE_KBPS,
  onBytes?: (bytes: Uint8Array) => void,
): Promise<Uint8Array> {
  const encoder = await createLameEncoder();
  encoder.configure({ sampleRate: audio.sampleRate, channels: 2, bitrate: kbps });
  const parts: Uint8Array[] = [];
  const chunk = FRAME_SAMPLES * FRAMES_PER_CHUNK;
  for (let start = 0; start < audio.left.length; start += chunk) {
    const end = Math.min(audio.left.length, start + chunk);
    // The returned view points into the encoder's memory and is overwritten by the next call.
    const encoded = encoder.encode([
      audio.left.subarray(start, end),
      audio.right.subarray(start, end),
    ]);
    if (encoded.length > 0) {
      const piece = encoded.slice();
      parts.push(piece);
      onBytes?.(piece);
    }
    await nextTurn();
  }
  const tail = encoder.finalize();
  if (tail.length > 0) {
    const piece = tail.slice();
    parts.push(piece);
    onBytes?.(piece);
  }
  return concatBytes(parts);
}

export interface Mp3Info {
  /** Bytes of ID3v2 tag before the first frame (0 if none). */
  id3Bytes: number;
  frames: number;
  sampleRate: number;
  bitrateKbps: number;
  channels: 1 | 2;
  durationSeconds: number;
}

const MPEG1_BITRATES = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG1_SAMPLE_RATES = [44_100, 48_000, 32_000];

/**
 * Walks the MPEG-1 Layer III frames of a file (after an optional ID3v2 tag). Returns null if the
 * bytes do not start with a valid frame there, so callers can verify what they wrote.
 */
export function inspectMp3(bytes: Uint8Array): Mp3Info | null {
  let offset = 0;
  if (bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) {
    // ID3v2: 10-byte header, syncsafe size, optional 10-byte footer.
    const size =
      ((bytes[6] ?? 0) << 21) | ((bytes[7] ?? 0) << 14) | ((bytes[8] ?? 0) << 7) | (bytes[9] ?? 0);
    const footer = ((bytes[5] ?? 0) & 0x10) !== 0 ? 10 : 0;
    offset = 10 + size + footer;
  }
  const id3Bytes = offset;
  let frames = 0;
  let sampleRate = 0;
  let bitrateKbps = 0;
  let channels: 1 | 2 = 2;
  while (offset + 4 <= bytes.length) {
    const b1 = bytes[offset + 1] ?? 0;
    const b2 = bytes[offset + 2] ?? 0;
    const b3 = bytes[offset + 3] ?? 0;
    const isSync = bytes[offset] === 0xff && (b1 & 0xe0) === 0xe0;
    const isMpeg1Layer3 = ((b1 >> 3) & 0x03) === 0x03 && ((b1 >> 1) & 0x03) === 0x01;
    const bitrate = MPEG1_BITRATES[(b2 >> 4) & 0x0f];
    const rate = MPEG1_SAMPLE_RATES[(b2 >> 2) & 0x03];
    if (!isSync || !isMpeg1Layer3 || !bitrate || !rate) break;
    const padding = (b2 >> 1) & 0x01;
    const length = Math.floor((144 * bitrate * 1000) / rate) + padding;
    if (offset + length > bytes.length) break;
    if (frames === 0) {
      sampleRate = rate;
      bitrateKbps = bitrate;
      channels = ((b3 >> 6) & 0x03) === 0x03 ? 1 : 2;
    }
    frames++;
    offset += length;
  }
  if (frames === 0) return null;
  return {
    id3Bytes,
    frames,
    sampleRate,
    bitrateKbps,
    channels,
    durationSeconds: (frames * FRAME_SAMPLES) / sampleRate,
  };
}
