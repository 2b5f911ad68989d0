import { describe, expect, it } from 'vitest';
import { makeContent } from '../../../test/support/image-content.js';
import { steerMusic } from './content-steering.js';

describe('steerMusic', () => {
  it('turns water into flowing arpeggios', () => {
    const steering = steerMusic(makeContent({ scores: { water: 0.9, sky: 0.6 } }));
    expect(steering.textures[0]?.texture).toBe('flowing-arpeggios');
    expect(steering.instruments.map((i) => i.instrument.name)).toContain('Orchestral Harp');
  });

  it('suggests lo-fi or jazz for a city at night', () => {
    const steering = steerMusic(makeContent({ scores: { night: 0.9, city: 0.6 } }));
    expect(['lo-fi', 'jazz']).toContain(steering.styles[0]?.style);
    expect(steering.textures.map((t) => t.texture)).toContain('swing');
  });

  it('makes a storm minor, faster and percussive', () => {
    const steering = steerMusic(makeContent({ scores: { storm: 0.9, sky: 0.5 } }));
    expect(steering.mode?.mode).toBe('minor');
    expect(steering.tempo).toBeGreaterThan(0);
    expect(steering.textures.map((t) => t.texture)).toContain('percussive');
    expect(steering.styles[0]?.style).toBe('cinematic');
  });

  it('gives a portrait a warm solo instrument', () => {
    const steering = steerMusic(
      makeContent({ people: { count: 1, largestArea: 0.45, faces: [] } }),
    );
    expect(['Cello', 'Acoustic Guitar (nylon)', 'Acoustic Grand Piano']).toContain(
      steering.instruments[0]?.instrument.name,
    );
    expect(['piano-solo', 'pop-ballad']).toContain(steering.styles[0]?.style);
    expect(steering.reasons[0]?.zh).toContain('人像');
  });

  it('has no opinion about an empty picture', () => {
    const steering = steerMusic(makeContent());
    expect(steering).toEqual({ styles: [], instruments: [], textures: [], tempo: 0, reasons: [] });
  });
});
