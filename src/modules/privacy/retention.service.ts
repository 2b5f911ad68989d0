import type { ObjectVault } from '../../adapters/storage/object-vault.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { deleteOutputFiles } from '../generations/output-files.js';
import {
  clearInputs,
  clearOutputs,
  countOverdueInputs,
  countOverdueOutputs,
  findIdsWithDueInputs,
  findIdsWithDueOutputs,
  getRetentionState,
} from '../generations/generations.repository.js';

export interface RetentionDeps {
  db: Db;
  vault: ObjectVault;
  clock: Clock;
}

/** How many entities one sweep looks at; the next sweep takes the rest. */
export const SWEEP_BATCH = 200;

/**
 * Generations whose inputs are due for deletion: generation has ended, or the 72-hour limit
 * has passed whatever the state (a stuck job must not keep a photo forever).
 */
export async function findGenerationsWithDueInputs(
  deps: RetentionDeps,
  limit = SWEEP_BATCH,
): Promise<string[]> {
  return findIdsWithDueInputs(deps.db, deps.clock.now(), limit);
}

/** Generations whose music (and the analysis shown beside it) is past its 24 hours. */
export async function findGenerationsWithDueOutputs(
  deps: RetentionDeps,
  limit = SWEEP_BATCH,
): Promise<string[]> {
  return findIdsWithDueOutputs(deps.db, deps.clock.now(), limit);
}

/**
 * Deletes whatever of one generation is past its limit. Re-checks the row itself, so a stale
 * or repeated job does nothing wrong; files go first, then the columns that point at them.
 */
export async function purgeGenerationContent(
  deps: RetentionDeps,
  generationId: string,
): Promise<{ input: boolean; output: boolean }> {
  const now = deps.clock.now();
  const row = await getRetentionState(deps.db, generationId);
  if (!row) return { input: false, output: false };

  const inputDue =
    (row.input_object !== null || row.text_enc !== null) &&
    (row.status === 'done' || row.status === 'failed' || row.input_expires_at <= now);
  const outputDue =
    (row.output_object !== null ||
      row.plan_enc !== null ||
      row.recipe_enc !== null ||
      row.title_enc !== null) &&
    row.output_expires_at !== null &&
    row.output_expires_at <= now;

  if (inputDue) {
    if (row.input_object) await deps.vault.delete(row.input_object);
    await clearInputs(deps.db, generationId);
  }
  if (outputDue) {
    if (row.output_object) await deleteOutputFiles(deps.vault, row.output_object);
    await clearOutputs(deps.db, generationId);
  }
  return { input: inputDue, output: outputDue };
}

export interface RetentionReport {
  checkedAt: string;
  /** Each count should be zero; anything else is content kept past its promised limit. */
  overdue: { inputs: number; outputs: number; expiredSessions: number; expiredSignIns: number };
}

/** Reports anything older than its limit (the policy's retention promises, checked). */
export async function probeRetention(
  deps: Pick<RetentionDeps, 'db' | 'clock'>,
): Promise<RetentionReport> {
  const now = deps.clock.now();
  const count = async (query: Promise<{ n: number | string | bigint } | undefined>) =>
    Number((await query)?.n ?? 0);
  const inputs = await countOverdueInputs(deps.db, now);
  const outputs = await countOverdueOutputs(deps.db, now);
  const expiredSessions = await count(
    deps.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('expires_at', '<=', now)
      .executeTakeFirst(),
  );
  const expiredSignIns = await count(
    deps.db
      .selectFrom('oidc_logins')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('expires_at', '<=', now)
      .executeTakeFirst(),
  );
  return {
    checkedAt: now.toISOString(),
    overdue: { inputs, outputs, expiredSessions, expiredSignIns },
  };
}

/** Expired sessions and abandoned sign-ins carry nothing worth keeping. */
export async function deleteExpiredSessions(
  deps: Pick<RetentionDeps, 'db' | 'clock'>,
): Promise<number> {
  const now = deps.clock.now();
  const sessions = await deps.db
    .deleteFrom('sessions')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  const logins = await deps.db
    .deleteFrom('oidc_logins')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(sessions.numDeletedRows) + Number(logins.numDeletedRows);
}
