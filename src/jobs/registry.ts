import type { AnyJobDefinition } from './job-definition.js';
import { createGenerateMusicJob } from './generate-music.job.js';
import { createGenerationFailedJob } from './generation-failed.job.js';
import type { RunGenerationDeps } from '../modules/generations/run-generation.service.js';

export type JobDeps = RunGenerationDeps;

/** Every job the application knows; JobQueue.start refuses duplicate names. */
export function buildJobRegistry(deps: JobDeps): AnyJobDefinition[] {
  return [createGenerateMusicJob(deps), createGenerationFailedJob(deps)];
}
