import { createHash } from 'node:crypto';
import { parseMidi, type MidiEvent } from 'midi-file';
import { Key, Note } from 'tonal';
import { describe, expect, it } from 'vitest';
import { composeScore } from './compose.js';
import type { ImageFeatures } from './image-features.js';
import { writeScoreToMidi } from './midi-file.js';
import { createMusicPlan, type MusicPlan } from './music-plan.js';
import { readTextCues } from './text-cues.js';

function features(brightness: number, saturation: number, warmth: number): ImageFeatures {
  return {
    version: 1,
    aspectRatio: 1.5,
    brightness,
    saturation,
    warmth,
    contrast: 0.4,
    texture: 0.3,
    palette: [],
    lightContour: Array.from({ length: 16 }, (_, i) => 0.3 + 0.02 * i),
    skyline: Array.from({ length: 16 }, (_, i) => Math.abs(Math.sin(i / 3))),
  };
}

// One plan per style: bright warm → upbeat major, mid → ballad, dark grey → ambient minor.
const plans: Record<string, MusicPlan> = {
  upbeat: createMusicPlan({
    features: features(0.75, 0.85, 0.7),
    text: readTextCues(''),
    seconds: 40,
  }),
  ballad: createMusicPlan({
    features: features(0.5, 0.35, 0.1),
    text: readTextCues(''),
    seconds: 40,
  }),
  ambient: createMusicPlan({
    features: features(0.1, 0.02, -0.2),
    text: readTextCues(''),
    seconds: 40,
  }),
  short: createMusicPlan({
    features: features(0.5, 0.35, 0.1),
    text: readTextCues(''),
    seconds: 10,
  }),
};

interface ParsedNote {
  track: number;
  channel: number;
  tick: number;
  pitch: number;
}

function notesOf(midi: Uint8Array): { notes: ParsedNote[]; tracks: MidiEvent[][] } {
  const parsed = parseMidi(midi);
  const notes: ParsedNote[] = [];
  parsed.tracks.forEach((events, track) => {
    let tick = 0;
    for (const event of events) {
      tick += event.deltaTime;
      if (event.type === 'noteOn' && event.velocity > 0) {
        notes.push({ track, channel: event.channel, tick, pitch: event.noteNumber });
      }
    }
  });
  return { notes, tracks: parsed.tracks };
}

function allowedPitchClasses(plan: MusicPlan): Set<number> {
  const scale =
    plan.key.mode === 'major'
      ? Key.majorKey(plan.key.tonic).scale
      : [
          ...Key.minorKey(plan.key.tonic).natural.scale,
          ...Key.minorKey(plan.key.tonic).harmonic.scale,
        ];
  return new Set(scale.map((n) => Note.chroma(n)));
}

