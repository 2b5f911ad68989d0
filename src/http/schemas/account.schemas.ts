import { z } from 'zod';

// Parsed by the account and consent routes and described from the same schemas in the OpenAPI
// document.

export const accountNameBody = z.object({ name: z.string().max(400) });

export const accountCancelBody = z.object({ confirm: z.literal('cancel my account') });

export const rightsRequestBody = z.object({
  kind: z.enum(['access', 'correction', 'deletion', 'withdraw_consent', 'complaint', 'other']),
  message: z.string().max(20_000).optional(),
  language: z
    .enum(['en', 'zh'])
    .optional()
    .describe('the language replies are mailed in; the page language when left out'),
});

export const accountConsentBody = z
  .object({ preferences: z.boolean().optional(), analytics: z.boolean().optional() })
  .strict()
  .refine((b) => b.preferences !== undefined || b.analytics !== undefined, {
    message: 'send {"preferences": true|false} and/or {"analytics": true|false}',
  });
