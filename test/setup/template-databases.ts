import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { JobQueue } from '../../src/adapters/queue/job-queue.js';
import type { DatabaseConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import {
  dropPostgresDatabase,
  postgresUrlFor,
  waitForNoConnections,
  withAdminClient,
  type TemplateDatabases,
} from '../support/databases.js';

// Once per run: one migrated PostgreSQL database to clone with `create database … template`, and
// PGlite data folders to copy. Each test file still gets a database of its own.

const log = createLogger({ level: 'silent' });

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgres = `instune_template_${randomBytes(6).toString('hex')}`;
  const teardown = () => dropPostgresDatabase(postgres);
  let pglite: { empty: string; migrated: string };
  try {
    await withAdminClient((admin) => admin.query(`create database ${postgres}`));
    [, pglite] = await Promise.all([
      prepareSchema({ kind: 'postgres', url: postgresUrlFor(postgres) }),
      pgliteClusters(),
    ]);
    // Cloning refuses a template that still has a backend, and pg's pool closes lazily.
    await withAdminClient((admin) => waitForNoConnections(admin, postgres));
  } catch (error) {
    await teardown();
    throw error;
  }
  const templates: TemplateDatabases = {
    postgres,
    pglite: pglite.migrated,
    pgliteEmpty: pglite.empty,
  };
  project.provide('templateDatabases', templates);
  return teardown;
}

/**
 * PGlite's initdb and migrations cost seconds of single-threaded WASM, and their output depends
 * only on the PGlite and pg-boss releases and the migration files, so both clusters are kept
 * between runs under those keys (beside other tool caches in node_modules, which a new install
 * replaces). Test files only ever copy them. The app still migrates at start, so a cluster that
 * missed a new migration would be brought up to date rather than tested stale.
 */
async function pgliteClusters(): Promise<{ empty: string; migrated: string }> {
  const root = path.resolve(import.meta.dirname, '../..');
  const cache = path.join(root, 'node_modules/.cache/instune-tests');
  const versionOf = async (name: string) =>
    (
      JSON.parse(await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  const pgliteVersion = await versionOf('@electric-sql/pglite');
  const empty = await cachedCluster(path.join(cache, `pglite-${pgliteVersion}-empty`), (dir) =>
    openDatabase({ kind: 'pglite', dataDir: dir }, log).then((db) => db.close()),
  );
  const hash = createHash('sha256')
    .update('migrations and pg-boss, no queues')
    .update(pgliteVersion)
    .update(await versionOf('pg-boss'));
  const migrationsDir = path.join(root, 'src/db/migrations');
  for (const file of [
    path.join(root, 'src/db/migrations.ts'),
    ...(await readdir(migrationsDir)).sort().map((name) => path.join(migrationsDir, name)),
  ]) {
    hash.update(file).update(await readFile(file));
  }
  const key = `pglite-${pgliteVersion}-migrated-${hash.digest('hex').slice(0, 16)}`;
  const migrated = await cachedCluster(path.join(cache, key), async (dir) => {
    await cp(empty, dir, { recursive: true });
    await prepareSchema({ kind: 'pglite', dataDir: dir });
    // Clusters for older migrations are of no further use (about 40 MB each).
    for (const name of await readdir(cache)) {
      if (/^pglite-.+-migrated-[0-9a-f]+$/.test(name) && name !== key)
        await rm(path.join(cache, name), { recursive: true, force: true });
    }
  });
  return { empty, migrated };
}

async function cachedCluster(folder: string, build: (dir: string) => Promise<void>) {
  if (existsSync(folder)) return folder;
  const building = `${folder}.${randomBytes(4).toString('hex')}`;
  try {
    await build(building);
    // A rename is atomic, so a run that stops half-way never leaves a broken cluster behind.
    await rename(building, folder);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    if (!existsSync(folder)) throw error;
  }
  return folder;
}

/**
 * The app's migrations, then pg-boss's own schema. The queues themselves are left to each app's
 * start: creating them here would mean importing every job and the services behind them into
 * this process, which costs more than the queue DDL it saves.
 */
async function prepareSchema(config: DatabaseConfig): Promise<void> {
  const database = await openDatabase(config, log);
  try {
    await migrateToLatest(database.db);
    const queue = new JobQueue(database, systemClock, log, { supervise: false });
    await queue.start([]);
    await queue.stop();
  } finally {
    await database.close();
  }
}
