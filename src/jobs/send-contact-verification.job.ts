import { defineJob } from '../adapters/queue/job-definition.js';
import {
  sendContactVerification,
  type SendContactVerificationDeps,
} from '../modules/privacy/contact-messages.service.js';
import {
  sendContactVerificationJobName,
  sendContactVerificationPayload,
} from './payloads/send-contact-verification.payload.js';

/** The confirmation link for one contact-form message (never logs the address or the link). */
export function createSendContactVerificationJob(deps: SendContactVerificationDeps) {
  return defineJob({
    name: sendContactVerificationJobName,
    payload: sendContactVerificationPayload,
    retry: { limit: 8, delaySeconds: 30, backoff: true },
    expireInSeconds: 5 * 60,
    handle: async (payload, attempt) => {
      const outcome = await sendContactVerification(deps, payload.contactId);
      attempt.log.info({ contactId: payload.contactId, outcome }, 'contact confirmation mail');
    },
  });
}
