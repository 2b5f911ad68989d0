/**
 * Flood bench (not a test): `npm run bench:flood`, about a minute, bounded.
 *
 * The all-in-one default (PGlite, the real engine, rate limits at their defaults) in this
 * process; the other user's client (autocannon) and the flooder run in worker threads of their
 * own. Another
 * user reads GET /api/generations at a fixed offered rate (open loop, RATE req/s), first with
 * nothing else going on, then while one address, signed in as one account, floods for FLOOD_S:
 *   - uploads: POST /api/generations with a real photo on 10 connections, each sending again as
 *     soon as it is answered (the first few are accepted and rendered, the rest refused);
 *   - event streams: STREAMS attempts at a time to hold /api/generations/:id/events open on its
 *     own generation, each refused attempt tried again after BENCH_STREAM_PAUSE_MS (1 s).
 * Prints the other user's p50/p99 idle and under the flood (target: p99 < 200 ms) and what the
 * flooder got back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import autocannon, { type Result } from 'autocannon';
import type { OidcClient } from '../src/adapters/oidc/oidc-client.js';
import { loadConfig } from '../src/config/config.js';
import { buildServer } from '../src/http/server.js';
import { systemClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { httpDepsOf, openRuntime } from '../src/main/runtime.js';
import { signInWithIdentity } from '../src/modules/accounts/accounts.service.js';
import { createSession } from '../src/modules/accounts/sessions.service.js';
import { recordSignUpAcceptance } from '../src/modules/policies/policy-acceptance.service.js';
import { multipartBody } from '../test/support/multipart.js';

const RATE = Number(process.env.BENCH_RATE ?? 20);
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 10);
const FLOOD_S = Number(process.env.BENCH_FLOOD_S ?? 20);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 600);
/**
 * A refused stream is tried again after this pause (EventSource itself waits 3 s); 0 hammers,
 * which on a 2-core machine measures mostly how fast the flooder's own core can open sockets.
 */
const STREAM_PAUSE_MS = Number(process.env.BENCH_STREAM_PAUSE_MS ?? 1000);
/** Upload connections of the flooder (0: streams only). */
const UPLOADERS = Number(process.env.BENCH_UPLOADERS ?? 10);
/**
 * Niceness of the flooder's threads (0: like the server's). An attacker's own CPU is on their
 * machine; here the flooder shares the server's two cores, and 10 separates what refusing it
 * costs the server (still all counted: it runs in the server's threads) from what making the
 * requests costs the client. Linux only.
 */
const FLOODER_NICE = Number(process.env.BENCH_FLOODER_NICE ?? 0);
const HARD_LIMIT_MS = 3 * 60 * 1000;
const IMAGES = fileURLToPath(new URL('../../shared/data/images', import.meta.url));

const hardStop = setTimeout(() => {
  console.error(`flood bench: hard time limit (${HARD_LIMIT_MS / 1000} s) reached, aborting`);
  process.exit(2);
}, HARD_LIMIT_MS);
hardStop.unref();

const dataDir = mkdtempSync(path.join(tmpdir(), 'instune-flood-'));
const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
const runtime = await openRuntime(config, createLogger({ level: 'silent' }), {
  role: 'all',
  migrate: true,
});
const app = await buildServer(httpDepsOf(runtime, {} as OidcClient));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const base = `http://127.0.0.1:${port}`;

const db = runtime.database.db;
const account = async (subject: string) => {
  const userId = await signInWithIdentity(
    {
      db,
      masterKey: runtime.masterKey,
      clock: systemClock,
      freeCredits: config.credits.freeCredits,
    },
    {
      issuer: 'bench',
      subject,
      email: `${subject}@example.com`,
      emailVerified: true,
      name: subject,
      avatarUrl: null,
    },
  );
  await recordSignUpAcceptance({ db, clock: systemClock }, userId);
  const { token, session } = await createSession({ db, clock: systemClock, ttlHours: 1 }, userId);
  return { cookie: `instune_session=${token}`, csrf: session.csrfToken };
};
const reader = await account('reader');
const flooder = await account('flooder');
const photo = readFileSync(path.join(IMAGES, 'kodak_kodim23_parrots.jpg'));
const upload = multipartBody(
  { seconds: '180' },
  { filename: 'x.jpg', contentType: 'image/jpeg', bytes: photo },
);

