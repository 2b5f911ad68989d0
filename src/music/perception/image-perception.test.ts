import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { perceiveImage, toStoredPerception } from './image-perception.js';

const IMAGES = fileURLToPath(new URL('../../../../shared/data/images', import.meta.url));

describe('toStoredPerception', () => {
  it('keeps nothing read from a face', async () => {
    const seen = await perceiveImage(
      await readFile(`${IMAGES}/kodak_kodim04_red_hat_portrait.jpg`),
    );
    expect(seen.content.people.faces.length).toBeGreaterThan(0);
    const stored = JSON.stringify(toStoredPerception(seen));
    for (const word of [
      'face',
      'expression',
      'box',
      'happy',
      'sad',
      'angry',
      'fear',
      'surprise',
      'disgust',
      'neutral',
    ]) {
      expect(stored).not.toContain(word);
    }
    expect(Object.keys(toStoredPerception(seen)).sort()).toEqual([
      'arousal',
      'description',
      'reasons',
      'valence',
    ]);
  });
});
