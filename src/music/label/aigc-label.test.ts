import { parseMidi } from 'midi-file';
import NodeID3 from 'node-id3';
import { BasicMIDI } from 'spessasynth_core';
import { describe, expect, it } from 'vitest';
import { AUDIBLE_LABEL_HZ, AUDIBLE_LABEL_RHYTHM, renderAudibleLabel } from './aigc-cue.js';
import { labelMidi, labelMp3, readAigcLabel, sha256Code } from './aigc-label.js';
import { composeScore } from '../compose/compose-score.js';
import { writeScoreToMidi } from '../encode/midi-file.js';
import { createMusicPlan } from '../plan/music-plan.js';
import { readTextCues } from '../perception/text-cues.js';
import { extractImageFeatures } from '../perception/image-features.js';
import sharp from 'sharp';
import { encodeMp3, inspectMp3 } from '../encode/mp3-encode.js';
import type { StereoAudio } from '../render/render.js';
import { encodeWav, inspectWav } from '../encode/wav-encode.js';

function tone(seconds: number): StereoAudio {
  const n = Math.round(seconds * 44_100);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = 0.3 * Math.sin((2 * Math.PI * 330 * i) / 44_100);
    right[i] = -(left[i] ?? 0);
  }
  return { sampleRate: 44_100, left, right };
}

describe('implicit AIGC label', () => {
  it('writes TXXX:AIGC into MP3 and reads it back, and node-id3 agrees', async () => {
    const frames = await encodeMp3(tone(1));
    const mp3 = labelMp3(frames, { produceId: 'gen-123' });
    expect(readAigcLabel(mp3)).toEqual({
      Label: '1',
      ContentProducer: 'Instune',
      ProduceID: 'gen-123',
      ReservedCode1: sha256Code(frames),
      ContentPropagator: 'Instune',
      PropagateID: 'gen-123',
      ReservedCode2: '',
    });
    // Still a valid MP3 behind the tag, with the same frames.
    const info = inspectMp3(mp3);
    expect(info?.frames).toBe(inspectMp3(frames)?.frames);
    expect(Buffer.from(mp3.subarray(info?.id3Bytes)).equals(Buffer.from(frames))).toBe(true);

    const tags = NodeID3.read(Buffer.from(mp3));
    const aigc = tags.userDefinedText?.find((t) => t.description === 'AIGC');
    expect(JSON.parse(aigc?.value ?? '{}')).toMatchObject({ Label: '1', ProduceID: 'gen-123' });
  });

  it('reads a label written by node-id3 (ID3v2.3, another writer)', async () => {
    const frames = Buffer.from(await encodeMp3(tone(0.5)));
    const json = JSON.stringify({ Label: '1', ContentProducer: 'Other', ProduceID: 'x1' });
    const tagged = NodeID3.write(
      { userDefinedText: [{ description: 'AIGC', value: json }] },
      frames,
    );
    expect(readAigcLabel(new Uint8Array(tagged))).toMatchObject({
      Label: '1',
      ContentProducer: 'Other',
      ProduceID: 'x1',
      ReservedCode1: '',
    });
  });

  it('writes a RIFF AIGC chunk into a 16-bit stereo WAV and reads it back', () => {
    const audio = tone(0.25);
    const wav = encodeWav(audio, { produceId: 'gen-456', propagator: 'Shop', propagateId: 'p9' });
    const info = inspectWav(wav);
    expect(info).toMatchObject({ sampleRate: 44_100, channels: 2, bitsPerSample: 16 });
    expect(info?.frames).toBe(audio.left.length);
    const data = wav.subarray(info?.dataOffset, (info?.dataOffset ?? 0) + (info?.dataBytes ?? 0));
    expect(readAigcLabel(wav)).toMatchObject({
      ProduceID: 'gen-456',
      ContentPropagator: 'Shop',
      PropagateID: 'p9',
      ReservedCode1: sha256Code(data),
    });
    const view = new DataView(wav.buffer, wav.byteOffset);
    expect(view.getUint32(4, true)).toBe(wav.length - 8);
    expect(view.getInt16(info?.dataOffset ?? 0, true)).toBe(0);
  });

  it('finds nothing in unlabelled or foreign bytes', async () => {
    expect(readAigcLabel(await encodeMp3(tone(0.2)))).toBeNull();
    expect(readAigcLabel(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(readAigcLabel(new Uint8Array(0))).toBeNull();
    const notOurs = NodeID3.write(
      { userDefinedText: [{ description: 'AIGC', value: '{"Label":"2"}' }] },
      Buffer.from(await encodeMp3(tone(0.2))),
    );
    expect(readAigcLabel(new Uint8Array(notOurs))).toBeNull();
  });

  it('adds a labelled track to MIDI that parsers and the synth still read', async () => {
    const image = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 30, g: 60, b: 120 } },
    })
      .png()
      .toBuffer();
    const plan = createMusicPlan({
      features: await extractImageFeatures(image),
      text: readTextCues('a calm lake'),
      seconds: 20,
    });
    const plain = writeScoreToMidi(composeScore(plan, 3), 'test');
    const midi = labelMidi(plain, { produceId: 'gen-456' });
    expect(readAigcLabel(midi)).toMatchObject({
      Label: '1',
      ProduceID: 'gen-456',
      ReservedCode1: sha256Code(plain),
    });
    expect(readAigcLabel(plain)).toBeNull();
    // The original file is untouched in front; one more track, named and holding the JSON.
    expect(
      Buffer.from(midi.subarray(12, plain.length)).equals(Buffer.from(plain.subarray(12))),
    ).toBe(true);
    const parsed = parseMidi(midi);
    const before = parseMidi(plain);
    expect(parsed.header.numTracks).toBe(before.header.numTracks + 1);
    expect(parsed.tracks).toHaveLength(before.tracks.length + 1);
    const texts = (parsed.tracks.at(-1) ?? []).flatMap((e) => ('text' in e ? [e.text] : []));
    expect(texts[0]).toBe('AIGC label');
    expect(JSON.parse((texts[1] ?? '').replace(/^AIGC /, ''))).toMatchObject({
      ProduceID: 'gen-456',
    });
    const song = BasicMIDI.fromArrayBuffer(midi.slice().buffer);
    expect(song.tracks).toHaveLength(before.tracks.length + 1);
    expect(() => labelMidi(midi, { produceId: 'again' })).toThrow(/already/);
  });

  it('refuses to tag an MP3 twice', async () => {
    const mp3 = labelMp3(await encodeMp3(tone(0.2)), { produceId: 'a' });
    expect(() => labelMp3(mp3, { produceId: 'b' })).toThrow(/already/);
  });
});

