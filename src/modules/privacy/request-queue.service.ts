import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { Mailer } from '../../adapters/mail/mailer.js';
import type { JobQueue } from '../../adapters/queue/job-queue.js';
import { openField, sealField } from '../../db/encrypted-columns.js';
import { transactionExecutor, type Db, type DbTransaction } from '../../db/database.js';
import type { RightsRequestKind, RightsRequestStatus } from '../../db/schema.js';
import {
  sendRequestAlertJobName,
  sendRequestAlertPayload,
  sendRequestReplyJobName,
  sendRequestReplyPayload,
} from '../../jobs/payloads/request-handling.payload.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, isAppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { getMailAddress } from '../accounts/accounts.service.js';
import { requireUserKey } from '../accounts/user-keys.js';
import { appendAuditEntry, type AuditEntryRef } from '../staff/audit-log.service.js';
import { staffPermissions, type StaffAccess } from '../staff/staff-access.service.js';
import { listStaffRoles, requireStaffRole } from '../staff/staff-roles.service.js';
import { chinaDate, type BusinessCalendar } from './business-days.js';
import { contactKeyOfTicket, getContactTicket } from './contact-messages.service.js';
import { composeDeadlineAlert, composeReplyMail, type AlertLine } from './request-mails.js';
import {
  countReplies,
  findReply,
  findRequest,
  insertReply,
  listQueue,
  listReplies,
  listRequestHandlers,
  lockRequest,
  lockRequestsToAlert,
  markAlerted,
  openStatuses,
  setRequestStatus,
  type RequestRow,
} from './rights-requests.repository.js';
import { MAX_MESSAGE_CHARS } from './rights-requests.service.js';

/**
 * An unanswered request is "near due" from this many business days before its due date: early
 * enough to finish a correction or an access request, late enough that the alert means something
 * (docs/decisions/0021-rights-request-queue.md).
 */
export const NEAR_DUE_BUSINESS_DAYS = 3;

/** No run of holidays in China's calendar makes N business days last longer than this. */
const NEAR_DUE_CALENDAR_BOUND_MS = (NEAR_DUE_BUSINESS_DAYS + 14) * 24 * 3600 * 1000;

export interface RequestQueueDeps {
  db: Db;
  masterKey: MasterKey;
  clock: Clock;
  calendar: BusinessCalendar;
}

export type DeadlineAlert = 'overdue' | 'near_due' | null;

export interface QueueItem {
  id: string;
  /** The requester; null for a ticket from the contact form or of a cancelled account. */
  userId: string | null;
  kind: RightsRequestKind;
  status: RightsRequestStatus;
  language: 'en' | 'zh';
  createdAt: string;
  dueAt: string;
  dueDate: string;
  closedAt: string | null;
  /** Business days left after today (China time) until the due date; 0 on the day and after. */
  businessDaysLeft: number;
  /** Only for requests still waiting: past due, or within NEAR_DUE_BUSINESS_DAYS of it. */
  alert: DeadlineAlert;
  replies: number;
}

export interface RequestDetail extends Omit<QueueItem, 'replies'> {
  /** The requester's text; null when there was none or the account is cancelled (key shredded). */
  message: string | null;
  /** Who wrote through the contact form without an account, so staff can answer them. */
  contact: { name: string | null; email: string } | null;
  replies: Array<{ id: string; staffUserId: string; message: string | null; createdAt: string }>;
}

/** Where a request stands against its deadline, now. */
export function deadlineOf(
  calendar: BusinessCalendar,
  now: Date,
  row: Pick<RequestRow, 'status' | 'due_at' | 'due_date'>,
): { businessDaysLeft: number; alert: DeadlineAlert } {
  const businessDaysLeft = calendar.businessDaysLeft(now, row.due_date);
  if (!openStatuses.includes(row.status)) return { businessDaysLeft, alert: null };
  if (now.getTime() > row.due_at.getTime()) return { businessDaysLeft, alert: 'overdue' };
  return {
    businessDaysLeft,
    alert: businessDaysLeft <= NEAR_DUE_BUSINESS_DAYS ? 'near_due' : null,
  };
}

