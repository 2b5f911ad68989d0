import type { Selectable } from 'kysely';
import type { Db, DbTransaction } from '../../db/database.js';
import type {
  RightsRequestRepliesTable,
  RightsRequestsTable,
  RightsRequestStatus,
} from '../../db/schema.js';

/**
 * The staff side of `rights_requests` and its replies (docs/decisions/0021-rights-request-queue.md).
 * Rows come back sealed; the services open them with the requester's key.
 */

type Executor = Db | DbTransaction;

export type RequestRow = Selectable<RightsRequestsTable>;
export type ReplyRow = Selectable<RightsRequestRepliesTable>;

export const openStatuses: readonly RightsRequestStatus[] = ['open', 'in_progress'];

/** The queue: the soonest due first (then the oldest filed), with the statuses asked for. */
export async function listQueue(
  db: Executor,
  query: { statuses: readonly RightsRequestStatus[]; limit: number },
): Promise<RequestRow[]> {
  return db
    .selectFrom('rights_requests')
    .selectAll()
    .where('status', 'in', [...query.statuses])
    .orderBy('due_at', 'asc')
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(query.limit)
    .execute();
}

export async function findRequest(db: Executor, id: string): Promise<RequestRow | undefined> {
  return db.selectFrom('rights_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The request, locked until the transaction ends: one staff change at a time. */
export async function lockRequest(trx: DbTransaction, id: string): Promise<RequestRow | undefined> {
  return trx
    .selectFrom('rights_requests')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Closing (done, rejected) stamps closed_at; reopening clears it. */
export async function setRequestStatus(
  trx: DbTransaction,
  id: string,
  status: RightsRequestStatus,
  now: Date,
): Promise<void> {
  const closed = status === 'done' || status === 'rejected';
  await trx
    .updateTable('rights_requests')
    .set({ status, closed_at: closed ? now : null })
    .where('id', '=', id)
    .execute();
}

export async function insertReply(
  trx: DbTransaction,
  reply: { id: string; requestId: string; staffUserId: string; sealed: Uint8Array; now: Date },
): Promise<void> {
  await trx
    .insertInto('rights_request_replies')
    .values({
      id: reply.id,
      request_id: reply.requestId,
      staff_user_id: reply.staffUserId,
      message_enc: reply.sealed,
      created_at: reply.now,
    })
    .execute();
}

export async function findReply(
  db: Executor,
  replyId: string,
): Promise<{ reply: ReplyRow; request: RequestRow } | undefined> {
  const reply = await db
    .selectFrom('rights_request_replies')
    .selectAll()
    .where('id', '=', replyId)
    .executeTakeFirst();
  if (!reply) return undefined;
  const request = await findRequest(db, reply.request_id);
  return request ? { reply, request } : undefined;
}

/** Replies to the given requests, oldest first. */
export async function listReplies(
  db: Executor,
  requestIds: readonly string[],
): Promise<ReplyRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('rights_request_replies')
    .selectAll()
    .where('request_id', 'in', [...requestIds])
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

/** Reply counts per request, for the queue listing (which shows no text). */
export async function countReplies(
  db: Executor,
  requestIds: readonly string[],
): Promise<Map<string, number>> {
  if (requestIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('rights_request_replies')
    .select((eb) => ['request_id', eb.fn.countAll().as('n')])
    .where('request_id', 'in', [...requestIds])
    .groupBy('request_id')
    .execute();
  return new Map(rows.map((r) => [r.request_id, Number(r.n)]));
}

/**
 * Unanswered requests the deadline sweep may have to alert about: due before `dueBefore` (a
 * calendar bound wide enough for any run of holidays; the sweep decides in business days) and not
 * yet alerted at both stages. Locked and skipped when locked, so overlapping sweeps split the work.
 */
export async function lockRequestsToAlert(
  trx: DbTransaction,
  query: { dueBefore: Date; limit: number },
): Promise<RequestRow[]> {
  return trx
    .selectFrom('rights_requests')
    .selectAll()
    .where('status', 'in', [...openStatuses])
    .where('due_at', '<', query.dueBefore)
    .where('overdue_alerted_at', 'is', null)
    .orderBy('due_at', 'asc')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markAlerted(
  trx: DbTransaction,
  stage: 'near_due' | 'overdue',
  ids: readonly string[],
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('rights_requests')
    .set(stage === 'overdue' ? { overdue_alerted_at: now } : { near_due_alerted_at: now })
    .where('id', 'in', [...ids])
    .execute();
}

/** Support and admin staff: who the deadline alerts go to. */
export async function listRequestHandlers(
  db: Executor,
  roles: readonly ('support' | 'admin')[],
): Promise<string[]> {
  const rows = await db
    .selectFrom('staff_roles')
    .select('user_id')
    .distinct()
    .where('role', 'in', [...roles])
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}
