import { sql, type Kysely } from 'kysely';

/**
 * Messages from the contact form, which needs no account. Everything the sender typed is
 * encrypted under a key of its own (there is no user key), wrapped by the master key in the
 * keyring schema like the user keys, so it is backed up and shredded the same way. Unconfirmed
 * messages expire; a confirmed one becomes a rights request (a ticket staff answer), which is
 * why `rights_requests.user_id` may now be empty. docs/decisions/0023.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contact_messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('question', 'complaint', 'rights_request')`),
    )
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'verified')`))
    .addColumn('lang', 'text', (c) => c.notNull().check(sql`lang in ('en', 'zh')`))
    .addColumn('email_enc', 'bytea', (c) => c.notNull())
    .addColumn('name_enc', 'bytea')
    .addColumn('message_enc', 'bytea', (c) => c.notNull())
    // The confirmation link's token, sealed for the mail job and cleared once confirmed; only its
    // hash is looked up.
    .addColumn('token_enc', 'bytea')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // A keyed hash of the address (never the address): bounds the mails one address receives.
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('verified_at', 'timestamptz')
    // Deleting the ticket (retention) deletes the message it was made from.
    .addColumn('request_id', 'uuid', (c) =>
      c.references('rights_requests.id').onDelete('cascade').unique(),
    )
    .execute();
  await db.schema
    .createIndex('contact_messages_pending_idx')
    .on('contact_messages')
    .columns(['status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('contact_messages_email_hash_idx')
    .on('contact_messages')
    .columns(['email_hash', 'created_at'])
    .execute();

  await db.schema
    .createTable('keyring.contact_keys')
    .addColumn('contact_id', 'uuid', (c) => c.primaryKey())
    .addColumn('wrapped_key', 'bytea', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // A ticket from the contact form belongs to no account. (Dropping NOT NULL twice is harmless,
  // should another migration make the same change for cancelled accounts.)
  await sql`alter table rights_requests alter column user_id drop not null`.execute(db);
}
