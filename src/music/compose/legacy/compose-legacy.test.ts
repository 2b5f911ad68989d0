import { parseMidi, type MidiEvent } from 'midi-file';
import { Key, Note } from 'tonal';
import { describe, expect, it } from 'vitest';
import { goldenMidiDigest } from '../../../../test/support/golden-midi.js';
import { composeScore } from '../compose-score.js';
import { chordDegrees } from '../score-analysis.js';
import type { Score } from '../score.js';
import { progressionTablesFor } from './legacy-harmony.js';
import { writeScoreToMidi } from '../../encode/midi-file.js';
import type { MusicPlan } from '../../plan/music-plan.js';
import { storedV4Plan } from '../../../../test/support/stored-plans.js';
import { STYLES } from '../../styles/style-registry.js';

// One stored v4 plan per style: bright warm → upbeat major, mid → ballad, dark grey → ambient
// minor, and the others asked for by name (the text outranks the image).
const plans: Record<string, MusicPlan> = Object.fromEntries(
  [
    'upbeat',
    'ballad',
    'ambient',
    'short',
    'jazz',
    'lofi',
    'cinematic',
    'folk',
    'piano',
    'loop',
  ].map((name) => [name, storedV4Plan(name)]),
);

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
      // A loop does not end: its last phrase leans on V back into bar 1.
      if (!plan.form.loop) expect(last && last.pitch % 12).toBe(Note.chroma(plan.key.tonic));
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
      expect(plan.form.ritardando === 1).toBe(plan.form.loop);
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

describe('styles', () => {
  it('gives every style its own instruments, accompaniment and drums', () => {
    const byStyle = new Map(Object.values(plans).map((p) => [p.style, p]));
    expect([...byStyle.keys()].sort()).toEqual([...STYLES].sort());
    const fingerprints = new Set<string>();
    for (const plan of byStyle.values()) {
      const score = composeScore(plan, 9);
      const chords = score.tracks.find((t) => t.role === 'chords');
      const drums = score.tracks.find((t) => t.role === 'drums');
      const onsets = new Set(chords?.notes.map((n) => n.tick % 1920));
      const kit = [...new Set(drums?.notes.map((n) => n.pitch))].sort().join(',');
      fingerprints.add(
        `${plan.instrumentation.melody.program}/${plan.instrumentation.chords.program}/${onsets.size}/${kit}`,
      );
    }
    expect(fingerprints.size).toBe(STYLES.length);
  });

  it('swings jazz eighths and voices its chords as sevenths', () => {
    const plan = plans.jazz as MusicPlan;
    expect(plan.style).toBe('jazz');
    expect(plan.swing).toBeGreaterThan(0.3);
    const score = composeScore(plan, 4);
    expect(score.chords.every((c) => c.pitchClasses.length === 4)).toBe(true);
    const ride = score.tracks.find((t) => t.role === 'drums')?.notes.filter((n) => n.pitch === 51);
    // Off-beat ride strokes land a triplet late: 2/3 of the beat, not 1/2.
    const late = ride?.filter((n) => n.tick % 480 === 320).length ?? 0;
    expect(late).toBeGreaterThan(10);
    // A walking bass: one note per beat.
    const bass = score.tracks.find((t) => t.role === 'bass');
    expect(bass?.notes.length).toBeGreaterThan(plan.form.bars * 3);
  });

  it('ends a loop on the dominant without slowing down', () => {
    const plan = plans.loop as MusicPlan;
    const score = composeScore(plan, 2);
    expect(score.tempoChanges).toHaveLength(1);
    const last = score.chords.at(-1);
    const dominantRoot = (Note.chroma(plan.key.tonic) + 7) % 12;
    expect(last?.pitchClasses[0]).toBe(dominantRoot);
    expect(score.durationSeconds).toBeCloseTo((plan.form.bars * 4 * 60) / plan.tempoBpm, 6);
  });
});

