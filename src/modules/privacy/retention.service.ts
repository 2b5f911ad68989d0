import type { ObjectVault } from '../../adapters/storage/object-vault.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { deleteOutputFiles } from '../generations/output-files.js';

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
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom('generations')
    .select('id')
    .where((eb) =>
      eb.and([
        eb.or([eb('input_object', 'is not', null), eb('text_enc', 'is not', null)]),
        eb.or([eb('status', 'in', ['done', 'failed']), eb('input_expires_at', '<=', now)]),
      ]),
    )
    .orderBy('input_expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Generations whose music (and the analysis shown beside it) is past its 24 hours. */
export async function findGenerationsWithDueOutputs(
  deps: RetentionDeps,
  limit = SWEEP_BATCH,
): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('generations')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('output_object', 'is not', null),
        eb('plan_enc', 'is not', null),
        eb('recipe_enc', 'is not', null),
      ]),
    )
    .where('output_expires_at', '<=', deps.clock.now())
    .orderBy('output_expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
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
  const row = await deps.db
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
      'output_expires_at',
    ])
    .where('id', '=', generationId)
    .executeTakeFirst();
  if (!row) return { input: false, output: false };

  const inputDue =
    (row.input_object !== null || row.text_enc !== null) &&
    (row.status === 'done' || row.status === 'failed' || row.input_expires_at <= now);
  const outputDue =
    (row.output_object !== null || row.plan_enc !== null || row.recipe_enc !== null) &&
    row.output_expires_at !== null &&
    row.output_expires_at <= now;

  if (inputDue) {
    if (row.input_object) await deps.vault.delete(row.input_object);
    await deps.db
      .updateTable('generations')
      .set({ input_object: null, text_enc: null })
      .where('id', '=', generationId)
      .execute();
  }
  if (outputDue) {
    if (row.output_object) await deleteOutputFiles(deps.vault, row.output_object);
    await deps.db
      .updateTable('generations')
      .set({ output_object: null, plan_enc: null, recipe_enc: null })
      .where('id', '=', generationId)
      .execute();
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
  const inputs = await count(
    deps.db
      .selectFrom('generations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where((eb) => eb.or([eb('input_object', 'is not', null), eb('text_enc', 'is not', null)]))
      .where('input_expires_at', '<=', now)
      .executeTakeFirst(),
  );
  const outputs = await count(
    deps.db
      .selectFrom('generations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where((eb) =>
        eb.or([
          eb('output_object', 'is not', null),
          eb('plan_enc', 'is not', null),
          eb('recipe_enc', 'is not', null),
        ]),
      )
      .where('output_expires_at', '<=', now)
      .executeTakeFirst(),
  );
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
