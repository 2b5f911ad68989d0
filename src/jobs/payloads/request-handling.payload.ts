import { z } from 'zod';
import { rightsRequestKinds } from '../../lib/rights-request-kinds.js';

export const sendRequestReplyJobName = 'send-request-reply';
/** Only the reply's id: the address and the text are read (and opened) when the mail is sent. */
export const sendRequestReplyPayload = z.object({ replyId: z.uuid() }).strict();

export const sweepRequestDeadlinesJobName = 'sweep-request-deadlines';
export const sweepRequestDeadlinesPayload = z.object({}).passthrough();

const alertLine = z
  .object({
    id: z.uuid(),
    kind: z.enum(rightsRequestKinds),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    businessDaysLeft: z.number().int().min(0),
  })
  .strict();

export const sendRequestAlertJobName = 'send-request-alert';
/** Ids, kinds and dates: no requester and no text, so the payload holds no personal data. */
export const sendRequestAlertPayload = z
  .object({
    staffUserId: z.uuid(),
    nearDue: z.array(alertLine).max(500),
    overdue: z.array(alertLine).max(500),
  })
  .strict();
