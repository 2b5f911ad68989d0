import { afterEach, beforeEach, vi } from 'vitest';

// An unexpected console.error or console.warn is a bug the suite should notice, not noise.
let unexpected: unknown[][] = [];

beforeEach(() => {
  unexpected = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    unexpected.push(args);
  });
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    unexpected.push(args);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  if (unexpected.length > 0) {
    throw new Error(`unexpected console output: ${JSON.stringify(unexpected).slice(0, 2000)}`);
  }
});
