import { sql, type Kysely } from 'kysely';

/**
 * Which worker runs which job (docs/decisions/0013-job-claims-and-worker-leases.md). A claim is
 * written in the transaction that takes the job from the queue and removed in the one that
 * completes or fails it, so a job is active exactly while a claim names it. `worker_lease`
 * identifies the process by a lease it holds on the database (an advisory lock on its own
 * connection); a claim whose lease is gone belongs to a worker that stopped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_claims')
    .addColumn('job_id', 'uuid', (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('worker_lease', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('job_claims_worker_lease')
    .on('job_claims')
    .column('worker_lease')
    .execute();

  // The delivery of generate-music that runs this generation now. Another delivery (a duplicate
  // message) may take over only when that job's claim is gone, so one generation never runs
  // twice at once, and a stale run cannot overwrite the stage or the result.
  await db.schema.alterTable('generations').addColumn('run_job_id', 'uuid').execute();

  // Every change of stage or status is announced when it commits, so event streams push instead
  // of polling. The payload is the id only: no personal data travels in notifications.
  await sql`
    create function notify_generation_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('instune_generation', coalesce(new.id, old.id)::text);
      return null;
    end $$
  `.execute(db);
  await sql`
    create trigger generations_notify_change
    after update of stage, status, output_object or delete on generations
    for each row execute function notify_generation_change()
  `.execute(db);
}
