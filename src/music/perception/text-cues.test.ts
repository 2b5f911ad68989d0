import { describe, expect, it } from 'vitest';
import { readTextCues } from './text-cues.js';

describe('readTextCues', () => {
  it('finds nothing in empty or unrelated text', () => {
    for (const text of [undefined, '', 'a photo of my kitchen table']) {
      const cues = readTextCues(text);
      expect(cues.matched).toEqual([]);
      expect(cues.valence).toBeUndefined();
      expect(cues.arousal).toBeUndefined();
    }
  });

  it('reads English mood words', () => {
    const calm = readTextCues('A calm, peaceful lull');
    expect(calm.matched).toEqual(['calm', 'peaceful']);
    expect(calm.arousal).toBeLessThan(-0.5);
    const energetic = readTextCues('Energetic and happy!');
    expect(energetic.arousal).toBeGreaterThan(0.4);
    expect(energetic.valence).toBeGreaterThan(0.4);
  });

  it('reads Chinese mood words, longest match first', () => {
    const sad = readTextCues('悲伤的夜晚');
    expect(sad.matched).toEqual(['悲伤', '夜晚']);
    expect(sad.valence).toBeLessThan(-0.3);
    expect(readTextCues('平静').arousal).toBeLessThan(-0.5);
    expect(readTextCues('激动').arousal).toBeGreaterThan(0.5);
  });

  it('reads 欢快的舞曲 (a cheerful dance tune) as happy dance music, not as tempo', () => {
    const cues = readTextCues('欢快的舞曲');
    expect(cues.matched).toEqual(['欢快', '舞曲']);
    expect(cues.valence).toBeGreaterThan(0.5);
    expect(cues.style).toBe('upbeat');
    expect(cues.tempo).toBeUndefined();
  });

  it('does not read 快乐 (happy) as a tempo word', () => {
    const cues = readTextCues('快乐');
    expect(cues.tempo).toBeUndefined();
    expect(cues.valence).toBeGreaterThan(0.5);
    expect(readTextCues('快速的节奏').tempo).toBe('faster');
    expect(readTextCues('slow please').tempo).toBe('slower');
  });

  it('turns a negated mood word around, but only half way', () => {
    const cues = readTextCues('not happy');
    expect(cues.matched).toEqual(['not happy']);
    expect(cues.valence).toBeCloseTo(-0.4, 5);
    expect(readTextCues('不快乐').valence).toBeLessThan(0);
  });

  it('reads an explicit mode', () => {
    expect(readTextCues('something in a minor key').mode).toBe('minor');
    expect(readTextCues('大调').mode).toBe('major');
  });

  it('reads occasions, seasons, times of day and places in English', () => {
    const festival = readTextCues('Lanterns at the spring festival');
    expect(festival.matched).toEqual(['spring', 'festival']);
    expect(festival.arousal).toBeGreaterThan(0.3);
    expect(festival.valence).toBeGreaterThan(0.5);
    expect(readTextCues('a winter evening by the lake').arousal).toBeLessThan(-0.3);
    expect(readTextCues('busy city streets').arousal).toBeGreaterThan(0.3);
    // Plurals read as their singular.
    expect(readTextCues('festivals and birthdays').matched).toEqual(['festivals', 'birthdays']);
    expect(readTextCues('festivals').moods[0]).toEqual({
      word: 'festivals',
      valence: 0.8,
      arousal: 0.7,
    });
  });

  it('reads the same scenes in Chinese, longest match first', () => {
    const festival = readTextCues('春节的烟花');
    expect(festival.matched).toEqual(['春节', '烟花']); // 春节 (festival), not 春 (spring)
    expect(festival.arousal).toBeGreaterThan(0.5);
    const autumnNight = readTextCues('秋天的雨夜');
    expect(autumnNight.matched).toEqual(['秋天', '雨', '夜']);
    expect(autumnNight.valence).toBeLessThan(0);
    expect(autumnNight.arousal).toBeLessThan(-0.3);
    expect(readTextCues('海边').valence).toBeGreaterThan(0);
    // 上海 is a city, not the sea.
    expect(readTextCues('上海').matched).toEqual(['上海']);
    expect(readTextCues('上海').arousal).toBeGreaterThan(0);
  });

  it('reads lead-instrument words in both languages', () => {
    expect(readTextCues('with a violin').instrument).toEqual({
      word: 'violin',
      program: 40,
      name: 'Violin',
    });
    expect(readTextCues('cellos').instrument?.program).toBe(42);
    expect(readTextCues('二胡独奏').instrument).toMatchObject({ word: '二胡', program: 110 });
    expect(readTextCues('古筝和笛子').instrument?.word).toBe('古筝'); // the first one wins
    expect(readTextCues('风筝').instrument).toBeUndefined(); // a kite, not a zither
    expect(readTextCues('no violin please').instrument).toBeUndefined();
    // Piano stays a style word (solo piano), handled with the other genre words.
    expect(readTextCues('piano').instrument).toBeUndefined();
    expect(readTextCues('钢琴').style).toBe('piano-solo');
  });

  it('keeps each mood word with its own pull, negation applied', () => {
    const cues = readTextCues('not a festival, just rain');
    expect(cues.moods.map((m) => m.word)).toEqual(['not festival', 'rain']);
    expect(cues.moods[0]?.arousal).toBeCloseTo(-0.35, 5);
  });
});
