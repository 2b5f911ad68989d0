import { readFileSync } from 'node:fs';
import { SpessaSynthProcessor } from 'spessasynth_core';
import { describe, expect, it, vi } from 'vitest';
import { composeScore } from '../compose/compose-score.js';
import { FastDattorroPlate, installFastReverb } from './dattorro-reverb.js';
import { extractImageFeatures } from '../perception/image-features.js';
import { writeScoreToMidi } from '../encode/midi-file.js';
import { createMusicPlan } from '../plan/music-plan.js';
import type { Style } from '../styles/style-registry.js';
import { renderMidi } from './render.js';
import { loadSoundFont } from './soundfont.js';
import { readTextCues } from '../perception/text-cues.js';

const image = readFileSync(
  new URL('../../../../shared/data/images/kodak_kodim23_parrots.jpg', import.meta.url),
);

async function midiFor(style: Style, seed: number): Promise<Uint8Array> {
  const plan = createMusicPlan({
    features: await extractImageFeatures(image),
    text: readTextCues(`${style}`),
    seconds: 12,
    controls: { style },
  });
  return writeScoreToMidi(composeScore(plan, seed), 'reverb test');
}

describe('fast Dattorro plate', () => {
  it('replaces the library plate and keeps its parameters', async () => {
    const synth = new SpessaSynthProcessor(44_100, { effectsEnabled: true });
    await synth.processorInitialized;
    const reverb = synth.reverbProcessor as unknown as { dattorro: Record<string, unknown> };
    const before = { ...reverb.dattorro };
    expect(installFastReverb(synth)).toBe(true);
    expect(reverb.dattorro.constructor.name).toBe('FastDattorroPlate');
    for (const key of ['preLPF', 'decay', 'damping', 'gain', 'excursionDepth']) {
      expect(reverb.dattorro[key]).toBe(before[key]);
    }
  });

  it('renders bit for bit what the library reverb renders', async () => {
    const soundBank = await loadSoundFont();
    // The synth hands the plate one reused buffer, so the loudest input is read during each call.
    // Re-applied below with the plate's own `this`, so the unbound reference is safe.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const original = FastDattorroPlate.prototype.process;
    let loudestSend = 0;
    const plate = vi.spyOn(FastDattorroPlate.prototype, 'process').mockImplementation(function (
      this: FastDattorroPlate,
      input,
      ...rest
    ) {
      for (const v of input) loudestSend = Math.max(loudestSend, Math.abs(v));
      original.call(this, input, ...rest);
    });
    // A reverb-heavy style and a drier one, with different characters and send levels.
    for (const [style, seed] of [
      ['ambient', 3],
      ['cinematic', 11],
      ['jazz', 5],
    ] as const) {
      const midi = await midiFor(style, seed);
      loudestSend = 0;
      const fast = await renderMidi(midi, { soundBank, seconds: 14 });
      // The plate really worked on signal (the comparison below would be empty otherwise).
      expect(loudestSend, style).toBeGreaterThan(1e-6);
      const stock = await renderMidi(midi, { soundBank, seconds: 14, stockReverb: true });
      expect(Buffer.from(fast.left.buffer).equals(Buffer.from(stock.left.buffer))).toBe(true);
      expect(Buffer.from(fast.right.buffer).equals(Buffer.from(stock.right.buffer))).toBe(true);
    }
    plate.mockRestore();
  });
});
