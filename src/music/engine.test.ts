import { readFile } from 'node:fs/promises';
import { parseMidi } from 'midi-file';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cueGain, decodeWav, sameBytes } from '../../test/support/engine-audio.js';
import { sharedImagesDir as IMAGES } from '../../test/support/images.js';
import { isEngineError } from './engine-error.js';
import { composeTrack, composeTrackWithReport, type ComposeStage } from './engine.js';
import { AUDIBLE_LABEL_START_SECONDS } from './label/aigc-cue.js';
import { readAigcLabel, sha256Code } from './label/aigc-label.js';
import { inspectMp3 } from './encode/mp3-encode.js';
import { inspectWav } from './encode/wav-encode.js';
import { EXPRESSIONS } from './perception/content-analysis.js';
import { perceiveImage } from './perception/image-perception.js';

describe('composeTrack (full pipeline, real photos)', () => {
  it('turns a photo into a deterministic, valid MP3 and MIDI', async () => {
    const image = await readFile(`${IMAGES}/kodak_kodim23_parrots.jpg`);
    const stages: ComposeStage[] = [];
    const request = { image, text: 'happy parrots', seconds: 12, seed: 7, produceId: 'gen-7' };
    const first = await composeTrackWithReport({
      ...request,
      onProgress: (s) => void stages.push(s),
    });
    const again = await composeTrack(request);
    const other = await composeTrack({ ...request, seed: 8, produceId: undefined });
    // Read on a perception thread of its own (the command line's way): the same files.
    const onThread = await composeTrack(request, { perceptionThread: true });

    expect(stages).toEqual(['analysing', 'composing', 'rendering', 'encoding']);
    const track = first.track;
    expect(sameBytes(track.midi, again.midi)).toBe(true);
    expect(sameBytes(track.mp3, again.mp3)).toBe(true);
    expect(sameBytes(track.midi, other.midi)).toBe(false);

    const info = inspectMp3(track.mp3);
    expect(sameBytes(track.wav, again.wav)).toBe(true);
    expect(sameBytes(track.mp3, onThread.mp3)).toBe(true);
    expect(sameBytes(track.wav, onThread.wav)).toBe(true);
    expect(info).toMatchObject({ sampleRate: 44_100, bitrateKbps: 192, channels: 2 });

    // Both AI-content labels in every audio file: metadata (read back from the bytes) …
    expect(track.produceId).toBe('gen-7');
    const mp3Label = readAigcLabel(track.mp3);
    expect(mp3Label).toMatchObject({ Label: '1', ContentProducer: 'Instune', ProduceID: 'gen-7' });
    expect(mp3Label?.ReservedCode1).toBe(sha256Code(track.mp3.subarray(info?.id3Bytes)));
    const wavInfo = inspectWav(track.wav);
    expect(wavInfo).toMatchObject({ sampleRate: 44_100, channels: 2, bitsPerSample: 16 });
    expect(readAigcLabel(track.wav)).toMatchObject({ Label: '1', ProduceID: 'gen-7' });
    expect((wavInfo?.frames ?? 0) / 44_100).toBeCloseTo(track.durationSeconds, 2);
    // … and the audible short-long-short-short bell at the start, at its level (±3 dB).
    const gain = cueGain(decodeWav(track.wav).left);
    expect(gain).toBeGreaterThan(0.7);
    expect(gain).toBeLessThan(1.4);
    expect(AUDIBLE_LABEL_START_SECONDS).toBeLessThan(0.5);
    // Without a produce id, one is derived from the inputs (still deterministic).
    expect(other.produceId).toMatch(/^instune-[0-9a-f]{32}$/);
    expect(readAigcLabel(other.mp3)?.ProduceID).toBe(other.produceId);
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

  it('loops seamlessly: a labelled lead-in, then an exact number of bars marked to repeat', async () => {
    const image = await readFile(`${IMAGES}/kodak_kodim23_parrots.jpg`);
    const track = await composeTrack({ image, text: 'lo-fi', seconds: 10, seed: 5, loop: true });
    expect(track.plan.form.loop).toBe(true);
    expect(track.plan.form.ritardando).toBe(1);
    expect(track.plan.style).toBe('lo-fi');
    const barSeconds = (4 * 60) / track.plan.tempoBpm;
    const body = Math.round(track.plan.form.bars * barSeconds * 44_100);
    const info = inspectWav(track.wav);
    const loop = info?.loop;
    // The smpl chunk marks exactly the bars; the lead-in before them plays once.
    expect(loop).toEqual(track.loop);
    expect(loop?.end).toBe(info?.frames);
    expect((loop?.end ?? 0) - (loop?.start ?? 0)).toBe(body);
    expect(loop?.start).toBeGreaterThan(1.2 * 44_100);
    const midi = parseMidi(track.midi);
    expect(midi.tracks[0]?.filter((e) => e.type === 'setTempo')).toHaveLength(1);

    const left = decodeWav(track.wav).left;
    const start = loop?.start ?? 0;
    const end = loop?.end ?? 0;
    // The audible label once, in the lead-in; none where each repetition would start.
    expect(cueGain(left)).toBeGreaterThan(0.7);
    expect(Math.abs(cueGain(left, start))).toBeLessThan(0.15);
    // No fade at the end: what follows it is the loop's start again.
    const rms = (from: number, to: number): number => {
      let sum = 0;
      for (let i = from; i < to; i++) sum += (left[i] ?? 0) ** 2;
      return Math.sqrt(sum / (to - from));
    };
    expect(rms(end - 4410, end)).toBeGreaterThan(0.3 * rms(start, end));
    // No click at the seam: the jump from the last frame back to the first is an ordinary step.
    const steps = Array.from({ length: end - start - 1 }, (_, i) =>
      Math.abs((left[start + i + 1] ?? 0) - (left[start + i] ?? 0)),
    ).sort((a, b) => a - b);
    const seam = Math.abs((left[start] ?? 0) - (left[end - 1] ?? 0));
    expect(seam).toBeLessThanOrEqual(steps[Math.floor(steps.length * 0.999)] ?? 0);
    expect(readAigcLabel(track.mp3)?.Label).toBe('1');
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
        return isEngineError(error) ? error.code : 'other';
      }
    };
    expect(await codeOf(composeTrack({ image, seconds: 5, seed: 1 }))).toBe('invalid_request');
    expect(await codeOf(composeTrack({ image, seconds: 181, seed: 1 }))).toBe('invalid_request');
    expect(await codeOf(composeTrack({ image, seconds: 30, seed: -1 }))).toBe('invalid_request');
    expect(await codeOf(composeTrack({ image, seconds: 30, seed: 2 ** 32 }))).toBe(
      'invalid_request',
    );
    expect(
      await codeOf(composeTrack({ image: new Uint8Array([1, 2, 3]), seconds: 30, seed: 1 })),
    ).toBe('unreadable_image');
    expect(
      await codeOf(
        composeTrack(
          { image: new Uint8Array([1, 2, 3]), seconds: 30, seed: 1 },
          { perceptionThread: true },
        ),
      ),
    ).toBe('unreadable_image');
  });
});

