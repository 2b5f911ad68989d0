import { sql, type Kysely } from 'kysely';

/**
 * The seed column takes the engine's whole range (0..2^32−1, music/limits.ts). An `integer`
 * stops at 2^31−1, which is why the web service used to refuse half the seeds the CLI accepts.
 * Existing values are all within both ranges, so the change only widens.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table generations alter column seed type bigint`.execute(db);
  await sql`alter table generations add constraint generations_seed_range
    check (seed between 0 and 4294967295)`.execute(db);
}
