import type { Kysely } from 'kysely';

/** Where a sweep that walks the blob store in batches stopped; the next run goes on from there. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sweep_cursors')
    .addColumn('name', 'text', (c) => c.primaryKey())
    // The last key looked at; null once a walk has reached the end and starts over.
    .addColumn('after_key', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}
