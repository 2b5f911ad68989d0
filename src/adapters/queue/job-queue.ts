import PgBoss from 'pg-boss';
import { transactionExecutor, type Database, type SqlExecutor } from '../../db/database.js';
import type { AnyJobDefinition } from './job-definition.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { openWorkerLease, type WorkerLease } from './worker-lease.js';

/** NOTIFY channel that wakes the workers of a queue; the payload is the queue's name. */
const JOBS_CHANNEL = 'instune_jobs';
/** How often each worker looks for jobs claimed by workers whose lease is gone. */
const REAP_INTERVAL_MS = 2000;
/**
 * pg-boss's own expiry is only a backstop behind our timeout and claims: it must never fire on
 * a job a live worker is still running, or that job would run twice.
 */
const BACKSTOP_EXPIRY_MARGIN_SECONDS = 5 * 60;
/** On shutdown, running jobs get this long to finish before they are stopped and retried. */
const STOP_GRACE_MS = 10_000;

export interface JobQueueOptions {
  /** Worker processes run pg-boss's maintenance (retries, dead letters) and the schedules. */
  supervise: boolean;
  maintenanceIntervalSeconds?: number | undefined;
}

interface RunningJob {
  leaseId: string;
  controller: AbortController;
}

/**
 * pg-boss behind the few calls the application makes, with our own job loop on top
 * (docs/decisions/0013-job-claims-and-worker-leases.md):
 * - `enqueue` accepts a transaction, so a job exists only when the rows it points at were
 *   committed, and it NOTIFYs the queue, so an idle worker takes the job as the commit lands
 *   (polling stays as the fallback for retries and schedules).
 * - A worker takes a job and records a claim naming its lease in one transaction, and settles
 *   the job (complete or fail) in the transaction that removes the claim. A claim whose lease
 *   is gone is reclaimed by any live worker (and by a worker starting up): the job is failed,
 *   so the queue retries it or sends it to its dead letter within seconds, not at its expiry.
 * - Work started under a lease that was lost is stopped (its signal is aborted), and a stale
 *   worker can no longer settle a job someone else reclaimed: its claim is gone.
 */
export class JobQueue {
  readonly #boss: PgBoss;
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #definitions = new Map<string, AnyJobDefinition>();
  readonly #running = new Map<string, RunningJob>();
  readonly #loops: Promise<void>[] = [];
  readonly #wakeCounts = new Map<string, number>();
  readonly #sleepers = new Map<string, Set<() => void>>();
  #lease: WorkerLease | null = null;
  #unsubscribe: (() => void) | null = null;
  #reaper: NodeJS.Timeout | null = null;
  #reaping: Promise<void> = Promise.resolve();
  #started = false;
  #stopping = false;

