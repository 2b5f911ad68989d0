import { describe, expect, it } from 'vitest';
import { moodOf } from './music-plan.js';

describe('moodOf', () => {
  it('names the pickable mood nearest a plan’s valence and arousal', () => {
    expect(moodOf({ valence: 0.8, arousal: 0.45 })).toBe('happy');
    expect(moodOf({ valence: -0.7, arousal: -0.4 })).toBe('sad');
    expect(moodOf({ valence: 0.45, arousal: -0.7 })).toBe('calm');
    expect(moodOf({ valence: 0.5, arousal: 0.9 })).toBe('energetic');
    expect(moodOf({ valence: -0.5, arousal: 0.4 })).toBe('dark');
    expect(moodOf({ valence: 0.3, arousal: -0.3 })).toBe('dreamy');
  });
});
