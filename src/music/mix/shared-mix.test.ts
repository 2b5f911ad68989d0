import { afterAll, describe, expect, it } from 'vitest';
import { solidImage } from '../../../test/support/images.js';
import { composeTrack } from '../engine.js';
import {
  giveBackSamples,
  heldSampleBuffers,
  releaseSampleBuffers,
  takeSamples,
} from '../sample-buffers.js';
import type { StereoAudio } from '../render/render.js';
import { closeRenderThreads, renderPartsIntoMix } from './part-render-pool.js';
import { abandonMix, addInto, claimUnits, mixAdder, sharedMix } from './shared-mix.js';
import type { PartSpec } from './mix-parts.js';
import { NEUTRAL_PART } from './part-mix.js';
import { defaultSoundFontPath } from '../render/soundfont.js';

afterAll(closeRenderThreads);

/** A part of `length` samples: left = `value`, right = −`value`. */
function part(length: number, value: number): StereoAudio {
  return {
    sampleRate: 44_100,
    left: new Float32Array(length).fill(value),
    right: new Float32Array(length).fill(-value),
  };
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

describe('shared mix', () => {
  it('adds parts in their order whichever order they come in, from any adder', async () => {
    // Values whose float32 sum depends on the order: (big + small) − big ≠ small.
    const values = [1e8, 1, -1e8, 0.5];
    const inOrder = sharedMix(4);
    for (const v of values) addInto(inOrder, part(4, v));

    const mix = sharedMix(4);
    const a = mixAdder(mix);
    const b = mixAdder(mix);
    a.add(3, part(4, values[3] as number));
    b.add(1, part(4, values[1] as number));
    expect(Atomics.load(mix.turn, 0)).toBe(0); // nothing is added before part 0
    a.add(2, part(4, values[2] as number));
    b.add(0, part(4, values[0] as number));
    await Promise.all([a.settled(), b.settled()]);
    expect(Atomics.load(mix.turn, 0)).toBe(4);
    expect([...mix.left]).toEqual([...inOrder.left]);
    expect([...mix.right]).toEqual([...inOrder.right]);
  });

  it('wraps a loop part’s tail onto its start before adding it', async () => {
    const mix = sharedMix(3, 3);
    const adder = mixAdder(mix);
    const p: StereoAudio = {
      sampleRate: 44_100,
      left: Float32Array.from([1, 2, 3, 10, 20]),
      right: Float32Array.from([0, 0, 0, 1, 1]),
    };
    adder.add(0, p);
    await adder.settled();
    expect([...mix.left]).toEqual([11, 22, 3]);
    expect([...mix.right]).toEqual([1, 1, 0]);
  });

  it('stops waiting, with an error, once another thread has abandoned the mix', async () => {
    const mix = sharedMix(4);
    const adder = mixAdder(mix);
    adder.add(1, part(4, 1)); // part 0 will never come
    const waiting = adder.settled();
    abandonMix(mix);
    await expect(waiting).rejects.toThrow(/abandoned/);
  });

  it('claims one unit per channel, parts on one channel together, in part order', () => {
    const spec = (channel: number): PartSpec => ({
      role: 'x',
      channel,
      part: NEUTRAL_PART,
      cost: 1,
    });
    expect(claimUnits([spec(0), spec(1), spec(0), spec(9)])).toEqual([[0, 2], [1], [3]]);
  });
});

describe('sample buffers', () => {
  it('hands back only owned, large, unshared arrays, once, and lets them all go', () => {
    releaseSampleBuffers();
    const big = takeSamples(1 << 16);
    const shared = new Float32Array(new SharedArrayBuffer(4 << 16));
    const view = new Float32Array(1 << 17).subarray(0, 1 << 16);
    const small = new Float32Array(16);
    big[5] = 3;
    // Nothing but `big` is kept, and `big` only once.
    giveBackSamples(big, big, shared, view, small);
    expect(heldSampleBuffers()).toBe(1);
    const again = takeSamples(1 << 16);
    expect(again).toBe(big);
    expect(again[5]).toBe(0); // handed out cleared
    giveBackSamples(again);
    releaseSampleBuffers();
    expect(heldSampleBuffers()).toBe(0);
  });
});

describe('render threads adding into one mix', () => {
  it('gives the same files with and without stems, on one, two and three threads', async () => {
    const image = await solidImage({ r: 200, g: 120, b: 60 }, 'jpeg');
    const request = { image, text: 'jazz', seconds: 10, seed: 4 } as const;
    const withStems = await composeTrack({ ...request, stems: true }, { renderThreads: 2 });
    for (const renderThreads of [1, 2, 3]) {
      const track = await composeTrack(request, { renderThreads });
      expect(sameBytes(track.wav, withStems.wav)).toBe(true);
      expect(sameBytes(track.mp3, withStems.mp3)).toBe(true);
    }
    const loopRequest = { ...request, loop: true };
    const loopStems = await composeTrack({ ...loopRequest, stems: true }, { renderThreads: 1 });
    const loop = await composeTrack(loopRequest, { renderThreads: 2 });
    expect(sameBytes(loop.wav, loopStems.wav)).toBe(true);
  });

  it('fails a render whose parts cannot be rendered, and renders the next one', async () => {
    const spec = (channel: number): PartSpec => ({
      role: 'melody',
      channel,
      part: NEUTRAL_PART,
      cost: 1,
    });
    const job = {
      midi: new Uint8Array([1, 2, 3]), // not a MIDI file
      soundFontPath: defaultSoundFontPath(),
      sampleRate: 44_100,
      seconds: 1,
      parts: [spec(0), spec(1), spec(2)],
      bus: (await import('../styles/style-registry.js')).requireStyle('jazz').mix.bus,
      tempoBpm: 120,
      kickSeconds: [],
    };
    await expect(renderPartsIntoMix(job, 2, sharedMix(44_100))).rejects.toThrow();
    const image = await solidImage({ r: 200, g: 120, b: 60 }, 'jpeg');
    const track = await composeTrack({ image, seconds: 10, seed: 1 }, { renderThreads: 2 });
    expect(track.wav.length).toBeGreaterThan(44_100);
  });
});