/** 10 ms RMS envelope of the cue, thresholded: the lengths of the sounding stretches. */
function soundingStretches(samples: Float32Array, sampleRate: number): number[] {
  const hop = Math.round(sampleRate / 100);
  const on: boolean[] = [];
  for (let i = 0; i + hop <= samples.length; i += hop) {
    let sum = 0;
    for (let j = i; j < i + hop; j++) sum += (samples[j] ?? 0) ** 2;
    on.push(Math.sqrt(sum / hop) > 0.05);
  }
  const stretches: number[] = [];
  let run = 0;
  for (const v of [...on, false]) {
    if (v) run++;
    else if (run > 0) {
      stretches.push(run / 100);
      run = 0;
    }
  }
  return stretches;
}

describe('audible label', () => {
  it('rings short-long-short-short, deterministically', () => {
    const cue = renderAudibleLabel(44_100);
    expect(Buffer.from(cue.buffer).equals(Buffer.from(renderAudibleLabel(44_100).buffer))).toBe(
      true,
    );
    const stretches = soundingStretches(cue, 44_100);
    expect(stretches).toHaveLength(4);
    const [s1 = 0, long = 0, s2 = 0, s3 = 0] = stretches;
    expect(long).toBeGreaterThan(2.5 * Math.max(s1, s2, s3));
    expect(AUDIBLE_LABEL_RHYTHM.map((n) => n.kind)).toEqual(['short', 'long', 'short', 'short']);
    expect(AUDIBLE_LABEL_HZ).toBeGreaterThan(500);
  });
});
