import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { policyVersions, type PolicyVersion } from './policy-versions.js';
import { findUser } from '../accounts/users.repository.js';

export interface PolicyDeps {
  db: Db;
  clock: Clock;
  /** Tests pass their own catalogue; everything else uses the published list. */
  policyVersions?: readonly PolicyVersion[] | undefined;
}

export function policyCatalogue(
  deps: Pick<PolicyDeps, 'policyVersions'>,
): readonly PolicyVersion[] {
  return deps.policyVersions ?? policyVersions;
}

/** The version that applies at a moment: the latest one already effective. */
export function versionInForce(
  versions: readonly PolicyVersion[],
  at: Date,
): PolicyVersion | undefined {
  let found: PolicyVersion | undefined;
  for (const v of versions) if (v.effectiveAt.getTime() <= at.getTime()) found = v;
  return found;
}

/** The version recorded with consent choices: in force now, or the first one before any is. */
export function currentPolicyVersion(deps: Pick<PolicyDeps, 'policyVersions'>, at: Date): string {
  const versions = policyCatalogue(deps);
  const version = versionInForce(versions, at) ?? versions[0];
  if (!version) throw new Error('the policy catalogue is empty');
  return version.version;
}

/**
 * The version a user must have accepted (or a later one) to generate: the latest effective one
 * that changed core rights, or the first version, which set them.
 */
export function requiredVersion(
  versions: readonly PolicyVersion[],
  at: Date,
): PolicyVersion | undefined {
  let found: PolicyVersion | undefined;
  versions.forEach((v, i) => {
    if (v.effectiveAt.getTime() <= at.getTime() && (i === 0 || v.changesCoreRights)) found = v;
  });
  return found;
}

/** Versions whose acceptance also covers `version`: itself and every later one. */
export function versionsCovering(
  versions: readonly PolicyVersion[],
  version: PolicyVersion,
): string[] {
  return versions
    .filter((v) => v.effectiveAt.getTime() >= version.effectiveAt.getTime())
    .map((v) => v.version);
}

export interface PolicyStatus {
  /** The version in force now (what /privacy shows and what POST /policy/accept records). */
  current: PolicyVersion | undefined;
  /** Set when the user must accept `current` before generating. */
  mustAccept: boolean;
}

export async function getPolicyStatus(deps: PolicyDeps, userId: string): Promise<PolicyStatus> {
  const versions = policyCatalogue(deps);
  const now = deps.clock.now();
  const current = versionInForce(versions, now);
  const required = requiredVersion(versions, now);
  if (!required) return { current, mustAccept: false };
  const accepted = await deps.db
    .selectFrom('policy_acceptances')
    .select('version')
    .where('user_id', '=', userId)
    .where('version', 'in', versionsCovering(versions, required))
    .executeTakeFirst();
  return { current, mustAccept: !accepted };
}

/** The gate on the generation submit path. */
export async function requireCurrentPolicyAccepted(
  deps: PolicyDeps,
  userId: string,
): Promise<void> {
  const status = await getPolicyStatus(deps, userId);
  if (status.mustAccept) {
    throw AppError.because(
      'policy_not_accepted',
      `our privacy policy has changed: please read and accept version ${status.current?.version ?? ''} at /policy/accept before creating new music`,
      { version: status.current?.version ?? '' },
      { version: status.current?.version, acceptUrl: '/policy/accept' },
    );
  }
}

/**
 * Signing up is accepting the policy in force at that moment (the sign-in page says so), so the
 * account records the version in force when it was created. Safe to repeat on every sign-in.
 */
export async function recordSignUpAcceptance(deps: PolicyDeps, userId: string): Promise<void> {
  const user = await findUser(deps.db, userId);
  if (!user) return;
  const version = versionInForce(policyCatalogue(deps), user.created_at);
  if (!version) return;
  await deps.db
    .insertInto('policy_acceptances')
    .values({ user_id: userId, version: version.version, accepted_at: user.created_at })
    .onConflict((oc) => oc.columns(['user_id', 'version']).doNothing())
    .execute();
}

/** After sign-in: records the sign-up acceptance and says whether the user must accept again. */
export async function checkPolicyAtSignIn(deps: PolicyDeps, userId: string): Promise<PolicyStatus> {
  await recordSignUpAcceptance(deps, userId);
  return getPolicyStatus(deps, userId);
}

/**
 * The user accepts the version in force. The form names the version it showed, so a version that
 * took effect while the page was open is not accepted unseen.
 */
export async function acceptCurrentPolicy(
  deps: PolicyDeps,
  userId: string,
  shownVersion: string,
): Promise<PolicyVersion> {
  const now = deps.clock.now();
  const current = versionInForce(policyCatalogue(deps), now);
  if (!current) throw new AppError('not_found', 'no privacy policy is in force yet');
  if (current.version !== shownVersion) {
    throw AppError.because(
      'policy_changed',
      `version ${current.version} of the privacy policy is now in force; please read it and accept again`,
      { version: current.version },
      { version: current.version },
    );
  }
  await deps.db
    .insertInto('policy_acceptances')
    .values({ user_id: userId, version: current.version, accepted_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'version']).doNothing())
    .execute();
  return current;
}

export async function listPolicyAcceptances(
  db: Db,
  userId: string,
): Promise<Array<{ version: string; acceptedAt: string }>> {
  const rows = await db
    .selectFrom('policy_acceptances')
    .select(['version', 'accepted_at'])
    .where('user_id', '=', userId)
    .orderBy('accepted_at')
    .execute();
  return rows.map((r) => ({ version: r.version, acceptedAt: r.accepted_at.toISOString() }));
}