function toItem(deps: RequestQueueDeps, row: RequestRow, now: Date): Omit<QueueItem, 'replies'> {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    status: row.status,
    language: row.language,
    createdAt: row.created_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    dueDate: row.due_date,
    closedAt: row.closed_at?.toISOString() ?? null,
    ...deadlineOf(deps.calendar, now, row),
  };
}

/**
 * The key a request's text and its replies are sealed under: the user's, or for a ticket from
 * the contact form the message's own; null once it is gone (then nothing of theirs opens).
 */
async function requesterKeyOrNull(
  db: Db | DbTransaction,
  masterKey: MasterKey,
  row: Pick<RequestRow, 'id' | 'user_id'>,
): Promise<Uint8Array | null> {
  if (row.user_id === null) return contactKeyOfTicket({ db, masterKey }, row.id);
  return userKeyOrNull(db, masterKey, row.user_id);
}

/** The user's key, or null once the account is cancelled (then nothing of theirs opens). */
async function userKeyOrNull(
  db: Db | DbTransaction,
  masterKey: MasterKey,
  userId: string,
): Promise<Uint8Array | null> {
  try {
    return await requireUserKey(db, masterKey, userId);
  } catch (error) {
    if (isAppError(error) && error.code === 'gone') return null;
    throw error;
  }
}

const audited = async (
  trx: DbTransaction,
  clock: Clock,
  access: StaffAccess,
  role: Awaited<ReturnType<typeof requireStaffRole>>,
  entry: {
    action: 'read_requests' | 'read_request' | 'reply_request' | 'update_request';
    subjectUserId: string | null;
    resource: string;
  },
): Promise<AuditEntryRef> =>
  appendAuditEntry(trx, clock, {
    staffUserId: access.staffUserId,
    staffRole: role,
    requestId: access.requestId,
    ...entry,
  });

/**
 * The queue, soonest due first. Ids, kinds and dates only (no text), but it shows who asked, so
 * the read is audited like any other.
 */
export async function listRequestQueue(
  deps: RequestQueueDeps,
  access: StaffAccess,
  query: { scope: 'open' | 'closed' | 'all'; limit: number },
): Promise<{ requests: QueueItem[]; audit: AuditEntryRef }> {
  return deps.db.transaction().execute(async (trx) => {
    const role = await requireStaffRole(trx, access.staffUserId, staffPermissions.handleRequests);
    const statuses: RightsRequestStatus[] =
      query.scope === 'open'
        ? [...openStatuses]
        : query.scope === 'closed'
          ? ['done', 'rejected']
          : ['open', 'in_progress', 'done', 'rejected'];
    const rows = await listQueue(trx, { statuses, limit: query.limit });
    const counts = await countReplies(
      trx,
      rows.map((r) => r.id),
    );
    const now = deps.clock.now();
    const audit = await audited(trx, deps.clock, access, role, {
      action: 'read_requests',
      subjectUserId: null,
      resource: `rights_requests?scope=${query.scope}`,
    });
    return {
      requests: rows.map((row) => ({
        ...toItem(deps, row, now),
        replies: counts.get(row.id) ?? 0,
      })),
      audit,
    };
  });
}

async function detailOf(
  deps: RequestQueueDeps,
  trx: DbTransaction,
  row: RequestRow,
): Promise<RequestDetail> {
  const replies = await listReplies(trx, [row.id]);
  const key = await requesterKeyOrNull(trx, deps.masterKey, row);
  const contact =
    row.user_id === null
      ? await getContactTicket({ db: trx, masterKey: deps.masterKey }, row.id)
      : null;
  return {
    ...toItem(deps, row, deps.clock.now()),
    message: contact
      ? contact.message
      : key && row.message_enc
        ? openField(key, 'rights_requests', 'message', row.id, row.message_enc)
        : null,
    contact: contact ? { name: contact.name, email: contact.email } : null,
    replies: replies.map((r) => ({
      id: r.id,
      staffUserId: r.staff_user_id,
      message: key
        ? openField(key, 'rights_request_replies', 'message', r.id, r.message_enc)
        : null,
      createdAt: r.created_at.toISOString(),
    })),
  };
}

