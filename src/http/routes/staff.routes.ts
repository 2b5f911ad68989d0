import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assessBreach, notifyBreach } from '../../modules/breach/breach.service.js';
import { BusinessCalendar } from '../../modules/privacy/business-days.js';
import {
  listRequestQueue,
  readRequestAsStaff,
  replyToRequest,
  setRequestStatusAsStaff,
} from '../../modules/privacy/request-queue.service.js';
import type { AuditEntryRef } from '../../modules/staff/audit-log.service.js';
import {
  listGenerationsAsStaff,
  readAccountAsStaff,
  readAuditLogAsStaff,
  type StaffAccess,
} from '../../modules/staff/staff-access.service.js';
import {
  grantRole,
  requireStaffRole,
  revokeRole,
  staffRoles,
} from '../../modules/staff/staff-roles.service.js';
import { accountJson } from '../account-json.js';
import type { HttpDeps } from '../http-deps.js';
import { parseInput } from '../request-input.js';
import {
  staffAuditQuery,
  staffBreachBody,
  staffRequestParams,
  staffRequestQueueQuery,
  staffRequestReplyBody,
  staffRequestStatusBody,
  staffRoleBody,
  staffUserParams,
} from '../schemas/staff.schemas.js';
import type {
  StaffAccountResponse,
  StaffAuditLogResponse,
  StaffBreachAssessmentResponse,
  StaffBreachNoticeResponse,
  StaffGenerationListResponse,
  StaffRequestQueueResponse,
  StaffRequestReplyResponse,
  StaffRequestResponse,
  StaffRequestStatusResponse,
  StaffRoleResponse,
} from '../schemas/staff-response.schemas.js';
import { requireCsrf, requireSession } from '../session-auth.js';

/**
 * Staff API under /api/staff. Two gates: the scope admits only signed-in staff (any role), so a
 * route added here later is closed to everyone else even if its author forgets; each service
 * call then checks the specific roles it allows, inside the transaction that does the work.
 */
