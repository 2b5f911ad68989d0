import { z } from 'zod';

export const sendPolicyNoticeJobName = 'send-policy-notice';
export const sendPolicyNoticePayload = z
  .object({ userId: z.uuid(), version: z.string().min(1).max(64) })
  .strict();
