import { sql } from 'kysely';
import type { MasterKey } from '../adapters/crypto/envelope.js';
import { AppError } from '../lib/errors.js';
import type { Db, DbTransaction } from './database.js';
import { contactKeyLabel, userKeyLabel } from './encrypted-columns.js';
import type { DB } from './schema.js';

type KeyringTable = 'keyring.user_keys' | 'keyring.contact_keys';

/**
 * The tables of data keys wrapped by the master key: the column naming each key's owner and the
 * label bound into its wrap. A key is stored, opened and rotated through this map, so the label
 * a key is wrapped under is written once. A new keyring table is listed here.
 */
const keyrings = {
  users: {
    table: 'keyring.user_keys',
    owner: 'user_id',
    label: userKeyLabel,
    gone: 'the data key of this account no longer exists',
  },
  contacts: {
    table: 'keyring.contact_keys',
    owner: 'contact_id',
    label: contactKeyLabel,
    gone: 'the key of this contact message no longer exists',
  },
} as const satisfies Record<
  string,
  {
    [T in KeyringTable]: {
      table: T;
      owner: keyof DB[T] & string;
      label: (ownerId: string) => string;
      /** The `gone` error's message once the owner's key has been shredded. */
      gone: string;
    };
  }[KeyringTable]
>;

export type Keyring = keyof typeof keyrings;

/** Stores `key` for its owner, wrapped by the current master key under the owner's label. */
export async function insertDataKey(
  db: Db | DbTransaction,
  master: MasterKey,
  keyring: Keyring,
  ownerId: string,
  key: Buffer,
  createdAt: Date,
): Promise<void> {
  const { table, owner, label } = keyrings[keyring];
  await sql`
    insert into ${sql.table(table)} (${sql.ref(owner)}, wrapped_key, master_key_id, created_at)
    values (${ownerId}, ${master.wrap(key, label(ownerId))}, ${master.id}, ${createdAt})`.execute(
    db,
  );
}

/** The owner's data key, unwrapped; a `gone` error once the key row is deleted (shredded). */
export async function requireDataKey(
  db: Db | DbTransaction,
  master: MasterKey,
  keyring: Keyring,
  ownerId: string,
): Promise<Buffer> {
  const { table, owner, label, gone } = keyrings[keyring];
  const { rows } = await sql<{ wrapped_key: Uint8Array; master_key_id: string }>`
    select wrapped_key, master_key_id
    from ${sql.table(table)}
    where ${sql.ref(owner)} = ${ownerId}`.execute(db);
  const row = rows[0];
  if (!row) throw new AppError('gone', gone);
  return master.unwrap(row.wrapped_key, label(ownerId), row.master_key_id);
}

/**
 * Master-key rotation for one keyring: re-wraps every data key still wrapped by an older master
 * key with the current one, in batches; no data is re-encrypted. The update names the old
 * master key, so a key another process moved meanwhile is left as it is. Returns how many moved.
 */
export async function rewrapKeyring(
  db: Db,
  master: MasterKey,
  keyring: Keyring,
  batchSize: number,
): Promise<number> {
  const { table, owner, label } = keyrings[keyring];
  let moved = 0;
  for (;;) {
    const { rows } = await sql<{ owner: string; wrapped_key: Uint8Array; master_key_id: string }>`
      select ${sql.ref(owner)} as owner, wrapped_key, master_key_id
      from ${sql.table(table)}
      where master_key_id != ${master.id}
      limit ${batchSize}`.execute(db);
    if (rows.length === 0) return moved;
    for (const row of rows) {
      const key = master.unwrap(row.wrapped_key, label(row.owner), row.master_key_id);
      await sql`
        update ${sql.table(table)}
        set wrapped_key = ${master.wrap(key, label(row.owner))}, master_key_id = ${master.id}
        where ${sql.ref(owner)} = ${row.owner} and master_key_id = ${row.master_key_id}`.execute(
        db,
      );
      moved += 1;
    }
  }
}