// Something in the reader's list, and a generation of the flooder's own for its streams.
const submit = async (who: typeof reader) => {
  const res = await fetch(`${base}/api/generations`, {
    method: 'POST',
    body: new Uint8Array(upload.payload),
    headers: {
      ...upload.headers,
      cookie: who.cookie,
      'x-csrf-token': who.csrf,
      accept: 'application/json',
    },
  });
  return ((await res.json()) as { id: string }).id;
};
const readerPieces = [await submit(reader), await submit(reader), await submit(reader)];
// The baseline is idle: the reader's pieces are finished before it is measured.
for (const id of readerPieces) {
  for (let i = 0; i < 600; i++) {
    const row = await db
      .selectFrom('generations')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst();
    if (row?.status === 'done' || row?.status === 'failed') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const probe = (duration: number) =>
  autocannon({
    url: `${base}/api/generations`,
    connections: 5,
    duration,
    overallRate: RATE,
    workers: 1,
    headers: { cookie: reader.cookie, accept: 'application/json' },
  });
const fmt = (label: string, r: Result) =>
  `${label.padEnd(52)} p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  max ${r.latency.max} ms  ` +
  `(${r.requests.total} requests, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})`;

/**
 * CPU time of the web thread alone (Linux: /proc; the kernel counts in ticks of 10 ms), which,
 * unlike wall-clock figures, does not grow when other work on the machine takes the cores.
 */
const webThreadCpuMs = (): number | undefined => {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
};
/** The web thread's own busy share over a window (ELU: time in callbacks, not waiting). */
const busySince = (start: EventLoopUtilization) =>
  performance.eventLoopUtilization(performance.eventLoopUtilization(), start).utilization;
const idleStart = performance.eventLoopUtilization();
const idle = await probe(IDLE_S);
const idleBusy = busySince(idleStart);

/**
 * The flooder runs in a worker thread with its own event loop (a separate client, as the attack
 * was), plain JavaScript so it needs no loader: `parallel` requests at a time, each sent again
 * as soon as it is answered, until the deadline; it reports the statuses it got.
 */
const flooderSource = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { url, method, headers, body, parallel, until, pauseMs, nice } = workerData;
if (nice) require('node:os').setPriority(0, nice);
const counts = {};
const open = new Set();
const note = (status) => { counts[status] = (counts[status] || 0) + 1; };
const once = () => new Promise((resolve) => {
  // From an address of its own (loopback is 127/8), so per-address limits can tell it apart.
  const request = http.request(url, { method, headers, agent: false, localAddress: '127.0.0.2' }, (response) => {
    note(response.statusCode);
    response.resume();
    response.on('close', () => { open.delete(request); resolve(); });
  });
  open.add(request);
  request.on('error', () => { open.delete(request); if (Date.now() < until) note(0); resolve(); });
  request.end(body ? Buffer.from(body) : undefined);
});
const pause = () => new Promise((resolve) => setTimeout(resolve, pauseMs));
const loop = async () => { while (Date.now() < until) { await once(); if (pauseMs) await pause(); } };
const loops = Array.from({ length: parallel }, loop);
setTimeout(() => { for (const request of open) request.destroy(); }, Math.max(0, until - Date.now()));
Promise.all(loops).then(() => parentPort.postMessage(counts));
`;

function flood(options: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  parallel: number;
  until: number;
  /** Between an answer and the next attempt of one connection. */
  pauseMs: number;
}): Promise<Record<string, number>> {
  if (options.parallel === 0) return Promise.resolve({});
  return new Promise((resolve, reject) => {
    const worker = new Worker(flooderSource, {
      eval: true,
      workerData: { ...options, nice: FLOODER_NICE },
    });
    worker.once('message', (counts: Record<string, number>) => {
      resolve(counts);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

const target = await submit(flooder);
const until = Date.now() + FLOOD_S * 1000;
const floodStart = performance.eventLoopUtilization();
const floodCpuStart = webThreadCpuMs();
const [flooded, uploads, streams] = await Promise.all([
  probe(FLOOD_S),
  flood({
    url: `${base}/api/generations`,
    method: 'POST',
    headers: {
      ...upload.headers,
      cookie: flooder.cookie,
      'x-csrf-token': flooder.csrf,
      accept: 'application/json',
    },
    body: new Uint8Array(upload.payload),
    parallel: UPLOADERS,
    until,
    pauseMs: 0,
  }),
  flood({
    url: `${base}/api/generations/${target}/events`,
    method: 'GET',
    headers: { cookie: flooder.cookie, accept: 'text/event-stream' },
    parallel: STREAMS,
    until,
    pauseMs: STREAM_PAUSE_MS,
  }),
]);

const floodBusy = busySince(floodStart);
const floodCpuEnd = webThreadCpuMs();
const floodCpu =
  floodCpuStart !== undefined && floodCpuEnd !== undefined
    ? floodCpuEnd - floodCpuStart
    : undefined;

const statusLine = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([status, n]) => `${status}×${n}`)
    .join(', ') || 'none';
console.log('');
console.log(
  `=== Instune flood bench — Node ${process.version}, all-in-one on PGlite, default limits` +
    `${FLOODER_NICE ? `, flooder at nice ${FLOODER_NICE}` : ''} ===`,
);
console.log(fmt(`other user GET /api/generations at ${RATE} req/s, idle`, idle));
console.log(fmt(`other user GET /api/generations at ${RATE} req/s, flood`, flooded));
console.log(
  `flooder uploads (${UPLOADERS} at a time, ${FLOOD_S} s): statuses ${statusLine(uploads)}`,
);
console.log(
  `flooder event streams (${STREAMS} at a time, retried after ${STREAM_PAUSE_MS} ms): statuses ${statusLine(streams)}`,
);
console.log('');
console.log('SUMMARY');
console.log(
  `  other user's p99 under the flood: ${flooded.latency.p99} ms (idle ${idle.latency.p99} ms; target < 200 ms)`,
);
console.log(
  `  web thread busy ${(idleBusy * 100).toFixed(0)} % idle, ${(floodBusy * 100).toFixed(0)} % under the flood` +
    (floodCpu === undefined
      ? ''
      : `; its CPU time over the flood ${(floodCpu / 1000).toFixed(1)} s`),
);
console.log(`  RSS at end ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);

await app.close();
await runtime.close();
rmSync(dataDir, { recursive: true, force: true });
