import type { Db, DbTransaction } from '../../db/database.js';
import { openField, sealField } from '../../db/encrypted-columns.js';

/**
 * The `users` table: every query on it, and the sealing and opening of its encrypted profile
 * columns (email, name, avatar), live here (docs/decisions/0018-repositories.md).
 */

type Executor = Db | DbTransaction;

export interface Profile {
  email: string | null;
  name: string | null;
  avatarUrl: string | null;
}

/** The account of a sign-in identity, locked until the transaction ends. */
export async function lockUserByIdentity(
  trx: DbTransaction,
  identity: { issuer: string; subject: string },
): Promise<{ id: string; name_edited_at: Date | null } | undefined> {
  return trx
    .selectFrom('users')
    .select(['id', 'name_edited_at'])
    .where('oidc_issuer', '=', identity.issuer)
    .where('oidc_subject', '=', identity.subject)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Inserts an account with an empty profile. False when the identity already has one (a
 * concurrent first sign-in won the unique constraint).
 */
export async function insertUser(
  trx: DbTransaction,
  user: { id: string; issuer: string; subject: string; now: Date },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('users')
    .values({
      id: user.id,
      oidc_issuer: user.issuer,
      oidc_subject: user.subject,
      email_enc: null,
      name_enc: null,
      avatar_url_enc: null,
      created_at: user.now,
      last_login_at: user.now,
      name_edited_at: null,
    })
    .onConflict((oc) => oc.constraint('users_identity_unique').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Replaces the profile with what the identity provider says now, and records the sign-in. A name
 * the user corrected (`keepName`) stays: their own edit wins over the provider's on later sign-ins.
 */
export async function recordSignIn(
  trx: DbTransaction,
  userKey: Uint8Array,
  userId: string,
  profile: Profile,
  now: Date,
  options: { keepName: boolean } = { keepName: false },
): Promise<void> {
  const seal = (field: 'email' | 'name' | 'avatar', value: string | null) =>
    value ? sealField(userKey, 'users', field, userId, value) : null;
  await trx
    .updateTable('users')
    .set({
      email_enc: seal('email', profile.email),
      ...(options.keepName ? {} : { name_enc: seal('name', profile.name) }),
      avatar_url_enc: seal('avatar', profile.avatarUrl),
      last_login_at: now,
    })
    .where('id', '=', userId)
    .execute();
}

/** The stored (still sealed) account row, if any. */
export async function findUser(db: Executor, userId: string) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'oidc_issuer',
      'email_enc',
      'name_enc',
      'avatar_url_enc',
      'created_at',
      'last_login_at',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;

export function openProfile(userKey: Uint8Array, row: UserRow): Profile {
  const open = (field: 'email' | 'name' | 'avatar', sealed: Uint8Array | null) =>
    sealed ? openField(userKey, 'users', field, row.id, sealed) : null;
  return {
    email: open('email', row.email_enc),
    name: open('name', row.name_enc),
    avatarUrl: open('avatar', row.avatar_url_enc),
  };
}

/** The user's own correction: marked, so the next sign-in does not put the provider's name back. */
export async function setUserName(
  db: Executor,
  userKey: Uint8Array,
  userId: string,
  name: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ name_enc: sealField(userKey, 'users', 'name', userId, name), name_edited_at: now })
    .where('id', '=', userId)
    .execute();
}

export async function userExists(db: Executor, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** Locks the user's row until the transaction ends: serialises one user's requests. */
export async function lockUser(trx: DbTransaction, userId: string): Promise<void> {
  await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
}

/**
 * Releases the sign-in identity and drops the profile: signing in again starts a new account.
 * The row stays until the deletion job has removed the account's files.
 */
export async function releaseIdentity(
  trx: DbTransaction,
  userId: string,
  cancelledIssuer: string,
): Promise<void> {
  await trx
    .updateTable('users')
    .set({
      oidc_issuer: cancelledIssuer,
      oidc_subject: userId,
      email_enc: null,
      name_enc: null,
      avatar_url_enc: null,
      name_edited_at: null,
    })
    .where('id', '=', userId)
    .execute();
}

export async function deleteUser(trx: DbTransaction, userId: string): Promise<void> {
  await trx.deleteFrom('users').where('id', '=', userId).execute();
}

/**
 * Accounts a policy version's notice should go to: created before it took effect, with an
 * email, that accepted none of `acceptedVersions` and were not sent a notice of `version`.
 */
export async function findUsersDueNotice(
  trx: DbTransaction,
  query: { createdBefore: Date; acceptedVersions: string[]; version: string; limit: number },
): Promise<Array<{ id: string }>> {
  return trx
    .selectFrom('users')
    .select('users.id')
    .where('users.created_at', '<', query.createdBefore)
    .where('users.email_enc', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('policy_acceptances')
            .select('policy_acceptances.user_id')
            .whereRef('policy_acceptances.user_id', '=', 'users.id')
            .where('policy_acceptances.version', 'in', query.acceptedVersions),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('policy_notices')
            .select('policy_notices.user_id')
            .whereRef('policy_notices.user_id', '=', 'users.id')
            .where('policy_notices.version', '=', query.version),
        ),
      ),
    )
    .orderBy('users.id')
    .limit(query.limit)
    .execute();
}
