import { z } from 'zod';

export const deleteAccountJobName = 'delete-account';
export const deleteAccountPayload = z.object({ userId: z.uuid() }).strict();
