import type { Db, DbTransaction } from '../../db/database.js';
import { MasterKey, newDataKey } from '../../adapters/crypto/envelope.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { userKeyLabel } from '../../db/encrypted-columns.js';
import { rewrapKeyring } from '../../db/keyring-rotation.js';

/** Per-user data keys, stored only wrapped by the master key. Deleting the row shreds the user. */
export async function createUserKey(
  trx: DbTransaction,
  master: MasterKey,
  clock: Clock,
  userId: string,
): Promise<Buffer> {
  const key = newDataKey();
  await trx
    .insertInto('keyring.user_keys')
    .values({
      user_id: userId,
      wrapped_key: master.wrap(key, userKeyLabel(userId)),
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
    .selectFrom('keyring.user_keys')
    .select(['wrapped_key', 'master_key_id'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new AppError('gone', 'the data key of this account no longer exists');
  return master.unwrap(row.wrapped_key, userKeyLabel(userId), row.master_key_id);
}

/** Crypto-shredding: without this key nothing the user stored can be read again, anywhere. */
export async function shredUserKey(db: Db | DbTransaction, userId: string): Promise<void> {
  await db.deleteFrom('keyring.user_keys').where('user_id', '=', userId).execute();
}

/**
 * Master-key rotation: re-wraps every data key still wrapped by an older master key with the
 * current one, in batches. Data is not touched. Returns how many keys moved.
 */
export async function rewrapUserKeys(db: Db, master: MasterKey, batchSize = 500): Promise<number> {
  return rewrapKeyring(db, master, 'users', batchSize);
}
