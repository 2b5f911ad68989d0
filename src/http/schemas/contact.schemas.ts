import { z } from 'zod';
import {
  contactKinds,
  MAX_NAME_CHARS,
  type ContactConfirmation,
} from '../../modules/privacy/contact-messages.service.js';
import { MAX_MESSAGE_CHARS } from '../../modules/privacy/rights-requests.service.js';
import { sameShape } from './response.schemas.js';

/** Parsed by POST /api/contact (form or JSON) and described from it in the OpenAPI document. */
export const contactBody = z.object({
  // A form sends an empty field for a name left out.
  name: z.string().max(MAX_NAME_CHARS).optional(),
  email: z.email().max(254),
  kind: z.enum(contactKinds),
  message: z.string().trim().min(1).max(MAX_MESSAGE_CHARS),
  lang: z.enum(['en', 'zh']).optional(),
  /** The form token (also accepted as the x-csrf-token header). */
  _csrf: z.string().max(200).optional(),
});

/** Parsed by POST /api/contact/verify. */
export const contactVerifyBody = z.object({ token: z.string().min(1).max(200) });

export const contactVerifyQuery = z.object({ token: z.string().max(200).optional() });

// What the two POST routes answer; the OpenAPI document's blocks are generated from these.
export const contactSubmittedResponse = z.object({ status: z.literal('check_your_mail') });
export type ContactSubmittedResponse = z.output<typeof contactSubmittedResponse>;

/** The ticket a confirmed message became, and the date it will be answered by. */
export const contactConfirmedResponse = z.object({
  requestId: z.uuid(),
  kind: z.enum(contactKinds),
  dueDate: z.iso.date(),
  alreadyConfirmed: z.boolean(),
});
export type ContactConfirmedResponse = z.output<typeof contactConfirmedResponse>;

sameShape<ContactConfirmation, z.output<typeof contactConfirmedResponse>>(true);
