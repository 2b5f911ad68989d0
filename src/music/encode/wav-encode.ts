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
  const left = toInt16(audio.left, 0, frames);
  const right = toInt16(audio.right, 0, frames);
  const pcm = new Uint8Array(frames * 4);
  const pcmView = new DataView(pcm.buffer);
  for (let i = 0; i < frames; i++) {
    pcmView.setInt16(i * 4, left[i] ?? 0, true);
    pcmView.setInt16(i * 4 + 2, right[i] ?? 0, true);
  }
  const { chunk: aigc, label: written } = aigcRiffChunk(label, pcm);
  const smpl = options.loop ? smplChunk(audio.sampleRate, options.loop) : new Uint8Array(0);
  const chunk = new Uint8Array(aigc.length + smpl.length);
  chunk.set(aigc);
  chunk.set(smpl, aigc.length);

  const header = new Uint8Array(12 + 24);
  const view = new DataView(header.buffer);
  const text = (at: number, s: string): void => {
    for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i));
  };
  const total = header.length + chunk.length + 8 + pcm.length;
  text(0, 'RIFF');
  view.setUint32(4, total - 8, true);
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

  const out = new Uint8Array(total);
  out.set(header, 0);
  out.set(chunk, header.length);
  out.set(dataHeader, header.length + chunk.length);
  out.set(pcm, header.length + chunk.length + 8);
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
