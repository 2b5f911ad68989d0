import { describe, expect, it } from 'vitest';
import { encodeMp3, inspectMp3 } from './mp3-encode.js';
import type { StereoAudio } from '../render/render.js';

function tone(seconds: number): StereoAudio {
  const n = Math.round(seconds * 44_100);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = 0.4 * Math.sin((2 * Math.PI * 440 * i) / 44_100);
    right[i] = 0.4 * Math.sin((2 * Math.PI * 554 * i) / 44_100);
  }
  return { sampleRate: 44_100, left, right };
}

describe('encodeMp3', () => {
  it('writes 192 kbps stereo 44.1 kHz MPEG-1 Layer III frames of the right length', async () => {
    const mp3 = await encodeMp3(tone(2));
    expect(mp3[0]).toBe(0xff);
    expect((mp3[1] ?? 0) & 0xe0).toBe(0xe0);
    const info = inspectMp3(mp3);
    expect(info).toMatchObject({ id3Bytes: 0, sampleRate: 44_100, bitrateKbps: 192, channels: 2 });
    expect(info?.durationSeconds).toBeGreaterThan(2);
    expect(info?.durationSeconds).toBeLessThan(2.2); // encoder delay and padding only
    expect(mp3.byteLength).toBeGreaterThan((192_000 / 8) * 2 * 0.95);
  });

  it('encodes several files at once, each on its own encoder instance', async () => {
    const [a, b, c] = await Promise.all([
      encodeMp3(tone(1)),
      encodeMp3(tone(0.5)),
      encodeMp3(tone(1)),
    ]);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(true);
    expect(inspectMp3(b)?.durationSeconds).toBeLessThan(inspectMp3(a)?.durationSeconds ?? 0);
  });

  it('is deterministic', async () => {
    const a = await encodeMp3(tone(1));
    const b = await encodeMp3(tone(1));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('inspectMp3', () => {
  it('skips an ID3v2 tag', async () => {
    const mp3 = await encodeMp3(tone(1));
    const tag = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5]);
    const tagged = new Uint8Array(tag.length + mp3.length);
    tagged.set(tag);
    tagged.set(mp3, tag.length);
    expect(inspectMp3(tagged)).toMatchObject({ id3Bytes: 15, frames: inspectMp3(mp3)?.frames });
  });

  it('rejects bytes that are not MP3', () => {
    expect(inspectMp3(new TextEncoder().encode('RIFF....WAVEfmt '))).toBeNull();
    expect(inspectMp3(new Uint8Array(0))).toBeNull();
  });
});
