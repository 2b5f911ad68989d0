import type { z } from 'zod';
import type { Logger } from '../lib/logger.js';

export interface JobAttempt {
  jobId: string;
  /** 0 on the first delivery. */
  retryCount: number;
  retryLimit: number;
  log: Logger;
}

/**
 * One file per job: name, payload schema, retry policy and handler. Delivery is at-least-once,
 * so every handler must be safe to run twice for the same payload.
 */
export interface JobDefinition<Payload> {
  readonly name: string;
  readonly payload: z.ZodType<Payload>;
  readonly retry: { limit: number; delaySeconds: number; backoff: boolean };
  /** A job still active after this long is presumed lost (crashed worker) and retried. */
  readonly expireInSeconds: number;
  /** Queue that receives the job after its last failed attempt, if any. */
  readonly deadLetter?: string;
  handle(payload: Payload, attempt: JobAttempt): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

export function defineJob<Payload>(definition: JobDefinition<Payload>): JobDefinition<Payload> {
  return definition;
}
