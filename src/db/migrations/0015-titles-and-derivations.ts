import { sql, type Kysely } from 'kysely';

/**
 * A piece's own title, as its owner typed it (user text, so sealed under the owner's key like
 * the description: `generation:<id>:title`), and how a derived piece was made from its original
 * (a variation, one of "two versions", or an extension), so the library can say which is which.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('generations')
    .addColumn('title_enc', 'bytea')
    .addColumn('derivation', 'text')
    .execute();
  await sql`alter table generations add constraint generations_derivation_kind
    check (derivation in ('variation', 'version', 'extension'))`.execute(db);
}
