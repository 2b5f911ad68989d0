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
