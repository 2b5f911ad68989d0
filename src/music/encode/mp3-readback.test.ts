import { afterAll, describe, expect, it } from 'vitest';
import { measureTruePeakDb } from '../master/true-peak.js';
import { closeRenderThreads, encodeMp3Aside } from '../mix/part-render-pool.js';
import type { StereoAudio } from '../render/render.js';
import { encodeMp3 } from './mp3-encode.js';
import { decodeMp3, encodeMp3UnderCeiling, startMp3Readback } from './mp3-readback.js';

afterAll(closeRenderThreads);

/**
 * Dense, bright and hot: a chord with noise, clipped-looking at −1.05 dBFS sample peak, which
 * the codec's quantisation noise pushes over −1 dBTP, so the read-back must trim and encode again.
 */
function hotMix(seconds: number): StereoAudio {
  const n = Math.round(seconds * 44_100);
  const left = new Float32Array(new SharedArrayBuffer(n * 4));
  const right = new Float32Array(new SharedArrayBuffer(n * 4));
  let seed = 1;
  const noise = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 30 - 1;
  };
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const t = i / 44_100;
    const chord = [220, 277, 330, 3_520, 7_040].reduce(
      (s, f) => s + Math.sin(2 * Math.PI * f * t),
      0,
    );
    left[i] = Math.tanh(chord + 0.6 * noise());
    right[i] = Math.tanh(chord * 0.9 + 0.6 * noise());
    peak = Math.max(peak, Math.abs(left[i] as number), Math.abs(right[i] as number));
  }
  const g = 10 ** (-1.05 / 20) / peak;
  for (let i = 0; i < n; i++) {
    left[i] = (left[i] as number) * g;
    right[i] = (right[i] as number) * g;
  }
  return { sampleRate: 44_100, left, right };
}

/** The read-back as it was before it followed the encoder: encode whole, decode whole. */
async function wholeFileReadback(audio: StereoAudio, ceilingDb: number) {
  let source = audio;
  let trimDb = 0;
  for (let attempt = 0; ; attempt++) {
    const mp3 = await encodeMp3(source);
    const truePeakDb = measureTruePeakDb(await decodeMp3(mp3));
    if (truePeakDb <= ceilingDb || attempt === 2) return { mp3, truePeakDb, trimDb };
    trimDb += ceilingDb - truePeakDb - 0.05;
    const g = 10 ** (trimDb / 20);
    source = {
      sampleRate: audio.sampleRate,
      left: audio.left.map((v) => v * g),
      right: audio.right.map((v) => v * g),
    };
  }
}

describe('the MP3 read-back', () => {
  it('measures piece by piece exactly the true peak of one decode of the whole file', async () => {
    const audio = hotMix(4);
    const readback = await startMp3Readback();
    const mp3 = await encodeMp3(audio, 192, (bytes) => readback.push(bytes));
    const streamed = readback.finish();
    const whole = await decodeMp3(mp3);
    expect(whole.left.length).toBeGreaterThan(audio.left.length * 0.99);
    expect(streamed).toBe(measureTruePeakDb(whole));
  });

  it('gives the same file, peak and trim here and on a render thread as the whole-file read-back', async () => {
    const audio = hotMix(6);
    const reference = await wholeFileReadback(audio, -1);
    // The case that matters: the first encode overshot and was trimmed.
    expect(reference.trimDb).toBeLessThan(0);
    const here = await encodeMp3UnderCeiling(audio, -1);
    const aside = await encodeMp3Aside(audio, -1, 2).result;
    for (const got of [here, aside]) {
      expect(Buffer.from(got.mp3).equals(Buffer.from(reference.mp3))).toBe(true);
      expect(got.truePeakDb).toBe(reference.truePeakDb);
      expect(got.trimDb).toBe(reference.trimDb);
      expect(got.truePeakDb).toBeLessThanOrEqual(-1);
    }
  });

  it('stops an encode on a render thread when asked, and encodes the next one whole', async () => {
    const audio = hotMix(20);
    const first = encodeMp3Aside(audio, -1, 2);
    await first.stop();
    await expect(first.result).rejects.toThrow(/stopped/);
    const again = await encodeMp3Aside(audio, -1, 2).result;
    expect(
      Buffer.from(again.mp3).equals(Buffer.from((await encodeMp3UnderCeiling(audio, -1)).mp3)),
    ).toBe(true);
  });
});
