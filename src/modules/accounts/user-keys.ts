import type { Db, DbTransaction } from '../../db/database.js';
import { MasterKey, newDataKey } from '../../adapters/crypto/envelope.js';
import type { Clock } from '../../lib/clock.js';
import { insertDataKey, requireDataKey, rewrapKeyring } from '../../db/keyrings.js';

/** Per-user data keys, stored only wrapped by the master key. Deleting the row shreds the user. */
export async function createUserKey(
  trx: DbTransaction,
  master: MasterKey,
  clock: Clock,
  userId: string,
): Promise<Buffer> {
  const key = newDataKey();
  await insertDataKey(trx, master, 'users', userId, key, clock.now());
  return key;
}

export async function requireUserKey(
  db: Db | DbTransaction,
  master: MasterKey,
  userId: string,
): Promise<Buffer> {
  return requireDataKey(db, master, 'users', userId);
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
