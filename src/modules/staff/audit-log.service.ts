import { sql, type Selectable } from 'kysely';
import type { Db, DbTransaction } from '../../db/database.js';
import type { StaffAuditLogTable, StaffRole } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import {
  ChainVerifier,
  computeEntryHash,
  GENESIS_HASH,
  type ChainVerification,
  type ChainedEntry,
} from './audit-chain.js';

/**
 * One key for the whole chain: every append takes it for the rest of its transaction, so two
 * appends can never both extend the same head (which would fork the chain). An advisory lock
 * also covers the empty table, where there is no last row to lock FOR UPDATE.
 */
const AUDIT_CHAIN_LOCK_KEY = 0x1a5_7a11; // arbitrary, unique within this database

export type AuditAction =
  | 'read_account'
  | 'read_generations'
  | 'read_audit_log'
  | 'grant_role'
  | 'revoke_role'
  | 'assess_breach'
  | 'notify_breach'
  | 'read_requests'
  | 'read_request'
  | 'reply_request'
  | 'update_request';

export interface AuditEntryInput {
  /** A staff user id, or 'cli'. */
  staffUserId: string;
  staffRole: StaffRole | 'cli';
  action: AuditAction;
  subjectUserId: string | null;
  /** What was touched, as ids: 'users/<id>', 'users/<id>/generations', 'staff_roles/<role>'. */
  resource: string;
  requestId: string;
}

/** Where an entry sits in the chain; logging it anchors the head outside the database. */
export interface AuditEntryRef {
  seq: number;
  hash: string;
}

/** An entry as read back: its fields and its place in the hash chain. */
export type AuditEntryView = ChainedEntry;

/**
 * Appends in the caller's transaction, which must be the one that performs the access it
 * records: the access and its entry commit together or not at all. Call it last, so the chain
 * lock is held only from here to COMMIT.
 */
export async function appendAuditEntry(
  trx: DbTransaction,
  clock: Clock,
  input: AuditEntryInput,
): Promise<AuditEntryRef> {
  await lockAuditChain(trx);
  // Read after taking the lock: under READ COMMITTED this statement sees the previous holder's
  // committed entry, so the head is current.
  const head = await trx
    .selectFrom('staff_audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  // A log pruned to nothing continues from where the pruned part ended.
  const start = head ?? (await newestCheckpoint(trx));
  const prevHash = start?.hash ?? GENESIS_HASH;
  const fields = {
    seq: (start ? Number(start.seq) : 0) + 1,
    at: clock.now(),
    staffUserId: input.staffUserId,
    staffRole: input.staffRole,
    action: input.action,
    subjectUserId: input.subjectUserId,
    resource: input.resource,
    requestId: input.requestId,
  };
  const hash = computeEntryHash(prevHash, fields);
  // The primary key on seq is a second line of defence: a writer that skipped the lock fails here.
  await trx
    .insertInto('staff_audit_log')
    .values({
      seq: fields.seq,
      at: fields.at,
      staff_user_id: fields.staffUserId,
      staff_role: fields.staffRole,
      action: fields.action,
      subject_user_id: fields.subjectUserId,
      resource: fields.resource,
      request_id: fields.requestId,
      prev_hash: prevHash,
      hash,
    })
    .execute();
  return { seq: fields.seq, hash };
}

/** Held until the transaction ends: one writer at a time at the head (or the front) of the chain. */
async function lockAuditChain(trx: DbTransaction): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_CHAIN_LOCK_KEY)}::bigint)`.execute(trx);
}

/** Where the retained chain begins (null when nothing was ever pruned). */
async function newestCheckpoint(
  db: Db | DbTransaction,
): Promise<{ seq: number; hash: string } | null> {
  const row = await db
    .selectFrom('staff_audit_checkpoints')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

/**
 * Six months: entries written before `before` are beyond their legal need (network logs are
 * kept at least six months) and name the people whose data staff read. They are deleted from
 * the front of the chain under the chain lock, after a checkpoint records the seq and hash of
 * the last one deleted; verification then starts from that checkpoint, so the entries kept
 * still verify, and the database trigger lets a DELETE through only at or before a checkpoint.
 * Returns how many entries were deleted.
 */
export async function pruneAuditLog(db: Db, clock: Clock, before: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await lockAuditChain(trx);
    const last = await trx
      .selectFrom('staff_audit_log')
      .select(['seq', 'hash'])
      .where('at', '<=', before)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!last) return 0;
    await trx
      .insertInto('staff_audit_checkpoints')
      .values({ seq: Number(last.seq), hash: last.hash, created_at: clock.now() })
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute();
    const deleted = await trx
      .deleteFrom('staff_audit_log')
      .where('seq', '<=', Number(last.seq))
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  });
}

/**
 * Recomputes the chain from the first entry, in seq order and in batches, and reports the first
 * entry that does not fit: an edited field, a deleted or reordered row. Rewriting the whole chain
 * from some point on is only caught against a head hash kept elsewhere (the logs).
 */
export async function verifyAuditChain(
  db: Db | DbTransaction,
  batchSize = 1000,
): Promise<ChainVerification> {
  const from = await newestCheckpoint(db);
  const verifier = new ChainVerifier(from ?? undefined);
  let afterSeq = from?.seq ?? 0;
  for (;;) {
    const rows = await db
      .selectFrom('staff_audit_log')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      if (!verifier.push(toView(row))) return verifier.result();
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return verifier.result();
    afterSeq = Number(last.seq);
  }
}

export async function listAuditEntries(
  db: Db | DbTransaction,
  page: { afterSeq: number; limit: number },
): Promise<AuditEntryView[]> {
  const rows = await db
    .selectFrom('staff_audit_log')
    .selectAll()
    .where('seq', '>', page.afterSeq)
    .orderBy('seq')
    .limit(page.limit)
    .execute();
  return rows.map(toView);
}

function toView(row: Selectable<StaffAuditLogTable>): AuditEntryView {
  return {
    seq: Number(row.seq),
    at: row.at,
    staffUserId: row.staff_user_id,
    staffRole: row.staff_role,
    action: row.action,
    subjectUserId: row.subject_user_id,
    resource: row.resource,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