describe('golden MIDI', () => {
  // Guards against accidental changes to the music: same plan + seed must keep its exact bytes,
  // or "same seed → same song" breaks for stored generations. After an intended change to
  // planning or composition, bump PLAN_VERSION and update these digests.
  it('keeps the bytes of a reference piece', () => {
    expect({
      upbeat: goldenMidiDigest(plans.upbeat as MusicPlan, 1),
      ballad: goldenMidiDigest(plans.ballad as MusicPlan, 1),
      ambient: goldenMidiDigest(plans.ambient as MusicPlan, 1),
      jazz: goldenMidiDigest(plans.jazz as MusicPlan, 1),
      cinematic: goldenMidiDigest(plans.cinematic as MusicPlan, 1),
    }).toEqual({
      // Plan v4: each pop-family style with its own progressions (listened to and read through:
      // ballad/upbeat I–V–vi–IV, ambient i–VI–iv pedals, jazz I–IV–ii7–V7 on sevenths).
      upbeat: '8d15c1460d6d8a99',
      ballad: '2f8becc0247e1c93',
      ambient: '939aaf049a4f814e',
      jazz: '8fe8d80dbf8f2fe2',
      // Plan v3: cinematic harmony sampled from the Bach chorale chain (harmony.ts);
      // this piece is I | I IV I V IV V | I in F major.
      cinematic: '12b4c092cc5d5c97',
    });
  });

  it('replays a v3 plan of a pop-family style with the shared v3 tables', () => {
    const stored = { ...(plans.jazz as MusicPlan), version: 3 };
    expect(goldenMidiDigest(stored, 1)).toBe('6827981086908a81');
  });

  it('replays a plan stored by an older engine with its own harmony', () => {
    // A v2 plan keeps the v2 progressions, so its stored seed still gives the same bytes.
    const stored = { ...(plans.cinematic as MusicPlan), version: 2 };
    expect(goldenMidiDigest(stored, 1)).toBe('ee88a02651f68129');
  });
});

describe('style-dependent progressions (plan v4)', () => {
  const degreesOf = (plan: MusicPlan, score: Score): number[] => chordDegrees(plan.key, score);
  const popFamily = ['ambient', 'pop-ballad', 'upbeat', 'lo-fi', 'jazz'] as const;

  it('gives each pop-family style its own tables from v4, the shared ones before', () => {
    const v3 = popFamily.map((style) => progressionTablesFor({ version: 3, style }));
    const v4 = popFamily.map((style) => progressionTablesFor({ version: 4, style }));
    expect(new Set(v3).size).toBe(1);
    expect(new Set(v4).size).toBe(popFamily.length);
    expect(v4).not.toContain(v3[0]);
  });

  it("opens each style's theme with one of its own progressions, in major and minor", () => {
    for (const style of popFamily) {
      for (const text of ['bright morning', 'sad rain']) {
        const base = storedV4Plan(`pop|${style}|${text}`);
        const tables = progressionTablesFor(base);
        const themes = base.key.mode === 'minor' ? tables.themeMinor : tables.themeMajor;
        const openings = new Set(themes.map((t) => t.slice(0, 3).join()));
        const seen = new Set<string>();
        for (let seed = 0; seed < 30; seed++) {
          const score = composeScore(base, seed);
          const degrees = degreesOf(base, score);
          const themeTick = score.sections.find((s) => s.name === 'theme')?.tick ?? -1;
          const first = score.chords.findIndex((c) => c.tick === themeTick);
          const opening = degrees.slice(first, first + 3).join();
          expect(openings, `${style} ${base.key.mode} seed ${seed}`).toContain(opening);
          seen.add(opening);
        }
        // The seed chooses among the style's progressions, not always the same one.
        expect(seen.size, `${style} ${base.key.mode}`).toBeGreaterThan(1);
      }
    }
  });

  it('keeps the dominant out of ambient bodies and puts ii–V motion into jazz and lo-fi', () => {
    const share = (style: (typeof popFamily)[number], degree: number): number => {
      const plan = storedV4Plan(`share|${style}`);
      let hits = 0;
      let total = 0;
      for (let seed = 0; seed < 20; seed++) {
        const degrees = degreesOf(plan, composeScore(plan, seed));
        hits += degrees.filter((d) => d === degree).length;
        total += degrees.length;
      }
      return hits / total;
    };
    // Ambient's V comes only from the cadences the form sets; jazz and lo-fi lean on ii.
    expect(share('ambient', 4)).toBeLessThan(share('upbeat', 4));
    expect(share('jazz', 1)).toBeGreaterThan(2 * share('pop-ballad', 1));
    expect(share('lo-fi', 1)).toBeGreaterThan(2 * share('ambient', 1));
  });
});
