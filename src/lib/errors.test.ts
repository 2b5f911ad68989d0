import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';

describe('AppError', () => {
  it('keeps a stack for a fault on our side and none for a refused request', () => {
    const fault = new AppError('internal', 'the store failed');
    const refusal = AppError.because('rate_limited', 'too many requests', { seconds: 3 });
    expect(fault.stack).toMatch(/\n\s+at /);
    expect(refusal.stack).not.toMatch(/\n\s+at /);
    expect(refusal.stack).toContain('too many requests');
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal.code).toBe('rate_limited');
  });

  it('leaves the stack depth of every other error as it was', () => {
    const before = Error.stackTraceLimit;
    void new AppError('not_found', 'no such piece');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('plain').stack).toMatch(/\n\s+at /);
  });
});
