import { describe, expect, it } from 'vitest';
import { makeV1Features } from '../../../test/support/image-features.js';
import type { ImageFeatures } from '../perception/image-features.js';
import { estimateEmotion } from './emotion.js';
import type { ImageReading } from './content-choices.js';
import { RITARDANDO_BARS } from './form.js';
import { createMusicPlan, PLAN_VERSION } from './music-plan.js';
import { tempoMap } from './tempo-map.js';
import { readTextCues } from '../perception/text-cues.js';

const features = makeV1Features;
const brightWarm = features({ brightness: 0.8, saturation: 0.8, warmth: 0.8 });
const darkBlue = features({ brightness: 0.2, saturation: 0.5, warmth: -0.9 });
const black = features({ brightness: 0, saturation: 0, warmth: 0, contrast: 0, texture: 0 });
const noText = readTextCues(undefined);

describe('estimateEmotion', () => {
  it('follows Valdez & Mehrabian: brightness raises valence, saturation raises arousal', () => {
    const light = estimateEmotion(features({ brightness: 0.7 }));
    const dark = estimateEmotion(features({ brightness: 0.2 }));
    expect(light.valence).toBeGreaterThan(dark.valence);
    expect(light.arousal).toBeLessThan(dark.arousal); // the −.31 brightness term
    const vivid = estimateEmotion(features({ saturation: 0.6 }));
    const grey = estimateEmotion(features({ saturation: 0.05 }));
    expect(vivid.arousal).toBeGreaterThan(grey.arousal + 0.5);
  });

  it('stays within [-1, 1]', () => {
    for (const f of [
      brightWarm,
      darkBlue,
      black,
      features({ brightness: 1, saturation: 1, warmth: 1, texture: 1 }),
    ]) {
      const { valence, arousal } = estimateEmotion(f);
      expect(Math.abs(valence)).toBeLessThanOrEqual(1);
      expect(Math.abs(arousal)).toBeLessThanOrEqual(1);
    }
  });
});

describe('estimateEmotion (version-2 features)', () => {
  const v2 = (overrides: Partial<ImageFeatures>): ImageFeatures =>
    features({ version: 2, colourfulness: 0.45, dynamicLines: 0.39, texture: 0.33, ...overrides });

  it('reads colourful images as more pleasant and more aroused', () => {
    const vivid = estimateEmotion(v2({ colourfulness: 0.9 }));
    const dull = estimateEmotion(v2({ colourfulness: 0.05 }));
    expect(vivid.valence).toBeGreaterThan(dull.valence + 0.5);
    expect(vivid.arousal).toBeGreaterThan(dull.arousal + 0.5);
  });

  it('reads diagonal lines, warm hues and busy texture as more aroused, not more pleasant', () => {
    const base = estimateEmotion(v2({}));
    for (const changed of [v2({ dynamicLines: 0.6 }), v2({ warmth: 0.8 }), v2({ texture: 0.66 })]) {
      const e = estimateEmotion(changed);
      expect(e.arousal).toBeGreaterThan(base.arousal + 0.05);
      expect(e.valence).toBeCloseTo(base.valence, 5);
    }
  });

  it('names its drivers, strongest first, and they add up', () => {
    const e = estimateEmotion(v2({ brightness: 0.8, colourfulness: 0.9, warmth: 0.9 }));
    expect(e.drivers[0]?.cue).toBe('rich colour');
    expect(e.drivers.map((d) => d.cue)).toContain('light tones');
    expect(e.drivers.map((d) => d.cue)).toContain('warm hues');
    const sum = e.drivers.reduce((acc, d) => acc + d.arousal, 0);
    expect(e.arousal).toBeCloseTo(Math.max(-1, Math.min(1, sum)), 5);
  });
});

describe('createMusicPlan explanation of the words', () => {
  it('says what each word changed', () => {
    const festival = createMusicPlan({
      features: darkBlue,
      text: readTextCues('a festival'),
      seconds: 30,
    });
    expect(festival.explanation).toContain('your word “festival” raised the energy');
    expect(festival.explanation).toContain('brightened the mood');
    expect(festival.arousal).toBeGreaterThan(
      createMusicPlan({ features: darkBlue, text: noText, seconds: 30 }).arousal,
    );
    const rainyNight = createMusicPlan({
      features: brightWarm,
      text: readTextCues('雨夜'),
      seconds: 30,
    });
    expect(rainyNight.explanation).toContain('your words “雨” calmed it and darkened the mood');
    expect(rainyNight.key.mode).toBe('minor');
  });

  it('gives the melody to an instrument the user names', () => {
    const plan = createMusicPlan({
      features: brightWarm,
      text: readTextCues('二胡'),
      seconds: 30,
    });
    expect(plan.instrumentation.melody).toEqual({ program: 110, name: 'Fiddle' });
    expect(plan.explanation).toContain('your word “二胡” → Fiddle melody');
  });
});

