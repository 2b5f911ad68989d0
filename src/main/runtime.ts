import type { Config } from '../config/config.js';
import type { HttpDeps } from '../http/http-deps.js';
import { MasterKey } from '../adapters/crypto/envelope.js';
import { loadOrCreateMasterKeyFile } from '../adapters/crypto/master-key-file.js';
import { createMailer } from '../adapters/mail/mailer.js';
import { startLocalIssuer, type LocalIssuer } from '../adapters/oidc/local-issuer.js';
import { createOidcClient, type OidcClient } from '../adapters/oidc/oidc-client.js';
import { JobQueue } from '../adapters/queue/job-queue.js';
import { openBlobStore } from '../adapters/storage/open-blob-store.js';
import { ObjectVault } from '../adapters/storage/object-vault.js';
import { openDatabase, type Database } from '../db/database.js';
import { assertSchemaCurrent, migrateToLatest } from '../db/migrations.js';
import { sealPlaintextCreditNotes } from '../modules/credits/credits.service.js';
import { buildJobRegistry, jobSchedules } from '../jobs/registry.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { newToken } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import { createComposeWorkerPool, type ComposeWorkerPool } from '../music/engine-worker-pool.js';
import type { CrashPoint } from '../lib/crash-points.js';
import type { AssessSafetyFn, ComposeFn } from '../modules/generations/run-generation.service.js';
import { composeLandingExamples } from '../modules/generations/landing-examples.service.js';
import type { PolicyVersion } from '../modules/policies/policy-versions.js';

export type Role = 'web' | 'worker' | 'all';

export interface Runtime {
  config: Config;
  log: Logger;
  clock: Clock;
  database: Database;
  masterKey: MasterKey;
  vault: ObjectVault;
  queue: JobQueue;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  role: Role;
  clock?: Clock;
  compose?: ComposeFn;
  assessSafety?: AssessSafetyFn;
  /** The all-in-one default migrates at start; split deployments run `migrate` as its own step. */
  migrate: boolean;
  pollingIntervalSeconds?: number;
  /** Tests publish their own policy versions; otherwise the catalogue in code. */
  policyVersions?: readonly PolicyVersion[];
}

/** Wires storage, keys and the job queue; the entrypoints add HTTP and/or workers on top. */
export async function openRuntime(
  config: Config,
  log: Logger,
  options: RuntimeOptions,
): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  if (options.role !== 'all' && config.database.kind === 'pglite') {
    throw new Error(
      'separate web and worker processes share state through PostgreSQL: set DATABASE_URL (PGlite serves one process)',
    );
  }
  const database = await openDatabase(config.database, log);
  const mailer = createMailer(config.mail);
  let pool: ComposeWorkerPool | null = null;
  let blobStore: ReturnType<typeof openBlobStore> | null = null;
  try {
    if (options.migrate) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
    } else {
      await assertSchemaCurrent(database.db);
    }
    const masterKey = new MasterKey(
      config.masterKey ?? (await loadOrCreateMasterKeyFile(config.dataDir)),
      config.previousMasterKeys,
    );
    // Rows written in clear before migration 0013 are sealed now (docs/decisions/0022).
    const sealedNotes = await sealPlaintextCreditNotes(database.db, masterKey);
    if (sealedNotes > 0) log.info({ sealedNotes }, 'plaintext credit notes encrypted');
    blobStore = openBlobStore(config.storage);
    const vault = new ObjectVault(blobStore);
    // Rendering and encoding run in worker threads so a worker's event loop (and, in the
    // all-in-one default, the web's) stays responsive while music is made.
    pool =
      options.role !== 'web' && !options.compose
        ? createComposeWorkerPool({ size: config.worker.concurrency, engine: config.engine })
        : null;
    const queue = new JobQueue(database, clock, log, {
      supervise: options.role !== 'web',
      maintenanceIntervalSeconds: config.worker.maintenanceIntervalSeconds,
    });
    await queue.start(
      buildJobRegistry({
        db: database.db,
        vault,
        masterKey,
        clock,
        compose: options.compose ?? pool?.compose ?? refuseToCompose,
        assessSafety: options.assessSafety ?? pool?.assessSafety ?? assessImageSafetyLazily,
        queue: () => queue,
        mailer,
        publicUrl: config.http.publicUrl,
        policyVersions: options.policyVersions,
        generationTimeoutSeconds: config.worker.generationTimeoutSeconds,
        reachedCrashPoint: config.worker.crashAt ? crashAt(config.worker.crashAt) : undefined,
      }),
    );
    if (options.role !== 'web') {
      for (const { name, cron } of jobSchedules) await queue.schedule(name, cron);
      await queue.work(queue.jobNames, {
        concurrency: config.worker.concurrency,
        pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
      });
    }
    const compose = options.compose ?? pool?.compose;
    const examples =
      options.role !== 'web' && compose && config.examples.generate
        ? startLandingExamples(config.dataDir, compose, log)
        : null;
    return {
      config,
      log,
      clock,
      database,
      masterKey,
      vault,
      queue,
      close: async () => {
        await examples?.stop();
        await queue.stop();
        await pool?.close();
        blobStore?.close?.();
        mailer.close();
        await database.close();
      },
    };
  } catch (error) {
    await pool?.close();
    blobStore?.close?.();
    mailer.close();
    await database.close();
    throw error;
  }
}

