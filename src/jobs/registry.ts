import type { Mailer } from '../adapters/mail/mailer.js';
import type { JobQueue } from '../adapters/queue/job-queue.js';
import type { RunGenerationDeps } from '../modules/generations/run-generation.service.js';
import type { PolicyVersion } from '../modules/policies/policy-versions.js';
import { BusinessCalendar } from '../modules/privacy/business-days.js';
import { createDeleteAccountJob } from './delete-account.job.js';
import { createExportAccountJob } from './export-account.job.js';
import { createGenerateMusicJob } from './generate-music.job.js';
import { createGenerationFailedJob } from './generation-failed.job.js';
import type { AnyJobDefinition } from '../adapters/queue/job-definition.js';
import { createPurgeGenerationContentJob } from './purge-generation-content.job.js';
import { createSendBreachNoticeJob } from './send-breach-notice.job.js';
import { createSendContactVerificationJob } from './send-contact-verification.job.js';
import {
  createSendRequestAlertJob,
  createSendRequestReplyJob,
  createSweepRequestDeadlinesJob,
  sweepRequestDeadlinesCron,
  sweepRequestDeadlinesJobName,
} from './request-handling.job.js';
import { createSendPolicyNoticeJob } from './send-policy-notice.job.js';
import {
  createSweepPoliciesJob,
  sweepPoliciesCron,
  sweepPoliciesJobName,
} from './sweep-policies.job.js';
import {
  createDeleteOrphanBlobJob,
  createSweepOrphanBlobsJob,
  sweepOrphanBlobsCron,
  sweepOrphanBlobsJobName,
} from './sweep-orphan-blobs.job.js';
import {
  createSweepRetentionJob,
  sweepRetentionCron,
  sweepRetentionJobName,
} from './sweep-retention.job.js';

export interface JobDeps extends RunGenerationDeps {
  /** Jobs that enqueue other jobs reach the queue lazily: it is built from this registry. */
  queue: () => JobQueue;
  /** Individual notices of policy changes and of breaches. */
  mailer: Mailer;
  /** Links in emails point here. */
  publicUrl: string;
  /** Tests inject their own policy catalogue; otherwise the published one. */
  policyVersions?: readonly PolicyVersion[] | undefined;
  /** How long a generation job may stay active before it is presumed lost. */
  generationTimeoutSeconds?: number | undefined;
}

/** Every job the application knows; JobQueue.start refuses duplicate names. */
export function buildJobRegistry(deps: JobDeps): AnyJobDefinition[] {
  return [
    createGenerateMusicJob(deps),
    createGenerationFailedJob(deps),
    createPurgeGenerationContentJob(deps),
    createSweepRetentionJob(deps),
    createDeleteAccountJob(deps),
    createSweepPoliciesJob(deps),
    createSendPolicyNoticeJob(deps),
    createSendBreachNoticeJob(deps),
    createSendContactVerificationJob(deps),
    createExportAccountJob({ ...deps, calendar: new BusinessCalendar() }),
    createSweepOrphanBlobsJob(deps),
    createDeleteOrphanBlobJob(deps),
    createSendRequestReplyJob(deps),
    createSweepRequestDeadlinesJob({ ...deps, calendar: new BusinessCalendar() }),
    createSendRequestAlertJob(deps),
  ];
}

/** Recurring jobs, installed by worker processes. */
export const jobSchedules: ReadonlyArray<{ name: string; cron: string }> = [
  { name: sweepRetentionJobName, cron: sweepRetentionCron },
  { name: sweepPoliciesJobName, cron: sweepPoliciesCron },
  { name: sweepOrphanBlobsJobName, cron: sweepOrphanBlobsCron },
  { name: sweepRequestDeadlinesJobName, cron: sweepRequestDeadlinesCron },
];
