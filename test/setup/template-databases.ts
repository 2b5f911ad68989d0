import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { JobQueue } from '../../src/adapters/queue/job-queue.js';
import type { DatabaseConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import type { AnyJobDefinition } from '../../src/adapters/queue/job-definition.js';
import type { JobDeps } from '../../src/jobs/registry.js';
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
    .update('migrations, pg-boss and the queues')
    .update(pgliteVersion)
    .update(await versionOf('pg-boss'));
  const migrationsDir = path.join(root, 'src/db/migrations');
  for (const file of [
    path.join(root, 'src/db/migrations.ts'),
    ...(await readdir(migrationsDir)).sort().map((name) => path.join(migrationsDir, name)),
  ]) {
    hash.update(path.relative(root, file)).update(await readFile(file));
  }
  const key = `pglite-${pgliteVersion}-migrated-${hash.digest('hex').slice(0, 16)}`;
  const migrated = await cachedCluster(path.join(cache, key), async (dir) => {
    await cp(empty, dir, { recursive: true });
    // PGlite's queue DDL costs seconds per app, so the cached cluster has the queues too.
    await prepareSchema({ kind: 'pglite', dataDir: dir }, { withQueues: true });
    // Clusters for older migrations are of no further use (about 40 MB each). Only day-old ones
    // go: another checkout sharing these node_modules may be copying from its own right now.
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    for (const name of await readdir(cache)) {
      const other = path.join(cache, name);
      if (/^pglite-.+-migrated-[0-9a-f]+$/.test(name) && (await stat(other)).mtimeMs < dayAgo)
        await rm(other, { recursive: true, force: true });
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
 * The app's migrations, then pg-boss's own schema and, on request, one queue per job. Each app
 * still creates or updates its queues at start, so queues here only save that DDL. They mean
 * loading every job and the services behind them into this process (about 14 s on a loaded
 * machine), which pays only for a cluster that is kept between runs.
 */
async function prepareSchema(
  config: DatabaseConfig,
  { withQueues = false }: { withQueues?: boolean } = {},
): Promise<void> {
  const database = await openDatabase(config, log);
  try {
    await migrateToLatest(database.db);
    const queue = new JobQueue(database, systemClock, log, { supervise: false });
    let definitions: AnyJobDefinition[] = [];
    if (withQueues) {
      const { buildJobRegistry } = await import('../../src/jobs/registry.js');
      // Only the definitions' names and policies are read; no handler runs, so the services
      // behind them are not needed.
      definitions = buildJobRegistry({
        db: database.db,
        clock: systemClock,
        queue: () => queue,
      } as unknown as JobDeps);
    }
    await queue.start(definitions);
    await queue.stop();
  } finally {
    await database.close();
  }
}
