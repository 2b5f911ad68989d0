import type { ComposeFn } from '../../src/modules/generations/run-generation.service.js';
import type { ComposedTrack } from '../../src/music/engine.js';

/**
 * For tests where the engine is not under test: a compose function that answers at once with a
 * small fixed track, so jobs finish (and capture their credit) quickly.
 */
export const fastEngine: ComposeFn = async () =>
  ({
    mp3: Buffer.alloc(1024, 0xff),
    wav: Buffer.alloc(1024, 0),
    midi: new Uint8Array(0),
    plan: {
      key: { name: 'C', mode: 'major' },
      tempoBpm: 100,
      style: 'test',
      explanation: 'a stand-in engine',
      valence: 0,
      arousal: 0,
    },
    features: { palette: [] },
    durationSeconds: 10,
  }) as unknown as ComposedTrack;
