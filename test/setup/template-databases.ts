import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { JobQueue } from '../../src/adapters/queue/job-queue.js';
import type { DatabaseConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { buildJobRegistry, type JobDeps } from '../../src/jobs/registry.js';
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
  const folder = await mkdtemp(path.join(tmpdir(), 'instune-templates-'));
  const postgres = `instune_template_${randomBytes(6).toString('hex')}`;
  const templates: TemplateDatabases = {
    postgres,
    pglite: path.join(folder, 'pglite'),
    pgliteEmpty: path.join(folder, 'pglite-empty'),
  };
  const teardown = async () => {
    await dropPostgresDatabase(postgres);
    await rm(folder, { recursive: true, force: true });
  };
  try {
    await withAdminClient((admin) => admin.query(`create database ${postgres}`));
    await Promise.all([
      prepareSchema({ kind: 'postgres', url: postgresUrlFor(postgres) }),
      (async () => {
        await cp(await emptyPgliteCluster(), templates.pgliteEmpty, { recursive: true });
        await cp(templates.pgliteEmpty, templates.pglite, { recursive: true });
        await prepareSchema({ kind: 'pglite', dataDir: templates.pglite });
      })(),
    ]);
    // Cloning refuses a template that still has a backend, and pg's pool closes lazily.
    await withAdminClient((admin) => waitForNoConnections(admin, postgres));
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('templateDatabases', templates);
  return teardown;
}

/**
 * PGlite's initdb costs seconds of WASM and its output depends only on the PGlite release, so it
 * is kept between runs (beside other tool caches in node_modules, which a new install replaces).
 */
async function emptyPgliteCluster(): Promise<string> {
  const root = path.resolve(import.meta.dirname, '../..');
  const manifest = path.join(root, 'node_modules/@electric-sql/pglite/package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  const cached = path.join(root, 'node_modules/.cache/instune-tests', `pglite-${version}-empty`);
  if (existsSync(cached)) return cached;
  const building = `${cached}.${randomBytes(4).toString('hex')}`;
  const empty = await openDatabase({ kind: 'pglite', dataDir: building }, log);
  await empty.close();
  // A rename is atomic, so a run that stops half-way never leaves a broken cluster behind.
  await rename(building, cached).catch(async () => rm(building, { recursive: true, force: true }));
  return cached;
}

/** The app's migrations, then pg-boss's own schema and one queue per job definition. */
async function prepareSchema(config: DatabaseConfig): Promise<void> {
  const database = await openDatabase(config, log);
  try {
    await migrateToLatest(database.db);
    const queue = new JobQueue(database, systemClock, log, { supervise: false });
    // Only the definitions' names and retry policies are read here; no handler runs, so the
    // services behind them are not needed.
    const definitions = buildJobRegistry({
      db: database.db,
      clock: systemClock,
      queue: () => queue,
    } as unknown as JobDeps);
    await queue.start(definitions);
    await queue.stop();
  } finally {
    await database.close();
  }
}
