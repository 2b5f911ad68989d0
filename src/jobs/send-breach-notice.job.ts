import { defineJob } from '../adapters/queue/job-definition.js';
import { mailRetryPolicy } from './job-policies.js';
import { sendBreachNotice, type SendBreachNoticeDeps } from '../modules/breach/breach.service.js';
import {
  sendBreachNoticeJobName,
  sendBreachNoticePayload,
} from './payloads/send-breach-notice.payload.js';

/** One breach notice to one affected user (never logs the address or the body). */
export function createSendBreachNoticeJob(deps: SendBreachNoticeDeps) {
  return defineJob({
    name: sendBreachNoticeJobName,
    payload: sendBreachNoticePayload,
    ...mailRetryPolicy,
    handle: async (payload, attempt) => {
      const outcome = await sendBreachNotice(deps, {
        userId: payload.userId,
        categories: payload.categories,
        ref: payload.incidentRef,
        summaryEn: payload.summaryEn,
        summaryZh: payload.summaryZh,
      });
      attempt.log.info(
        { userId: payload.userId, incident: payload.incidentRef, outcome },
        'breach notice',
      );
    },
  });
}
