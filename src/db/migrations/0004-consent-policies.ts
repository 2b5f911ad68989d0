import { sql, type Kysely } from 'kysely';

// Forward-only: a later change is a new migration, never an edit of this one.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The record of cookie choices. One of user_id / anonymous_id, never an IP address. Rows of an
  // account go with it; the rest are pruned after six months like other log data.
  await db.schema
    .createTable('consent_log')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('anonymous_id', 'text')
    .addColumn('purpose', 'text', (c) =>
      c.notNull().check(sql`purpose in ('preferences', 'analytics')`),
    )
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('granted', 'denied')`))
    .addColumn('policy_version', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('consent_log_one_subject', sql`(user_id is null) <> (anonymous_id is null)`)
    .execute();
  await db.schema
    .createIndex('consent_log_user_idx')
    .on('consent_log')
    .columns(['user_id', 'decided_at'])
    .execute();
  await db.schema
    .createIndex('consent_log_decided_idx')
    .on('consent_log')
    .column('decided_at')
    .execute();

  await db.schema
    .createTable('policy_acceptances')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_acceptances_pk', ['user_id', 'version'])
    .execute();

  // One notice per (user, version): the key that makes the notice job idempotent.
  await db.schema
    .createTable('policy_notices')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'sending', 'sent', 'skipped')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('policy_notices_pk', ['user_id', 'version'])
    .execute();
  await db.schema
    .createIndex('policy_notices_open_idx')
    .on('policy_notices')
    .columns(['status', 'created_at'])
    .where(sql.ref('status'), 'in', ['pending', 'sending'])
    .execute();
}
