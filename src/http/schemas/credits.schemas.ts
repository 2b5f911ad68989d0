import { z } from 'zod';

/** Parsed by POST /api/credits/checkout and described from it in the OpenAPI document. */
export const checkoutBody = z.object({
  packId: z.string().min(1).max(64),
  _csrf: z.string().optional(),
});
