import { MPEGDecoder } from 'mpg123-decoder';
import { measureTruePeakDb } from '../master/true-peak.js';
import type { StereoAudio } from '../render/render.js';
import { encodeMp3 } from './mp3-encode.js';

/**
 * MP3 encoding moves peaks: the codec's quantisation noise and band-limiting add a few tenths of
 * a dB (more on dense, bright mixes) above the WAV's true peak. So the MP3 is decoded again
 * (mpg123 in WebAssembly, from the same maintained family of decoders as the Vorbis one) and
 * its true peak measured; if it is over the ceiling, the audio is encoded again a little
 * quieter. Loudness moves by the same few tenths, well inside the ±1 LU the files promise.
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

const ATTEMPTS = 3;

export async function encodeMp3UnderCeiling(
  audio: StereoAudio,
  ceilingDb: number,
): Promise<Mp3Check> {
  let source = audio;
  let trimDb = 0;
  for (let attempt = 0; ; attempt++) {
    const mp3 = await encodeMp3(source);
    const truePeakDb = measureTruePeakDb(await decodeMp3(mp3));
    if (truePeakDb <= ceilingDb || attempt === ATTEMPTS - 1) return { mp3, truePeakDb, trimDb };
    // A small margin more than the overshoot: the next encode's noise is not the same.
    const step = ceilingDb - truePeakDb - 0.05;
    trimDb += step;
    const g = 10 ** (trimDb / 20);
    source = {
      sampleRate: audio.sampleRate,
      left: audio.left.map((v) => v * g),
      right: audio.right.map((v) => v * g),
    };
  }
}
