import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import { PgliteNotifications, PostgresNotifications, type Notifications } from './notifications.js';
import { PglitePool } from './pglite-pool.js';
import { connectionError } from './reconnecting-client.js';
import type { DB } from './schema.js';

export type Db = Kysely<DB>;
export type DbTransaction = Transaction<DB>;

/** The shape pg-boss needs to run its SQL, optionally inside one of our transactions. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Database {
  readonly kind: DatabaseConfig['kind'];
  readonly config: DatabaseConfig;
  readonly db: Db;
  /** Runs pg-boss's SQL on the same pool as everything else. */
  readonly executor: SqlExecutor;
  /** NOTIFY received in this process (docs/decisions/0013-job-claims-and-worker-leases.md). */
  readonly notifications: Notifications;
  close(): Promise<void>;
}

// PostgreSQL returns int8 as string; our counts fit in a double.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/** Pool size per process: web requests, jobs and pg-boss's maintenance share it. */
const POOL_SIZE = 10;
/** A request waits at most this long for a connection while the server is away, then fails. */
const CONNECT_TIMEOUT_MS = 10_000;

export async function openDatabase(config: DatabaseConfig, log: Logger): Promise<Database> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: POOL_SIZE,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    // A connection can break at any time (server restart, failover, pg_terminate_backend, a
    // proxy's reset). The query on it fails and the pool opens a new one for the next; without
    // these listeners Node treats the 'error' event as fatal and the whole process exits.
    // Idle connections report on the pool; a checked-out one (between the statements of a
    // transaction) reports on itself, so every connection gets a listener for its whole life.
    pool.on('error', (error) => {
      log.warn(connectionError(error), 'idle database connection lost; the pool replaces it');
    });
    pool.on('connect', (client) => {
      client.on('error', (error) => {
        log.warn(connectionError(error), 'database connection lost; the pool replaces it');
      });
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const notifications = new PostgresNotifications(config.url, log);
    return withClose({
      kind: 'postgres',
      config,
      db,
      executor: { executeSql: (text, values) => pool.query(text, values) },
      notifications,
    });
  }
  if (config.dataDir !== 'memory://') await mkdir(config.dataDir, { recursive: true });
  const pglite = await PGlite.create(config.dataDir);
  const pool = new PglitePool(pglite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const notifications = new PgliteNotifications(pool, log);
  return withClose({
    kind: 'pglite',
    config,
    db,
    executor: { executeSql: (text, values) => pool.executeSql(text, values) },
    notifications,
  });
}

/** Either kind closes the same way: stop listening first, then end the pool it listens on. */
function withClose(database: Omit<Database, 'close'>): Database {
  return {
    ...database,
    close: async () => {
      await database.notifications.close();
      await database.db.destroy();
    },
  };
}

/** Lets pg-boss insert a job inside our transaction, so the job exists only if the rows do. */
export function transactionExecutor(trx: DbTransaction): SqlExecutor {
  return {
    executeSql: async (text, values) => trx.executeQuery(CompiledQuery.raw(text, values ?? [])),
  };
}