  constructor(database: Database, clock: Clock, log: Logger, options: JobQueueOptions) {
    this.#database = database;
    this.#clock = clock;
    this.#log = log;
    this.#boss = new PgBoss({
      db: database.executor,
      schema: 'pgboss',
      supervise: options.supervise,
      schedule: options.supervise,
      migrate: true,
      // Retries become due, dead letters are sent and backstop expiries run on this interval.
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
    const options = {
      name: definition.name,
      retryLimit: definition.retry.limit,
      retryDelay: definition.retry.delaySeconds,
      retryBackoff: definition.retry.backoff,
      expireInSeconds: definition.expireInSeconds + BACKSTOP_EXPIRY_MARGIN_SECONDS,
      ...(definition.deadLetter ? { deadLetter: definition.deadLetter } : {}),
    };
    // createQueue leaves an existing queue as it was; its policy follows the definition.
    return this.#boss
      .createQueue(definition.name, options)
      .then(() => this.#boss.updateQueue(definition.name, options));
  }

  async enqueue<P>(
    definition: { name: string; payload: { parse(value: unknown): P } },
    payload: P,
    options: { executor?: SqlExecutor; singletonKey?: string } = {},
  ): Promise<string | null> {
    if (!this.#definitions.has(definition.name)) throw new Error(`unknown job ${definition.name}`);
    const data = definition.payload.parse(payload) as object;
    const executor = options.executor ?? this.#database.executor;
    const id = await this.#boss.send(definition.name, data, {
      db: executor,
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
    // In the caller's transaction: delivered when (and only if) it commits.
    if (id) await executor.executeSql('select pg_notify($1, $2)', [JOBS_CHANNEL, definition.name]);
    return id;
  }

  /** Cron schedule (UTC) that sends the named job; pg-boss keeps one schedule across processes. */
  async schedule(name: string, cron: string): Promise<void> {
    if (!this.#definitions.has(name)) throw new Error(`unknown job ${name}`);
    await this.#boss.schedule(name, cron, {}, { tz: 'UTC' });
  }

  get jobNames(): string[] {
    return [...this.#definitions.keys()];
  }

  /** The lease this process works under (null before `work` or while it is being renewed). */
  get leaseId(): string | null {
    return this.#lease?.id ?? null;
  }

  /** Begins taking jobs of the given names in this process. */
  async work(
    names: readonly string[],
    options: { concurrency: number; pollingIntervalSeconds: number },
  ): Promise<void> {
    const definitions = names.map((name) => {
      const definition = this.#definitions.get(name);
      if (!definition) throw new Error(`no handler registered for job ${name}`);
      return definition;
    });
    if (!this.#lease) {
      this.#lease = await openWorkerLease(this.#database, this.#log);
      this.#lease.onLost((leaseId) => this.#abortUnder(leaseId, 'lost its database lease'));
      this.#unsubscribe = await this.#database.notifications.subscribe(JOBS_CHANNEL, (queue) =>
        this.#wake(queue),
      );
      // Notifications sent while the listening connection was down were missed.
      this.#database.notifications.onResume(() => {
        for (const name of this.#definitions.keys()) this.#wake(name);
      });
      // Jobs left by a worker that died before this one started are retried now.
      await this.#reap();
      this.#scheduleReaper();
    }
    const pollingMs = options.pollingIntervalSeconds * 1000;
    for (const definition of definitions) {
      for (let i = 0; i < options.concurrency; i += 1) {
        this.#loops.push(this.#loop(definition, pollingMs));
      }
    }
  }

  async #loop(definition: AnyJobDefinition, pollingMs: number): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      const leaseId = this.#lease?.id;
      if (!leaseId) {
        await Promise.race([this.#lease?.held(), this.#idle(definition.name, pollingMs, -1)]);
        continue;
      }
      const wakes = this.#wakeCounts.get(definition.name) ?? 0;
      let job: PgBoss.JobWithMetadata<unknown> | null;
      try {
        job = await this.#claim(definition.name, leaseId);
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1)
          this.#log.warn({ err: error, job: definition.name }, 'cannot take jobs');
        await this.#idle(definition.name, Math.min(10_000, pollingMs * 2 ** failures), -1);
        continue;
      }
      if (!job) {
        await this.#idle(definition.name, pollingMs, wakes);
        continue;
      }
      await this.#run(definition, job, leaseId);
    }
  }

  /** Takes the next job and records who has it, in one transaction. */
  #claim(name: string, leaseId: string): Promise<PgBoss.JobWithMetadata<unknown> | null> {
    return this.#database.db.transaction().execute(async (trx) => {
      const [job] = await this.#boss.fetch(name, {
        batchSize: 1,
        includeMetadata: true,
        db: transactionExecutor(trx),
      });
      if (!job) return null;
      const claim = {
        job_id: job.id,
        queue: name,
        worker_lease: leaseId,
        claimed_at: this.#clock.now(),
      };
      // A claim can outlive its job only if pg-boss's backstop expiry retried the job: the queue
      // handed it out again, so the new holder takes the claim over.
      await trx
        .insertInto('job_claims')
        .values(claim)
        .onConflict((oc) => oc.column('job_id').doUpdateSet(claim))
        .execute();
      return job;
    });
  }

  async #run(
    definition: AnyJobDefinition,
    job: PgBoss.JobWithMetadata<unknown>,
    leaseId: string,
  ): Promise<void> {
    const log = this.#log.child({ job: definition.name, jobId: job.id, attempt: job.retryCount });
    const controller = new AbortController();
    this.#running.set(job.id, { leaseId, controller });
    const timeout = setTimeout(
      () => controller.abort(new Error(`the job ran longer than ${definition.expireInSeconds} s`)),
      definition.expireInSeconds * 1000,
    );
    const started = performance.now();
    let failure: Error | null = null;
    try {
      const payload: unknown = definition.payload.parse(job.data);
      const handled = definition.handle(payload, {
        jobId: job.id,
        retryCount: job.retryCount,
        retryLimit: job.retryLimit,
        log,
        signal: controller.signal,
      });
      await untilAborted(handled, controller.signal);
      log.info({ ms: Math.round(performance.now() - started) }, 'job done');
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      log.warn({ err: failure, ms: Math.round(performance.now() - started) }, 'job attempt failed');
    } finally {
      clearTimeout(timeout);
      this.#running.delete(job.id);
    }
    await this.#settle(definition.name, job.id, leaseId, failure).catch((error: unknown) => {
      // The claim stays; once this lease is gone, a live worker reclaims and retries the job.
      log.warn({ err: error }, 'could not record the job outcome');
    });
  }

  /** Completes or fails the job, but only while our claim on it still stands. */
  async #settle(name: string, jobId: string, leaseId: string, failure: Error | null) {
    await this.#database.db.transaction().execute(async (trx) => {
      const released = await trx
        .deleteFrom('job_claims')
        .where('job_id', '=', jobId)
        .where('worker_lease', '=', leaseId)
        .executeTakeFirst();
      // Reclaimed meanwhile (this worker was presumed dead): the reclaim already decided.
      if (Number(released.numDeletedRows) === 0) return;
      const db = transactionExecutor(trx);
      if (failure) await this.#boss.fail(name, jobId, { message: failure.message }, { db });
      else await this.#boss.complete(name, jobId, {}, { db });
    });
  }

  #scheduleReaper(): void {
    if (this.#stopping) return;
    this.#reaper = setTimeout(() => {
      this.#reaping = this.#reap()
        .catch((error: unknown) => this.#log.warn({ err: error }, 'could not check for lost jobs'))
        .finally(() => this.#scheduleReaper());
    }, REAP_INTERVAL_MS);
    this.#reaper.unref();
  }

  /** Fails the jobs of workers whose lease is gone, so the queue retries them now. */
  async #reap(): Promise<void> {
    const own = this.#lease?.id;
    if (!own) return;
    const claims = await this.#database.db
      .selectFrom('job_claims')
      .select(['job_id', 'queue', 'worker_lease'])
      .where('worker_lease', '!=', own)
      .execute();
    if (claims.length === 0) return;
    const alive = await this.#lease?.alive([...new Set(claims.map((c) => c.worker_lease))]);
    for (const claim of claims) {
      if (alive?.has(claim.worker_lease)) continue;
      const reclaimed = await this.#database.db.transaction().execute(async (trx) => {
        const removed = await trx
          .deleteFrom('job_claims')
          .where('job_id', '=', claim.job_id)
          .where('worker_lease', '=', claim.worker_lease)
          .executeTakeFirst();
        if (Number(removed.numDeletedRows) === 0) return false; // another worker got there first
        await this.#boss.fail(
          claim.queue,
          claim.job_id,
          { message: 'the worker running this job stopped' },
          { db: transactionExecutor(trx) },
        );
        return true;
      });
      if (reclaimed) {
        this.#log.warn(
          { job: claim.queue, jobId: claim.job_id },
          'job of a stopped worker retried',
        );
      }
    }
  }

  #abortUnder(leaseId: string, why: string): void {
    for (const [jobId, running] of this.#running) {
      if (running.leaseId !== leaseId) continue;
      this.#log.warn({ jobId }, `job stopped: this worker ${why}`);
      running.controller.abort(new Error(`this worker ${why}`));
    }
  }

  #wake(name: string): void {
    this.#wakeCounts.set(name, (this.#wakeCounts.get(name) ?? 0) + 1);
    const sleepers = this.#sleepers.get(name);
    if (!sleepers) return;
    for (const wake of [...sleepers]) wake();
  }

  /** Waits up to `ms`, less if the queue is notified (or was since `seenWakes`) or on stop. */
  #idle(name: string, ms: number, seenWakes: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    if (seenWakes >= 0 && (this.#wakeCounts.get(name) ?? 0) !== seenWakes) {
      return Promise.resolve();
    }
    let sleepers = this.#sleepers.get(name);
    if (!sleepers) {
      sleepers = new Set();
      this.#sleepers.set(name, sleepers);
    }
    const set = sleepers;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#stopping = true;
    if (this.#reaper) clearTimeout(this.#reaper);
    for (const sleepers of this.#sleepers.values()) for (const wake of [...sleepers]) wake();
    const loops = Promise.all(this.#loops);
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      loops,
      new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS))),
    ]);
    clearTimeout(grace);
    for (const running of this.#running.values()) {
      running.controller.abort(new Error('the worker is shutting down'));
    }
    await loops;
    await this.#reaping;
    this.#unsubscribe?.();
    // close: false because the pool belongs to the application, which closes it itself.
    await this.#boss.stop({ graceful: true, wait: true, close: false, timeout: 15_000 });
    await this.#lease?.close();
  }
}

/** Settles with the work, or rejects as soon as the signal aborts (the work is left behind). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // The work may still settle after an abort; nobody waits for it then.
  work.catch(() => {});
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
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