/** One request with its text and the replies so far; the text leaves only if the read is logged. */
export async function readRequestAsStaff(
  deps: RequestQueueDeps,
  access: StaffAccess,
  requestId: string,
): Promise<{ request: RequestDetail; audit: AuditEntryRef }> {
  return deps.db.transaction().execute(async (trx) => {
    const role = await requireStaffRole(trx, access.staffUserId, staffPermissions.handleRequests);
    const row = await findRequest(trx, requestId);
    if (!row) throw new AppError('not_found', 'no such request');
    const request = await detailOf(deps, trx, row);
    const audit = await audited(trx, deps.clock, access, role, {
      action: 'read_request',
      subjectUserId: row.user_id,
      resource: `rights_requests/${row.id}`,
    });
    return { request, audit };
  });
}

export const MAX_REPLY_CHARS = MAX_MESSAGE_CHARS;

/**
 * A staff reply: stored sealed with the requester's key (the account center shows it), its mail
 * queued in the same transaction as the row and the audit entry, so all three happen or none.
 * An open request moves to in progress unless a status is given (a reply may also close it).
 */
export async function replyToRequest(
  deps: RequestQueueDeps & { queue: JobQueue },
  access: StaffAccess,
  requestId: string,
  input: { message: string; status?: RightsRequestStatus | undefined },
): Promise<{ request: RequestDetail; replyId: string; audit: AuditEntryRef }> {
  const message = input.message.trim();
  if (message.length === 0 || [...message].length > MAX_REPLY_CHARS) {
    throw new AppError('validation_failed', `a reply is 1 to ${MAX_REPLY_CHARS} characters`);
  }
  return deps.db.transaction().execute(async (trx) => {
    const role = await requireStaffRole(trx, access.staffUserId, staffPermissions.handleRequests);
    const row = await lockRequest(trx, requestId);
    if (!row) throw new AppError('not_found', 'no such request');
    const key = await requesterKeyOrNull(trx, deps.masterKey, row);
    // A cancelled account (or a contact message deleted with its key) can no longer be reached:
    // nothing to store the reply under or mail it to.
    if (!key) throw new AppError('gone', 'this account was cancelled; the reply cannot reach it');
    const now = deps.clock.now();
    const replyId = newId();
    await insertReply(trx, {
      id: replyId,
      requestId: row.id,
      staffUserId: access.staffUserId,
      sealed: sealField(key, 'rights_request_replies', 'message', replyId, message),
      now,
    });
    const status = input.status ?? (row.status === 'open' ? 'in_progress' : row.status);
    if (status !== row.status) await setRequestStatus(trx, row.id, status, now);
    await deps.queue.enqueue(
      { name: sendRequestReplyJobName, payload: sendRequestReplyPayload },
      { replyId },
      { executor: transactionExecutor(trx), singletonKey: replyId },
    );
    const audit = await audited(trx, deps.clock, access, role, {
      action: 'reply_request',
      subjectUserId: row.user_id,
      resource: `rights_requests/${row.id}/replies/${replyId}`,
    });
    const updated = await findRequest(trx, row.id);
    return { request: await detailOf(deps, trx, updated ?? row), replyId, audit };
  });
}

/** Changes the status; done or rejected closes the request, open or in progress reopens it. */
export async function setRequestStatusAsStaff(
  deps: RequestQueueDeps,
  access: StaffAccess,
  requestId: string,
  status: RightsRequestStatus,
): Promise<{ request: RequestDetail; changed: boolean; audit: AuditEntryRef }> {
  return deps.db.transaction().execute(async (trx) => {
    const role = await requireStaffRole(trx, access.staffUserId, staffPermissions.handleRequests);
    const row = await lockRequest(trx, requestId);
    if (!row) throw new AppError('not_found', 'no such request');
    const changed = row.status !== status;
    if (changed) await setRequestStatus(trx, row.id, status, deps.clock.now());
    const audit = await audited(trx, deps.clock, access, role, {
      action: 'update_request',
      subjectUserId: row.user_id,
      resource: `rights_requests/${row.id}/status/${status}`,
    });
    const updated = (await findRequest(trx, row.id)) ?? row;
    return { request: await detailOf(deps, trx, updated), changed, audit };
  });
}

export interface SendReplyDeps {
  db: Db;
  masterKey: MasterKey;
  clock: Clock;
  mailer: Mailer;
  publicUrl: string;
}

