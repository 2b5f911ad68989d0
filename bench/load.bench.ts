/**
 * Load bench (not a test): `npm run bench:load`.
 *
 * BENCH_MODE=split (default) — the production shape from docs/deployment.md: `migrate`, one web
 * process and one worker process (WORKER_CONCURRENCY=2 render threads) as separate `node`
 * children on a fresh database of the local PostgreSQL server, sharing one blob folder. The
 * worker runs under `nice -n BENCH_WORKER_NICE` (default 10; docs/deployment.md: on shared
 * cores, renders yield to the API). autocannon runs in this process, a third one.
 * BENCH_MODE=embedded — the all-in-one default: web, worker pool and PGlite in this process.
 *
 * Then, in both modes:
 *   1. warms up (first jobs load the content-safety model and the worker threads);
 *   1b. pipeline latency: single 20 s and 180 s pieces on idle workers, Compose → playable split
 *      into submit, enqueue → start, each stage, done → client notified and the first audio
 *      bytes (bench/pipeline-latency.ts);
 *   2. measures GET /api/generations and GET /healthz with idle workers (baseline);
 *   3. keeps the queue fed with 10 s pieces for a ~60 s window, counting pieces finished in it,
 *      while autocannon measures the same two endpoints — at a fixed offered rate (RATE req/s,
 *      open loop, the way a latency target is stated) and saturating (10 connections, each
 *      sending its next request as soon as the last is answered: latency there is mostly
 *      queueing);
 *   4. repeats the throughput window with 30 s pieces (shorter, no autocannon).
 * Bounded: every phase has a time limit and the whole run aborts after ~7 minutes.
 * BENCH_PHASES=latency runs only the warm-up and the latency phase (about a minute).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { MasterKey } from '../src/adapters/crypto/envelope.js';
import { loadConfig } from '../src/config/config.js';
import { openDatabase, type Db } from '../src/db/database.js';
import { buildServer } from '../src/http/server.js';
import { systemClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { httpDepsOf, openRuntime } from '../src/main/runtime.js';
import { signInWithIdentity } from '../src/modules/accounts/accounts.service.js';
import { createSession } from '../src/modules/accounts/sessions.service.js';
import { recordSignUpAcceptance } from '../src/modules/policies/policy-acceptance.service.js';
import type { OidcClient } from '../src/adapters/oidc/oidc-client.js';
import { createTestDatabase } from '../test/support/databases.js';
import { multipartBody } from '../test/support/multipart.js';
import { freePort } from '../test/support/ports.js';
import { describeTimings, measurePiece, type PieceTimings } from './pipeline-latency.js';

const MODE = process.env.BENCH_MODE === 'embedded' ? 'embedded' : 'split';
/** CPU priority of the worker process in split mode (docs/deployment.md recommends 10). */
const WORKER_NICE = Number(process.env.BENCH_WORKER_NICE ?? 10);
const WORKERS = 2;
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 60);
const WINDOW_30_S = Number(process.env.BENCH_WINDOW_30_S ?? 40);
const CANNON_S = Number(process.env.BENCH_CANNON_S ?? 25);
const BASELINE_S = 10;
const CONNECTIONS = 10;
/** Offered load for the fixed-rate latency runs: API reads per second across all users. */
const RATE = Number(process.env.BENCH_RATE ?? 25);
/** Pieces kept waiting in the queue so that neither worker ever runs dry. */
const QUEUED_TARGET = 3;
/** Warm-up pieces, owned by the reader account: the list autocannon fetches has this many. */
const WARMUP = 6;
const HARD_LIMIT_MS = 7 * 60 * 1000;
const PHASES = new Set((process.env.BENCH_PHASES ?? 'latency,throughput').split(','));
/** Pieces per length in the latency phase. */
const LATENCY_PIECES = Number(process.env.BENCH_LATENCY_PIECES ?? 5);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IMAGES = fileURLToPath(new URL('../../shared/data/images', import.meta.url));

const hardStop = setTimeout(() => {
  console.error(`load bench: hard time limit (${HARD_LIMIT_MS / 1000} s) reached, aborting`);
  process.exit(2);
}, HARD_LIMIT_MS);
hardStop.unref();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function multipart(fields: Record<string, string>, bytes: Buffer) {
  const { payload, headers } = multipartBody(fields, {
    filename: 'x.jpg',
    contentType: 'image/jpeg',
    bytes,
  });
  return { payload, contentType: headers['content-type'] ?? '' };
}

