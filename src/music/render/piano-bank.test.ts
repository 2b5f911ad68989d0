import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeMidi, type MidiData } from 'midi-file';
import type { BasicSample } from 'spessasynth_core';
import { afterAll, describe, expect, it } from 'vitest';
import { renderAndMixParts, type PartsJob } from '../mix/mix-parts.js';
import { requireStyle } from '../styles/style-registry.js';
import { PIANO_LAYERS, requirePianoBank, trimDecodedSamples } from './piano-bank.js';
import { renderChannel, type StereoAudio } from './render.js';
import { defaultSoundFontPath, loadSoundFont } from './soundfont.js';

/** Channel 0, Acoustic Grand Piano: C4 soft, E4 loud, a low A, each half a second. */
function pianoMidi(): Uint8Array {
  const notes = [
    [60, 50],
    [64, 110],
    [33, 80],
  ] as const;
  const track: MidiData['tracks'][number] = [
    { deltaTime: 0, type: 'programChange', channel: 0, programNumber: 0 },
  ];
  for (const [pitch, velocity] of notes) {
    track.push({ deltaTime: 0, type: 'noteOn', channel: 0, noteNumber: pitch, velocity });
    track.push({ deltaTime: 240, type: 'noteOff', channel: 0, noteNumber: pitch, velocity: 0 });
  }
  track.push({ deltaTime: 0, type: 'endOfTrack' });
  return new Uint8Array(
    writeMidi({ header: { format: 0, numTracks: 1, ticksPerBeat: 480 }, tracks: [track] }),
  );
}

const same = (a: StereoAudio, b: StereoAudio): boolean =>
  Buffer.from(a.left.buffer).equals(Buffer.from(b.left.buffer)) &&
  Buffer.from(a.right.buffer).equals(Buffer.from(b.right.buffer));

describe('the layered piano bank', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'instune-piano-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is built by the install step: one preset, linked stereo pairs over every key and velocity', async () => {
    const bank = await loadSoundFont(requirePianoBank());
    expect(bank.presets.map((p) => [p.bankMSB, p.program, p.isGMGSDrum])).toEqual([[0, 0, false]]);
    expect(bank.samples.length).toBe(PIANO_LAYERS.length * 30 * 2);
    const zones = bank.instruments[0]?.zones ?? [];
    for (let key = 0; key < 128; key++) {
      for (let velocity = 1; velocity < 128; velocity++) {
        const hit = zones.filter(
          (z) =>
            z.keyRange.min <= key &&
            key <= z.keyRange.max &&
            z.velRange.min <= velocity &&
            velocity <= z.velRange.max,
        );
        // Exactly one left and one right sample for every key and velocity.
        expect(hit.map((z) => z.sample.name.at(-1)).sort()).toEqual(['L', 'R']);
      }
    }
    for (const sample of bank.samples) expect(sample.sampleRate).toBe(48_000);
  });

  it('renders a piano channel in stereo, deterministically, and differently from the GM piano', async () => {
    const midi = pianoMidi();
    const gm = await loadSoundFont(defaultSoundFontPath());
    const piano = await loadSoundFont(requirePianoBank());
    const options = { soundBank: gm, seconds: 2.5 };
    const layered = await renderChannel(midi, 0, { ...options, layers: [piano] });
    // Decoded again from scratch: the same floats.
    trimDecodedSamples(piano, 0);
    const again = await renderChannel(midi, 0, { ...options, layers: [piano] });
    const plain = await renderChannel(midi, 0, options);
    expect(same(layered, again)).toBe(true);
    expect(same(layered, plain)).toBe(false);
    let side = 0;
    let energy = 0;
    for (let i = 0; i < layered.left.length; i++) {
      side += ((layered.left[i] as number) - (layered.right[i] as number)) ** 2;
      energy += (layered.left[i] as number) ** 2;
    }
    expect(energy).toBeGreaterThan(0);
    expect(side).toBeGreaterThan(0);
  });

  it('drops decoded samples only past the budget', async () => {
    const piano = await loadSoundFont(requirePianoBank());
    const first = piano.samples[0] as BasicSample & { audioData?: Float32Array };
    first.getAudioData();
    trimDecodedSamples(piano, Number.MAX_SAFE_INTEGER);
    expect(first.audioData).toBeDefined();
    trimDecodedSamples(piano, 0);
    expect(first.audioData).toBeUndefined();
  });

  it("is put in front only for the style's layered parts over the bundled bank, not over SOUNDFONT_PATH", async () => {
    const mix = requireStyle('piano-solo').mix;
    expect(mix.melody.layer).toBe('grand-piano');
    const job = (soundFontPath: string, layer: boolean): PartsJob => ({
      midi: pianoMidi(),
      soundFontPath,
      sampleRate: 44_100,
      seconds: 2.5,
      parts: [
        {
          role: 'melody',
          channel: 0,
          part: layer ? mix.melody : { ...mix.melody, layer: undefined },
          cost: 1,
        },
      ],
      bus: mix.bus,
      tempoBpm: 120,
      kickSeconds: [],
    });
    const render = async (j: PartsJob): Promise<StereoAudio> => {
      let out: StereoAudio | null = null;
      await renderAndMixParts(j, (_i, audio) => {
        out = audio;
      });
      if (!out) throw new Error('no part');
      return out;
    };
    // The same bank bytes under another path stand for a bank given through SOUNDFONT_PATH.
    const other = path.join(dir, 'other.sf3');
    copyFileSync(defaultSoundFontPath(), other);
    const layered = await render(job(defaultSoundFontPath(), true));
    const unlayered = await render(job(defaultSoundFontPath(), false));
    const overOther = await render(job(other, true));
    expect(same(layered, unlayered)).toBe(false);
    expect(same(overOther, unlayered)).toBe(true);
  });
});
