import { sql, type ExpressionBuilder, type Insertable, type Selectable } from 'kysely';
import type { Db, DbTransaction } from '../../db/database.js';
import { openField, sealField } from '../../db/encrypted-columns.js';
import type { DB, GenerationStage, GenerationStatus, GenerationsTable } from '../../db/schema.js';

/**
 * The `generations` table: every query on it, and the sealing and opening of its encrypted
 * columns (text, recipe, plan), live here. Services say what they want done to a generation;
 * this module knows which columns and which encryption contexts that takes
 * (docs/decisions/0018-repositories.md).
 */

export type Executor = Db | DbTransaction;
type Where = ExpressionBuilder<DB, 'generations'>;
export type GenerationRow = Selectable<GenerationsTable>;

/** The job the row names as its runner no longer holds a claim (it died or was stopped). */
const runJobUnclaimed = (eb: Where) =>
  eb.not(
    eb.exists(
      eb
        .selectFrom('job_claims')
        .select('job_claims.job_id')
        .whereRef('job_claims.job_id', '=', 'generations.run_job_id'),
    ),
  );
/** The upload or the description is still stored. */
export const holdsInputs = (eb: Where) =>
  eb.or([eb('input_object', 'is not', null), eb('text_enc', 'is not', null)]);
/** Music files, the plan summary, the recipe or the owner's title are still stored. */
export const holdsOutputs = (eb: Where) =>
  eb.or([
    eb('output_object', 'is not', null),
    eb('plan_enc', 'is not', null),
    eb('recipe_enc', 'is not', null),
    eb('title_enc', 'is not', null),
  ]);

/** What a caller supplies for a new row; the rest starts empty. Text and recipe are plaintext. */
export type NewGeneration = Pick<
  Insertable<GenerationsTable>,
  | 'id'
  | 'user_id'
  | 'seed'
  | 'seconds'
  | 'idempotency_key'
  | 'input_object'
  | 'input_mime'
  | 'created_at'
  | 'input_expires_at'
  | 'parent_id'
  | 'derivation'
> & {
  /** The description, sealed under the owner's key. */
  text: string | null;
  /** A variation's recipe (the original's, re-sealed for this row). */
  recipe: string | null;
  /** The create page's choices, stored as JSON (they are settings, not personal content). */
  controls: unknown;
};

/**
 * Inserts a queued generation. Resolves undefined when the idempotency key already names one
 * (a double click that lost the race).
 */
