import { MPEGDecoder } from 'mpg123-decoder';
import { TruePeakMeter } from '../master/true-peak.js';
import type { StereoAudio } from '../render/render.js';
import { encodeMp3, MP3_BITRATE_KBPS } from './mp3-encode.js';

/**
 * MP3 encoding moves peaks: the codec's quantisation noise and band-limiting add a few tenths of
 * a dB (more on dense, bright mixes) above the WAV's true peak. So the MP3 is decoded again
 * (mpg123 in WebAssembly, from the same maintained family of decoders as the Vorbis one) and
 * its true peak measured; if it is over the ceiling, the audio is encoded again a little
 * quieter. Loudness moves by the same few tenths, well inside the ±1 LU the files promise.
 *
 * The decode follows the encoder: each piece LAME hands out is decoded as it comes (mpg123 keeps
 * its state between pieces, so the samples are those of decoding the finished file at once), on
 * the thread that asked for the MP3 while the encoder may run on another, and measured as it is
 * decoded (`TruePeakMeter`: the whole decode's true peak to the bit), so the decoded file is
 * never held and the read-back adds almost nothing after the encoder's last frame.
 */

export interface Mp3Check {
  mp3: Uint8Array;
  truePeakDb: number;
  /** Gain applied before the final encode, dB (0 when the first encode was under). */
  trimDb: number;
}

let decoder: MPEGDecoder | undefined;

/** Decodes bare MPEG frames to float stereo (the decoder is created once per thread). */
export async function decodeMp3(mp3: Uint8Array): Promise<StereoAudio> {
  decoder ??= new MPEGDecoder();
  await decoder.ready;
  const decoded = decoder.decode(mp3);
  await decoder.reset();
  const [left, right] = decoded.channelData as [Float32Array, Float32Array | undefined];
  return { sampleRate: decoded.sampleRate, left, right: right ?? left };
}

/**
 * A decode of an MP3 fed piece by piece as it is encoded, measured as it goes. It has a decoder
 * of its own (two encodes in one thread may overlap; the module is compiled once per thread all
 * the same).
 */
export interface Mp3Readback {
  /** Decodes and measures the next piece of the file (synchronous, so it can run inside the encoder's loop). */
  push(bytes: Uint8Array): void;
  /** The decoded file's true peak, dBTP, and the decoder freed. */
  finish(): number;
  /** Frees the decoder without a result (the encode failed). */
  drop(): void;
}

export async function startMp3Readback(): Promise<Mp3Readback> {
  const own = new MPEGDecoder();
  await own.ready;
  const meter = new TruePeakMeter();
  let freed = false;
  const free = (): void => {
    if (!freed) own.free();
    freed = true;
  };
  return {
    push(bytes) {
      const decoded = own.decode(bytes);
      if (decoded.samplesDecoded === 0) return;
      const [left, right] = decoded.channelData as [Float32Array, Float32Array | undefined];
      meter.push(left, right ?? left);
    },
    finish() {
      free();
      return meter.finish();
    },
    drop: free,
  };
}

/**
 * Encodes the audio, scaled by `trimDb` first unless that is 0 (the first attempt), handing
 * each piece of the file to `onBytes` as it is made; resolves to the whole file.
 */
export type Mp3Encoder = (
  trimDb: number,
  onBytes: (bytes: Uint8Array) => void,
) => Promise<Uint8Array>;

/** The audio an encode attempt reads: as it is, or scaled by `trimDb` (never 0 on a retry). */
export function trimmedForEncode(audio: StereoAudio, trimDb: number): StereoAudio {
  if (trimDb === 0) return audio;
  const g = 10 ** (trimDb / 20);
  return {
    sampleRate: audio.sampleRate,
    left: audio.left.map((v) => v * g),
    right: audio.right.map((v) => v * g),
  };
}

/** The message of an MP3 encode stopped by its caller (it means to change the audio). */
export const MP3_STOPPED = 'MP3 encode stopped';

const ATTEMPTS = 3;

/**
 * The MP3 of `audio` under `ceilingDb` true peak, read back. `encode` runs LAME (here by
 * default; the render pool passes one that runs it on a render thread).
 */
export async function encodeMp3UnderCeiling(
  audio: StereoAudio,
  ceilingDb: number,
  encode: Mp3Encoder = (trimDb, onBytes) =>
    encodeMp3(trimmedForEncode(audio, trimDb), MP3_BITRATE_KBPS, onBytes),
): Promise<Mp3Check> {
  let trimDb = 0;
  for (let attempt = 0; ; attempt++) {
    const readback = await startMp3Readback();
    let mp3: Uint8Array;
    try {
      mp3 = await encode(trimDb, (bytes) => readback.push(bytes));
    } catch (error) {
      readback.drop();
      throw error;
    }
    const truePeakDb = readback.finish();
    if (truePeakDb <= ceilingDb || attempt === ATTEMPTS - 1) return { mp3, truePeakDb, trimDb };
    // A small margin more than the overshoot: the next encode's noise is not the same. The
    // step is below −0.05 dB, so a retry's trim is never 0.
    const step = ceilingDb - truePeakDb - 0.05;
    trimDb += step;
  }
}
