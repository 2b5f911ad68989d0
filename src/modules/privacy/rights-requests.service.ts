import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { Db, DbTransaction } from '../../db/database.js';
import type { RightsRequestKind, RightsRequestStatus } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { requireUserKey } from '../accounts/user-keys.js';
import { BusinessCalendar, REQUEST_DUE_BUSINESS_DAYS } from './business-days.js';
import { openField, sealField } from '../../db/encrypted-columns.js';
import { listReplies } from './rights-requests.repository.js';

export interface RightsRequestDeps {
  db: Db;
  masterKey: MasterKey;
  clock: Clock;
  calendar: BusinessCalendar;
}

export interface RightsRequestView {
  id: string;
  kind: RightsRequestKind;
  status: RightsRequestStatus;
  message: string | null;
  createdAt: string;
  /** The end of the 15th business day (China's calendar) after the request. */
  dueAt: string;
  dueDate: string;
  closedAt: string | null;
  /** The language replies are mailed in: the one the request was filed in. */
  language: 'en' | 'zh';
  /** Staff answers, oldest first (who answered stays with staff: the user sees "Instune"). */
  replies: Array<{ message: string; createdAt: string }>;
}

export const MAX_MESSAGE_CHARS = 4000;

/**
 * Every rights request or complaint becomes a ticket due in 15 business days. Requests the
 * service fulfils itself (export, correction, deletion, cancellation) are recorded too, and
 * closed when done, so the record shows each was answered in time.
 */
export async function fileRightsRequest(
  deps: RightsRequestDeps,
  userId: string,
  input: {
    kind: RightsRequestKind;
    message?: string | undefined;
    status?: RightsRequestStatus;
    language?: 'en' | 'zh' | undefined;
  },
  trx?: DbTransaction,
): Promise<RightsRequestView> {
  const message = input.message?.trim() || null;
  if (message && [...message].length > MAX_MESSAGE_CHARS) {
    throw AppError.because(
      'message_too_long',
      `the message may be at most ${MAX_MESSAGE_CHARS} characters`,
      { max: MAX_MESSAGE_CHARS },
    );
  }
  const db = trx ?? deps.db;
  const id = newId();
  const now = deps.clock.now();
  const { due, dueDate } = deps.calendar.dueAfterBusinessDays(now, REQUEST_DUE_BUSINESS_DAYS);
  const status = input.status ?? 'open';
  const key = message ? await requireUserKey(db, deps.masterKey, userId) : null;
  const row = await db
    .insertInto('rights_requests')
    .values({
      id,
      user_id: userId,
      kind: input.kind,
      status,
      message_enc:
        key && message ? sealField(key, 'rights_requests', 'message', id, message) : null,
      created_at: now,
      due_at: due,
      due_date: dueDate,
      closed_at: status === 'done' || status === 'rejected' ? now : null,
      language: input.language ?? 'en',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...toView(row), message, replies: [] };
}

export async function closeRightsRequest(
  db: Db | DbTransaction,
  clock: Clock,
  requestId: string,
  status: 'done' | 'rejected' = 'done',
): Promise<void> {
  await db
    .updateTable('rights_requests')
    .set({ status, closed_at: clock.now() })
    .where('id', '=', requestId)
    .where('status', 'in', ['open', 'in_progress'])
    .execute();
}

export async function listRightsRequests(
  deps: RightsRequestDeps,
  userId: string,
): Promise<RightsRequestView[]> {
  const rows = await deps.db
    .selectFrom('rights_requests')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  const replies = await listReplies(
    deps.db,
    rows.map((r) => r.id),
  );
  const withMessages = rows.some((r) => r.message_enc) || replies.length > 0;
  const key = withMessages ? await requireUserKey(deps.db, deps.masterKey, userId) : null;
  return rows.map((row) => ({
    ...toView(row),
    message:
      key && row.message_enc
        ? openField(key, 'rights_requests', 'message', row.id, row.message_enc)
        : null,
    replies: key
      ? replies
          .filter((r) => r.request_id === row.id)
          .map((r) => ({
            message: openField(key, 'rights_request_replies', 'message', r.id, r.message_enc),
            createdAt: r.created_at.toISOString(),
          }))
      : [],
  }));
}

type RequestRow = {
  id: string;
  kind: RightsRequestKind;
  status: RightsRequestStatus;
  created_at: Date;
  due_at: Date;
  due_date: string;
  closed_at: Date | null;
  language: 'en' | 'zh';
};

function toView(row: RequestRow): Omit<RightsRequestView, 'message' | 'replies'> {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    dueDate: row.due_date,
    closedAt: row.closed_at?.toISOString() ?? null,
    language: row.language,
  };
}

/**
 * At cancellation: the tickets stay as the record that each request was answered in time, but
 * nothing links them to the person any more (the message, already unreadable once the key is
 * shredded, goes too). The retention sweep deletes them six months after they were filed.
 */
export async function pseudonymiseUserRequests(
  db: Db | DbTransaction,
  userId: string,
): Promise<number> {
  // Staff replies were sealed with the shredded key: unreadable, so nothing worth keeping.
  await db
    .deleteFrom('rights_request_replies')
    .where(
      'request_id',
      'in',
      db.selectFrom('rights_requests').select('id').where('user_id', '=', userId),
    )
    .execute();
  const result = await db
    .updateTable('rights_requests')
    .set({ user_id: null, message_enc: null })
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Six months: tickets closed that long ago, and unlinked ones (a cancelled user's) filed that
 * long ago, are deleted. Open tickets of existing users stay until they are answered.
 */
export async function deleteOldRightsRequests(
  db: Db | DbTransaction,
  before: Date,
): Promise<number> {
  const result = await db
    .deleteFrom('rights_requests')
    .where((eb) =>
      eb.or([
        eb('closed_at', '<=', before),
        eb.and([eb('user_id', 'is', null), eb('created_at', '<=', before)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
