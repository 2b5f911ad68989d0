import { z } from 'zod';
import type { JobQueue } from '../adapters/queue/job-queue.js';
import { pruneConsentRecords } from '../modules/policies/consent.service.js';
import type { PolicyDeps } from '../modules/policies/policy-acceptance.service.js';
import { queuePolicyNotices } from '../modules/policies/policy-notices.service.js';
import { defineJob } from '../adapters/queue/job-definition.js';
import { sweepRetryPolicy } from './job-policies.js';

export const sweepPoliciesJobName = 'sweep-policies';
/** Every ten minutes: a newly published core-rights version reaches every user within minutes. */
export const sweepPoliciesCron = '*/10 * * * *';
export const sweepPoliciesPayload = z.object({}).passthrough();

/**
 * The scheduled check for policy duties: queues one notice job per user affected by a published
 * core-rights version (in batches), and prunes consent records past their six months.
 */
export function createSweepPoliciesJob(deps: PolicyDeps & { queue: () => JobQueue }) {
  return defineJob({
    name: sweepPoliciesJobName,
    payload: sweepPoliciesPayload,
    ...sweepRetryPolicy,
    handle: async (_payload, attempt) => {
      const queued = await queuePolicyNotices({ ...deps, queue: deps.queue() });
      const pruned = await pruneConsentRecords(deps);
      attempt.log.info({ noticesQueued: queued, consentRecordsPruned: pruned }, 'policy sweep');
    },
  });
}
