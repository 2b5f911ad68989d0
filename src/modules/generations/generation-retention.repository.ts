import type { DbTransaction } from '../../db/database.js';
import { holdsInputs, holdsOutputs, type Executor } from './generations.repository.js';

/**
 * The `generations` table as the retention sweep, account deletion and the orphan check see it:
 * which inputs and outputs are due, clearing them, deleting rows, and whether a stored file
 * still has an owner. Split from generations.repository.ts, which owns the rest of the table
 * (docs/decisions/0018-repositories.md).
 */

// ---- retention ----

/** Inputs present, and generation ended or the input limit passed whatever the state. */
export async function findIdsWithDueInputs(
  db: Executor,
  now: Date,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('generations')
    .select('id')
    .where((eb) =>
      eb.and([
        holdsInputs(eb),
        eb.or([eb('status', 'in', ['done', 'failed']), eb('input_expires_at', '<=', now)]),
      ]),
    )
    .orderBy('input_expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Output present (files, plan or recipe) and past its limit. */
export async function findIdsWithDueOutputs(
  db: Executor,
  now: Date,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('generations')
    .select('id')
    .where(holdsOutputs)
    .where('output_expires_at', '<=', now)
    .orderBy('output_expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** What retention needs to decide about one generation. */
export async function getRetentionState(db: Executor, id: string) {
  return db
    .selectFrom('generations')
    .select([
      'id',
      'status',
      'input_object',
      'text_enc',
      'input_expires_at',
      'output_object',
      'plan_enc',
      'recipe_enc',
      'title_enc',
      'output_expires_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function clearInputs(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('generations')
    .set({ input_object: null, text_enc: null })
    .where('id', '=', id)
    .execute();
}

export async function clearOutputs(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('generations')
    .set({ output_object: null, plan_enc: null, recipe_enc: null, title_enc: null })
    .where('id', '=', id)
    .execute();
}

/** Rows still holding inputs past their limit (should be zero). */
export async function countOverdueInputs(db: Executor, now: Date): Promise<number> {
  return countHeldPast(db, holdsInputs, 'input_expires_at', now);
}

/** Rows still holding output past its limit (should be zero). */
export async function countOverdueOutputs(db: Executor, now: Date): Promise<number> {
  return countHeldPast(db, holdsOutputs, 'output_expires_at', now);
}

async function countHeldPast(
  db: Executor,
  holds: typeof holdsInputs,
  limitColumn: 'input_expires_at' | 'output_expires_at',
  now: Date,
): Promise<number> {
  const row = await db
    .selectFrom('generations')
    .select((eb) => eb.fn.countAll().as('n'))
    .where(holds)
    .where(limitColumn, '<=', now)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---- deletion and blob ownership ----

/** The stored files of every generation of a user. */
export async function listUserGenerationFiles(db: Executor, userId: string) {
  return db
    .selectFrom('generations')
    .select(['id', 'input_object', 'output_object'])
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteUserGenerations(trx: DbTransaction, userId: string): Promise<void> {
  await trx.deleteFrom('generations').where('user_id', '=', userId).execute();
}

/**
 * Six-month rule for usage records: generation rows (settings, status, times) that ended before
 * `before` and hold no file any more. Queued or running rows are left alone (they hold a credit
 * reservation that only their end settles). One bounded batch per call.
 */
export async function deleteEndedGenerationsBefore(
  db: Executor,
  before: Date,
  limit: number,
): Promise<number> {
  const due = db
    .selectFrom('generations')
    .select('id')
    .where('created_at', '<=', before)
    .where('status', 'in', ['done', 'failed'])
    .where('input_object', 'is', null)
    .where('output_object', 'is', null)
    .limit(limit);
  const result = await db.deleteFrom('generations').where('id', 'in', due).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteUserGeneration(
  db: Executor,
  userId: string,
  id: string,
): Promise<void> {
  await db.deleteFrom('generations').where('id', '=', id).where('user_id', '=', userId).execute();
}

/** Does this generation still point at this input? */
export async function ownsInput(db: Executor, id: string, inputKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('generations')
    .select('id')
    .where('id', '=', id)
    .where('input_object', '=', inputKey)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Does this generation own files under this prefix: it records them, or it is still queued or
 * running (a run stores its files before the commit that records them)?
 */
export async function ownsOutput(db: Executor, id: string, prefix: string): Promise<boolean> {
  const row = await db
    .selectFrom('generations')
    .select('id')
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('output_object', '=', prefix), eb('status', 'in', ['queued', 'running'])]),
    )
    .executeTakeFirst();
  return row !== undefined;
}