describe('composeScore + writeScoreToMidi', () => {
  it('gives byte-identical MIDI for the same plan and seed, different MIDI for another seed', () => {
    const plan = plans.ballad as MusicPlan;
    const a = writeScoreToMidi(composeScore(plan, 42), 'test');
    const b = writeScoreToMidi(composeScore(plan, 42), 'test');
    const c = writeScoreToMidi(composeScore(plan, 43), 'test');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  for (const [style, plan] of Object.entries(plans)) {
    it(`writes a parseable multi-track file in key (${style}: ${plan.key.name}, ${plan.style})`, () => {
      const score = composeScore(plan, 7);
      const { notes, tracks } = notesOf(writeScoreToMidi(score, 'test'));
      expect(tracks.length).toBeGreaterThanOrEqual(4); // conductor + melody, chords, bass
      const roles = score.tracks.map((t) => t.role);
      expect(roles).toEqual(expect.arrayContaining(['melody', 'chords', 'bass']));
      for (const track of score.tracks) expect(track.notes.length).toBeGreaterThan(0);

      const allowed = allowedPitchClasses(plan);
      const pitched = notes.filter((n) => n.channel !== 9);
      const outOfKey = pitched.filter((n) => !allowed.has(n.pitch % 12));
      expect(outOfKey).toEqual([]);
      expect(Math.max(...notes.map((n) => n.tick))).toBeLessThan(score.endTick);
    });
  }

  it('puts chord tones on the melody’s strong beats and ends on the tonic', () => {
    for (const plan of Object.values(plans)) {
      const score = composeScore(plan, 11);
      const melody = score.tracks.find((t) => t.role === 'melody');
      if (!melody) throw new Error('no melody');
      const barTicks = score.ticksPerBeat * score.beatsPerBar;
      const halfBar = barTicks / 2;
      let strong = 0;
      let consonant = 0;
      for (const note of melody.notes) {
        const nearest = Math.round(note.tick / halfBar) * halfBar;
        if (Math.abs(note.tick - nearest) > 10 || nearest >= score.endTick) continue; // humanised ±8
        const chord = score.chords.find((c) => nearest >= c.tick && nearest < c.tick + c.duration);
        strong++;
        if (chord?.pitchClasses.includes(note.pitch % 12)) consonant++;
      }
      expect(strong).toBeGreaterThan(2);
      expect(consonant / strong).toBeGreaterThanOrEqual(0.9);
      const last = melody.notes.at(-1);
      expect(last && last.pitch % 12).toBe(Note.chroma(plan.key.tonic));
    }
  });

  it('stays in key and consonant across many seeds', () => {
    for (const plan of Object.values(plans)) {
      const allowed = allowedPitchClasses(plan);
      for (let seed = 100; seed < 130; seed++) {
        const score = composeScore(plan, seed);
        for (const track of score.tracks) {
          if (track.role === 'drums') continue;
          expect(track.notes.filter((n) => !allowed.has(n.pitch % 12))).toEqual([]);
        }
      }
    }
  });

  it('lasts as long as the plan says', () => {
    for (const plan of Object.values(plans)) {
      const score = composeScore(plan, 1);
      const beat = 60 / plan.tempoBpm;
      const expected = (plan.form.bars - 1) * 4 * beat + (4 * beat) / plan.form.ritardando;
      expect(score.durationSeconds).toBeCloseTo(expected, 2);
      expect(score.endTick).toBe(plan.form.bars * score.ticksPerBeat * 4);
    }
  });

  it('writes tempo, key signature and meter into the conductor track', () => {
    const plan = plans.upbeat as MusicPlan;
    const { tracks } = notesOf(writeScoreToMidi(composeScore(plan, 5), 'Instune test'));
    const conductor = tracks[0] ?? [];
    const tempo = conductor.find((e) => e.type === 'setTempo');
    const key = conductor.find((e) => e.type === 'keySignature');
    const meter = conductor.find((e) => e.type === 'timeSignature');
    expect(tempo && 60_000_000 / tempo.microsecondsPerBeat).toBeCloseTo(plan.tempoBpm, 0);
    expect(key?.key).toBe(plan.key.fifths);
    expect(meter?.numerator).toBe(4);
  });
});

describe('golden MIDI', () => {
  // Guards against accidental changes to the music: same plan + seed must keep its exact bytes,
  // or "same seed → same song" breaks for stored generations. After an intended change to
  // planning or composition, bump PLAN_VERSION and update these digests.
  it('keeps the bytes of a reference piece', () => {
    const digest = (plan: MusicPlan, seed: number): string =>
      createHash('sha256')
        .update(writeScoreToMidi(composeScore(plan, seed), 'golden'))
        .digest('hex')
        .slice(0, 16);
    expect({
      upbeat: digest(plans.upbeat as MusicPlan, 1),
      ballad: digest(plans.ballad as MusicPlan, 1),
      ambient: digest(plans.ambient as MusicPlan, 1),
    }).toEqual({
      upbeat: 'd37605331970dec8',
      ballad: '5cb996b5cec72352',
      ambient: '2475b6772ea39f3b',
    });
  });
});
