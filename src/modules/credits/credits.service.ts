import type { Selectable } from 'kysely';
import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { Db, DbTransaction } from '../../db/database.js';
import { openField, sealField } from '../../db/encrypted-columns.js';
import type { CreditEntryKind, CreditLedgerTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { requireUserKey } from '../accounts/user-keys.js';

/**
 * The credit ledger. Every change to a user's credits is one appended entry; the balance is the
 * running sum carried by the newest entry. All writers go through `appendEntry`, which first
 * locks the user's `credit_accounts` row FOR UPDATE, so one user's entries are appended strictly
 * one transaction at a time and the balance check cannot race (docs/decisions/0004-credit-ledger.md).
 * Each operation takes the caller's transaction so it commits or rolls back with the caller's
 * other effects (the generation row and its job; the purchase row and its webhook event id).
 */

export type LedgerEntry = Selectable<CreditLedgerTable>;

export interface CreditSummary {
  /** Spendable now. */
  balance: number;
  /** Held for generations that are queued or running. */
  reserved: number;
}

interface AccountState {
  userId: string;
  balance: number;
  seq: number;
}

interface EntryInput {
  kind: CreditEntryKind;
  amount: number;
  entryKey: string;
  /** A fixed code; free text goes into `note`, sealed with the user's key. */
  reason: string;
  note?: { key: Uint8Array; text: string };
  generationId?: string | null;
  purchaseId?: string | null;
  shortfall?: number;
}

/** Locks the user's credit account until the transaction ends and reads the balance under it. */
async function lockAccount(trx: DbTransaction, userId: string, now: Date): Promise<AccountState> {
  let locked = await selectAccountForUpdate(trx, userId);
  if (!locked) {
    // First entry for this user. A concurrent creator waits on the unique key, then both lock.
    await trx
      .insertInto('credit_accounts')
      .values({ user_id: userId, created_at: now })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
    locked = await selectAccountForUpdate(trx, userId);
    if (!locked) throw new AppError('not_found', 'no such account');
  }
  const last = await trx
    .selectFrom('credit_ledger')
    .select(['seq', 'balance_after'])
    .where('user_id', '=', userId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { userId, balance: last?.balance_after ?? 0, seq: last?.seq ?? 0 };
}

async function selectAccountForUpdate(trx: DbTransaction, userId: string) {
  return trx
    .selectFrom('credit_accounts')
    .select('user_id')
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

async function findEntry(db: Db | DbTransaction, entryKey: string) {
  return db
    .selectFrom('credit_ledger')
    .selectAll()
    .where('entry_key', '=', entryKey)
    .executeTakeFirst();
}

/**
 * Appends one entry to a locked account. An entry whose key already exists is not appended
 * again: that is what makes every credit effect safe to repeat.
 */
async function appendLocked(
  trx: DbTransaction,
  account: AccountState,
  now: Date,
  input: EntryInput,
): Promise<{ entry: LedgerEntry; appended: boolean }> {
  const existing = await findEntry(trx, input.entryKey);
  if (existing) return { entry: existing, appended: false };
  const balanceAfter = account.balance + input.amount;
  if (balanceAfter < 0) {
    throw AppError.because(
      'credits_insufficient',
      `you have ${account.balance} credit${account.balance === 1 ? '' : 's'}; this needs ${-input.amount}. Buy credits to continue.`,
      { balance: account.balance, needed: -input.amount },
      { balance: account.balance, needed: -input.amount },
    );
  }
  const id = newId();
  const entry = await trx
    .insertInto('credit_ledger')
    .values({
      id,
      user_id: account.userId,
      seq: account.seq + 1,
      kind: input.kind,
      amount: input.amount,
      balance_after: balanceAfter,
      entry_key: input.entryKey,
      reason: input.reason,
      note_enc: input.note
        ? sealField(input.note.key, 'credit_ledger', 'note', id, input.note.text)
        : null,
      generation_id: input.generationId ?? null,
      purchase_id: input.purchaseId ?? null,
      shortfall: input.shortfall ?? 0,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  account.balance = balanceAfter;
  account.seq += 1;
  return { entry, appended: true };
}

async function appendEntry(
  trx: DbTransaction,
  userId: string,
  now: Date,
  input: EntryInput,
): Promise<{ entry: LedgerEntry; appended: boolean }> {
  return appendLocked(trx, await lockAccount(trx, userId, now), now, input);
}

/** The new-account allowance; granted at most once per user whatever calls it. */
export async function grantFreeCredits(
  trx: DbTransaction,
  now: Date,
  userId: string,
  credits: number,
): Promise<void> {
  if (credits <= 0) {
    await lockAccount(trx, userId, now);
    return;
  }
  await appendEntry(trx, userId, now, {
    kind: 'grant',
    amount: credits,
    entryKey: `free:${userId}`,
    reason: 'free_allowance',
  });
}

/**
 * Holds the cost of one generation. Throws `payment_required` when the balance is too low, so
 * the caller's transaction (generation row + job) rolls back with it.
 */
export async function reserveCredits(
  trx: DbTransaction,
  now: Date,
  input: { userId: string; generationId: string; cost: number },
): Promise<void> {
  await appendEntry(trx, input.userId, now, {
    kind: 'reservation',
    amount: -input.cost,
    entryKey: `reserve:${input.generationId}`,
    reason: 'generation',
    generationId: input.generationId,
  });
}

/**
 * Ends a generation's reservation: a capture keeps the credits spent, a release gives them back.
 * Both use the key `settle:<generation>`, so a reservation is settled once, one way. Returns
 * false when there is nothing to settle (no reservation, or already settled).
 */
async function settleReservation(
  trx: DbTransaction,
  now: Date,
  generationId: string,
  outcome: 'capture' | 'release',
): Promise<boolean> {
  const reservation = await findEntry(trx, `reserve:${generationId}`);
  if (!reservation) return false;
  const { appended } = await appendEntry(trx, reservation.user_id, now, {
    kind: outcome,
    amount: outcome === 'capture' ? 0 : -reservation.amount,
    entryKey: `settle:${generationId}`,
    reason: 'generation',
    generationId,
  });
  return appended;
}

export async function captureCredits(
  trx: DbTransaction,
  now: Date,
  generationId: string,
): Promise<boolean> {
  return settleReservation(trx, now, generationId, 'capture');
}

export async function releaseCredits(
  trx: DbTransaction,
  now: Date,
  generationId: string,
): Promise<boolean> {
  return settleReservation(trx, now, generationId, 'release');
}

/** Credits bought with one purchase; at most once per purchase. */
export async function grantPurchasedCredits(
  trx: DbTransaction,
  now: Date,
  input: { userId: string; purchaseId: string; credits: number },
): Promise<boolean> {
  const { appended } = await appendEntry(trx, input.userId, now, {
    kind: 'grant',
    amount: input.credits,
    entryKey: `purchase:${input.purchaseId}`,
    reason: 'purchase',
    purchaseId: input.purchaseId,
  });
  return appended;
}

/**
 * Takes back credits for a refund. Never below zero: what cannot be taken (already spent or
 * held for a running generation) is recorded as the entry's shortfall. `refundedCents` is the
 * purchase's cumulative refunded amount, so each distinct refund state appends once.
 */
export async function takeBackRefundedCredits(
  trx: DbTransaction,
  now: Date,
  input: { userId: string; purchaseId: string; credits: number; refundedCents: number },
): Promise<{ taken: number; shortfall: number }> {
  const account = await lockAccount(trx, input.userId, now);
  const taken = Math.min(input.credits, account.balance);
  const { entry } = await appendLocked(trx, account, now, {
    kind: 'refund',
    amount: -taken,
    entryKey: `refund:${input.purchaseId}:${input.refundedCents}`,
    reason: 'refund',
    purchaseId: input.purchaseId,
    shortfall: input.credits - taken,
  });
  return { taken: -entry.amount, shortfall: entry.shortfall };
}

/** The code every staff adjustment carries; its own words are the sealed note. */
export const ADJUSTMENT_REASON = 'staff_adjustment';

/**
 * A staff correction. `key` makes a retried request harmless; a negative adjustment that would
 * take the balance below zero is refused. The staff member's reason is free text that may say
 * something about the person, so it is sealed with the user's key (the ledger's only free text).
 */
export async function adjustCredits(
  deps: { db: Db; masterKey: MasterKey },
  now: Date,
  input: { userId: string; amount: number; key: string; reason: string },
): Promise<LedgerEntry> {
  const db = deps.db;
  if (!Number.isInteger(input.amount) || input.amount === 0) {
    throw new AppError('validation_failed', 'an adjustment is a non-zero whole number of credits');
  }
  return db.transaction().execute(async (trx) => {
    const account = await lockAccount(trx, input.userId, now);
    if (account.balance + input.amount < 0) {
      throw new AppError('conflict', `the balance is ${account.balance}; it cannot go below zero`);
    }
    const userKey = await requireUserKey(trx, deps.masterKey, input.userId);
    const { entry } = await appendLocked(trx, account, now, {
      kind: 'adjustment',
      amount: input.amount,
      entryKey: `adjust:${input.key}`,
      reason: ADJUSTMENT_REASON,
      note: { key: userKey, text: input.reason },
    });
    return entry;
  });
}

/** The spendable balance, outside any transaction (a hint: the reservation re-checks it). */
export async function getCreditBalance(db: Db, userId: string): Promise<number> {
  const last = await db
    .selectFrom('credit_ledger')
    .select('balance_after')
    .where('user_id', '=', userId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.balance_after ?? 0;
}

export async function getCreditSummary(db: Db, userId: string): Promise<CreditSummary> {
  const reserved = await db
    .selectFrom('credit_ledger as r')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('r.amount'), eb.lit(0)).as('total'))
    .where('r.user_id', '=', userId)
    .where('r.kind', '=', 'reservation')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('credit_ledger as s')
            .select('s.id')
            .whereRef('s.generation_id', '=', 'r.generation_id')
            .where('s.kind', 'in', ['capture', 'release']),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return { balance: await getCreditBalance(db, userId), reserved: 0 - Number(reserved.total) };
}

export async function listCreditEntries(db: Db, userId: string, limit = 200) {
  return db
    .selectFrom('credit_ledger')
    .select([
      'id',
      'seq',
      'kind',
      'amount',
      'balance_after',
      'reason',
      'note_enc',
      'generation_id',
      'purchase_id',
      'shortfall',
      'created_at',
    ])
    .where('user_id', '=', userId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

/** The staff note of an entry, opened with the owner's key; null when the entry has none. */
export function openCreditNote(
  userKey: Uint8Array,
  entry: { id: string; note_enc: Uint8Array | null },
): string | null {
  return entry.note_enc
    ? openField(userKey, 'credit_ledger', 'note', entry.id, entry.note_enc)
    : null;
}

/**
 * Start-up backfill: adjustments written before migration 0013 hold their note in `reason` in
 * clear. Each is sealed into `note_enc` with its owner's key and `reason` becomes the code (the
 * ledger trigger allows exactly this update). An owner whose key is gone (cancelled, purge
 * pending) is skipped: the rows go with the account. Safe to run on every start and from
 * several processes at once (the update re-checks the row). Returns how many were sealed.
 */
export async function sealPlaintextCreditNotes(
  db: Db,
  masterKey: MasterKey,
  batchSize = 200,
): Promise<number> {
  let sealed = 0;
  let afterId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db
      .selectFrom('credit_ledger')
      .innerJoin('keyring.user_keys as k', 'k.user_id', 'credit_ledger.user_id')
      .select(['credit_ledger.id', 'credit_ledger.user_id', 'credit_ledger.reason'])
      .where('credit_ledger.kind', '=', 'adjustment')
      .where('credit_ledger.note_enc', 'is', null)
      .where('credit_ledger.reason', '!=', ADJUSTMENT_REASON)
      .where('credit_ledger.id', '>', afterId)
      .orderBy('credit_ledger.id')
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      const key = await requireUserKey(db, masterKey, row.user_id).catch(() => null);
      if (!key) continue;
      const result = await db
        .updateTable('credit_ledger')
        .set({
          reason: ADJUSTMENT_REASON,
          note_enc: sealField(key, 'credit_ledger', 'note', row.id, row.reason),
        })
        .where('id', '=', row.id)
        .where('note_enc', 'is', null)
        .executeTakeFirst();
      sealed += Number(result.numUpdatedRows);
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return sealed;
    afterId = last.id;
  }
}

/** One line of the credit history as a person reads it. */
export interface CreditHistoryRow {
  /** `piece` for everything one generation did; otherwise the ledger entry's own kind. */
  kind: 'piece' | 'grant' | 'refund' | 'adjustment';
  /** For a piece: still held, spent, or given back because it was not made. */
  outcome: 'held' | 'spent' | 'returned' | null;
  generationId: string | null;
  /** The sum of the row's entries: −1 for a piece made, 0 for one given back. */
  net: number;
  /** The balance after the row's last entry. */
  balanceAfter: number;
  /** When it began (a piece: when its credits were held). */
  createdAt: Date;
}

type HistoryEntry = Pick<
  Awaited<ReturnType<typeof listCreditEntries>>[number],
  'seq' | 'kind' | 'amount' | 'balance_after' | 'generation_id' | 'created_at'
>;

/**
 * The ledger (newest first) folded into one row per piece: its hold, and the capture or release
 * that settled it, become one row with their net effect, placed where its last entry falls.
 * The ledger itself keeps every entry (the JSON history and the data export show them).
 */
export function foldCreditHistory(entries: readonly HistoryEntry[]): CreditHistoryRow[] {
  const rows: CreditHistoryRow[] = [];
  const pieces = new Map<string, CreditHistoryRow>();
  for (const entry of entries) {
    const generationId = entry.generation_id;
    if (!generationId || !['reservation', 'capture', 'release'].includes(entry.kind)) {
      rows.push({
        kind: entry.kind as CreditHistoryRow['kind'],
        outcome: null,
        generationId: null,
        net: entry.amount,
        balanceAfter: entry.balance_after,
        createdAt: entry.created_at,
      });
      continue;
    }
    let row = pieces.get(generationId);
    if (!row) {
      // The newest entry of the piece comes first: its balance is the row's.
      row = {
        kind: 'piece',
        outcome: 'held',
        generationId,
        net: 0,
        balanceAfter: entry.balance_after,
        createdAt: entry.created_at,
      };
      pieces.set(generationId, row);
      rows.push(row);
    }
    row.net += entry.amount;
    if (entry.created_at < row.createdAt) row.createdAt = entry.created_at;
    if (entry.kind === 'capture') row.outcome = 'spent';
    if (entry.kind === 'release') row.outcome = 'returned';
  }
  return rows;
}
