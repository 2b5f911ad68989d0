import { sql, type Kysely } from 'kysely';

// Forward-only: a later change is a new migration, never an edit of this one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('oidc_issuer', 'text', (c) => c.notNull())
    .addColumn('oidc_subject', 'text', (c) => c.notNull())
    .addColumn('email_enc', 'bytea')
    .addColumn('name_enc', 'bytea')
    .addColumn('avatar_url_enc', 'bytea')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_login_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('users_identity_unique', ['oidc_issuer', 'oidc_subject'])
    .execute();

  // Data keys live in their own schema so backups of user data can leave them out: deleting a
  // key then makes the user's rows and files unreadable in every backup (crypto-shredding).
  await db.schema.createSchema('keyring').execute();
  await db.schema
    .createTable('keyring.user_keys')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey())
    .addColumn('wrapped_key', 'bytea', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('oidc_logins')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('generations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed')`),
    )
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('seconds', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('input_object', 'text')
    .addColumn('input_mime', 'text')
    .addColumn('text_enc', 'bytea')
    .addColumn('output_object', 'text')
    .addColumn('output_bytes', 'integer')
    .addColumn('plan_enc', 'bytea')
    .addColumn('error_code', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('input_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('output_expires_at', 'timestamptz')
    .addUniqueConstraint('generations_idempotency_unique', ['user_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('generations_user_created_idx')
    .on('generations')
    .columns(['user_id', 'created_at'])
    .execute();
}