/** The mail job's work: the address and the reply are opened only here, and never logged. */
export async function sendRequestReply(
  deps: SendReplyDeps,
  replyId: string,
): Promise<'sent' | 'skipped'> {
  const found = await findReply(deps.db, replyId);
  if (!found) return 'skipped';
  const { reply, request } = found;
  let email: string | null;
  let key: Uint8Array | null;
  if (request.user_id === null) {
    // From the contact form: the sender's address is sealed with the message.
    email = (await getContactTicket(deps, request.id))?.email ?? null;
    key = email ? await contactKeyOfTicket(deps, request.id) : null;
  } else {
    // Cancelled between the reply and the mail: the key is gone, and so is the address.
    email = await getMailAddress(deps, request.user_id);
    key = email ? await requireUserKey(deps.db, deps.masterKey, request.user_id) : null;
  }
  if (!email || !key) return 'skipped';
  await deps.mailer.send({
    to: email,
    ...composeReplyMail({
      language: request.language,
      kind: request.kind,
      filedOn: chinaDate(request.created_at),
      dueDate: request.due_date,
      status: request.status,
      reply: openField(key, 'rights_request_replies', 'message', reply.id, reply.message_enc),
      publicUrl: deps.publicUrl,
      viaContactForm: request.user_id === null,
    }),
  });
  return 'sent';
}

/**
 * The scheduled deadline check. Each waiting request is alerted about at most twice: once when
 * it comes within NEAR_DUE_BUSINESS_DAYS of its due date, once when it is overdue. One mail per
 * support/admin member, queued with the marks in one transaction (no mark without its mails).
 * With no one to tell, nothing is marked, so the alert goes out once someone holds the role.
 */
export async function sweepRequestDeadlines(
  deps: RequestQueueDeps & { queue: JobQueue },
  batchSize = 500,
): Promise<{ nearDue: number; overdue: number; recipients: number }> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const rows = await lockRequestsToAlert(trx, {
      dueBefore: new Date(now.getTime() + NEAR_DUE_CALENDAR_BOUND_MS),
      limit: batchSize,
    });
    const nearDue: AlertLine[] = [];
    const overdue: AlertLine[] = [];
    for (const row of rows) {
      const { alert, businessDaysLeft } = deadlineOf(deps.calendar, now, row);
      const line = { id: row.id, kind: row.kind, dueDate: row.due_date, businessDaysLeft };
      if (alert === 'overdue') overdue.push(line);
      else if (alert === 'near_due' && !row.near_due_alerted_at) nearDue.push(line);
    }
    if (nearDue.length + overdue.length === 0) return { nearDue: 0, overdue: 0, recipients: 0 };
    const recipients = await listRequestHandlers(trx, staffPermissions.handleRequests);
    if (recipients.length === 0) return { nearDue: 0, overdue: 0, recipients: 0 };
    for (const staffUserId of recipients) {
      await deps.queue.enqueue(
        { name: sendRequestAlertJobName, payload: sendRequestAlertPayload },
        { staffUserId, nearDue, overdue },
        { executor: transactionExecutor(trx) },
      );
    }
    await markAlerted(
      trx,
      'near_due',
      nearDue.map((a) => a.id),
      now,
    );
    await markAlerted(
      trx,
      'overdue',
      overdue.map((a) => a.id),
      now,
    );
    return { nearDue: nearDue.length, overdue: overdue.length, recipients: recipients.length };
  });
}

/** One staff member's alert mail; skipped if they left staff or their account is gone. */
export async function sendRequestAlert(
  deps: SendReplyDeps,
  alert: { staffUserId: string; nearDue: AlertLine[]; overdue: AlertLine[] },
): Promise<'sent' | 'skipped'> {
  const roles = await listStaffRoles(deps.db, alert.staffUserId);
  if (!roles.some((r) => (staffPermissions.handleRequests as readonly string[]).includes(r))) {
    return 'skipped';
  }
  const email = await getMailAddress(deps, alert.staffUserId);
  if (!email) return 'skipped';
  await deps.mailer.send({ to: email, ...composeDeadlineAlert(alert, deps.publicUrl) });
  return 'sent';
}