export async function insertQueuedGeneration(
  trx: DbTransaction,
  userKey: Uint8Array,
  values: NewGeneration,
): Promise<GenerationRow | undefined> {
  const { text, recipe, controls, ...columns } = values;
  return trx
    .insertInto('generations')
    .values({
      ...columns,
      text_enc: text === null ? null : sealField(userKey, 'generations', 'text', values.id, text),
      recipe_enc:
        recipe === null ? null : sealField(userKey, 'generations', 'recipe', values.id, recipe),
      controls: controls === null || controls === undefined ? null : JSON.stringify(controls),
      status: 'queued',
      stage: 'queued',
      output_object: null,
      output_bytes: null,
      plan_enc: null,
      title_enc: null,
      error_code: null,
      started_at: null,
      finished_at: null,
      output_expires_at: null,
    })
    .onConflict((oc) => oc.constraint('generations_idempotency_unique').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** One user's generation; another user's answers exactly like a missing one. */
export async function findUserGeneration(
  db: Executor,
  userId: string,
  id: string,
): Promise<GenerationRow | undefined> {
  return db
    .selectFrom('generations')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function findGenerationByIdempotencyKey(
  db: Executor,
  userId: string,
  key: string,
): Promise<GenerationRow | undefined> {
  return db
    .selectFrom('generations')
    .selectAll()
    .where('user_id', '=', userId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** The columns a generation's view needs (no description or recipe: the bulk of a row). */
export const viewColumns = [
  'id',
  'user_id',
  'status',
  'stage',
  'seconds',
  'seed',
  'created_at',
  'finished_at',
  'output_expires_at',
  'output_object',
  'plan_enc',
  'controls',
  'parent_id',
  'derivation',
  'title_enc',
  'error_code',
] as const;
export type GenerationViewRow = Pick<GenerationRow, (typeof viewColumns)[number]> & {
  has_recipe: boolean;
};

export function viewRowOf(row: GenerationRow): GenerationViewRow {
  return { ...row, has_recipe: row.recipe_enc !== null };
}

/** A user's newest generations, with only what a view shows. */
export async function listUserGenerationViews(
  db: Executor,
  userId: string,
  limit: number,
): Promise<GenerationViewRow[]> {
  return db
    .selectFrom('generations')
    .select(viewColumns)
    .select(sql<boolean>`recipe_enc is not null`.as('has_recipe'))
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Every generation of a user, oldest first, whole rows (the data export). */
export async function listUserGenerations(db: Executor, userId: string): Promise<GenerationRow[]> {
  return db
    .selectFrom('generations')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

/** What staff may see of a user's generations: never text, plan or object names. */
export async function listGenerationMetadata(db: Executor, userId: string, limit: number) {
  return db
    .selectFrom('generations')
    .select([
      'id',
      'status',
      'stage',
      'seconds',
      'error_code',
      'created_at',
      'finished_at',
      'input_expires_at',
      'output_expires_at',
    ])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** The stored plan summary's JSON text. */
export function openPlanJson(userKey: Uint8Array, row: { id: string; plan_enc: Uint8Array }) {
  return openField(userKey, 'generations', 'plan', row.id, row.plan_enc);
}

/** The stored recipe's JSON text. */
export function openRecipeJson(userKey: Uint8Array, row: { id: string; recipe_enc: Uint8Array }) {
  return openField(userKey, 'generations', 'recipe', row.id, row.recipe_enc);
}

export function openTitle(userKey: Uint8Array, row: { id: string; title_enc: Uint8Array }) {
  return openField(userKey, 'generations', 'title', row.id, row.title_enc);
}

/**
 * Sets (or, with null, clears) the owner's title of a piece whose music is still kept; false
 * when there is no such piece of this user's with music. The title goes with the music.
 */
export async function setGenerationTitle(
  db: Executor,
  userKey: Uint8Array,
  change: { userId: string; id: string; title: string | null; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('generations')
    .set({
      title_enc:
        change.title === null
          ? null
          : sealField(userKey, 'generations', 'title', change.id, change.title),
    })
    .where('id', '=', change.id)
    .where('user_id', '=', change.userId)
    .where('status', '=', 'done')
    .where('output_object', 'is not', null)
    .where('output_expires_at', '>', change.now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function openDescription(userKey: Uint8Array, row: { id: string; text_enc: Uint8Array }) {
  return openField(userKey, 'generations', 'text', row.id, row.text_enc);
}

// ---- the run: claim, progress, finish, fail; every write fenced by `run_job_id` ----

/**
 * Marks the generation running under this job, unless it is finished or another job that is
 * still claimed runs it. Undefined when this delivery has nothing to do.
 */
export async function claimGeneration(
  db: Executor,
  id: string,
  jobId: string,
  now: Date,
): Promise<GenerationRow | undefined> {
  return db
    .updateTable('generations')
    .set((eb) => ({
      status: 'running',
      stage: 'analysing',
      started_at: sql<Date>`coalesce(started_at, ${now})`,
      attempts: eb('attempts', '+', 1),
      run_job_id: jobId,
    }))
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .where((eb) =>
      eb.or([eb('run_job_id', 'is', null), eb('run_job_id', '=', jobId), runJobUnclaimed(eb)]),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Where a generation stands, for logs and for deciding whose files are whose. */
export async function getRunState(
  db: Executor,
  id: string,
): Promise<
  { status: GenerationStatus; run_job_id: string | null; output_object: string | null } | undefined
> {
  return db
    .selectFrom('generations')
    .select(['status', 'run_job_id', 'output_object'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function setRunStage(
  db: Executor,
  id: string,
  jobId: string,
  stage: GenerationStage,
): Promise<void> {
  await db
    .updateTable('generations')
    .set({ stage })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('run_job_id', '=', jobId)
    .execute();
}

export interface FinishedRun {
  id: string;
  jobId: string;
  outputObject: string;
  outputBytes: number;
  /** The plan summary and recipe, as JSON text; sealed here. */
  plan: string;
  recipe: string;
  finishedAt: Date;
  outputExpiresAt: Date;
}

/**
 * Records a finished run and drops its inputs (used only to generate). False when this job no
 * longer owns the generation (failed, deleted or taken over meanwhile).
 */
export async function completeRun(
  trx: DbTransaction,
  userKey: Uint8Array,
  run: FinishedRun,
): Promise<boolean> {
  const result = await trx
    .updateTable('generations')
    .set({
      status: 'done',
      stage: 'done',
      output_object: run.outputObject,
      output_bytes: run.outputBytes,
      plan_enc: sealField(userKey, 'generations', 'plan', run.id, run.plan),
      recipe_enc: sealField(userKey, 'generations', 'recipe', run.id, run.recipe),
      finished_at: run.finishedAt,
      output_expires_at: run.outputExpiresAt,
      input_object: null,
      text_enc: null,
    })
    .where('id', '=', run.id)
    .where('status', '=', 'running')
    .where('run_job_id', '=', run.jobId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Reads under the row lock which files a generation has: what its columns say now. */
export async function lockGenerationFiles(trx: DbTransaction, id: string) {
  return trx
    .selectFrom('generations')
    .select(['id', 'user_id', 'input_object'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Ends an unfinished generation as failed and drops its inputs. With `jobId`, only while that
 * job owns it; without, only while no live job runs it. False when nothing changed.
 */
export async function failUnfinishedGeneration(
  trx: DbTransaction,
  failure: { id: string; errorCode: string; finishedAt: Date; jobId?: string | undefined },
): Promise<boolean> {
  const result = await trx
    .updateTable('generations')
    .set({
      status: 'failed',
      stage: 'failed',
      error_code: failure.errorCode,
      finished_at: failure.finishedAt,
      input_object: null,
      text_enc: null,
    })
    .where('id', '=', failure.id)
    .where('status', 'in', ['queued', 'running'])
    .where((eb) =>
      failure.jobId !== undefined
        ? eb('run_job_id', '=', failure.jobId)
        : eb.or([eb('run_job_id', 'is', null), runJobUnclaimed(eb)]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Which of these generations still have a page for their owner (deleted ones have none). */
export async function findLiveGenerationIds(
  db: Executor,
  userId: string,
  ids: readonly string[],
  now: Date,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('generations')
    .select('id')
    .where('user_id', '=', userId)
    .where('id', 'in', [...ids])
    // A finished piece exists while its music does; one in progress or failed has a page too.
    .where((eb) =>
      eb.or([
        eb('status', '!=', 'done'),
        eb.and([
          eb('output_object', 'is not', null),
          eb.or([eb('output_expires_at', 'is', null), eb('output_expires_at', '>', now)]),
        ]),
      ]),
    )
    .execute();
  return new Set(rows.map((r) => r.id));
}
