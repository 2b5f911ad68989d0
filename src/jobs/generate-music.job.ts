import { defineJob } from '../adapters/queue/job-definition.js';
import { generateMusicJobName, generateMusicPayload } from './payloads/generate-music.payload.js';
import { generationFailedJobName } from './generation-failed.job.js';
import {
  runGeneration,
  type RunGenerationDeps,
} from '../modules/generations/run-generation.service.js';

export function createGenerateMusicJob(
  deps: RunGenerationDeps & { generationTimeoutSeconds?: number | undefined },
) {
  return defineJob({
    name: generateMusicJobName,
    payload: generateMusicPayload,
    // Rendering is CPU-bound and deterministic; a few retries cover a crashed worker, not a bug.
    retry: { limit: 2, delaySeconds: 5, backoff: true },
    // GENERATION_JOB_TIMEOUT_SECONDS bounds a hung attempt; a crashed worker's job is retried
    // within seconds, through its lost lease (docs/decisions/0013-job-claims-and-worker-leases.md).
    expireInSeconds: deps.generationTimeoutSeconds ?? 15 * 60,
    deadLetter: generationFailedJobName,
    handle: (payload, attempt) =>
      runGeneration(deps, payload.generationId, {
        jobId: attempt.jobId,
        isLast: attempt.retryCount >= attempt.retryLimit,
        log: attempt.log,
        signal: attempt.signal,
      }),
  });
}
