import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JobQueue } from '../../src/adapters/queue/job-queue.js';
import { openDatabase, transactionExecutor, type Database } from '../../src/db/database.js';
import { migrateToLatest, migrationNames } from '../../src/db/migrations.js';
import { defineJob } from '../../src/adapters/queue/job-definition.js';
import { createLogger } from '../../src/lib/logger.js';
import { systemClock } from '../../src/lib/clock.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait.js';

const log = createLogger({ level: 'silent' });

describe.each(databaseKinds)('database on %s', (kind) => {
  let testDb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    database = await openDatabase(testDb.config, log);
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  it('applies the migrations once and then has nothing left to apply', async () => {
    expect(await migrateToLatest(database.db)).toEqual(migrationNames);
    expect(migrationNames[0]).toBe('0001-initial');
    expect(await migrateToLatest(database.db)).toEqual([]);
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(
      database.db,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'generations',
        'oidc_logins',
        'sessions',
        'users',
        'credit_accounts',
        'credit_ledger',
        'credit_purchases',
        'payment_events',
      ]),
    );
  });

  it('keeps a transaction isolated from queries issued while it is open', async () => {
    const now = new Date();
    const id = crypto.randomUUID();
    let resolveInside!: () => void;
    const insideStarted = new Promise<void>((resolve) => (resolveInside = resolve));
    const transaction = database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({
          id,
          oidc_issuer: 'i',
          oidc_subject: id,
          email_enc: null,
          name_enc: null,
          avatar_url_enc: null,
          created_at: now,
          last_login_at: now,
        })
        .execute();
      resolveInside();
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('roll back');
    });
    await insideStarted;
    const seen = await database.db.selectFrom('users').select('id').where('id', '=', id).execute();
    await expect(transaction).rejects.toThrow('roll back');
    expect(seen).toEqual([]);
    expect(
      await database.db.selectFrom('users').select('id').where('id', '=', id).execute(),
    ).toEqual([]);
  });

  it('runs pg-boss jobs, and a job enqueued in a rolled-back transaction never exists', async () => {
    const seen: string[] = [];
    const echo = defineJob({
      name: 'echo-test',
      payload: z.object({ word: z.string() }),
      retry: { limit: 0, delaySeconds: 1, backoff: false },
      expireInSeconds: 60,
      handle: async ({ word }) => {
        seen.push(word);
      },
    });
    const queue = new JobQueue(database, systemClock, log, { supervise: false });
    await queue.start([echo]);
    try {
      await expect(
        database.db.transaction().execute(async (trx) => {
          await queue.enqueue(echo, { word: 'ghost' }, { executor: transactionExecutor(trx) });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      await database.db.transaction().execute(async (trx) => {
        await queue.enqueue(echo, { word: 'real' }, { executor: transactionExecutor(trx) });
      });
      await queue.work(['echo-test'], { concurrency: 1, pollingIntervalSeconds: 0.5 });
      // Waits for the positive event (the real job completed) instead of sleeping and hoping a
      // ghost would have run by then: the queue holds one job, so the ghost was never created.
      const jobs = await waitFor(async () => {
        const { rows } = await sql<{ state: string }>`
          select state from pgboss.job where name = 'echo-test'`.execute(database.db);
        return rows.every((r) => r.state === 'completed') && rows.length > 0 ? rows : undefined;
      }, 15_000);
      expect(jobs).toEqual([{ state: 'completed' }]);
      expect(seen).toEqual(['real']);
    } finally {
      await queue.stop();
    }
  });

  it('refuses two job definitions with one name', async () => {
    const job = defineJob({
      name: 'twin',
      payload: z.object({}),
      retry: { limit: 0, delaySeconds: 1, backoff: false },
      expireInSeconds: 60,
      handle: async () => {},
    });
    const queue = new JobQueue(database, systemClock, log, { supervise: false });
    await expect(queue.start([job, job])).rejects.toThrow('two job definitions are named twin');
  });
});
