import { z } from 'zod';

export const sendContactVerificationJobName = 'send-contact-verification';
/** Only the message's id: the address and the link's token are opened from the row when sending. */
export const sendContactVerificationPayload = z.object({ contactId: z.uuid() }).strict();
