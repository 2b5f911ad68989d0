import type { z } from 'zod';
import { AppError } from '../lib/errors.js';

/**
 * Parses what a client sent with the route's schema, or refuses it with a 400 whose developer
 * message shows the shape expected (the user reads the localized message for the code).
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  expected: string,
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('validation_failed', expected);
  return parsed.data;
}
