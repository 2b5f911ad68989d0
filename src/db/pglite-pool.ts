import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * PGlite is one connection. Kysely and pg-boss both expect a pool, so this hands out that one
 * connection to one borrower at a time: a transaction holds it from BEGIN to COMMIT and no other
 * query can slip between, which is what real PostgreSQL connections guarantee per client.
 */
export class PglitePool implements PostgresPool {
  #tail: Promise<void> = Promise.resolve();

  constructor(readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    const release = await this.#acquire();
    const pglite = this.pglite;
    let released = false;
    return {
      query: async <R>(sql: string, parameters: ReadonlyArray<unknown>) =>
        runQuery<R>(pglite, sql, parameters),
      release: () => {
        if (!released) {
          released = true;
          release();
        }
      },
    } as PostgresPoolClient;
  }

  /** One statement (or a multi-statement script without parameters) outside any transaction. */
  async executeSql<R>(
    sql: string,
    values?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> {
    const release = await this.#acquire();
    try {
      return await runQuery<R>(this.pglite, sql, values ?? []);
    } finally {
      release();
    }
  }

  /**
   * PGlite's in-process NOTIFY delivery. LISTEN is itself a statement, so it waits for the
   * connection like any other: it must not slip into someone else's transaction.
   */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    const release = await this.#acquire();
    try {
      return await this.pglite.listen(channel, callback);
    } finally {
      release();
    }
  }

  async end(): Promise<void> {
    const release = await this.#acquire();
    try {
      await this.pglite.close();
    } finally {
      release();
    }
  }

  #acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return ready;
  }
}

async function runQuery<R>(
  pglite: PGlite,
  sql: string,
  parameters: ReadonlyArray<unknown>,
): Promise<PostgresQueryResult<R>> {
  if (parameters.length === 0 && hasSeveralStatements(sql)) {
    // pg-boss installs its schema as one script; the extended protocol takes a single statement.
    const results = await pglite.exec(sql);
    const last = results[results.length - 1];
    return {
      command: (last?.command ?? 'SELECT') as PostgresQueryResult<R>['command'],
      rowCount: last?.rowCount ?? 0,
      rows: (last?.rows ?? []) as R[],
    };
  }
  const result = await pglite.query<R>(sql, [...parameters]);
  return {
    command: (result.command ?? 'SELECT') as PostgresQueryResult<R>['command'],
    rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
    rows: result.rows,
  };
}

function hasSeveralStatements(sql: string): boolean {
  const trimmed = sql.trim().replace(/;\s*$/, '');
  return trimmed.includes(';');
}