describe('createMusicPlan', () => {
  it('makes a bright warm image major and faster than a dark blue one', () => {
    const bright = createMusicPlan({ features: brightWarm, text: noText, seconds: 60 });
    const dark = createMusicPlan({ features: darkBlue, text: noText, seconds: 60 });
    expect(bright.key.mode).toBe('major');
    expect(dark.key.mode).toBe('minor');
    expect(bright.tempoBpm).toBeGreaterThan(dark.tempoBpm + 10);
    expect(bright.valence).toBeGreaterThan(dark.valence);
  });

  it('makes pure black dark, slow and calm', () => {
    const plan = createMusicPlan({ features: black, text: noText, seconds: 30 });
    expect(plan.key.mode).toBe('minor');
    expect(plan.valence).toBeLessThan(-0.7);
    expect(plan.tempoBpm).toBeLessThan(90);
    expect(plan.instrumentation.drums).toBeNull();
    expect(plan.style).toBe('ambient');
  });

  it('lets the words outrank the image', () => {
    const sad = createMusicPlan({
      features: brightWarm,
      text: readTextCues('sad and lonely'),
      seconds: 30,
    });
    expect(sad.key.mode).toBe('minor');
    expect(sad.textWords).toEqual(['sad', 'lonely']);
    expect(sad.explanation).toContain('“sad”');
    const calm = createMusicPlan({ features: darkBlue, text: readTextCues('平静'), seconds: 30 });
    const plain = createMusicPlan({ features: darkBlue, text: noText, seconds: 30 });
    expect(calm.arousal).toBeLessThan(plain.arousal);
    const asked = createMusicPlan({
      features: black,
      text: readTextCues('in a major key'),
      seconds: 30,
    });
    expect(asked.key.mode).toBe('major');
  });

  it('fills the requested length exactly, on a grid of four-bar sections', () => {
    for (const seconds of [10, 11, 17, 30, 45, 60, 121, 180]) {
      for (const f of [brightWarm, darkBlue, black]) {
        const plan = createMusicPlan({ features: f, text: noText, seconds });
        const barTicks = (1920 * plan.meter.beatsPerBar) / plan.meter.beatUnit;
        const music = tempoMap(
          plan.tempoBpm,
          barTicks,
          plan.form.bars,
          plan.form.ritardando,
          RITARDANDO_BARS,
          plan.form.fermata,
        ).seconds;
        expect(music + (plan.tailSeconds ?? 0)).toBeCloseTo(seconds, 1);
        const covered = plan.form.sections.reduce((sum, s) => sum + s.bars, 0);
        expect(covered).toBe(plan.form.bars);
        if (seconds >= 20) {
          for (const section of plan.form.sections)
            expect(section.bars % 4, `${seconds} s`).toBe(0);
        }
        // From 45 s a theme, a contrast and the theme again; the body always ends on the theme.
        const materials = plan.form.sections
          .map((s) => s.material)
          .filter((m) => m !== 'intro' && m !== 'outro');
        if (seconds >= 45) expect(materials.join('')).toMatch(/^A.*B.*A$/);
        expect(materials.at(-1)).toBe('A');
      }
    }
  });

  it('keeps the tempo near the one asked for while fitting the length', () => {
    for (const tempoBpm of [60, 73, 90, 104, 131, 150]) {
      for (const seconds of [30, 60, 97, 180]) {
        const plan = createMusicPlan({
          features: brightWarm,
          text: noText,
          seconds,
          controls: { tempoBpm },
        });
        expect(
          Math.abs(plan.tempoBpm / tempoBpm - 1),
          `${tempoBpm} BPM, ${seconds} s`,
        ).toBeLessThanOrEqual(0.12);
      }
    }
  });

  it('tells a listener, in English and Chinese, what it saw, what it wrote and why', () => {
    for (const [f, text] of [
      [brightWarm, ''],
      [darkBlue, '悲伤的雨夜钢琴'],
      [black, 'happy dance'],
    ] as const) {
      const plan = createMusicPlan({ features: f, text: readTextCues(text), seconds: 60 });
      const story = plan.story;
      if (!story) throw new Error('no story');
      expect(story.summary.en).toMatch(/^We saw /);
      expect(story.summary.en).toContain(plan.key.name);
      expect(story.summary.en).toContain(`${Math.round(plan.tempoBpm)} beats a minute`);
      expect(story.summary.zh).toContain(`每分钟 ${Math.round(plan.tempoBpm)} 拍`);
      expect(story.summary.zh).toContain(plan.key.mode === 'major' ? '大调' : '小调');
      // No English words in the Chinese text beyond note names and numbers.
      expect(story.summary.zh.replace(/[A-G][#b]?|Lo-fi/g, '')).not.toMatch(/[a-z]{3,}/i);
      expect(story.details.length).toBeGreaterThanOrEqual(4);
      for (const line of story.details) expect(line.zh).toMatch(/[\u4e00-\u9fff]/);
      // The numbers stay in the details, not in the summary.
      expect(story.summary.en).not.toContain('valence');
      expect(story.details.map((d) => d.en).join(' ')).toContain('valence');
    }
  });

  it('lets what the picture shows steer style, mode, lead and texture, under the user’s words', () => {
    const reason = (en: string): { en: string; zh: string } => ({ en, zh: `中文：${en}` });
    const nightCity: ImageReading = {
      valence: -0.1,
      arousal: -0.1,
      description: { en: 'a city street at night', zh: '夜晚的城市街道' },
      steering: {
        styles: [
          { style: 'lo-fi', strength: 0.8, reason: reason('a city at night → lo-fi or jazz') },
        ],
        instruments: [
          {
            instrument: { program: 59, name: 'Muted Trumpet' },
            strength: 0.7,
            reason: reason('a city at night → lo-fi or jazz'),
          },
        ],
        textures: [
          { texture: 'swing', strength: 0.8, reason: reason('a city at night → lo-fi or jazz') },
        ],
        tempo: -0.2,
        reasons: [{ ...reason('a city at night → lo-fi or jazz'), strength: 0.8 }],
      },
    };
    const plan = createMusicPlan({
      features: brightWarm,
      text: noText,
      seconds: 60,
      reading: nightCity,
    });
    expect(plan.style).toBe('lo-fi');
    expect(plan.instrumentation.melody.program).toBe(59);
    expect(plan.textures).toContain('swing');
    expect(plan.valence).toBe(-0.1);
    expect(plan.story?.summary.en).toMatch(/^We saw a city street at night\./);
    expect(plan.story?.summary.zh).toContain('夜晚的城市街道');
    expect(plan.explanation).toContain('a city at night → lo-fi or jazz');
    // The user's words outrank the picture.
    const asked = createMusicPlan({
      features: brightWarm,
      text: readTextCues('jazz with a violin'),
      seconds: 60,
      reading: nightCity,
    });
    expect(asked.style).toBe('jazz');
    expect(asked.instrumentation.melody.program).toBe(40);
    // A suggestion only counts where it suits the mood: no lo-fi for an exuberant picture.
    const lively = createMusicPlan({
      features: brightWarm,
      text: noText,
      seconds: 60,
      reading: { ...nightCity, valence: 0.8, arousal: 0.9 },
    });
    expect(lively.style).not.toBe('lo-fi');
    const storm: ImageReading = {
      ...nightCity,
      valence: 0.2,
      steering: {
        ...nightCity.steering,
        styles: [],
        mode: { mode: 'minor', strength: 0.8 },
        reasons: [{ ...reason('a stormy sky → minor, faster, percussive'), strength: 0.8 }],
      },
    };
    expect(
      createMusicPlan({ features: brightWarm, text: noText, seconds: 60, reading: storm }).key.mode,
    ).toBe('minor');
  });

  it('explains itself and round-trips through JSON', () => {
    const plan = createMusicPlan({ features: brightWarm, text: noText, seconds: 45 });
    expect(plan.version).toBe(PLAN_VERSION);
    expect(plan.explanation).toContain(plan.key.name);
    expect(plan.explanation).toContain(`${Math.round(plan.tempoBpm)} BPM`);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(plan.melody.contour).toHaveLength(16);
    for (const program of [
      plan.instrumentation.melody,
      plan.instrumentation.chords,
      plan.instrumentation.bass,
    ]) {
      expect(program.program).toBeGreaterThanOrEqual(0);
      expect(program.program).toBeLessThan(128);
    }
  });
});
