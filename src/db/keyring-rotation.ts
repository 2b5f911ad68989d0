import { sql } from 'kysely';
import type { MasterKey } from '../adapters/crypto/envelope.js';
import type { Db } from './database.js';
import { contactKeyLabel, userKeyLabel } from './encrypted-columns.js';

/**
 * The tables of data keys wrapped by the master key: the column naming each key's owner and the
 * label bound into its wrap. A new keyring table is listed here to be rotated with the others.
 */
const keyrings = {
  users: { table: 'keyring.user_keys', owner: 'user_id', label: userKeyLabel },
  contacts: { table: 'keyring.contact_keys', owner: 'contact_id', label: contactKeyLabel },
} as const;

/**
 * Master-key rotation for one keyring: re-wraps every data key still wrapped by an older master
 * key with the current one, in batches; no data is re-encrypted. The update names the old
 * master key, so a key another process moved meanwhile is left as it is. Returns how many moved.
 */
export async function rewrapKeyring(
  db: Db,
  master: MasterKey,
  keyring: keyof typeof keyrings,
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
