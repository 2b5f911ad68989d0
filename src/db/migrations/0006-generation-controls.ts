import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The create page's explicit choices (style, mood, tempo, lead instrument, loop). They are
  // settings, not personal content, so they stay readable like seed and length.
  await db.schema.alterTable('generations').addColumn('controls', 'jsonb').execute();
}
