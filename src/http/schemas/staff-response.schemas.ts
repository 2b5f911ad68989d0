import { z } from 'zod';
import type { AffectedUser, BreachAssessment } from '../../modules/breach/breach.service.js';
import type { QueueItem, RequestDetail } from '../../modules/privacy/request-queue.service.js';
import type { ChainVerification } from '../../modules/staff/audit-chain.js';
import type { AuditEntryView } from '../../modules/staff/audit-log.service.js';
import {
  accountResponse,
  generationResponse,
  rightsRequestResponse,
  sameShape,
} from './response.schemas.js';
import { staffRoleBody } from './staff.schemas.js';

/**
 * What the staff API answers, as zod schemas: the OpenAPI document's response blocks for it are
 * generated from these (openapi/staff-paths.ts), the routes' replies are typed by them, and the
 * checks at the end fail to compile when a service's view and its schema drift apart. Apart
 * from response.schemas.ts only to keep each file short.
 */

const dateTime = z.iso.datetime({ offset: true });
const auditSeq = z.number().int().describe('the audit log entry this call wrote');

export const staffAccountResponse = z.object({ account: accountResponse, auditSeq });
export type StaffAccountResponse = z.output<typeof staffAccountResponse>;

/** A generation as support sees it: state and dates, never the inputs or the music. */
const staffGenerationItem = z.object({
  id: z.string(),
  status: generationResponse.shape.status,
  stage: generationResponse.shape.stage,
  seconds: z.number().int(),
  errorCode: z.string().nullable(),
  createdAt: dateTime,
  finishedAt: dateTime.nullable(),
  inputExpiresAt: dateTime,
  outputExpiresAt: dateTime.nullable(),
});
export type StaffGenerationItem = z.output<typeof staffGenerationItem>;

export const staffGenerationListResponse = z.object({
  generations: z.array(staffGenerationItem),
  auditSeq,
});
export type StaffGenerationListResponse = z.output<typeof staffGenerationListResponse>;

const queuedRequestFields = {
  id: z.string(),
  userId: z
    .string()
    .nullable()
    .describe(
      'the requester (an id: the queue shows no names); null for the contact form or a cancelled account',
    ),
  kind: rightsRequestResponse.shape.kind,
  status: rightsRequestResponse.shape.status,
  language: z.enum(['en', 'zh']),
  createdAt: dateTime,
  dueAt: dateTime,
  dueDate: z.iso.date().describe('15 business days (China) after filing'),
  closedAt: dateTime.nullable(),
  businessDaysLeft: z.number().int().describe('after today (China time); 0 on the due date'),
  alert: z
    .enum(['near_due', 'overdue'])
    .nullable()
    .describe('for waiting requests: overdue, or at most 3 business days left'),
};

const queueItem = z.object({
  ...queuedRequestFields,
  replies: z.number().int().describe('how many replies'),
});

const requestDetail = z.object({
  ...queuedRequestFields,
  message: z.string().nullable().describe('null once the account is cancelled'),
  contact: z
    .object({ name: z.string().nullable(), email: z.string() })
    .nullable()
    .describe('who wrote through the contact form without an account (read is audited)'),
  replies: z.array(
    z.object({
      id: z.string(),
      staffUserId: z.string(),
      message: z.string().nullable(),
      createdAt: dateTime,
    }),
  ),
});

export const staffRequestQueueResponse = z.object({ requests: z.array(queueItem), auditSeq });
export type StaffRequestQueueResponse = z.output<typeof staffRequestQueueResponse>;

export const staffRequestResponse = z.object({ request: requestDetail, auditSeq });
export type StaffRequestResponse = z.output<typeof staffRequestResponse>;

export const staffRequestStatusResponse = staffRequestResponse.extend({
  changed: z.boolean().describe('false when the request already had that status'),
});
export type StaffRequestStatusResponse = z.output<typeof staffRequestStatusResponse>;

export const staffRequestReplyResponse = staffRequestResponse.extend({ replyId: z.string() });
export type StaffRequestReplyResponse = z.output<typeof staffRequestReplyResponse>;

export const staffRoleResponse = z.object({
  userId: z.string(),
  role: staffRoleBody.shape.role,
  action: staffRoleBody.shape.action,
  changed: z
    .boolean()
    .describe('false when the user already had (grant) or already lacked (revoke) the role'),
  auditSeq,
});
export type StaffRoleResponse = z.output<typeof staffRoleResponse>;

const affectedUser = z.object({ userId: z.string(), categories: z.array(z.string()) });

export const staffBreachAssessmentResponse = z.object({
  users: z.array(affectedUser),
  categories: z
    .record(z.string(), z.number().int())
    .describe('how many affected users each data category touches'),
  regulatorReport: z.object({ en: z.string(), zh: z.string() }),
  auditSeq,
});
export type StaffBreachAssessmentResponse = z.output<typeof staffBreachAssessmentResponse>;

export const staffBreachNoticeResponse = z.object({
  queued: z.number().int(),
  auditSeq: auditSeq.nullable().describe('the last notice’s audit entry; null when nobody'),
});
export type StaffBreachNoticeResponse = z.output<typeof staffBreachNoticeResponse>;

const auditEntry = z.object({
  seq: z.number().int(),
  at: dateTime,
  staffUserId: z.string(),
  staffRole: z.string(),
  action: z.string(),
  subjectUserId: z.string().nullable(),
  resource: z.string(),
  requestId: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

const chainVerification = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    entries: z.number().int(),
    headSeq: z.number().int(),
    headHash: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    brokenAt: z.number().int(),
    reason: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'missing_entry', 'out_of_order']),
    entries: z.number().int(),
  }),
]);

export const staffAuditLogResponse = z.object({
  entries: z.array(auditEntry),
  nextAfterSeq: z.number().int().nullable(),
  verification: chainVerification,
});
export type StaffAuditLogResponse = z.output<typeof staffAuditLogResponse>;

sameShape<QueueItem, z.output<typeof queueItem>>(true);
sameShape<RequestDetail, z.output<typeof requestDetail>>(true);
sameShape<AffectedUser, z.output<typeof affectedUser>>(true);
sameShape<BreachAssessment['regulatorReport'], StaffBreachAssessmentResponse['regulatorReport']>(
  true,
);
sameShape<ChainVerification, z.output<typeof chainVerification>>(true);
sameShape<Omit<AuditEntryView, 'at'>, Omit<z.output<typeof auditEntry>, 'at'>>(true);
