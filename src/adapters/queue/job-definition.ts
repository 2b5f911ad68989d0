import type { z } from 'zod';
import type { Logger } from '../../lib/logger.js';

export interface JobAttempt {
  jobId: string;
  /** 0 on the first delivery. */
  retryCount: number;
  retryLimit: number;
  log: Logger;
  /**
   * Aborted when this attempt must stop: it ran past its time, the worker lost its database
   * lease (another worker may take the job over), or the worker is shutting down. A handler
   * checks it before each effect, so a stopped attempt changes nothing more.
   */
  signal: AbortSignal;
}

/**
 * One file per job: name, payload schema, retry policy and handler. Delivery is at-least-once,
 * so every handler must be safe to run twice for the same payload.
 */
export interface JobDefinition<Payload> {
  readonly name: string;
  readonly payload: z.ZodType<Payload>;
  readonly retry: { limit: number; delaySeconds: number; backoff: boolean };
  /**
   * An attempt still running after this long is stopped and retried. (A crashed worker's job is
   * retried within seconds through its lost lease; this bounds a hung attempt.)
   */
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