describe('variations from a stored plan', () => {
  it('recomposes the same plan without the image: same seed → same MIDI, new seed → new MIDI', async () => {
    const image = await readFile(`${IMAGES}/pd_great_wave.jpg`);
    const original = await composeTrack({ image, seconds: 10, seed: 21, produceId: 'p' });
    const from = { plan: original.plan, features: original.features };
    const again = await composeTrack({
      image: new Uint8Array(0),
      seconds: 10,
      seed: 21,
      produceId: 'p',
      from,
    });
    expect(Buffer.from(again.midi).equals(Buffer.from(original.midi))).toBe(true);
    const variation = await composeTrack({
      image: new Uint8Array(0),
      seconds: 10,
      seed: 22,
      produceId: 'v',
      from,
    });
    expect(variation.plan).toEqual(original.plan);
    expect(Buffer.from(variation.midi).equals(Buffer.from(original.midi))).toBe(false);
  });
});

describe('privacy of the picture analysis', () => {
  it('keeps nothing read from a face in what the service stores (plan, features, files)', async () => {
    // Two portraits: the analysis finds faces and reads their expressions to set the mood.
    for (const file of ['kodak_kodim04_red_hat_portrait.jpg', 'kodak_kodim15_child_portrait.jpg']) {
      const image = await readFile(`${IMAGES}/${file}`);
      const seen = await perceiveImage(image);
      expect(seen.content.people.faces.length, file).toBeGreaterThan(0);
      const track = await composeTrack({ image, seconds: 10, seed: 1 });
      // The recipe and the plan summary are what a generation keeps (run-generation.service).
      const stored = JSON.stringify({ plan: track.plan, features: track.features });
      for (const face of seen.content.people.faces) {
        expect(stored).not.toContain(JSON.stringify(face.box));
        // Its expression probabilities, at the precision the model gives them.
        for (const score of Object.values(face.expressions)) {
          const text = String(score);
          if (text.length >= 7) expect(stored).not.toContain(text);
        }
      }
      expect(stored).not.toMatch(/"(faces?|boxes?|expressions?|embedding|age|gender)"/i);
      const words = [
        track.plan.explanation,
        track.plan.story?.summary.en,
        ...(track.plan.story?.details ?? []).map((d) => d.en),
      ].join(' ');
      // Mood words describe the music ("neither happy nor sad"); a face's reading would sit next
      // to a person ("a happy child", "the portrait looks sad").
      const person = '(face|faces|person|people|portrait|child|man|woman|girl|boy)';
      for (const expression of EXPRESSIONS) {
        expect(words).not.toMatch(new RegExp(`\\b${expression}\\s+${person}\\b`, 'i'));
        expect(words).not.toMatch(
          new RegExp(`\\b${person}\\W+(\\w+\\W+){0,2}${expression}\\b`, 'i'),
        );
      }
      expect(words).not.toMatch(/smil|frown|expression|\bface/i);
      // The MIDI file's text carries no words from the analysis at all.
      const midiText = parseMidi(track.midi)
        .tracks.flat()
        .filter((e) => 'text' in e)
        .map((e) => String((e as { text: string }).text))
        .join(' ');
      expect(midiText).not.toMatch(/portrait|person|people|face/i);
    }
  });
});
