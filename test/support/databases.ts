import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseConfig } from '../../src/config/config.js';

/** The local PostgreSQL server; CI has it too. Override with TEST_POSTGRES_URL. */
export const postgresAdminUrl =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type DatabaseKind = DatabaseConfig['kind'];
export const databaseKinds: DatabaseKind[] = ['pglite', 'postgres'];

/**
 * Made once per run by test/setup/template-databases.ts. A PGlite cluster costs seconds of WASM
 * `initdb` and every schema costs its migrations and pg-boss's install, so files copy these instead.
 */
export interface TemplateDatabases {
  /** A PostgreSQL database at the latest migration, with pg-boss installed; cloned, never opened. */
  postgres: string;
  /** A closed PGlite data folder at the latest migration, with pg-boss and the app's queues. */
  pglite: string;
  /** A closed PGlite data folder straight after initdb: an empty database. */
  pgliteEmpty: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabases: TemplateDatabases | undefined;
  }
}

export interface TestDatabase {
  config: DatabaseConfig;
  dataDir: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * `migrated` starts from the run's template (schema and pg-boss already there; the app's
   * migrator then finds nothing to apply). `empty` is for tests of migrating itself.
   */
  schema?: 'empty' | 'migrated';
}

/**
 * A fresh database of the given kind with its own data folder, so test files never share state
 * and nothing needs wiping. Without templates (a run that skipped the global setup) a `migrated`
 * database starts empty, and the app's own migrate-at-start brings it up to date.
 */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const templates = runTemplates();
  const migrated = options.schema === 'migrated';
  const dataDir = await mkdtemp(path.join(tmpdir(), 'instune-test-'));
  if (kind === 'pglite') {
    const dbDir = path.join(dataDir, 'db');
    const template = templates && (migrated ? templates.pglite : templates.pgliteEmpty);
    if (template) await cp(template, dbDir, { recursive: true });
    return {
      config: { kind: 'pglite', dataDir: dbDir },
      dataDir,
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `instune_test_${randomBytes(6).toString('hex')}`;
  const template = migrated ? templates?.postgres : undefined;
  await withAdminClient((admin) =>
    admin.query(
      template ? `create database ${name} template ${template}` : `create database ${name}`,
    ),
  );
  return {
    config: { kind: 'postgres', url: postgresUrlFor(name) },
    dataDir,
    drop: async () => {
      await dropPostgresDatabase(name);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Benchmarks use these helpers outside Vitest, where nothing is provided: no templates then. */
function runTemplates(): TemplateDatabases | undefined {
  return process.env.VITEST ? inject('templateDatabases') : undefined;
}

export function postgresUrlFor(name: string): string {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(use: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}

/**
 * pg's Pool.end() resolves before its sockets have closed, so a database just closed by the app
 * may still show backends: forcing them down makes the closing clients emit an unhandled error,
 * and a template with a backend cannot be cloned. Waits (bounded) for them to leave.
 */
export async function waitForNoConnections(admin: pg.Client, name: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { rows } = await admin.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = $1',
      [name],
    );
    if ((rows[0]?.n ?? 0) === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function dropPostgresDatabase(name: string): Promise<void> {
  await withAdminClient(async (admin) => {
    await waitForNoConnections(admin, name);
    await admin.query(`drop database if exists ${name} with (force)`);
  });
}
