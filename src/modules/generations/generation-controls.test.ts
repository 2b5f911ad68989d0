import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.js';
import { toPlanControls, validateControls } from './generation-controls.js';

describe('generation controls', () => {
  it('resolves lead instruments in English and Chinese, piano included', () => {
    expect(toPlanControls({ instrument: 'piano' })?.instrument).toMatchObject({ program: 0 });
    expect(toPlanControls({ instrument: '钢琴' })?.instrument).toMatchObject({ program: 0 });
    expect(toPlanControls({ instrument: 'violin' })?.instrument?.program).toBe(40);
    expect(toPlanControls({ instrument: '古筝' })?.instrument).toBeDefined();
  });

  it('refuses an instrument the engine does not know', () => {
    expect(() => validateControls({ instrument: 'kazoo' })).toThrow(AppError);
    expect(validateControls({ instrument: 'piano', style: 'jazz' })).toEqual({
      instrument: 'piano',
      style: 'jazz',
    });
  });
});