/** How long after start the examples begin: start-up itself is never shared with them. */
const EXAMPLES_DELAY_MS = 2_000;

/**
 * Composes the landing page's examples in the background, once per engine version (a cached set
 * is found and nothing is composed). A failure is logged and tried again at the next start.
 */
function startLandingExamples(
  dataDir: string,
  compose: ComposeFn,
  log: Logger,
): { stop(): Promise<void> } {
  const controller = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  const timer = setTimeout(() => {
    running = composeLandingExamples({ dataDir, compose, log, signal: controller.signal }).catch(
      (error: unknown) => log.warn({ err: error }, 'landing examples could not be composed'),
    );
  }, EXAMPLES_DELAY_MS);
  timer.unref();
  return {
    stop: async () => {
      clearTimeout(timer);
      controller.abort();
      // A piece being composed finishes (the engine has no cancel); nothing after it starts.
      await running;
    },
  };
}

/** INSTUNE_TEST_CRASH_AT: dies like `kill -9` would, so the crash-recovery tests can aim. */
function crashAt(target: CrashPoint): (point: CrashPoint) => void {
  return (point) => {
    if (point === target) process.kill(process.pid, 'SIGKILL');
  };
}

/**
 * Only where no compose pool runs (a test's own compose function): there TensorFlow loads on the
 * first image, on the calling thread. With the pool, the check runs in its threads.
 */
const assessImageSafetyLazily: AssessSafetyFn = async (image) =>
  (await import('../music/perception/image-safety.js')).assessImageSafety(image);

/** The web role never takes generation jobs; this is here only to satisfy the job registry. */
const refuseToCompose: ComposeFn = () =>
  Promise.reject(new Error('the web role does not compose music'));

/** What the web role needs, from a runtime and a sign-in client. */
export function httpDepsOf(runtime: Runtime, oidc: OidcClient): HttpDeps {
  return {
    config: runtime.config,
    log: runtime.log,
    clock: runtime.clock,
    db: runtime.database.db,
    notifications: runtime.database.notifications,
    masterKey: runtime.masterKey,
    vault: runtime.vault,
    queue: runtime.queue,
    oidc,
  };
}

export interface SignIn {
  oidc: OidcClient;
  close(): Promise<void>;
}

/** Google (or any issuer) when configured; otherwise a real local issuer so sign-in still works. */
export async function openSignIn(config: Config, log: Logger): Promise<SignIn> {
  const redirectUri = `${config.http.publicUrl}/auth/callback`;
  if (config.oidc.kind === 'external') {
    const oidc = await createOidcClient({
      issuerUrl: config.oidc.issuerUrl,
      clientId: config.oidc.clientId,
      clientSecret: config.oidc.clientSecret,
      redirectUri,
      allowInsecureHttp: false,
    });
    return { oidc, close: async () => {} };
  }
  const clientId = 'instune-local';
  const clientSecret = newToken();
  const issuer: LocalIssuer = await startLocalIssuer({
    host: config.http.host,
    port: config.oidc.port,
    clientId,
    clientSecret,
    redirectUris: [redirectUri],
    logger: log.child({ component: 'local-oidc' }),
  });
  log.info({ issuer: issuer.issuerUrl }, 'local development sign-in issuer started');
  const oidc = await createOidcClient({
    issuerUrl: issuer.issuerUrl,
    clientId,
    clientSecret,
    redirectUri,
    allowInsecureHttp: true,
  });
  return { oidc, close: () => issuer.close() };
}
