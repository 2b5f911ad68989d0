import { EngineError } from './engine-error.js';

/**
 * What the engine accepts, and so what every caller may ask for: the web service, the CLI and
 * the database column (generations.seed, bigint since migration 0011) follow these.
 */
export const MIN_SECONDS = 10;
export const MAX_SECONDS = 180;
/** Seeds are 32-bit unsigned: the engine's random generator is seeded with all 32 bits. */
export const MAX_SEED = 0xffff_ffff;

/** Whether `value` is a whole number from `min` to `max`, both included. */
export function isWholeNumberIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Refuses a length or seed outside the limits, as the engine's `invalid_request`. */
export function requireWithinLimits(req: { seconds: number; seed: number }): void {
  if (!Number.isFinite(req.seconds) || req.seconds < MIN_SECONDS || req.seconds > MAX_SECONDS) {
    throw new EngineError(
      'invalid_request',
      `seconds must be between ${MIN_SECONDS} and ${MAX_SECONDS}`,
      {
        seconds: req.seconds,
      },
    );
  }
  if (!isWholeNumberIn(req.seed, 0, MAX_SEED)) {
    throw new EngineError('invalid_request', `seed must be an integer from 0 to ${MAX_SEED}`, {
      seed: req.seed,
    });
  }
}