export function registerStaffRoutes(app: FastifyInstance, deps: HttpDeps): void {
  void app.register(
    async (staff) => {
      staff.addHook('preHandler', async (request) => {
        const session = requireSession(request);
        await requireStaffRole(deps.db, session.userId, staffRoles);
      });

      /** Who acts, as the audit log records it: the staff member and this request's id. */
      const accessOf = (request: FastifyRequest, session: { userId: string }): StaffAccess => ({
        staffUserId: session.userId,
        requestId: request.id,
      });

      const logAudited = (
        log: FastifyInstance['log'],
        audit: AuditEntryRef,
        action: string,
      ): void => {
        // The head of the chain, outside the database: a rewritten chain will not match it.
        log.info({ auditSeq: audit.seq, auditHash: audit.hash, action }, 'staff access audited');
      };

      const userId = (params: unknown): string =>
        parseInput(staffUserParams, params, 'the user id is not valid').id;

      staff.get('/users/:id', async (request) => {
        const access = accessOf(request, requireSession(request));
        const { account, audit } = await readAccountAsStaff(deps, access, userId(request.params));
        logAudited(request.log, audit, 'read_account');
        return {
          account: accountJson(account),
          auditSeq: audit.seq,
        } satisfies StaffAccountResponse;
      });

      staff.get('/users/:id/generations', async (request) => {
        const access = accessOf(request, requireSession(request));
        const { generations, audit } = await listGenerationsAsStaff(
          deps,
          access,
          userId(request.params),
        );
        logAudited(request.log, audit, 'read_generations');
        return {
          generations: generations.map((g) => ({
            id: g.id,
            status: g.status,
            stage: g.stage,
            seconds: g.seconds,
            errorCode: g.errorCode,
            createdAt: g.createdAt.toISOString(),
            finishedAt: g.finishedAt?.toISOString() ?? null,
            inputExpiresAt: g.inputExpiresAt.toISOString(),
            outputExpiresAt: g.outputExpiresAt?.toISOString() ?? null,
          })),
          auditSeq: audit.seq,
        } satisfies StaffGenerationListResponse;
      });

      const parseBreach = (body: unknown) => {
        const b = parseInput(
          staffBreachBody,
          body,
          'send {"ref", "summaryEn", "summaryZh"} and a window ("from", "to": ISO 8601) and/or "tables"',
        );
        return {
          incident: { ref: b.ref, summaryEn: b.summaryEn, summaryZh: b.summaryZh },
          // A table alone (a leaked dump of it) means every row it holds: the whole of time.
          scope: {
            from: b.from ? new Date(b.from) : new Date(0),
            to: b.to ? new Date(b.to) : deps.clock.now(),
            tables: b.tables,
          },
        };
      };

      // Breach response (docs/breach-runbook.md): who and what, then the notices. Admin only.
      staff.post('/breaches/assess', async (request) => {
        const access = accessOf(request, requireCsrf(request));
        const { incident, scope } = parseBreach(request.body);
        const result = await assessBreach(deps, access, incident, scope);
        logAudited(request.log, result.audit, 'assess_breach');
        return {
          users: result.users,
          categories: result.categories,
          regulatorReport: result.regulatorReport,
          auditSeq: result.audit.seq,
        } satisfies StaffBreachAssessmentResponse;
      });

      staff.post('/breaches/notify', async (request, reply) => {
        const access = accessOf(request, requireCsrf(request));
        const { incident, scope } = parseBreach(request.body);
        const result = await notifyBreach(deps, access, incident, scope);
        if (result.audit) logAudited(request.log, result.audit, 'notify_breach');
        return reply.code(202).send({
          queued: result.queued,
          auditSeq: result.audit?.seq ?? null,
        } satisfies StaffBreachNoticeResponse);
      });

      // The rights-request queue (docs/decisions/0021-rights-request-queue.md). Support and admin.
      const queueDeps = { ...deps, calendar: new BusinessCalendar() };
      const requestId = (params: unknown): string =>
        parseInput(staffRequestParams, params, 'the request id is not valid').id;

      staff.get('/requests', async (request) => {
        const access = accessOf(request, requireSession(request));
        const query = parseInput(
          staffRequestQueueQuery,
          request.query,
          'scope is open|closed|all; 1 ≤ limit ≤ 500',
        );
        const { requests, audit } = await listRequestQueue(queueDeps, access, query);
        logAudited(request.log, audit, 'read_requests');
        return { requests, auditSeq: audit.seq } satisfies StaffRequestQueueResponse;
      });

      staff.get('/requests/:id', async (request) => {
        const access = accessOf(request, requireSession(request));
        const { request: detail, audit } = await readRequestAsStaff(
          queueDeps,
          access,
          requestId(request.params),
        );
        logAudited(request.log, audit, 'read_request');
        return { request: detail, auditSeq: audit.seq } satisfies StaffRequestResponse;
      });

      staff.post('/requests/:id/replies', async (request, reply) => {
        const access = accessOf(request, requireCsrf(request));
        const id = requestId(request.params);
        const body = parseInput(
          staffRequestReplyBody,
          request.body,
          'send {"message": "…" (1–4000 characters), "status"?: "open|in_progress|done|rejected"}',
        );
        const result = await replyToRequest(queueDeps, access, id, body);
        logAudited(request.log, result.audit, 'reply_request');
        return reply.code(201).send({
          request: result.request,
          replyId: result.replyId,
          auditSeq: result.audit.seq,
        } satisfies StaffRequestReplyResponse);
      });

      staff.patch('/requests/:id', async (request) => {
        const access = accessOf(request, requireCsrf(request));
        const id = requestId(request.params);
        const { status } = parseInput(
          staffRequestStatusBody,
          request.body,
          'send {"status": "open|in_progress|done|rejected"}',
        );
        const result = await setRequestStatusAsStaff(queueDeps, access, id, status);
        logAudited(request.log, result.audit, 'update_request');
        return {
          request: result.request,
          changed: result.changed,
          auditSeq: result.audit.seq,
        } satisfies StaffRequestStatusResponse;
      });

      staff.post('/roles', async (request) => {
        const session = requireCsrf(request);
        const body = parseInput(
          staffRoleBody,
          request.body,
          'send {"userId": "…", "role": "support|admin|auditor", "action": "grant|revoke"}',
        );
        const change = {
          by: { kind: 'staff' as const, userId: session.userId },
          userId: body.userId,
          role: body.role,
          requestId: request.id,
        };
        const result =
          body.action === 'grant' ? await grantRole(deps, change) : await revokeRole(deps, change);
        logAudited(request.log, result.audit, `${body.action}_role`);
        return {
          userId: change.userId,
          role: change.role,
          action: body.action,
          changed: result.changed,
          auditSeq: result.audit.seq,
        } satisfies StaffRoleResponse;
      });

      staff.get('/audit', async (request) => {
        const access = accessOf(request, requireSession(request));
        const query = parseInput(
          staffAuditQuery,
          request.query,
          'afterSeq ≥ 0 and 1 ≤ limit ≤ 500',
        );
        const { entries, verification, audit } = await readAuditLogAsStaff(deps, access, query);
        logAudited(request.log, audit, 'read_audit_log');
        request.log.info({ verification }, 'audit chain verified');
        const last = entries[entries.length - 1];
        return {
          entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })),
          nextAfterSeq: last ? last.seq : null,
          verification,
        } satisfies StaffAuditLogResponse;
      });
    },
    { prefix: '/api/staff' },
  );
}
