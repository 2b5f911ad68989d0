import PgBoss from 'pg-boss';
import type { SqlExecutor } from '../../db/database.js';
import type { AnyJobDefinition } from '../../jobs/job-definition.js';
import type { Logger } from '../../lib/logger.js';

/**
 * pg-boss behind the few calls the application makes. It runs its SQL through our own pool
 * (PGlite or PostgreSQL alike), and `enqueue` accepts a transaction so that a job exists only
 * when the rows it points at were committed.
 */
export class JobQueue {
  readonly #boss: PgBoss;
  readonly #log: Logger;
  readonly #definitions = new Map<string, AnyJobDefinition>();
  #started = false;

  constructor(
    executor: SqlExecutor,
    log: Logger,
    options: { supervise: boolean; maintenanceIntervalSeconds?: number | undefined },
  ) {
    this.#log = log;
    this.#boss = new PgBoss({
      db: executor,
      schema: 'pgboss',
      supervise: options.supervise,
      schedule: options.supervise,
      migrate: true,
      // Expired jobs (a crashed worker's) are found and retried on this interval.
      ...(options.maintenanceIntervalSeconds
        ? { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds }
        : {}),
    });
    this.#boss.on('error', (error: Error) => this.#log.error({ err: error }, 'job queue error'));
  }

  /** Start-up fails when two jobs share a name: a typo would silently drop work. */
  async start(definitions: readonly AnyJobDefinition[]): Promise<void> {
    for (const definition of definitions) {
      if (this.#definitions.has(definition.name)) {
        throw new Error(`two job definitions are named ${definition.name}`);
      }
      this.#definitions.set(definition.name, definition);
    }
    await this.#boss.start();
    this.#started = true;
    // A dead-letter queue must exist before the queue that names it.
    const ordered = [...definitions].sort(
      (a, b) => Number(Boolean(a.deadLetter)) - Number(Boolean(b.deadLetter)),
    );
    for (const definition of ordered) {
      await retryOnDeadlock(() => this.#createQueue(definition));
    }
  }

  #createQueue(definition: AnyJobDefinition): Promise<void> {
    return this.#boss.createQueue(definition.name, {
      name: definition.name,
      retryLimit: definition.retry.limit,
      retryDelay: definition.retry.delaySeconds,
      retryBackoff: definition.retry.backoff,
      expireInSeconds: definition.expireInSeconds,
      ...(definition.deadLetter ? { deadLetter: definition.deadLetter } : {}),
    });
  }

  async enqueue<P>(
    definition: { name: string; payload: { parse(value: unknown): P } },
    payload: P,
    options: { executor?: SqlExecutor; singletonKey?: string } = {},
  ): Promise<string | null> {
    if (!this.#definitions.has(definition.name)) throw new Error(`unknown job ${definition.name}`);
    const data = definition.payload.parse(payload) as object;
    return this.#boss.send(definition.name, data, {
      ...(options.executor ? { db: options.executor } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
  }

  /** Cron schedule (UTC) that sends the named job; pg-boss keeps one schedule across processes. */
  async schedule(name: string, cron: string): Promise<void> {
    if (!this.#definitions.has(name)) throw new Error(`unknown job ${name}`);
    await this.#boss.schedule(name, cron, {}, { tz: 'UTC' });
  }

  get jobNames(): string[] {
    return [...this.#definitions.keys()];
  }

  /** Begins taking jobs of the given names in this process. */
  async work(
    names: readonly string[],
    options: { concurrency: number; pollingIntervalSeconds: number },
  ): Promise<void> {
    for (const name of names) {
      const definition = this.#definitions.get(name);
      if (!definition) throw new Error(`no handler registered for job ${name}`);
      for (let i = 0; i < options.concurrency; i += 1) {
        await this.#boss.work(
          name,
          {
            batchSize: 1,
            includeMetadata: true,
            pollingIntervalSeconds: options.pollingIntervalSeconds,
          },
          async (jobs: PgBoss.JobWithMetadata[]) => {
            for (const job of jobs) await this.#run(definition, job);
          },
        );
      }
    }
  }

  async #run(definition: AnyJobDefinition, job: PgBoss.JobWithMetadata): Promise<void> {
    const log = this.#log.child({ job: definition.name, jobId: job.id, attempt: job.retryCount });
    const payload: unknown = definition.payload.parse(job.data);
    const started = performance.now();
    try {
      await definition.handle(payload, {
        jobId: job.id,
        retryCount: job.retryCount,
        retryLimit: job.retryLimit,
        log,
      });
      log.info({ ms: Math.round(performance.now() - started) }, 'job done');
    } catch (error) {
      log.warn({ err: error, ms: Math.round(performance.now() - started) }, 'job attempt failed');
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    // close: false because the pool belongs to the application, which closes it itself.
    await this.#boss.stop({ graceful: true, wait: true, close: false, timeout: 15_000 });
  }
}

/**
 * Several processes starting together on a fresh database create the same queues at once;
 * pg-boss creates a partition table per queue, and concurrent DDL can deadlock (40P01).
 * PostgreSQL aborts one side, so trying again after a short, jittered pause settles it.
 */
async function retryOnDeadlock(work: () => Promise<void>, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await work();
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || (code !== '40P01' && code !== '23505')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}
