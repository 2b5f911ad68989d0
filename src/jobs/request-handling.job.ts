import { defineJob } from '../adapters/queue/job-definition.js';
import { mailRetryPolicy, sweepRetryPolicy } from './job-policies.js';
import type { JobQueue } from '../adapters/queue/job-queue.js';
import {
  sendRequestAlert,
  sendRequestReply,
  sweepRequestDeadlines,
  type RequestQueueDeps,
  type SendReplyDeps,
} from '../modules/privacy/request-queue.service.js';
import {
  sendRequestAlertJobName,
  sendRequestAlertPayload,
  sendRequestReplyJobName,
  sendRequestReplyPayload,
  sweepRequestDeadlinesJobName,
  sweepRequestDeadlinesPayload,
} from './payloads/request-handling.payload.js';

export { sweepRequestDeadlinesJobName };
/**
 * Hourly, at a quarter past: a request crosses a threshold at midnight China time (16:00 UTC),
 * so staff hear of it within the hour, and one sweep an hour costs nothing.
 */
export const sweepRequestDeadlinesCron = '15 * * * *';

/** A staff reply to the requester, in the language of the request (never logs address or text). */
export function createSendRequestReplyJob(deps: SendReplyDeps) {
  return defineJob({
    name: sendRequestReplyJobName,
    payload: sendRequestReplyPayload,
    ...mailRetryPolicy,
    handle: async (payload, attempt) => {
      const outcome = await sendRequestReply(deps, payload.replyId);
      attempt.log.info({ replyId: payload.replyId, outcome }, 'request reply mail');
    },
  });
}

/** The scheduled deadline check: marks near-due and overdue requests and queues staff alerts. */
export function createSweepRequestDeadlinesJob(deps: RequestQueueDeps & { queue: () => JobQueue }) {
  return defineJob({
    name: sweepRequestDeadlinesJobName,
    payload: sweepRequestDeadlinesPayload,
    ...sweepRetryPolicy,
    handle: async (_payload, attempt) => {
      const result = await sweepRequestDeadlines({ ...deps, queue: deps.queue() });
      attempt.log.info(result, 'request deadline sweep');
    },
  });
}

/** One deadline alert to one support/admin member. */
export function createSendRequestAlertJob(deps: SendReplyDeps) {
  return defineJob({
    name: sendRequestAlertJobName,
    payload: sendRequestAlertPayload,
    ...mailRetryPolicy,
    handle: async (payload, attempt) => {
      const outcome = await sendRequestAlert(deps, payload);
      attempt.log.info(
        {
          staffUserId: payload.staffUserId,
          nearDue: payload.nearDue.length,
          overdue: payload.overdue.length,
          outcome,
        },
        'request deadline alert',
      );
    },
  });
}
