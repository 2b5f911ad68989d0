import { describe, expect, it } from 'vitest';
import { errorCodes, serverFaultCodes } from '../lib/errors.js';
import { statusByCode } from './error-handler.js';

describe('the code → status map', () => {
  it('answers 5xx for exactly the codes whose errors keep a stack (faults on our side)', () => {
    for (const code of errorCodes) {
      expect(statusByCode[code] >= 500, code).toBe(serverFaultCodes.has(code));
    }
  });
});
