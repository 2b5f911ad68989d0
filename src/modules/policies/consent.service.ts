import type { Db } from '../../db/database.js';
import type { ConsentDecision, ConsentPurpose } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { currentPolicyVersion, type PolicyDeps } from './policy-acceptance.service.js';

export type { ConsentDecision, ConsentPurpose };

/** The optional purposes; essential cookies (session, CSRF, sign-in state, consent) need none. */
export const consentPurposes: readonly ConsentPurpose[] = ['preferences', 'analytics'];

export type ConsentState = Record<ConsentPurpose, boolean>;

/** Whose choice it was: the account when signed in, else the browser's random consent id. */
export type ConsentSubject = { userId: string } | { anonymousId: string };

/** Consent records prove a choice that lasts at most as long as its cookie, then are pruned. */
export const CONSENT_RECORD_DAYS = 183;

/**
 * Appends one log row per purpose decided: purpose, decision, policy version, time, and the user
 * or anonymous id — never an IP address. Returns the policy version recorded.
 */
export async function recordConsent(
  deps: PolicyDeps,
  subject: ConsentSubject,
  decisions: Partial<ConsentState>,
): Promise<string> {
  const now = deps.clock.now();
  const version = currentPolicyVersion(deps, now);
  const rows = consentPurposes
    .filter((purpose) => decisions[purpose] !== undefined)
    .map((purpose) => ({
      id: newId(),
      user_id: 'userId' in subject ? subject.userId : null,
      anonymous_id: 'anonymousId' in subject ? subject.anonymousId : null,
      purpose,
      decision: decisions[purpose] ? ('granted' as const) : ('denied' as const),
      policy_version: version,
      decided_at: now,
    }));
  if (rows.length > 0) await deps.db.insertInto('consent_log').values(rows).execute();
  return version;
}

export interface ConsentRecord {
  purpose: ConsentPurpose;
  decision: ConsentDecision;
  policyVersion: string;
  decidedAt: string;
}

export async function listConsentRecords(db: Db, userId: string): Promise<ConsentRecord[]> {
  const rows = await db
    .selectFrom('consent_log')
    .select(['purpose', 'decision', 'policy_version', 'decided_at'])
    .where('user_id', '=', userId)
    .orderBy('decided_at')
    .orderBy('purpose')
    .execute();
  return rows.map((r) => ({
    purpose: r.purpose,
    decision: r.decision,
    policyVersion: r.policy_version,
    decidedAt: r.decided_at.toISOString(),
  }));
}

/** Log data is kept at most six months (the policy's promise); one bounded batch per call. */
export async function pruneConsentRecords(
  deps: Pick<PolicyDeps, 'db' | 'clock'>,
  batchSize = 1000,
): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - CONSENT_RECORD_DAYS * 24 * 3600 * 1000);
  const due = deps.db
    .selectFrom('consent_log')
    .select('id')
    .where('decided_at', '<', cutoff)
    .limit(batchSize);
  const deleted = await deps.db.deleteFrom('consent_log').where('id', 'in', due).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
