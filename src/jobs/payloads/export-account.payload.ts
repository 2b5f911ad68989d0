import { z } from 'zod';

export const exportAccountJobName = 'export-account';
export const exportAccountPayload = z.object({ exportId: z.uuid() }).strict();
