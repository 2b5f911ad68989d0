import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('generations')
    // The piece a variation was made from; the link goes when the original is deleted.
    .addColumn('parent_id', 'uuid', (c) => c.references('generations.id').onDelete('set null'))
    // The full plan and image features (encrypted), kept as long as the music (24 h), so a
    // variation can be composed after the uploaded image itself has been deleted.
    .addColumn('recipe_enc', 'bytea')
    .execute();
}
