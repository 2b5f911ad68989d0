import { sql, type Kysely } from 'kysely';

/**
 * Privacy: what the policy promises about encryption, cancellation and six months
 * (docs/decisions/0022-what-is-encrypted-and-six-months.md).
 *
 * 1. `credit_ledger.note_enc`: the free text of a staff adjustment, sealed with the user's key.
 *    `reason` keeps only a fixed code. The append-only trigger lets exactly one update through:
 *    the start-up backfill moving an old plaintext note into `note_enc` (nothing else changes).
 * 2. `rights_requests.user_id` may be null: a cancelled user's tickets are pseudonymised (the
 *    record that each request was answered stays, the link to the person goes).
 * 3. `staff_audit_checkpoints`: the retention sweep deletes audit entries older than six months
 *    from the front of the chain and first records the last deleted entry's seq and hash here;
 *    verification starts from the newest checkpoint. The audit trigger allows a DELETE only of
 *    entries at or before a checkpoint, so the rest of the log stays append-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table credit_ledger add column note_enc bytea`.execute(db);
  await sql`
    create or replace function credit_ledger_refuse_update() returns trigger language plpgsql as $$
    begin
      if old.kind = 'adjustment' and old.note_enc is null and new.note_enc is not null
        and new.reason = 'staff_adjustment'
        and (new.id, new.user_id, new.seq, new.kind, new.amount, new.balance_after, new.entry_key,
             new.generation_id, new.purchase_id, new.shortfall, new.created_at)
          is not distinct from
            (old.id, old.user_id, old.seq, old.kind, old.amount, old.balance_after, old.entry_key,
             old.generation_id, old.purchase_id, old.shortfall, old.created_at)
      then
        return new;
      end if;
      raise exception 'credit_ledger is append-only';
    end;
    $$
  `.execute(db);

  await sql`alter table rights_requests alter column user_id drop not null`.execute(db);
  await sql`create index rights_requests_closed_idx on rights_requests (closed_at)
    where closed_at is not null`.execute(db);

  await db.schema
    .createTable('staff_audit_checkpoints')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().check(sql`seq >= 1`))
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`
    create function staff_audit_checkpoints_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'staff_audit_checkpoints is append-only';
    end;
    $$
  `.execute(db);
  await sql`
    create trigger staff_audit_checkpoints_append_only before update or delete
    on staff_audit_checkpoints
    for each row execute function staff_audit_checkpoints_refuse_change()
  `.execute(db);
  await sql`
    create or replace function staff_audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and tg_level = 'ROW'
        and exists (select 1 from staff_audit_checkpoints c where c.seq >= old.seq) then
        return old;
      end if;
      raise exception 'staff_audit_log is append-only';
    end;
    $$
  `.execute(db);
  await sql`create index generations_created_idx on generations (created_at)`.execute(db);
}
