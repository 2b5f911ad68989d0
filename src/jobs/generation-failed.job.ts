import { defineJob } from '../adapters/queue/job-definition.js';
import { generateMusicPayload } from './payloads/generate-music.payload.js';
import {
  markFailed,
  type RunGenerationDeps,
} from '../modules/generations/run-generation.service.js';

/**
 * Dead letter of generate-music: reached after the last retry, including when every attempt was
 * lost to a crashed or stalled worker. The generation is marked failed and everything it stored
 * (upload and any output files) deleted.
 */
export const generationFailedJobName = 'generate-music-failed';

export function createGenerationFailedJob(deps: Pick<RunGenerationDeps, 'db' | 'vault' | 'clock'>) {
  return defineJob({
    name: generationFailedJobName,
    payload: generateMusicPayload,
    retry: { limit: 5, delaySeconds: 10, backoff: true },
    expireInSeconds: 60,
    handle: (payload) => markFailed(deps, payload.generationId, 'engine_failed'),
  });
}
