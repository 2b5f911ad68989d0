import { z } from 'zod';
import type { JobQueue } from '../adapters/queue/job-queue.js';
import {
  deleteExpiredSessions,
  findGenerationsWithDueInputs,
  findGenerationsWithDueOutputs,
  probeRetention,
  sweepUsageRecords,
  type RetentionDeps,
} from '../modules/privacy/retention.service.js';
import { purgeExpiredExports } from '../modules/privacy/data-export.service.js';
import { deleteExpiredContactMessages } from '../modules/privacy/contact-messages.service.js';
import { purgeEndedRateLimitCounters } from '../modules/rate-limits/rate-limit-counters.js';
import { defineJob } from '../adapters/queue/job-definition.js';
import { sweepRetryPolicy } from './job-policies.js';
import { enqueueOnePerKey } from './sweep-fan-out.js';
import {
  purgeGenerationContentJobName,
  purgeGenerationContentPayload,
} from './purge-generation-content.job.js';

export const sweepRetentionJobName = 'sweep-retention';
/** Every five minutes: files are deleted well inside the 24 h and 72 h promises. */
export const sweepRetentionCron = '*/5 * * * *';

/**
 * The scheduled check: finds due generations in bounded batches and enqueues one purge job per
 * generation (singleton per id, so overlapping sweeps do not pile up work).
 */
export function createSweepRetentionJob(deps: RetentionDeps & { queue: () => JobQueue }) {
  return defineJob({
    name: sweepRetentionJobName,
    payload: z.object({}).passthrough(),
    ...sweepRetryPolicy,
    handle: async (_payload, attempt) => {
      const ids = new Set([
        ...(await findGenerationsWithDueInputs(deps)),
        ...(await findGenerationsWithDueOutputs(deps)),
      ]);
      await enqueueOnePerKey(
        deps.queue(),
        { name: purgeGenerationContentJobName, payload: purgeGenerationContentPayload },
        ids,
        (generationId) => ({ generationId }),
      );
      const sessions = await deleteExpiredSessions(deps);
      const exports = await purgeExpiredExports(deps);
      const counters = await purgeEndedRateLimitCounters(deps);
      const sixMonths = await sweepUsageRecords(deps);
      const contacts = await deleteExpiredContactMessages(deps);
      const report = await probeRetention(deps);
      attempt.log.info(
        {
          enqueued: ids.size,
          sessionsDeleted: sessions,
          exportsDeleted: exports,
          rateLimitCountersDeleted: counters,
          sixMonthsDeleted: sixMonths,
          unconfirmedContactsDeleted: contacts,
          overdue: report.overdue,
        },
        'retention sweep',
      );
    },
  });
}