/** What the measurements need from a running deployment, whichever its shape. */
interface Target {
  describe: string;
  base: string;
  db: Db;
  masterKey: MasterKey;
  freeCredits: number;
  /** Resident memory of the serving processes, MB. */
  rssMb(): Record<string, number>;
  close(): Promise<void>;
}

async function startEmbedded(): Promise<Target> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'instune-load-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_ENABLED: 'false',
    FREE_CREDITS: '1000000',
    WORKER_CONCURRENCY: String(WORKERS),
  });
  const log = createLogger({ level: 'silent' });
  // No `compose` option: the runtime composes, renders and encodes in its worker-thread pool.
  const runtime = await openRuntime(config, log, { role: 'all', migrate: true });
  const app = await buildServer(httpDepsOf(runtime, {} as OidcClient));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return {
    describe: `all-in-one in this process, PGlite, WORKER_CONCURRENCY=${WORKERS}`,
    base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    db: runtime.database.db,
    masterKey: runtime.masterKey,
    freeCredits: config.credits.freeCredits,
    rssMb: () => ({ 'this process': process.memoryUsage().rss / 2 ** 20 }),
    close: async () => {
      await app.close();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface Child {
  name: string;
  proc: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

function startNode(name: string, entry: string, env: Record<string, string>, nice = 0): Child {
  const node = [process.execPath, '--import', 'tsx', `src/main/${entry}.ts`];
  const [command, ...args] = nice > 0 ? ['nice', '-n', String(nice), ...node] : node;
  const proc = spawn(command as string, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  // Keep the head of the output (start-up lines and errors), not every job's log line.
  const keep = (chunk: Buffer) => {
    if (output.length < 200) output.push(chunk.toString('utf8'));
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  return { name, proc, output, exited };
}

async function waitUntil(what: string, child: Child, ready: () => Promise<boolean>) {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.proc.exitCode !== null) throw new Error(`${what} exited:\n${child.output.join('')}`);
    if (await ready()) return;
    await sleep(200);
  }
  throw new Error(`${what} did not start:\n${child.output.join('')}`);
}

function rssOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function startSplit(): Promise<Target> {
  const testDb = await createTestDatabase('postgres');
  if (testDb.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
  const masterKeyBytes = randomBytes(32);
  const port = await freePort();
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: testDb.config.url,
    DATA_DIR: testDb.dataDir,
    MASTER_KEY: masterKeyBytes.toString('base64'),
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOCAL_OIDC_PORT: String(await freePort()),
    RATE_LIMIT_ENABLED: 'false',
    FREE_CREDITS: '1000000',
    WORKER_CONCURRENCY: String(WORKERS),
  };
  const migrate = startNode('migrate', 'migrate', env);
  if ((await migrate.exited) !== 0) throw new Error(`migrate failed:\n${migrate.output.join('')}`);
  const web = startNode('web', 'web', env);
  // The worker logs at info so its start line can be seen; the web stays at warn (a log line per
  // request would be part of what is measured).
  const worker = startNode('worker', 'worker', { ...env, LOG_LEVEL: 'info' }, WORKER_NICE);
  const children = [web, worker];
  try {
    await waitUntil('web', web, () =>
      fetch(`${env.PUBLIC_URL}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    );
    await waitUntil('worker', worker, async () =>
      worker.output.join('').includes('worker role started'),
    );
  } catch (error) {
    for (const child of children) child.proc.kill('SIGKILL');
    throw error;
  }
  const database = await openDatabase(testDb.config, createLogger({ level: 'silent' }));
  return {
    describe:
      `separate web and worker processes (worker nice ${WORKER_NICE}, WORKER_CONCURRENCY=${WORKERS}), ` +
      `PostgreSQL ${testDb.config.url.replace(/\/\/[^@]*@/, '//')}, file blob store`,
    base: env.PUBLIC_URL,
    db: database.db,
    masterKey: new MasterKey(masterKeyBytes),
    freeCredits: 1_000_000,
    rssMb: () => ({ web: rssOf(web.proc.pid), worker: rssOf(worker.proc.pid) }),
    close: async () => {
      for (const child of children) child.proc.kill('SIGTERM');
      await Promise.all(children.map((c) => c.exited));
      await database.close();
      await testDb.drop();
    },
  };
}

async function main(): Promise<void> {
  const target = MODE === 'split' ? await startSplit() : await startEmbedded();
  const { base, db } = target;
  const services = {
    db,
    masterKey: target.masterKey,
    clock: systemClock,
    freeCredits: target.freeCredits,
  };
  const account = async (subject: string) => {
    const userId = await signInWithIdentity(services, {
      issuer: 'bench',
      subject,
      email: `${subject}@example.com`,
      emailVerified: true,
      name: subject,
      avatarUrl: null,
    });
    await recordSignUpAcceptance({ db, clock: systemClock }, userId);
    const { token, session } = await createSession({ db, clock: systemClock, ttlHours: 1 }, userId);
    return { cookie: `instune_session=${token}`, csrf: session.csrfToken };
  };
  const writer = await account('load');
  // A second account whose list autocannon reads: its size stays fixed (the warm-up pieces),
  // so the idle and loaded measurements serve the same response.
  const reader = await account('reader');
  const photo = readFileSync(path.join(IMAGES, 'kodak_kodim23_parrots.jpg'));

  let submitFailures = 0;
  const submit = async (seconds: number, as = writer): Promise<void> => {
    const { payload, contentType } = multipart({ seconds: String(seconds) }, photo);
    const res = await fetch(`${base}/api/generations`, {
      method: 'POST',
      body: new Uint8Array(payload),
      headers: {
        'content-type': contentType,
        cookie: as.cookie,
        'x-csrf-token': as.csrf,
        accept: 'application/json',
      },
    });
    await res.arrayBuffer();
    if (res.status !== 202) {
      submitFailures += 1;
      if (submitFailures <= 3) console.error(`submit: HTTP ${res.status}`);
    }
  };
  const count = async (status: 'queued' | 'running' | 'done' | 'failed', seconds?: number) => {
    let q = db
      .selectFrom('generations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', status);
    if (seconds !== undefined) q = q.where('seconds', '=', seconds);
    return Number((await q.executeTakeFirst())?.n ?? 0);
  };
  const waitIdle = async (limitMs: number) => {
    const until = Date.now() + limitMs;
    while (Date.now() < until) {
      if ((await count('queued')) + (await count('running')) === 0) return true;
      await sleep(250);
    }
    return false;
  };

  /** Feeds the queue with `seconds`-long pieces for `windowS` seconds; returns pieces/min. */
  const throughputWindow = async (
    seconds: number,
    windowS: number,
    during?: () => Promise<void>,
  ) => {
    // Fill the queue first so both workers are busy when the window opens.
    for (let i = 0; i < WORKERS + QUEUED_TARGET; i++) await submit(seconds);
    await sleep(1000);
    const doneBefore = await count('done', seconds);
    const failedBefore = await count('failed', seconds);
    const started = Date.now();
    const ends = started + windowS * 1000;
    let runDry = 0;
    const feeder = (async () => {
      while (Date.now() < ends) {
        const queued = await count('queued');
        if (queued === 0) runDry += 1;
        for (let i = queued; i < QUEUED_TARGET; i++) await submit(seconds);
        await sleep(250);
      }
    })();
    if (during) await during();
    await feeder;
    const elapsedS = (Date.now() - started) / 1000;
    const done = (await count('done', seconds)) - doneBefore;
    const failed = (await count('failed', seconds)) - failedBefore;
    return { done, failed, elapsedS, perMin: (done / elapsedS) * 60, runDry };
  };

  const cannon = (urlPath: string, duration: number, overallRate?: number) =>
    autocannon({
      url: `${base}${urlPath}`,
      connections: CONNECTIONS,
      duration,
      ...(overallRate ? { overallRate } : {}),
      // In a worker thread, so the client does not share this process's event loop.
      workers: 1,
      headers: { cookie: reader.cookie, accept: 'application/json' },
    });
  const fmt = (label: string, r: Result) =>
    `${label.padEnd(46)} p50 ${r.latency.p50} ms  p90 ${r.latency.p90} ms  p99 ${r.latency.p99} ms  ` +
    `max ${r.latency.max} ms  ${r.requests.average.toFixed(0)} req/s  ` +
    `(non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})`;

  const t0 = Date.now();
  // 1. Warm-up: the first pieces load the content-safety model and the engine in each thread.
  for (let i = 0; i < WARMUP; i++) await submit(10, reader);
  const warm = await waitIdle(90_000);
  console.log(
    `warm-up: ${WARMUP} pieces in ${((Date.now() - t0) / 1000).toFixed(1)} s${warm ? '' : ' (timed out)'}`,
  );
  // 1b. Pipeline latency, one piece at a time on idle workers.
  const latency: string[] = [];
  if (PHASES.has('latency')) {
    for (const seconds of [20, 180]) {
      const runs: PieceTimings[] = [];
      for (let i = 0; i < (seconds === 180 ? Math.min(3, LATENCY_PIECES) : LATENCY_PIECES); i++) {
        runs.push(await measurePiece(base, writer, db, photo, seconds));
      }
      latency.push(...describeTimings(runs));
    }
    console.log(['', 'PIPELINE LATENCY', ...latency].join('\n'));
  }
  if (!PHASES.has('throughput')) {
    await target.close();
    return;
  }
  // Some history for the list endpoint to return.
  const listed = await count('done');

  // 2. Baseline, idle workers.
  const idleRate = await cannon('/api/generations', BASELINE_S, RATE);
  const idleList = await cannon('/api/generations', BASELINE_S);
  const idleHealth = await cannon('/healthz', BASELINE_S);

  // 3. Loaded: 10 s pieces for WINDOW_S while autocannon runs.
  let loadedRate: Result | undefined;
  let loadedList: Result | undefined;
  let loadedHealth: Result | undefined;
  const ten = await throughputWindow(10, WINDOW_S, async () => {
    const each = Math.min(CANNON_S, Math.floor((WINDOW_S - 4) / 3));
    loadedRate = await cannon('/api/generations', each, RATE);
    loadedList = await cannon('/api/generations', each);
    loadedHealth = await cannon('/healthz', each);
  });
  const drained10 = await waitIdle(60_000);

  // 4. 30 s pieces, throughput only.
  let thirty: Awaited<ReturnType<typeof throughputWindow>> | undefined;
  if (drained10 && Date.now() - t0 < HARD_LIMIT_MS - (WINDOW_30_S + 60) * 1000) {
    thirty = await throughputWindow(30, WINDOW_30_S);
  }
  if (!loadedList || !loadedHealth || !loadedRate) throw new Error('autocannon did not run');

  const rss = target.rssMb();
  console.log('');
  console.log(`=== Instune load bench — Node ${process.version}, ${MODE} ===`);
  console.log(target.describe);
  console.log(
    `autocannon: ${CONNECTIONS} connections, 1 worker thread; the list returns ${listed} generations`,
  );
  console.log(fmt(`idle    GET /api/generations at ${RATE} req/s`, idleRate));
  console.log(fmt(`loaded  GET /api/generations at ${RATE} req/s`, loadedRate));
  console.log(fmt(`idle    GET /api/generations (saturating)`, idleList));
  console.log(fmt(`loaded  GET /api/generations (saturating)`, loadedList));
  console.log(fmt(`idle    GET /healthz (saturating)`, idleHealth));
  console.log(fmt(`loaded  GET /healthz (saturating)`, loadedHealth));
  const line = (s: number, w: typeof ten) =>
    `${s} s pieces: ${w.done} done (${w.failed} failed) in ${w.elapsedS.toFixed(1)} s → ` +
    `${w.perMin.toFixed(1)} generations/min (${((w.perMin * s) / 60).toFixed(1)} min of music/min); ` +
    `queue ran dry at ${w.runDry} feeder polls`;
  console.log(line(10, ten));
  console.log(thirty ? line(30, thirty) : '30 s pieces: skipped (time budget)');
  console.log('');
  console.log('SUMMARY');
  console.log(
    `  generations/min, 10 s pieces, worker concurrency ${WORKERS}: ${ten.perMin.toFixed(1)}`,
  );
  if (thirty)
    console.log(
      `  generations/min, 30 s pieces, worker concurrency ${WORKERS}: ${thirty.perMin.toFixed(1)}`,
    );
  console.log(
    `  GET /api/generations at ${RATE} req/s while workers are busy: p50 ${loadedRate.latency.p50} ms, ` +
      `p99 ${loadedRate.latency.p99} ms (idle p99 ${idleRate.latency.p99} ms)`,
  );
  console.log(
    `  GET /api/generations saturated (${CONNECTIONS} connections) while workers are busy: ` +
      `p50 ${loadedList.latency.p50} ms, p99 ${loadedList.latency.p99} ms, ` +
      `${loadedList.requests.average.toFixed(0)} req/s (idle p99 ${idleList.latency.p99} ms, ` +
      `${idleList.requests.average.toFixed(0)} req/s)`,
  );
  console.log(
    `  GET /healthz saturated while workers are busy: p50 ${loadedHealth.latency.p50} ms, ` +
      `p99 ${loadedHealth.latency.p99} ms (idle p99 ${idleHealth.latency.p99} ms)`,
  );
  console.log(
    `  submit failures: ${submitFailures}; RSS at end ` +
      Object.entries(rss)
        .map(([k, v]) => `${k} ${v.toFixed(0)} MB`)
        .join(', '),
  );
  for (const line of latency) console.log(`  ${line}`);
  console.log(`  total run ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  await target.close();
}

await main();
