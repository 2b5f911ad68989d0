import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limit_counters')
    // A keyed hash of (limit, user id or IP): the table never holds an address or an id.
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rate_limit_counters_window_ends_at')
    .on('rate_limit_counters')
    .column('window_ends_at')
    .execute();
  // Counters are short-lived; they are not worth the write-ahead log or the backups.
  await sql`alter table rate_limit_counters set unlogged`.execute(db);
}
