import { sql, type Kysely } from 'kysely';

/**
 * Rights requests get handled (docs/decisions/0021-rights-request-queue.md): staff replies, the
 * language a reply is mailed in, and when the deadline alerts went out. And a name the user
 * corrected stops being overwritten by the provider's at the next sign-in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The language the request was filed in: the reply is mailed in it. Older rows: English.
  await db.schema
    .alterTable('rights_requests')
    .addColumn('language', 'text', (c) =>
      c
        .notNull()
        .defaultTo('en')
        .check(sql`language in ('en', 'zh')`),
    )
    .execute();
  // Set once each, by the deadline sweep, so an alert goes out once per request and stage.
  await db.schema
    .alterTable('rights_requests')
    .addColumn('near_due_alerted_at', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('rights_requests')
    .addColumn('overdue_alerted_at', 'timestamptz')
    .execute();
  // The queue reads open requests by due date.
  await db.schema
    .createIndex('rights_requests_queue_idx')
    .on('rights_requests')
    .columns(['status', 'due_at'])
    .execute();

  // A reply is the user's data (sealed with their key, shredded with the account); the staff id
  // says who answered. No foreign key to users, as for the request it answers.
  await db.schema
    .createTable('rights_request_replies')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) =>
      c.notNull().references('rights_requests.id').onDelete('cascade'),
    )
    .addColumn('staff_user_id', 'uuid', (c) => c.notNull())
    .addColumn('message_enc', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rights_request_replies_request_idx')
    .on('rights_request_replies')
    .columns(['request_id', 'created_at'])
    .execute();

  // Set when the user corrects their name; from then on their name wins over the provider's.
  await db.schema.alterTable('users').addColumn('name_edited_at', 'timestamptz').execute();
}
