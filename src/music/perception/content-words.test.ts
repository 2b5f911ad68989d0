import { describe, expect, it } from 'vitest';
import { makeContent } from '../../../test/support/image-content.js';
import { describeScene } from './content-words.js';

const box = [0.1, 0.1, 0.3, 0.3] as [number, number, number, number];

describe('describeScene', () => {
  it('names the subject, the setting and the light in both languages', () => {
    const content = makeContent({
      objects: [
        { label: 'dog', score: 0.6, area: 0.09, box },
        { label: 'dog', score: 0.5, area: 0.05, box },
      ],
      scores: { sand: 0.8, water: 0.6, sky: 0.7, sunset: 0.7 },
    });
    expect(describeScene(content)).toEqual({
      en: 'two dogs on a beach at sunset',
      zh: '夕阳下海滩上的两只狗',
    });
  });

  it('falls back to the kind of scene when nothing is recognised', () => {
    expect(describeScene(makeContent())).toEqual({ en: 'a picture', zh: '一幅画面' });
    expect(describeScene(makeContent({ scores: { snow: 0.9 } }))).toEqual({
      en: 'a snowy landscape',
      zh: '一片雪景',
    });
    expect(describeScene(makeContent({ scores: { city: 0.7, night: 0.8 } })).en).toBe(
      'a cityscape at night',
    );
  });

  it('counts people but never says anything read from a face', () => {
    const face = {
      score: 0.9,
      area: 0.3,
      box,
      expression: 'happy' as const,
      expressions: { happy: 0.9, neutral: 0.1 },
    };
    const portrait = makeContent({
      people: { count: 1, largestArea: 0.5, faces: [face] },
      objects: [{ label: 'person', score: 0.6, area: 0.5, box }],
    });
    const words = describeScene(portrait);
    expect(words).toEqual({ en: 'a portrait', zh: '一幅人像' });
    const expressionWords = /happy|smil|sad|angry|fear|surpris|disgust|neutral|笑|悲|怒|惧|惊|厌/;
    expect(words.en).not.toMatch(expressionWords);
    expect(words.zh).not.toMatch(expressionWords);
    expect(describeScene(makeContent({ people: { count: 9, largestArea: 0.02 } })).en).toBe(
      'a crowd',
    );
  });
});
