import { describe, expect, it } from 'vitest';
import { composeScore } from '../compose/compose-score.js';
import type { ImageFeatures } from '../perception/image-features.js';
import { readTextCues } from '../perception/text-cues.js';
import { extendPlan, planSeconds } from './extend.js';
import { createMusicPlan } from './music-plan.js';

const features: ImageFeatures = {
  version: 2,
  aspectRatio: 1.5,
  brightness: 0.55,
  saturation: 0.4,
  warmth: 0.3,
  contrast: 0.4,
  texture: 0.3,
  colourfulness: 0.4,
  dynamicLines: 0.4,
  palette: [],
  lightContour: Array.from({ length: 16 }, (_, i) => 0.3 + 0.02 * i),
  skyline: Array.from({ length: 16 }, (_, i) => Math.abs(Math.sin(i / 3))),
};

describe('extendPlan', () => {
  it('makes the piece longer by about what was asked, at the same tempo and key', () => {
    for (const style of ['folk', 'jazz', 'ambient', 'upbeat'] as const) {
      const plan = createMusicPlan({
        features,
        text: readTextCues(''),
        seconds: 45,
        controls: { style },
      });
      const longer = extendPlan(plan, 30);
      expect(longer.tempoBpm).toBe(plan.tempoBpm);
      expect(longer.key).toEqual(plan.key);
      expect(Math.abs(planSeconds(longer) - 75), style).toBeLessThanOrEqual(6);
      for (const section of longer.form.sections) expect(section.bars % 4).toBe(0);
      expect(longer.form.sections.filter((s) => s.material !== 'outro').at(-1)?.material).toBe('A');
      expect(longer.story?.details.at(-1)?.en).toMatch(/^extended by \d+ s/);
    }
  });

  it('starts exactly as the shorter piece did, with the same seed', () => {
    const plan = createMusicPlan({
      features,
      text: readTextCues(''),
      seconds: 60,
      controls: { style: 'pop-ballad' },
    });
    const longer = extendPlan(plan, 40);
    const short = composeScore(plan, 5);
    const long = composeScore(longer, 5);
    // Everything before the short piece's last section is the same, note for note.
    const lastBody = [...plan.form.sections].reverse().find((s) => s.name !== 'outro');
    const barTicks = (480 * 4 * plan.meter.beatsPerBar) / plan.meter.beatUnit;
    const before = (lastBody?.startBar ?? 0) * barTicks - 60;
    for (const role of ['melody', 'chords', 'bass'] as const) {
      const notes = (score: typeof short) =>
        (score.tracks.find((t) => t.role === role)?.notes ?? [])
          .filter((n) => n.tick < before)
          .map((n) => `${n.tick}:${n.pitch}:${n.velocity}`);
      expect(notes(long), role).toEqual(notes(short));
    }
    expect(long.endTick).toBeGreaterThan(short.endTick);
  });

  it('refuses plans it cannot continue', () => {
    const loop = createMusicPlan({ features, text: readTextCues(''), seconds: 30, loop: true });
    expect(() => extendPlan(loop, 20)).toThrow(/loop/);
    const plan = createMusicPlan({ features, text: readTextCues(''), seconds: 30 });
    expect(() => extendPlan({ ...plan, version: 4 }, 20)).toThrow(/version 4/);
    expect(() => extendPlan(plan, 0)).toThrow();
  });
});

describe('key control', () => {
  it('takes the tonic and mode asked for, or one of them, and says so', () => {
    const both = createMusicPlan({
      features,
      text: readTextCues(''),
      seconds: 30,
      controls: { key: { tonic: 'Eb', mode: 'minor' } },
    });
    expect(both.key.name).toBe('Eb minor');
    expect(both.key.fifths).toBe(-6);
    expect(both.explanation).toContain('key as you chose');
    const mode = createMusicPlan({
      features,
      text: readTextCues('happy'),
      seconds: 30,
      controls: { key: { mode: 'minor' } },
    });
    expect(mode.key.mode).toBe('minor');
    const tonic = createMusicPlan({
      features,
      text: readTextCues('sad'),
      seconds: 30,
      controls: { key: { tonic: 'F#' } },
    });
    expect(tonic.key).toMatchObject({ tonic: 'F#', mode: 'minor' });
  });
});
