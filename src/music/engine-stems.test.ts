import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cueGain, decodeWav, sameBytes } from '../../test/support/engine-audio.js';
import { sharedImagesDir as IMAGES } from '../../test/support/images.js';
import { composeTrack } from './engine.js';
import { inspectMp3 } from './encode/mp3-encode.js';
import { decodeMp3 } from './encode/mp3-readback.js';
import { unzipStems } from './encode/stems-zip.js';
import { inspectWav } from './encode/wav-encode.js';
import { readAigcLabel } from './label/aigc-label.js';
import { measureIntegratedLoudness } from './master/loudness.js';
import { measureTruePeakDb } from './master/true-peak.js';
import { closeRenderThreads } from './mix/part-render-pool.js';

function stemsOf(zip: Uint8Array | null): [string, Uint8Array][] {
  if (!zip) throw new Error('no stems');
  return Object.entries(unzipStems(zip)).filter(([name]) => name.endsWith('.wav'));
}

afterAll(closeRenderThreads);

describe('stems', () => {
  it('labels every stem, and the stems sum to the mix with the audible label exactly once', async () => {
    const image = await readFile(`${IMAGES}/kodak_kodim22_red_barn.jpg`);
    const track = await composeTrack({
      image,
      text: 'ballad',
      seconds: 12,
      seed: 3,
      produceId: 'gen-stems',
      stems: true,
    });
    const stems = stemsOf(track.stems);
    expect(stems.map(([name]) => name.replace(/^\d+-/, ''))).toEqual(
      expect.arrayContaining(['melody.wav', 'chords.wav', 'bass.wav', 'drums.wav']),
    );
    const master = decodeWav(track.wav);
    const sum = {
      left: new Float32Array(master.left.length),
      right: new Float32Array(master.left.length),
    };
    for (const [name, bytes] of stems) {
      expect(readAigcLabel(bytes), name).toMatchObject({ Label: '1', ProduceID: 'gen-stems' });
      const stem = decodeWav(bytes);
      expect(stem.left.length, name).toBe(master.left.length);
      // Each stem has its share of the cue: audible on its own, a fraction of the whole.
      const share = cueGain(stem.left);
      expect(share, name).toBeGreaterThan(0.02);
      expect(share, name).toBeLessThan(0.98);
      for (let i = 0; i < stem.left.length; i++) {
        sum.left[i] = (sum.left[i] as number) + (stem.left[i] as number);
        sum.right[i] = (sum.right[i] as number) + (stem.right[i] as number);
      }
    }
    let worst = 0;
    for (let i = 0; i < sum.left.length; i++) {
      worst = Math.max(worst, Math.abs((sum.left[i] as number) - (master.left[i] as number)));
    }
    // Only 16-bit rounding apart: half a step per file.
    expect(worst).toBeLessThanOrEqual(((stems.length + 1) * 0.5) / 32768 + 1e-6);
    // Once: as in the mix itself (where the limiter may hold it a little under its level).
    expect(cueGain(sum.left)).toBeCloseTo(cueGain(master.left), 2);
    expect(cueGain(sum.left)).toBeGreaterThan(0.7);
    expect(cueGain(sum.left)).toBeLessThan(1.1);
  });

  it('gives a loop stems that loop the same way, the label in their lead-in only', async () => {
    const image = await readFile(`${IMAGES}/kodak_kodim23_parrots.jpg`);
    const track = await composeTrack({
      image,
      text: 'electronic',
      seconds: 10,
      seed: 9,
      loop: true,
      stems: true,
    });
    expect(track.loop).not.toBeNull();
    const stems = stemsOf(track.stems);
    const master = decodeWav(track.wav).left;
    const sum = new Float32Array(master.length);
    for (const [name, bytes] of stems) {
      expect(readAigcLabel(bytes)?.Label, name).toBe('1');
      expect(inspectWav(bytes)?.loop, name).toEqual(track.loop);
      const stem = decodeWav(bytes);
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (stem.left[i] as number);
    }
    expect(cueGain(sum)).toBeCloseTo(cueGain(master), 2);
    expect(cueGain(sum)).toBeGreaterThan(0.7);
    expect(Math.abs(cueGain(sum, track.loop?.start ?? 0))).toBeLessThan(0.15);
  });
});

describe('loudness and peaks of real renders', () => {
  for (const [file, text] of [
    ['pd_great_wave.jpg', 'cinematic'],
    ['gcompris_tower_bridge_night.jpg', 'piano'],
  ] as const) {
    it(`${text}: −14 ± 1 LUFS and ≤ −1 dBTP in the WAV and in the MP3`, async () => {
      const track = await composeTrack({
        image: await readFile(`${IMAGES}/${file}`),
        text,
        seconds: 15,
        seed: 2,
      });
      const wav = decodeWav(track.wav);
      expect(measureIntegratedLoudness(wav) ?? -99).toBeGreaterThan(-15);
      expect(measureIntegratedLoudness(wav) ?? 0).toBeLessThan(-13);
      expect(measureTruePeakDb(wav)).toBeLessThanOrEqual(-1);
      const id3 = inspectMp3(track.mp3)?.id3Bytes ?? 0;
      const mp3 = await decodeMp3(track.mp3.subarray(id3));
      expect(measureTruePeakDb(mp3)).toBeLessThanOrEqual(-1);
      expect(measureIntegratedLoudness(mp3) ?? -99).toBeGreaterThan(-15);
      expect(measureIntegratedLoudness(mp3) ?? 0).toBeLessThan(-13);
    });
  }
});

describe('threads', () => {
  it('gives the same bytes on one thread as on two', async () => {
    const image = await readFile(`${IMAGES}/pd_sunflowers.jpg`);
    const request = { image, text: 'jazz', seconds: 10, seed: 4, stems: true } as const;
    const one = await composeTrack(request, { renderThreads: 1 });
    const two = await composeTrack(request, { renderThreads: 2 });
    expect(sameBytes(one.wav, two.wav)).toBe(true);
    expect(sameBytes(one.mp3, two.mp3)).toBe(true);
    expect(sameBytes(one.stems ?? new Uint8Array(), two.stems ?? new Uint8Array(1))).toBe(true);
  });
});
