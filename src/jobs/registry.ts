import type { JobQueue } from '../adapters/queue/job-queue.js';
import type { RunGenerationDeps } from '../modules/generations/run-generation.service.js';
import { createGenerateMusicJob } from './generate-music.job.js';
import { createGenerationFailedJob } from './generation-failed.job.js';
import type { AnyJobDefinition } from './job-definition.js';
import { createPurgeGenerationContentJob } from './purge-generation-content.job.js';
import {
  createSweepRetentionJob,
  sweepRetentionCron,
  sweepRetentionJobName,
} from './sweep-retention.job.js';

export interface JobDeps extends RunGenerationDeps {
  /** Jobs that enqueue other jobs reach the queue lazily: it is built from this registry. */
  queue: () => JobQueue;
}

/** Every job the application knows; JobQueue.start refuses duplicate names. */
export function buildJobRegistry(deps: JobDeps): AnyJobDefinition[] {
  return [
    createGenerateMusicJob(deps),
    createGenerationFailedJob(deps),
    createPurgeGenerationContentJob(deps),
    createSweepRetentionJob(deps),
  ];
}

/** Recurring jobs, installed by worker processes. */
export const jobSchedules: ReadonlyArray<{ name: string; cron: string }> = [
  { name: sweepRetentionJobName, cron: sweepRetentionCron },
];
