import type { Db, DbTransaction } from '../../db/database.js';
import { MasterKey, newDataKey } from '../../adapters/crypto/envelope.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';

/** Per-user data keys, stored only wrapped by the master key. Deleting the row shreds the user. */
export async function createUserKey(
  trx: DbTransaction,
  master: MasterKey,
  clock: Clock,
  userId: string,
): Promise<Buffer> {
  const key = newDataKey();
  await trx
    .insertInto('user_keys')
    .values({
      user_id: userId,
      wrapped_key: master.wrap(key, `user:${userId}`),
      master_key_id: master.id,
      created_at: clock.now(),
    })
    .execute();
  return key;
}

export async function requireUserKey(
  db: Db | DbTransaction,
  master: MasterKey,
  userId: string,
): Promise<Buffer> {
  const row = await db
    .selectFrom('user_keys')
    .select(['wrapped_key', 'master_key_id'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new AppError('gone', 'the data key of this account no longer exists');
  if (row.master_key_id !== master.id) {
    throw new AppError('internal', 'user key is wrapped by a different master key');
  }
  return master.unwrap(row.wrapped_key, `user:${userId}`);
}
