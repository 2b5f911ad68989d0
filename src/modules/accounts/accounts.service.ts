import type { MasterKey } from '../../adapters/crypto/envelope.js';
import { openText, sealText } from '../../adapters/crypto/envelope.js';
import type { VerifiedIdentity } from '../../adapters/oidc/oidc-client.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { grantFreeCredits } from '../credits/credits.service.js';
import { createUserKey, requireUserKey } from './user-keys.js';

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
    const existing = await trx
      .selectFrom('users')
      .select('id')
      .where('oidc_issuer', '=', identity.issuer)
      .where('oidc_subject', '=', identity.subject)
      .forUpdate()
      .executeTakeFirst();
    const userId = existing?.id ?? newId();
    if (!existing) {
      // A concurrent first sign-in of the same identity loses on the unique constraint and retries.
      const inserted = await trx
        .insertInto('users')
        .values({
          id: userId,
          oidc_issuer: identity.issuer,
          oidc_subject: identity.subject,
          email_enc: null,
          name_enc: null,
          avatar_url_enc: null,
          created_at: now,
          last_login_at: now,
        })
        .onConflict((oc) => oc.constraint('users_identity_unique').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted)
        throw new AppError('conflict', 'sign-in raced with another sign-in; try again');
      // In the creating transaction, keyed by user: an account gets its allowance exactly once.
      await grantFreeCredits(trx, now, userId, deps.freeCredits);
    }
    const userKey = existing
      ? await requireUserKey(trx, deps.masterKey, userId)
      : await createUserKey(trx, deps.masterKey, deps.clock, userId);
    await trx
      .updateTable('users')
      .set({
        email_enc: identity.email
          ? sealText(userKey, identity.email, `user:${userId}:email`)
          : null,
        name_enc: identity.name ? sealText(userKey, identity.name, `user:${userId}:name`) : null,
        avatar_url_enc: identity.avatarUrl
          ? sealText(userKey, identity.avatarUrl, `user:${userId}:avatar`)
          : null,
        last_login_at: now,
      })
      .where('id', '=', userId)
      .execute();
    return userId;
  });
}

export async function getAccount(deps: AccountDeps, userId: string): Promise<Account | null> {
  const row = await deps.db
    .selectFrom('users')
    .select(['id', 'email_enc', 'name_enc', 'avatar_url_enc', 'created_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!row) return null;
  const key = await requireUserKey(deps.db, deps.masterKey, userId);
  return {
    id: row.id,
    email: row.email_enc ? openText(key, row.email_enc, `user:${userId}:email`) : null,
    name: row.name_enc ? openText(key, row.name_enc, `user:${userId}:name`) : null,
    avatarUrl: row.avatar_url_enc
      ? openText(key, row.avatar_url_enc, `user:${userId}:avatar`)
      : null,
    createdAt: row.created_at,
  };
}

/** The user corrects their name (the only profile field they own; email comes from sign-in). */
export async function updateAccountName(
  deps: AccountDeps,
  userId: string,
  name: string,
): Promise<void> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || [...trimmed].length > 100) {
    throw new AppError('validation_failed', 'the name must be 1 to 100 characters');
  }
  const key = await requireUserKey(deps.db, deps.masterKey, userId);
  await deps.db
    .updateTable('users')
    .set({ name_enc: sealText(key, trimmed, `user:${userId}:name`) })
    .where('id', '=', userId)
    .execute();
}
