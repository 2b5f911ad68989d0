import {
  sendPolicyNotice,
  type SendNoticeDeps,
} from '../modules/policies/policy-notices.service.js';
import { defineJob } from '../adapters/queue/job-definition.js';
import { mailRetryPolicy } from './job-policies.js';
import {
  sendPolicyNoticeJobName,
  sendPolicyNoticePayload,
} from './payloads/send-policy-notice.payload.js';

/** One individual notice of a core-rights policy change, to one user (never logs the address). */
export function createSendPolicyNoticeJob(deps: SendNoticeDeps) {
  return defineJob({
    name: sendPolicyNoticeJobName,
    payload: sendPolicyNoticePayload,
    ...mailRetryPolicy,
    handle: async (payload, attempt) => {
      const outcome = await sendPolicyNotice(deps, payload.userId, payload.version);
      attempt.log.info(
        { userId: payload.userId, version: payload.version, outcome },
        'policy notice',
      );
    },
  });
}
