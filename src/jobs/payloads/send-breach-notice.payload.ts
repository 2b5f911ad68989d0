import { z } from 'zod';

export const sendBreachNoticeJobName = 'send-breach-notice';
/** The incident's wording, not personal data: the address is read from the account when sending. */
export const sendBreachNoticePayload = z
  .object({
    userId: z.uuid(),
    incidentRef: z.string().min(1).max(64),
    summaryEn: z.string().min(1).max(4000),
    summaryZh: z.string().min(1).max(4000),
    categories: z.array(z.string().min(1).max(64)).max(32),
  })
  .strict();
