import type { ObjectVault } from '../../adapters/storage/object-vault.js';
import type { Db } from '../../db/database.js';
import { HOUR_MS, type Clock } from '../../lib/clock.js';
import { deleteOutputFiles } from '../generations/output-files.js';
import { CONSENT_RECORD_DAYS, pruneConsentRecords } from '../policies/consent.service.js';
import { pruneAuditLog } from '../staff/audit-log.service.js';
import { deleteOldExportRecords } from './data-export.service.js';
import { deleteOldRightsRequests } from './rights-requests.service.js';
import {
  clearInputs,
  clearOutputs,
  countOverdueInputs,
  countOverdueOutputs,
  deleteEndedGenerationsBefore,
  findIdsWithDueInputs,
  findIdsWithDueOutputs,
  getRetentionState,
} from '../generations/generation-retention.repository.js';

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
  const countExpired = async (table: 'sessions' | 'oidc_logins') => {
    const row = await deps.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  const inputs = await countOverdueInputs(deps.db, now);
  const outputs = await countOverdueOutputs(deps.db, now);
  const expiredSessions = await countExpired('sessions');
  const expiredSignIns = await countExpired('oidc_logins');
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

/**
 * Usage and log records are kept six months at most (the policy's promise), and no longer than
 * their legal need: network logs at least six months under the Cybersecurity Law, so exactly
 * that. 183 days is the longest six calendar months can be, the same limit as the consent log.
 */
export const USAGE_RECORD_DAYS = CONSENT_RECORD_DAYS;

export interface UsageSweepReport {
  generations: number;
  rightsRequests: number;
  exportRecords: number;
  auditEntries: number;
  consentRecords: number;
}

/**
 * The six-month part of the retention sweep. Everything older than `USAGE_RECORD_DAYS` goes:
 * ended generation rows (their files went after 24 h; this is the settings, status and times),
 * tickets closed that long ago and unlinked tickets of cancelled users, export rows whose ZIP is
 * gone, audit entries (pruned at a checkpoint, the rest of the chain still verifies) and consent
 * records. Credit records are not usage records: they stay while the account exists (the
 * policy's promise for them), and purchases stay pseudonymised as the law requires.
 */
export async function sweepUsageRecords(
  deps: Pick<RetentionDeps, 'db' | 'clock'>,
): Promise<UsageSweepReport> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - USAGE_RECORD_DAYS * 24 * HOUR_MS);
  return {
    generations: await deleteEndedGenerationsBefore(deps.db, before, SWEEP_BATCH * 5),
    rightsRequests: await deleteOldRightsRequests(deps.db, before),
    exportRecords: await deleteOldExportRecords(deps, before),
    auditEntries: await pruneAuditLog(deps.db, deps.clock, before),
    consentRecords: await pruneConsentRecords(deps),
  };
}
