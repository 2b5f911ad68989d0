import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseMidi } from 'midi-file';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../lib/errors.js';
import { composeTrack, composeTrackWithReport, type ComposeStage } from './compose-track.js';
import { inspectMp3 } from './mp3-encode.js';

// shared/ sits beside the repository (in /work and in CI's clone alike); read it in place.
const IMAGES = fileURLToPath(new URL('../../../shared/data/images', import.meta.url));
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('composeTrack (full pipeline, real photos)', () => {
  it('turns a photo into a deterministic, valid MP3 and MIDI', async () => {
    const image = await readFile(`${IMAGES}/kodak_kodim23_parrots.jpg`);
    const stages: ComposeStage[] = [];
    const request = { image, text: 'happy parrots', seconds: 12, seed: 7 };
    const first = await composeTrackWithReport({
      ...request,
      onProgress: (s) => void stages.push(s),
    });
    const again = await composeTrack(request);
    const other = await composeTrack({ ...request, seed: 8 });

    expect(stages).toEqual(['analysing', 'composing', 'rendering', 'encoding']);
    const track = first.track;
    expect(same(track.midi, again.midi)).toBe(true);
    expect(same(track.mp3, again.mp3)).toBe(true);
    expect(same(track.midi, other.midi)).toBe(false);

    const info = inspectMp3(track.mp3);
    expect(info).toMatchObject({ id3Bytes: 0, sampleRate: 44_100, bitrateKbps: 192, channels: 2 });
    expect(info?.durationSeconds).toBeGreaterThan(track.durationSeconds - 0.1);
    expect(info?.durationSeconds).toBeLessThan(track.durationSeconds + 0.2);
    expect(track.durationSeconds).toBeGreaterThan(9);
    expect(track.durationSeconds).toBeLessThan(15);

    const midi = parseMidi(track.midi);
    expect(midi.tracks.length).toBeGreaterThanOrEqual(4);
    expect(track.plan.textWords).toEqual(['happy']);
    expect(track.plan.key.mode).toBe('major');
    expect(JSON.parse(JSON.stringify({ plan: track.plan, features: track.features }))).toEqual({
      plan: track.plan,
      features: track.features,
    });

    // Mastered level, not clipping and not quiet.
    expect(first.report.master.outputLufs ?? -99).toBeGreaterThan(-17);
    expect(first.report.master.outputLufs ?? 0).toBeLessThan(-13);
    expect(first.report.master.truePeakDb).toBeLessThanOrEqual(-1);
  });

  it('hears a dark grey photo and a bright warm one differently', async () => {
    const dark = await composeTrack({
      image: await readFile(`${IMAGES}/pd_whistlers_mother.jpg`),
      seconds: 10,
      seed: 1,
    });
    const bright = await composeTrack({
      image: await readFile(`${IMAGES}/pd_sunflowers.jpg`),
      seconds: 10,
      seed: 1,
    });
    expect(dark.plan.key.mode).toBe('minor');
    expect(bright.plan.key.mode).toBe('major');
    expect(bright.plan.tempoBpm).toBeGreaterThan(dark.plan.tempoBpm);
    expect(bright.features.brightness).toBeGreaterThan(dark.features.brightness);
  });

  it('accepts PNG and WebP as well as JPEG', async () => {
    const base = sharp({
      create: { width: 40, height: 30, channels: 3, background: { r: 40, g: 90, b: 200 } },
    });
    for (const image of [
      await base.clone().png().toBuffer(),
      await base.clone().webp().toBuffer(),
    ]) {
      const track = await composeTrack({ image, seconds: 10, seed: 3 });
      expect(track.features.warmth).toBeLessThan(-0.5);
      expect(inspectMp3(track.mp3)).not.toBeNull();
    }
  });

  it('rejects what it cannot use with an AppError', async () => {
    const image = await readFile(`${IMAGES}/skimage_chelsea_cat.jpg`);
    const codeOf = async (p: Promise<unknown>): Promise<string> => {
      try {
        await p;
        return 'resolved';
      } catch (error) {
        return isAppError(error) ? error.code : 'other';
      }
    };
    expect(await codeOf(composeTrack({ image, seconds: 5, seed: 1 }))).toBe('validation_failed');
    expect(await codeOf(composeTrack({ image, seconds: 181, seed: 1 }))).toBe('validation_failed');
    expect(await codeOf(composeTrack({ image, seconds: 30, seed: -1 }))).toBe('validation_failed');
    expect(await codeOf(composeTrack({ image, seconds: 30, seed: 2 ** 32 }))).toBe(
      'validation_failed',
    );
    expect(
      await codeOf(composeTrack({ image: new Uint8Array([1, 2, 3]), seconds: 30, seed: 1 })),
    ).toBe('unprocessable_image');
  });
});
