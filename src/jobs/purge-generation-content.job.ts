import { z } from 'zod';
import {
  purgeGenerationContent,
  type RetentionDeps,
} from '../modules/privacy/retention.service.js';
import { defineJob } from '../adapters/queue/job-definition.js';

export const purgeGenerationContentJobName = 'purge-generation-content';
export const purgeGenerationContentPayload = z.object({ generationId: z.uuid() }).strict();

/** One generation's due files and columns; safe to repeat (it re-checks the row). */
export function createPurgeGenerationContentJob(deps: RetentionDeps) {
  return defineJob({
    name: purgeGenerationContentJobName,
    payload: purgeGenerationContentPayload,
    retry: { limit: 5, delaySeconds: 30, backoff: true },
    expireInSeconds: 5 * 60,
    handle: async (payload, attempt) => {
      const purged = await purgeGenerationContent(deps, payload.generationId);
      attempt.log.info({ generationId: payload.generationId, ...purged }, 'retention purge');
    },
  });
}
