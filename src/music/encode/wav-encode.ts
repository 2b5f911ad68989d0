import { aigcRiffChunk, requireLabelReadsBack, type AigcLabelInput } from '../label/aigc-label.js';
import type { StereoAudio } from '../render/render.js';

/**
 * Plain rounding to 16 bit, no dither: dither would need randomness (and a seed) for a change
 * below what listeners of a mastered −14 LUFS file can hear.
 */
export function toInt16(samples: Float32Array, start: number, end: number): Int16Array {
  const out = new Int16Array(end - start);
  for (let i = start; i < end; i++) {
    const v = Math.max(-1, Math.min(1, samples[i] ?? 0));
    out[i - start] = Math.round(v < 0 ? v * 32768 : v * 32767);
  }
  return out;
}

export interface WavLoop {
  /** First frame of the loop. */
  start: number;
  /** Frame just after the loop's last (the loop plays [start, end)). */
  end: number;
}

/**
 * The `smpl` chunk with one forward loop played forever: samplers and DAWs that honour it loop
 * [start, end) and never replay what comes before `start` (the lead-in with the audible label).
 * Its end field is the last frame played, inclusive.
 */
function smplChunk(sampleRate: number, loop: WavLoop): Uint8Array {
  const chunk = new Uint8Array(8 + 36 + 24);
  const view = new DataView(chunk.buffer);
  chunk.set([0x73, 0x6d, 0x70, 0x6c]); // "smpl"
  view.setUint32(4, 36 + 24, true);
  view.setUint32(8 + 8, Math.round(1e9 / sampleRate), true); // sample period, ns
  view.setUint32(8 + 12, 60, true); // unity note
  view.setUint32(8 + 28, 1, true); // one loop
  view.setUint32(8 + 36 + 4, 0, true); // forward
  view.setUint32(8 + 36 + 8, loop.start, true);
  view.setUint32(8 + 36 + 12, loop.end - 1, true);
  return chunk;
}

/**
 * 16-bit PCM stereo WAV with the implicit AIGC label as a RIFF chunk between `fmt ` and `data`
 * (readers skip chunks they do not know), and for a loop a `smpl` chunk. The label's
 * ReservedCode1 is the SHA-256 of the `data` payload, and the writer reads the label back before
 * returning.
 */
export function encodeWav(
  audio: StereoAudio,
  label: AigcLabelInput,
  options: { loop?: WavLoop | null | undefined } = {},
): Uint8Array {
  const frames = audio.left.length;
  const smpl = options.loop ? smplChunk(audio.sampleRate, options.loop) : new Uint8Array(0);
  // The payload is written in place in the file: the label's chunk has the same length whatever
  // the samples (their digest is of fixed length), so where `data` starts is known first.
  const aigcLength = aigcRiffChunk(label, new Uint8Array(0)).chunk.length;
  const header = new Uint8Array(12 + 24);
  const dataAt = header.length + aigcLength + smpl.length + 8;
  const out = new Uint8Array(dataAt + frames * 4);
  const pcm = out.subarray(dataAt);
  // Interleaved 16-bit samples with the rounding of `toInt16`.
  const pcmView = new DataView(out.buffer, dataAt);
  const { left, right } = audio;
  for (let i = 0; i < frames; i++) {
    const l = Math.max(-1, Math.min(1, left[i] as number));
    const r = Math.max(-1, Math.min(1, right[i] as number));
    pcmView.setInt16(i * 4, Math.round(l < 0 ? l * 32768 : l * 32767), true);
    pcmView.setInt16(i * 4 + 2, Math.round(r < 0 ? r * 32768 : r * 32767), true);
  }
  const { chunk: aigc, label: written } = aigcRiffChunk(label, pcm);
  if (aigc.length !== aigcLength) throw new Error('the AIGC chunk changed length with the samples');

  const view = new DataView(header.buffer);
  const text = (at: number, s: string): void => {
    for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 2, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, audio.sampleRate * 4, true);
  view.setUint16(32, 4, true);
  view.setUint16(34, 16, true);

  const dataHeader = new Uint8Array(8);
  const dataView = new DataView(dataHeader.buffer);
  dataHeader.set([0x64, 0x61, 0x74, 0x61]); // "data"
  dataView.setUint32(4, pcm.length, true);

  out.set(header, 0);
  out.set(aigc, header.length);
  out.set(smpl, header.length + aigc.length);
  out.set(dataHeader, dataAt - 8);
  requireLabelReadsBack(out, written);
  return out;
}

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  frames: number;
  /** Offset and length of the `data` payload. */
  dataOffset: number;
  dataBytes: number;
  /** The first loop of a `smpl` chunk, as [start, end) frames; null without one. */
  loop: WavLoop | null;
}

/** Walks the RIFF chunks of a PCM WAV; null if the bytes are not one. */
export function inspectWav(bytes: Uint8Array): WavInfo | null {
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { channels: number; sampleRate: number; bits: number } | null = null;
  let loop: WavLoop | null = null;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const size = view.getUint32(offset + 4, true);
    if (tag(offset) === 'fmt ' && size >= 16) {
      fmt = {
        channels: view.getUint16(offset + 10, true),
        sampleRate: view.getUint32(offset + 12, true),
        bits: view.getUint16(offset + 22, true),
      };
    }
    if (tag(offset) === 'smpl' && size >= 36 + 24 && view.getUint32(offset + 8 + 28, true) > 0) {
      loop = {
        start: view.getUint32(offset + 8 + 36 + 8, true),
        end: view.getUint32(offset + 8 + 36 + 12, true) + 1,
      };
    }
    if (tag(offset) === 'data' && fmt) {
      const dataBytes = Math.min(size, bytes.length - offset - 8);
      return {
        sampleRate: fmt.sampleRate,
        channels: fmt.channels,
        bitsPerSample: fmt.bits,
        frames: Math.floor(dataBytes / ((fmt.channels * fmt.bits) / 8)),
        dataOffset: offset + 8,
        dataBytes,
        loop,
      };
    }
    offset += 8 + size + (size % 2);
  }
  return null;
}
