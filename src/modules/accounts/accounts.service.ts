import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { VerifiedIdentity } from '../../adapters/oidc/oidc-client.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, isAppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { grantFreeCredits } from '../credits/credits.service.js';
import { createUserKey, requireUserKey } from './user-keys.js';
import {
  findUser,
  insertUser,
  lockUserByIdentity,
  openProfile,
  recordSignIn,
  setUserName,
} from './users.repository.js';

export interface AccountDeps {
  db: Db;
  masterKey: MasterKey;
  clock: Clock;
}

export interface Account {
  id: string;
  email: string | null;
  name: string | null;
  avatarUrl: string | null;
  createdAt: Date;
  lastLoginAt: Date;
}

/**
 * Finds or creates the account for a verified identity. Only issuer+subject, email, name and
 * avatar are kept (the privacy policy's list); provider tokens never reach this function.
 */
export async function signInWithIdentity(
  deps: AccountDeps & { freeCredits: number },
  identity: VerifiedIdentity,
): Promise<string> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const existing = await lockUserByIdentity(trx, identity);
    const userId = existing?.id ?? newId();
    if (!existing) {
      // A concurrent first sign-in of the same identity loses on the unique constraint and retries.
      const inserted = await insertUser(trx, {
        id: userId,
        issuer: identity.issuer,
        subject: identity.subject,
        now,
      });
      if (!inserted)
        throw AppError.because('try_again', 'sign-in raced with another sign-in; try again');
      // In the creating transaction, keyed by user: an account gets its allowance exactly once.
      await grantFreeCredits(trx, now, userId, deps.freeCredits);
    }
    const userKey = existing
      ? await requireUserKey(trx, deps.masterKey, userId)
      : await createUserKey(trx, deps.masterKey, deps.clock, userId);
    await recordSignIn(
      trx,
      userKey,
      userId,
      {
        email: identity.email,
        name: identity.name,
        avatarUrl: identity.avatarUrl,
      },
      now,
      { keepName: existing?.name_edited_at != null },
    );
    return userId;
  });
}

export async function getAccount(deps: AccountDeps, userId: string): Promise<Account | null> {
  const row = await findUser(deps.db, userId);
  if (!row) return null;
  const key = await requireUserKey(deps.db, deps.masterKey, userId);
  return {
    id: row.id,
    ...openProfile(key, row),
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}

/**
 * The address to mail a user at, read only to send one message; null when the account does not
 * exist, has no address, or was cancelled (its key is gone, and with it the address).
 */
export async function getMailAddress(deps: AccountDeps, userId: string): Promise<string | null> {
  try {
    return (await getAccount(deps, userId))?.email ?? null;
  } catch (error) {
    if (isAppError(error) && error.code === 'gone') return null;
    throw error;
  }
}

/**
 * The user corrects their name (the only profile field they own; email and avatar come from the
 * sign-in provider and are corrected there). The correction outlives later sign-ins.
 */
export async function updateAccountName(
  deps: AccountDeps,
  userId: string,
  name: string,
): Promise<void> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || [...trimmed].length > 100) {
    throw AppError.because('name_invalid', 'the name must be 1 to 100 characters', { max: 100 });
  }
  const key = await requireUserKey(deps.db, deps.masterKey, userId);
  await setUserName(deps.db, key, userId, trimmed, deps.clock.now());
}
