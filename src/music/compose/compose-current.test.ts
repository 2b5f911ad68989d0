import { Note } from 'tonal';
import { describe, expect, it } from 'vitest';
import { goldenMidiDigest } from '../../../test/support/golden-midi.js';
import { writeScoreToMidi } from '../encode/midi-file.js';
import type { ImageFeatures } from '../perception/image-features.js';
import { readTextCues } from '../perception/text-cues.js';
import { createMusicPlan, type MusicPlan } from '../plan/music-plan.js';
import { registerOf } from '../plan/register.js';
import { STYLE_DECLARATIONS, STYLES, type Style } from '../styles/style-registry.js';
import { composeScore } from './compose-score.js';
import { parseDrumBar } from './drums.js';
import { parseProgressions } from './harmony-plan.js';
import { meterOf } from './meter.js';
import type { Score, ScoreNote } from './score.js';

function features(
  brightness: number,
  saturation: number,
  warmth: number,
  texture = 0.3,
): ImageFeatures {
  return {
    version: 2,
    aspectRatio: 1.5,
    brightness,
    saturation,
    warmth,
    contrast: 0.4,
    texture,
    colourfulness: saturation,
    dynamicLines: 0.4,
    palette: [],
    lightContour: Array.from({ length: 16 }, (_, i) => 0.3 + 0.02 * i),
    // A flat skyline: the hardest case for a tune's range.
    skyline: Array.from({ length: 16 }, () => 0.5),
  };
}

const IMAGES = [features(0.75, 0.8, 0.7), features(0.25, 0.3, -0.6, 0.1), features(0.5, 0.4, 0.2)];
const TEXTS = ['', 'sad', 'happy lively'];

function plansFor(style: Style, seconds = 60): MusicPlan[] {
  return IMAGES.flatMap((f) =>
    TEXTS.map((text) =>
      createMusicPlan({ features: f, text: readTextCues(text), seconds, controls: { style } }),
    ),
  );
}

const barTicksOf = (score: Score): number =>
  (score.ticksPerBeat * 4 * score.beatsPerBar) / score.beatUnit;
const melodyOf = (score: Score): ScoreNote[] =>
  score.tracks.find((t) => t.role === 'melody')?.notes ?? [];

