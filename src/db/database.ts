import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config.js';
import { PglitePool } from './pglite-pool.js';
import type { DB } from './schema.js';

export type Db = Kysely<DB>;
export type DbTransaction = Transaction<DB>;

/** The shape pg-boss needs to run its SQL, optionally inside one of our transactions. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Database {
  readonly kind: DatabaseConfig['kind'];
  readonly db: Db;
  /** Runs pg-boss's SQL on the same pool as everything else. */
  readonly executor: SqlExecutor;
  close(): Promise<void>;
}

// PostgreSQL returns int8 as string; our counts fit in a double.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'postgres',
      db,
      executor: { executeSql: (text, values) => pool.query(text, values) },
      close: () => db.destroy(),
    };
  }
  if (config.dataDir !== 'memory://') await mkdir(config.dataDir, { recursive: true });
  const pglite = await PGlite.create(config.dataDir);
  const pool = new PglitePool(pglite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'pglite',
    db,
    executor: { executeSql: (text, values) => pool.executeSql(text, values) },
    close: () => db.destroy(),
  };
}

/** Lets pg-boss insert a job inside our transaction, so the job exists only if the rows do. */
export function transactionExecutor(trx: DbTransaction): SqlExecutor {
  return {
    executeSql: async (text, values) => trx.executeQuery(CompiledQuery.raw(text, values ?? [])),
  };
}
