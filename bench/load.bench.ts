/**
 * Load bench (not a test): `npm run bench:load`.
 * Starts the all-in-one app on 127.0.0.1 with the real engine (the worker-thread pool),
 * WORKER_CONCURRENCY=2 and embedded PGlite, signs one user in through the services, then:
 *   1. warms up (first jobs load the content-safety model and the worker threads);
 *   2. measures GET /api/generations and GET /healthz with idle workers (baseline);
 *   3. keeps the queue fed with 10 s pieces for a ~60 s window, counting pieces finished in it,
 *      while autocannon measures the same two endpoints — once saturating (10 connections, each
 *      sending its next request as soon as the last is answered: latency there is mostly
 *      queueing) and once at a fixed offered rate (RATE req/s, open loop, the way a latency
 *      target is stated);
 *   4. repeats the throughput window with 30 s pieces (shorter, no autocannon).
 * Bounded: every phase has a time limit and the whole run aborts after ~4 minutes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { loadConfig } from '../src/config/config.js';
import { buildServer } from '../src/http/server.js';
import { createLogger } from '../src/lib/logger.js';
import { httpDepsOf, openRuntime } from '../src/main/runtime.js';
import { signInWithIdentity } from '../src/modules/accounts/accounts.service.js';
import { createSession } from '../src/modules/accounts/sessions.service.js';
import { recordSignUpAcceptance } from '../src/modules/policies/policy-acceptance.service.js';
import type { OidcClient } from '../src/adapters/oidc/oidc-client.js';
import { multipartBody } from '../test/support/multipart.js';

const WORKERS = 2;
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 60);
const WINDOW_30_S = Number(process.env.BENCH_WINDOW_30_S ?? 40);
const CANNON_S = Number(process.env.BENCH_CANNON_S ?? 25);
const BASELINE_S = 10;
const CONNECTIONS = 10;
/** Offered load for the fixed-rate latency run: API reads per second across all users. */
const RATE = Number(process.env.BENCH_RATE ?? 25);
/** Pieces kept waiting in the queue so that neither worker ever runs dry. */
const QUEUED_TARGET = 3;
/** Warm-up pieces, owned by the reader account: the list autocannon fetches has this many. */
const WARMUP = 6;
const HARD_LIMIT_MS = 4 * 60 * 1000;
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