describe('the current composer (plan v5)', () => {
  it('reads every style’s drum grooves and fills for each meter it can be in', () => {
    for (const style of STYLE_DECLARATIONS) {
      const drums = style.composition.drums;
      if (!drums) continue;
      for (const meter of style.composition.meters) {
        const steps = meterOf(...(meter.split('/').map(Number) as [number, number])).sixteenths;
        const tiers = drums.grooves[meter];
        expect(tiers, `${style.id} ${meter}`).toBeDefined();
        for (const groove of [
          ...(tiers?.low ?? []),
          ...(tiers?.mid ?? []),
          ...(tiers?.high ?? []),
        ]) {
          for (const bar of groove.bars) expect(parseDrumBar(bar, steps).length).toBeGreaterThan(0);
        }
        for (const fill of drums.fills[meter] ?? [])
          expect(parseDrumBar(fill.bar, steps).length).toBeGreaterThan(0);
      }
    }
    expect(() => parseDrumBar('kick:x... cowbell:x...', 16)).toThrow();
    expect(() => parseDrumBar('kick:x...............x', 16)).toThrow();
  });

  it('reads every style’s progressions as four Roman numerals', () => {
    for (const style of STYLE_DECLARATIONS) {
      const source = style.composition.harmony.source;
      if (source.kind !== 'loops') continue;
      for (const text of [
        source.theme.major,
        source.theme.minor,
        source.contrast.major,
        source.contrast.minor,
      ]) {
        for (const progression of parseProgressions(text)) expect(progression).toHaveLength(4);
      }
    }
    expect(parseProgressions('I-V-vi-IV ii°-V-i-i')).toEqual([
      [0, 4, 5, 3],
      [1, 4, 0, 0],
    ]);
    expect(() => parseProgressions('I-V-vi')).toThrow();
    expect(() => parseProgressions('I-V-X-IV')).toThrow();
  });

  it('keeps the melody above every accompanying part, and a piano solo’s left hand below C4', () => {
    for (const style of STYLES) {
      for (const plan of plansFor(style)) {
        for (const seed of [1, 2]) {
          const score = composeScore(plan, seed);
          const others = score.tracks
            .filter((t) => t.role !== 'melody' && t.role !== 'drums')
            .flatMap((t) => t.notes);
          const melody = melodyOf(score);
          const buried = melody.filter((m) =>
            others.some(
              (a) => a.tick <= m.tick && m.tick < a.tick + a.duration && a.pitch >= m.pitch,
            ),
          );
          expect(
            buried.length / melody.length,
            `${style} ${plan.key.name} seed ${seed}`,
          ).toBeLessThanOrEqual(0.02);
          const register = registerOf(plan.instrumentation.melody);
          for (const note of melody) {
            expect(note.pitch).toBeGreaterThanOrEqual(register.low);
            expect(note.pitch).toBeLessThanOrEqual(register.high);
          }
          if (style === 'piano-solo')
            expect(Math.max(...others.map((n) => n.pitch))).toBeLessThanOrEqual(59);
        }
      }
    }
  });

  it('writes sections on a four/eight-bar grid with a theme that returns note for note', () => {
    for (const style of STYLES) {
      for (const plan of plansFor(style)) {
        const score = composeScore(plan, 3);
        const barTicks = barTicksOf(score);
        const sections = plan.form.sections;
        for (const section of sections) expect(section.bars % 4).toBe(0);
        const theme = sections.find((s) => s.name === 'theme');
        const reprise = sections.find((s) => s.name === 'reprise');
        if (!theme || !reprise) throw new Error(`${style}: no theme and reprise`);
        // The reprise's first two bars are the theme's, transposed by nothing and shifted in time.
        const window = (start: number): string[] =>
          melodyOf(score)
            .filter((n) => n.tick >= start * barTicks - 30 && n.tick < (start + 2) * barTicks - 30)
            .map((n) => `${Math.round((n.tick - start * barTicks) / 60)}:${n.pitch}`);
        const opening = window(theme.startBar);
        const returned = window(reprise.startBar);
        expect(opening.length).toBeGreaterThan(1);
        const same = opening.filter((x) => returned.includes(x)).length;
        expect(same / opening.length, style).toBeGreaterThanOrEqual(0.75);
      }
    }
  });

  it('closes the theme with an authentic cadence, its first phrase with a half cadence, and ends on the tonic', () => {
    for (const style of STYLES) {
      for (const plan of plansFor(style)) {
        const score = composeScore(plan, 5);
        const barTicks = barTicksOf(score);
        const tonic = Note.chroma(plan.key.tonic);
        const dominantRoot = (tonic + 7) % 12;
        const theme = plan.form.sections.find((s) => s.name === 'theme');
        if (!theme || theme.bars < 8) continue;
        const chordAt = (bar: number) => score.chords.filter((c) => c.tick < bar * barTicks).at(-1);
        // Bar 4 of the theme on V (or a dominant substitute), bar 8 on I.
        const half = chordAt(theme.startBar + 4);
        const end = chordAt(theme.startBar + 8);
        expect([dominantRoot, (tonic + 1) % 12], `${style} half cadence ${half?.name}`).toContain(
          half?.pitchClasses[0],
        );
        expect(end?.pitchClasses[0], `${style} authentic cadence ${end?.name}`).toBe(tonic);
        const last = melodyOf(score).at(-1);
        expect((last?.pitch ?? 0) % 12).toBe(tonic);
        expect(score.chords.at(-1)?.pitchClasses[0]).toBe(tonic);
      }
    }
  });

  it('slows down gradually into the last chord and lets it ring', () => {
    const plan = plansFor('pop-ballad')[0] as MusicPlan;
    const score = composeScore(plan, 1);
    const changes = score.tempoChanges;
    expect(changes.length).toBeGreaterThanOrEqual(6);
    for (let i = 2; i < changes.length; i++) {
      expect(changes[i]?.microsecondsPerBeat ?? 0).toBeGreaterThanOrEqual(
        changes[i - 1]?.microsecondsPerBeat ?? 0,
      );
    }
    const last = melodyOf(score).at(-1);
    expect((last?.tick ?? 0) + (last?.duration ?? 0)).toBeGreaterThanOrEqual(score.endTick - 60);
  });

  it('pedals every piano, harp and electric piano part at each chord change, and swells sustained parts', () => {
    for (const style of STYLES) {
      const plan = plansFor(style)[1] as MusicPlan;
      const score = composeScore(plan, 2);
      let later = 0;
      for (const track of score.tracks) {
        const cc = track.controls.filter((c) => c.tick > 0);
        later += cc.length;
        if (track.role === 'drums' || track.notes.length === 0) continue;
        const register = registerOf({ program: track.program });
        if (register.pedal) {
          const lifts = cc.filter((c) => c.controller === 64 && c.value === 0).map((c) => c.tick);
          const presses = cc.filter((c) => c.controller === 64 && c.value === 127);
          for (const chord of score.chords.slice(1))
            expect(lifts, `${style} ${track.name}`).toContain(chord.tick);
          expect(presses.length).toBeGreaterThanOrEqual(score.chords.length);
        } else if (register.sustained) {
          expect(
            cc.filter((c) => c.controller === 11).length,
            `${style} ${track.name}`,
          ).toBeGreaterThan(8);
        }
      }
      expect(later, style).toBeGreaterThanOrEqual(16);
    }
  });

  it('resolves every strong-beat dissonance by step onto a chord tone', () => {
    for (const style of STYLES) {
      for (const plan of plansFor(style)) {
        const score = composeScore(plan, 7);
        const barTicks = barTicksOf(score);
        const strong =
          score.beatUnit === 8
            ? [0, barTicks / 2]
            : score.beatsPerBar === 4
              ? [0, barTicks / 2]
              : [0];
        const melody = [...melodyOf(score)].sort((a, b) => a.tick - b.tick);
        let dissonances = 0;
        let onStrong = 0;
        melody.forEach((note, i) => {
          const snapped = Math.round(note.tick / 120) * 120;
          if (!strong.includes(snapped % barTicks)) return;
          const chord = score.chords.filter((c) => c.tick <= snapped).at(-1);
          if (!chord) return;
          onStrong++;
          if (chord.pitchClasses.includes(note.pitch % 12)) return;
          dissonances++;
          const next = melody[i + 1];
          expect(next, style).toBeDefined();
          expect(
            Math.abs((next?.pitch ?? 0) - note.pitch),
            `${style} resolution`,
          ).toBeLessThanOrEqual(2);
          expect(chord.pitchClasses, `${style} resolves to a chord tone`).toContain(
            (next?.pitch ?? 0) % 12,
          );
        });
        expect(dissonances / onStrong, style).toBeLessThanOrEqual(0.4);
      }
    }
  });

  it('spans at least an octave even over a flat skyline', () => {
    for (const style of STYLES) {
      for (const plan of plansFor(style)) {
        const pitches = melodyOf(composeScore(plan, 4)).map((n) => n.pitch);
        expect(
          Math.max(...pitches) - Math.min(...pitches),
          `${style} ${plan.key.name}`,
        ).toBeGreaterThanOrEqual(12);
      }
    }
  });

  it('lets the seed change the take: grooves, figures and the tune, not only the notes', () => {
    const plan = createMusicPlan({
      features: IMAGES[0] as ImageFeatures,
      text: readTextCues(''),
      seconds: 60,
      controls: { style: 'pop-ballad' },
    });
    const drumBars = (score: Score): string[] => {
      const barTicks = barTicksOf(score);
      const bars = new Map<number, string[]>();
      for (const note of score.tracks.find((t) => t.role === 'drums')?.notes ?? []) {
        const tick = Math.round(note.tick / 120) * 120;
        const bar = Math.floor(tick / barTicks);
        bars.set(bar, [...(bars.get(bar) ?? []), `${tick % barTicks}:${note.pitch}`]);
      }
      return [...bars.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([, hits]) => hits.sort().join(' '));
    };
    const a = drumBars(composeScore(plan, 1));
    const b = drumBars(composeScore(plan, 2));
    const same = a.filter((bar, i) => bar === b[i]).length;
    expect(same / a.length).toBeLessThanOrEqual(0.5);
    expect(new Set(a).size / a.length).toBeGreaterThanOrEqual(0.35);
  });

  it('writes 3/4 and 6/8 with the bar lengths and drums of their meter', () => {
    for (const [text, style, meter] of [
      ['energetic lively party', 'folk', '6/8'],
      ['happy calm', 'piano-solo', '3/4'],
    ] as const) {
      const plan = createMusicPlan({
        features: features(0.7, 0.3, 0.4, 0.1),
        text: readTextCues(text),
        seconds: 45,
        controls: { style },
      });
      expect(`${plan.meter.beatsPerBar}/${plan.meter.beatUnit}`).toBe(meter);
      const score = composeScore(plan, 1);
      expect(score.endTick).toBe(plan.form.bars * 3 * 480);
    }
  });

  it('is deterministic and composes a loop that turns back to its start without slowing', () => {
    const plan = plansFor('upbeat')[0] as MusicPlan;
    const a = writeScoreToMidi(composeScore(plan, 9), 'x');
    expect(Buffer.from(a).equals(Buffer.from(writeScoreToMidi(composeScore(plan, 9), 'x')))).toBe(
      true,
    );
    const loop = createMusicPlan({
      features: IMAGES[2] as ImageFeatures,
      text: readTextCues(''),
      seconds: 30,
      loop: true,
    });
    const score = composeScore(loop, 1);
    expect(score.tempoChanges).toHaveLength(1);
    expect(score.chords.at(-1)?.pitchClasses[0]).toBe((Note.chroma(loop.key.tonic) + 7) % 12);
    for (const track of score.tracks) {
      for (const note of track.notes)
        expect(note.tick + note.duration).toBeLessThanOrEqual(score.endTick);
    }
  });

  it('lasts the length asked for: bars, the held last bar and the tail add up; a loop is its bars (v6)', () => {
    const off: string[] = [];
    for (const style of STYLES) {
      for (const seconds of [10, 17, 45, 60, 180]) {
        for (const plan of plansFor(style, seconds).slice(0, 3)) {
          const score = composeScore(plan, 1);
          const total = score.durationSeconds + (plan.tailSeconds ?? 0);
          if (Math.abs(total - seconds) > 0.05)
            off.push(`${style} ${seconds} s → ${total.toFixed(2)} s`);
        }
        // A loop is exactly its bars: no hold, no tail.
        const loop = createMusicPlan({
          features: IMAGES[0] as ImageFeatures,
          text: readTextCues(''),
          seconds,
          loop: true,
          controls: { style },
        });
        const looped = composeScore(loop, 1).durationSeconds;
        if (Math.abs(looped - seconds) > 0.05)
          off.push(`${style} loop ${seconds} s → ${looped.toFixed(2)} s`);
      }
    }
    expect(off).toEqual([]);
  });

  it('keeps the bytes of reference pieces (bump PLAN_VERSION and refresh on purpose)', () => {
    const refs = Object.fromEntries(
      (['folk', 'jazz', 'cinematic', 'upbeat'] as const).map((style) => [
        style,
        goldenMidiDigest(plansFor(style, 45)[0] as MusicPlan, 1),
      ]),
    );
    expect(refs).toEqual({
      folk: '1ca8bd108247b74f',
      jazz: '185382a996a1cbe8',
      cinematic: '54d5efc944bfb978',
      upbeat: '730c28902782d8ff',
    });
  });
});
