import { z } from 'zod';

// What the staff routes accept: parsed by src/http/routes/staff.routes.ts, and described from the
// same schemas in the OpenAPI document (src/http/openapi/staff-paths.ts).

export const staffUserParams = z.object({ id: z.uuid() });

export const staffRoleBody = z.object({
  userId: z.uuid(),
  role: z.enum(['support', 'admin', 'auditor']),
  action: z.enum(['grant', 'revoke']),
});

export const staffAuditQuery = z.object({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const breachTableNames = [
  'users',
  'sessions',
  'generations',
  'credit_ledger',
  'credit_purchases',
  'consent_log',
  'policy_acceptances',
  'rights_requests',
  'data_exports',
] as const;

export const staffBreachBody = z
  .object({
    ref: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .describe('the incident reference, e.g. INC-2026-001'),
    from: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('start of the exposure window; the beginning of time when left out'),
    to: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('end of the exposure window; now when left out'),
    tables: z.array(z.enum(breachTableNames)).min(1).optional(),
    summaryEn: z.string().trim().min(1).max(4000),
    summaryZh: z.string().trim().min(1).max(4000),
  })
  .refine((b) => !b.from || !b.to || Date.parse(b.from) <= Date.parse(b.to), {
    message: 'from must not be after to',
  });

export const staffRequestParams = z.object({ id: z.uuid() });

export const staffRequestQueueQuery = z.object({
  scope: z
    .enum(['open', 'closed', 'all'])
    .default('open')
    .describe('open: waiting for an answer (open, in progress); closed: done or rejected'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const requestStatus = z.enum(['open', 'in_progress', 'done', 'rejected']);

export const staffRequestReplyBody = z
  .object({
    message: z
      .string()
      .trim()
      .min(1)
      .max(4000)
      .describe('the answer, shown in the account center and mailed in the request’s language'),
    status: requestStatus
      .optional()
      .describe('the status after the reply; an open request becomes in_progress when left out'),
  })
  .strict();

export const staffRequestStatusBody = z
  .object({
    status: requestStatus.describe(
      'done or rejected closes the request; open or in_progress reopens it',
    ),
  })
  .strict();
