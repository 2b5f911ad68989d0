import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BasicSoundBank, SoundBankLoader, type BasicSample } from 'spessasynth_core';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSoundFontPath, loadSoundFont, sharedSoundFontFile } from './soundfont.js';

type Parsed = BasicSample & { compressedData?: Uint8Array; s16leData?: Uint8Array };

/** The library's own parse of the same bytes, from a private copy (what the engine did before). */
function plainParse(file: string): BasicSoundBank {
  const bytes = readFileSync(file);
  return SoundBankLoader.fromArrayBuffer(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
}

describe('sound bank over shared bytes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'instune-bank-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SF3: every sample reads its Vorbis data from the shared file, byte for byte the parsed one', async () => {
    const file = defaultSoundFontPath();
    const bank = await loadSoundFont(file);
    const plain = plainParse(file);
    const shared = sharedSoundFontFile(file);
    expect(bank.samples.length).toBe(plain.samples.length);
    bank.samples.forEach((sample, i) => {
      const ours = (sample as Parsed).compressedData;
      const theirs = (plain.samples[i] as Parsed).compressedData;
      expect(ours?.buffer).toBe(shared);
      expect(theirs && ours && Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
    });
    // Decoded the same: the first, a middle and the last sample.
    for (const i of [0, bank.samples.length >> 1, bank.samples.length - 1]) {
      expect(bank.samples[i]?.getAudioData()).toEqual(plain.samples[i]?.getAudioData());
    }
  });

  it('SF2: samples decode from views of the shared file to the same floats', async () => {
    const file = path.join(dir, 'sample.sf2');
    writeFileSync(file, new Uint8Array(BasicSoundBank.getSampleSoundBankFile()));
    const bank = await loadSoundFont(file);
    const plain = plainParse(file);
    expect(bank.samples.length).toBeGreaterThan(0);
    bank.samples.forEach((sample, i) => {
      expect((sample as Parsed).s16leData?.buffer).toBe(sharedSoundFontFile(file));
      const audio = sample.getAudioData();
      expect(audio.length).toBeGreaterThan(0);
      expect(audio).toEqual(plain.samples[i]?.getAudioData());
    });
  });

  it('a render thread handed the bytes parses them instead of reading the file', async () => {
    const file = path.join(dir, 'handed.sf2');
    const bytes = new Uint8Array(BasicSoundBank.getSampleSoundBankFile());
    const handed = new SharedArrayBuffer(bytes.length);
    new Uint8Array(handed).set(bytes);
    // No file on disk: only the handed bytes can give this bank.
    const bank = await loadSoundFont(file, handed);
    expect((bank.samples[0] as Parsed).s16leData?.buffer).toBe(handed);
  });
});
