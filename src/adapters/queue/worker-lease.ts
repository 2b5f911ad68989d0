import { randomInt, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { ReconnectingClient } from '../../db/reconnecting-client.js';
import type { Logger } from '../../lib/logger.js';

/**
 * A worker process's proof of life, held on the database itself
 * (docs/decisions/0013-job-claims-and-worker-leases.md). On PostgreSQL it is a session advisory
 * lock on a connection of its own: the server releases it the moment that connection ends,
 * whether the process was killed (-9 included), lost the network or had its backend terminated.
 * Other workers read pg_locks to tell live leases from dead ones; no clock and no timeout is
 * involved, so a dead worker is seen at once and a slow one is never mistaken for dead.
 */
export interface WorkerLease {
  /** The lease held now; null while its connection is being re-opened. */
  readonly id: string | null;
  /** Resolves with the lease id once one is held. */
  held(): Promise<string>;
  /** Called with a lease that was just lost: work begun under it must stop. */
  onLost(handler: (leaseId: string) => void): void;
  /** The subset of `ids` whose holders still hold them. */
  alive(ids: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

/** First key of the two-key advisory lock: "INST" in ASCII, so our locks are easy to spot. */
const LEASE_LOCK_CLASS = 0x494e5354;

export async function openWorkerLease(database: Database, log: Logger): Promise<WorkerLease> {
  const lease =
    database.config.kind === 'postgres'
      ? new PostgresWorkerLease(database, database.config.url, log)
      : new SingleProcessLease();
  await lease.held();
  return lease;
}

class PostgresWorkerLease implements WorkerLease {
  #id: string | null = null;
  #candidate: string | null = null;
  readonly #lostHandlers = new Set<(leaseId: string) => void>();
  readonly #waiters: Array<(id: string) => void> = [];
  readonly #connection: ReconnectingClient;

  constructor(
    private readonly database: Database,
    connectionString: string,
    log: Logger,
  ) {
    this.#connection = new ReconnectingClient({
      connectionString,
      log,
      purpose: 'worker lease',
      setUp: async (client) => {
        // A fresh key on every connection: work begun under a lost lease stays stopped, and a
        // key another process happens to hold is skipped.
        for (;;) {
          const key = randomInt(1, 2 ** 31 - 1);
          const { rows } = await client.query<{ ok: boolean }>(
            'select pg_try_advisory_lock($1::int, $2::int) as ok',
            [LEASE_LOCK_CLASS, key],
          );
          if (rows[0]?.ok) {
            this.#candidate = String(key);
            return;
          }
        }
      },
      onUp: () => {
        this.#id = this.#candidate;
        const id = this.#id;
        if (!id) return;
        for (const resolve of this.#waiters.splice(0)) resolve(id);
      },
      onLost: () => {
        const lost = this.#id;
        this.#id = null;
        if (lost) for (const handler of this.#lostHandlers) handler(lost);
      },
    });
  }

  get id(): string | null {
    return this.#id;
  }

  async held(): Promise<string> {
    await this.#connection.start();
    if (this.#id) return this.#id;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  onLost(handler: (leaseId: string) => void): void {
    this.#lostHandlers.add(handler);
  }

  async alive(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    // objsubid 2 marks the two-int4-key form of advisory locks; objid holds the second key.
    const { rows } = await sql<{ key: string }>`
      select objid::bigint::text as key from pg_locks
      where locktype = 'advisory' and granted and objsubid = 2
        and classid::bigint = ${LEASE_LOCK_CLASS}
        and database = (select oid from pg_database where datname = current_database())
    `.execute(this.database.db);
    const held = new Set(rows.map((r) => r.key));
    return new Set(ids.filter((id) => held.has(id)));
  }

  async close(): Promise<void> {
    this.#id = null;
    await this.#connection.close();
  }
}

/**
 * PGlite serves one process, so the only live lease is this process's own; every other claim
 * was left by a process that has stopped.
 */
class SingleProcessLease implements WorkerLease {
  readonly id = randomUUID();

  held(): Promise<string> {
    return Promise.resolve(this.id);
  }

  onLost(): void {}

  alive(ids: readonly string[]): Promise<Set<string>> {
    return Promise.resolve(new Set(ids.filter((id) => id === this.id)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