async function main(): Promise<void> {
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
  const db = runtime.database.db;
  const noSignIn = {} as OidcClient;
  const app = await buildServer(httpDepsOf(runtime, noSignIn));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const userId = await signInWithIdentity(
    {
      db,
      masterKey: runtime.masterKey,
      clock: runtime.clock,
      freeCredits: config.credits.freeCredits,
    },
    {
      issuer: 'bench',
      subject: 'load',
      email: 'load@example.com',
      emailVerified: true,
      name: 'Load',
      avatarUrl: null,
    },
  );
  await recordSignUpAcceptance({ db, clock: runtime.clock }, userId);
  const { token, session } = await createSession({ db, clock: runtime.clock, ttlHours: 1 }, userId);
  const cookie = `instune_session=${token}`;
  // A second account whose list autocannon reads: its size stays fixed (the warm-up pieces),
  // so the idle and loaded measurements serve the same response.
  const readerId = await signInWithIdentity(
    {
      db,
      masterKey: runtime.masterKey,
      clock: runtime.clock,
      freeCredits: config.credits.freeCredits,
    },
    {
      issuer: 'bench',
      subject: 'reader',
      email: 'reader@example.com',
      emailVerified: true,
      name: 'Reader',
      avatarUrl: null,
    },
  );
  await recordSignUpAcceptance({ db, clock: runtime.clock }, readerId);
  const reader = await createSession({ db, clock: runtime.clock, ttlHours: 1 }, readerId);
  const readerCookie = `instune_session=${reader.token}`;
  const photo = readFileSync(path.join(IMAGES, 'kodak_kodim23_parrots.jpg'));

  let submitFailures = 0;
  const submit = async (
    seconds: number,
    as: { cookie: string; csrf: string } = { cookie, csrf: session.csrfToken },
  ): Promise<void> => {
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
      // In a worker thread, so the client does not share the server's event loop.
      workers: 1,
      headers: { cookie: readerCookie, accept: 'application/json' },
    });
  const fmt = (label: string, r: Result) =>
    `${label.padEnd(44)} p50 ${r.latency.p50} ms  p90 ${r.latency.p90} ms  p99 ${r.latency.p99} ms  ` +
    `max ${r.latency.max} ms  ${r.requests.average.toFixed(0)} req/s  ` +
    `(non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})`;

  const t0 = Date.now();
  // 1. Warm-up: the first pieces load the content-safety model and the engine in each thread.
  for (let i = 0; i < WARMUP; i++)
    await submit(10, { cookie: readerCookie, csrf: reader.session.csrfToken });
  const warm = await waitIdle(90_000);
  console.log(
    `warm-up: ${WARMUP} pieces in ${((Date.now() - t0) / 1000).toFixed(1)} s${warm ? '' : ' (timed out)'}`,
  );
  // Some history for the list endpoint to return.
  const listed = await count('done');

  // 2. Baseline, idle workers.
  const idleList = await cannon('/api/generations', BASELINE_S);
  const idleHealth = await cannon('/healthz', BASELINE_S);
  const idleRate = await cannon('/api/generations', BASELINE_S, RATE);

  // 3. Loaded: 10 s pieces for WINDOW_S while autocannon runs.
  let loadedList: Result | undefined;
  let loadedHealth: Result | undefined;
  let loadedRate: Result | undefined;
  const ten = await throughputWindow(10, WINDOW_S, async () => {
    const each = Math.min(CANNON_S, Math.floor((WINDOW_S - 4) / 3));
    loadedRate = await cannon('/api/generations', each, RATE);
    loadedList = await cannon('/api/generations', each);
    loadedHealth = await cannon('/healthz', each);
  });
  const drained10 = await waitIdle(60_000);

  // 4. 30 s pieces, throughput only.
  let thirty: Awaited<ReturnType<typeof throughputWindow>> | undefined;
  if (drained10 && Date.now() - t0 < HARD_LIMIT_MS - (WINDOW_30_S + 45) * 1000) {
    thirty = await throughputWindow(30, WINDOW_30_S);
  }
  if (!loadedList || !loadedHealth || !loadedRate) throw new Error('autocannon did not run');

  const mem = process.memoryUsage().rss;
  console.log('');
  console.log(
    `=== Instune load bench — Node ${process.version}, WORKER_CONCURRENCY=${WORKERS}, PGlite ===`,
  );
  console.log(
    `autocannon: ${CONNECTIONS} connections, 1 worker thread; the list returns ${listed} generations`,
  );
  console.log(fmt(`idle    GET /api/generations (${BASELINE_S} s)`, idleList));
  console.log(fmt(`idle    GET /healthz (${BASELINE_S} s)`, idleHealth));
  console.log(fmt(`idle    GET /api/generations at ${RATE} req/s`, idleRate));
  console.log(fmt(`loaded  GET /api/generations at ${RATE} req/s`, loadedRate));
  console.log(fmt(`loaded  GET /api/generations (saturating)`, loadedList));
  console.log(fmt(`loaded  GET /healthz`, loadedHealth));
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
    `  GET /api/generations saturated (${CONNECTIONS} connections) under load: p50 ${loadedList.latency.p50} ms, p99 ${loadedList.latency.p99} ms ` +
      `(idle p99 ${idleList.latency.p99} ms → ×${(loadedList.latency.p99 / Math.max(idleList.latency.p99, 1)).toFixed(1)})`,
  );
  console.log(
    `  GET /healthz under load: p50 ${loadedHealth.latency.p50} ms, p99 ${loadedHealth.latency.p99} ms ` +
      `(idle p99 ${idleHealth.latency.p99} ms → ×${(loadedHealth.latency.p99 / Math.max(idleHealth.latency.p99, 1)).toFixed(1)})`,
  );
  console.log(
    `  submit failures: ${submitFailures}; process RSS at end ${(mem / 1024 / 1024).toFixed(0)} MB`,
  );
  console.log(`  total run ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  await app.close();
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
