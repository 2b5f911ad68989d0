import { sql, type Kysely } from 'kysely';

// Forward-only: a later change is a new migration, never an edit of this one.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Deny by default: a user without a row here is not staff. One row per role held.
  // granted_by is a staff user id, or 'cli' for the operator who bootstraps the first admin.
  await db.schema
    .createTable('staff_roles')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('support', 'admin', 'auditor')`),
    )
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_roles_pkey', ['user_id', 'role'])
    .execute();

  // Hash-chained (docs/decisions/0005-audit-log.md). No foreign keys: an entry outlives the
  // accounts it names, and erasing an account must not rewrite history. Ids only, no content.
  // `seq` is assigned by the writer under the chain lock rather than by an identity column:
  // identity values leave gaps on rollback, and a gap must be able to mean "a row was deleted".
  await db.schema
    .createTable('staff_audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().check(sql`seq >= 1`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('staff_user_id', 'text', (c) => c.notNull())
    .addColumn('staff_role', 'text', (c) =>
      c.notNull().check(sql`staff_role in ('support', 'admin', 'auditor', 'cli')`),
    )
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_user_id', 'uuid')
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull().check(sql`prev_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('hash', 'text', (c) => c.notNull().check(sql`hash ~ '^[0-9a-f]{64}$'`))
    .execute();
  await db.schema
    .createIndex('staff_audit_log_subject_idx')
    .on('staff_audit_log')
    .columns(['subject_user_id', 'seq'])
    .where(sql.ref('subject_user_id'), 'is not', null)
    .execute();

  // The application only ever inserts. The trigger stops an accident or a bug; someone who can
  // disable triggers can still edit rows, and the hash chain is what catches that.
  await sql`
    create function staff_audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'staff_audit_log is append-only';
    end;
    $$
  `.execute(db);
  await sql`
    create trigger staff_audit_log_append_only before update or delete on staff_audit_log
    for each row execute function staff_audit_log_refuse_change()
  `.execute(db);
  await sql`
    create trigger staff_audit_log_no_truncate before truncate on staff_audit_log
    for each statement execute function staff_audit_log_refuse_change()
  `.execute(db);
}
