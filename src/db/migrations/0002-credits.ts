import { sql, type Kysely } from 'kysely';

// Forward-only: a later change is a new migration, never an edit of this one.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per user that has ever had credits. Writers lock it FOR UPDATE, so the ledger of one
  // user is appended to by one transaction at a time (docs/decisions/0004-credit-ledger.md).
  await db.schema
    .createTable('credit_accounts')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Append-only. `seq` numbers a user's entries 1, 2, 3, …; `balance_after` is the running sum of
  // `amount` up to and including the entry, so the newest entry carries the balance.
  await db.schema
    .createTable('credit_ledger')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) =>
      c.notNull().references('credit_accounts.user_id').onDelete('cascade'),
    )
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(sql`kind in ('grant', 'reservation', 'capture', 'release', 'refund', 'adjustment')`),
    )
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('balance_after', 'integer', (c) => c.notNull().check(sql`balance_after >= 0`))
    // Makes every effect idempotent: 'free:<user>', 'reserve:<generation>', 'settle:<generation>'
    // (shared by capture and release, so a reservation ends exactly once), 'purchase:<purchase>',
    // 'refund:<purchase>:<cents refunded so far>', 'adjust:<caller key>'.
    .addColumn('entry_key', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('generation_id', 'uuid')
    .addColumn('purchase_id', 'uuid')
    // Credits a refund should have taken back but could not without going below zero.
    .addColumn('shortfall', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`shortfall >= 0`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('credit_ledger_entry_key_unique', ['entry_key'])
    // Two writers that both read seq n cannot both append n+1: the loser fails instead of
    // silently overwriting (a second line of defence behind the row lock).
    .addUniqueConstraint('credit_ledger_user_seq_unique', ['user_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('credit_ledger_generation_idx')
    .on('credit_ledger')
    .column('generation_id')
    .where(sql.ref('generation_id'), 'is not', null)
    .execute();

  // Entries are facts: never edited. (Deleting them is the account-erasure path, via cascade.)
  await sql`
    create function credit_ledger_refuse_update() returns trigger language plpgsql as $$
    begin
      raise exception 'credit_ledger is append-only';
    end;
    $$
  `.execute(db);
  await sql`
    create trigger credit_ledger_append_only before update on credit_ledger
    for each row execute function credit_ledger_refuse_update()
  `.execute(db);

  // What we keep of a purchase: order id, pack, amount, currency, payment result and status.
  // No card data, no e-mail. user_id goes to null on erasure; the payment record stays.
  await db.schema
    .createTable('credit_purchases')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('stripe', 'local')`))
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('credits', 'integer', (c) => c.notNull().check(sql`credits > 0`))
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(sql`status in ('pending', 'paid', 'partially_refunded', 'refunded', 'expired')`),
    )
    .addColumn('checkout_session_id', 'text')
    .addColumn('payment_intent_id', 'text')
    .addColumn('payment_status', 'text')
    .addColumn('refunded_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_refunded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('paid_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('credit_purchases_session_unique', ['checkout_session_id'])
    .addUniqueConstraint('credit_purchases_payment_intent_unique', ['payment_intent_id'])
    .execute();
  await db.schema
    .createIndex('credit_purchases_user_idx')
    .on('credit_purchases')
    .columns(['user_id', 'created_at'])
    .execute();

  // Every webhook event id we acted on, recorded in the same transaction as its effect.
  await db.schema
    .createTable('payment_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
}
