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
    const calm = readTextCues('A calm, peaceful morning');
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
});
