import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateMusicJobName } from '../../src/jobs/payloads/generate-music.payload.js';
import type { CrashPoint } from '../../src/lib/crash-points.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testPhoto } from '../support/images.js';
import { completeIssuerSignIn, CookieJar } from '../support/issuer-browser.js';
import { startNode, waitForLine, type NodeChild } from '../support/node-processes.js';
import { freePort } from '../support/ports.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { multipartBody, waitFor } from '../support/test-app.js';

/*
 * The fault suite (review 2026-12): the production shape (migrate, a web process, worker
 * processes, PostgreSQL, one blob folder) at the default configuration (nothing shortened),
 * with the faults the attack run used: kill -9 at each stage and three times in a row,
 * terminated database connections under both roles, and a job delivered twice. Each ends with
 * exactly one result or one failure, one capture or one release, no file that nothing owns,
 * and both roles alive.
 */

const photo = await testPhoto('night-river');
/** What a finished piece stores under its prefix, in sorted order: three formats and the stems. */
const outputFiles = ['midi', 'mp3', 'stems', 'wav'];

describe('faults in the production shape (PostgreSQL, separate processes)', () => {
  let testDb: TestDatabase;
  let dbUrl: string;
  /** What web and worker connect through, so a scenario can take the database away. */
  let proxy: TcpProxy;
  let admin: pg.Client;
  let baseEnv: Record<string, string>;
  let web: NodeChild;
  let webUrl: string;
  const children: NodeChild[] = [];
  let session = { cookie: '', csrfToken: '', userId: '' };

  const startWorker = async (extra: Record<string, string> = {}) => {
    const child = startNode('worker', { ...baseEnv, PORT: '0', ...extra });
    children.push(child);
    await waitForLine(child, 'worker role started');
    return child;
  };

  /** SIGTERM, and the worker must stop cleanly (exit 0), not crash. */
  const stopWorker = async (worker: NodeChild) => {
    worker.proc.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    if (testDb.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    dbUrl = testDb.config.url;
    const direct = new URL(dbUrl);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(dbUrl);
    proxied.port = String(proxy.port);
    baseEnv = {
      NODE_ENV: 'test',
      DATABASE_URL: proxied.toString(),
      DATA_DIR: testDb.dataDir,
      MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      // The landing examples would compose in the background and share these tests' CPU.
      LANDING_EXAMPLES: 'false',
      // Enough for every scenario here (the default five are not).
      FREE_CREDITS: '50',
    };
    const migrate = startNode('migrate', baseEnv);
    expect((await migrate.exited).code, migrate.output.join('')).toBe(0);
    const port = await freePort();
    webUrl = `http://127.0.0.1:${port}`;
    web = startNode('web', {
      ...baseEnv,
      PORT: String(port),
      PUBLIC_URL: webUrl,
      LOCAL_OIDC_PORT: String(await freePort()),
    });
    children.push(web);
    await waitFor(async () => {
      if (!web.alive()) throw new Error(web.output.join(''));
      return (await fetch(`${webUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      ))
        ? true
        : undefined;
    });
    admin = new pg.Client({ connectionString: dbUrl });
    await admin.connect();

    const jar = new CookieJar();
    const login = await fetch(`${webUrl}/auth/login`, { redirect: 'manual' });
    jar.store(login);
    const authorizationUrl = login.headers.get('location') ?? '';
    const callback = await completeIssuerSignIn(
      new URL(authorizationUrl).origin,
      authorizationUrl,
      {
        email: 'faults@example.com',
        name: 'Faults',
      },
    );
    const back = await fetch(callback, { headers: { cookie: jar.header() }, redirect: 'manual' });
    expect(back.status).toBe(303);
    jar.store(back);
    const me = await fetch(`${webUrl}/api/me`, { headers: { cookie: jar.header() } });
    const body = (await me.json()) as { id: string; csrfToken: string };
    session = { cookie: jar.header(), csrfToken: body.csrfToken, userId: body.id };
  }, 120_000);

  // A scenario that fails leaves its worker running; it would take the next scenario's job.
  afterEach(async () => {
    const workers = children.filter((child) => child !== web && child.alive());
    for (const worker of workers) worker.proc.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
  });

  afterAll(async () => {
    await admin?.end();
    for (const child of children) if (child.alive()) child.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    await proxy?.close();
    await testDb?.drop();
  }, 60_000);

  async function submit(seconds = 10): Promise<string> {
    const { payload, headers } = multipartBody(
      { seconds: String(seconds), seed: '5' },
      { filename: 'photo.jpg', contentType: 'image/jpeg', bytes: photo },
    );
    const res = await fetch(`${webUrl}/api/generations`, {
      method: 'POST',
      body: new Uint8Array(payload),
      headers: {
        ...headers,
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        accept: 'application/json',
      },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    return ((await res.json()) as GenerationView).id;
  }

  async function rowOf(id: string) {
    const { rows } = await admin.query<{ status: string; stage: string; attempts: number }>(
      'select status, stage, attempts from generations where id = $1',
      [id],
    );
    return rows[0] ?? { status: 'missing', stage: 'missing', attempts: 0 };
  }

  /** Every stored file, relative to the blob folder. */
  async function storedFiles(): Promise<string[]> {
    const root = path.join(testDb.dataDir, 'blobs');
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
      .sort();
  }

  /**
   * The generation ended exactly once, as `outcome`: one reservation settled by one capture
   * (done) or one release (failed); its files are exactly the three formats and the stems (done) or none
   * (failed), and no stored file anywhere lacks an owner.
   */
  async function expectEndedOnce(id: string, outcome: 'done' | 'failed'): Promise<void> {
    await waitFor(async () => {
      const { status } = await rowOf(id);
      return status === 'done' || status === 'failed' ? true : undefined;
    }, 120_000);
    expect((await rowOf(id)).status).toBe(outcome);
    const { rows } = await admin.query<{ kind: string; n: number }>(
      'select kind, count(*)::int as n from credit_ledger where generation_id = $1 group by kind order by kind',
      [id],
    );
    expect(rows).toEqual([
      { kind: outcome === 'done' ? 'capture' : 'release', n: 1 },
      { kind: 'reservation', n: 1 },
    ]);
    const prefix = `outputs/${session.userId}/${id}`;
    // The failure path deletes its files after its commit: give it a moment.
    await waitFor(async () => {
      const mine = (await storedFiles()).filter((f) => f.includes(id));
      const expected = outcome === 'done' ? outputFiles.map((f) => `${prefix}/${f}`) : [];
      return JSON.stringify(mine) === JSON.stringify(expected) ? true : undefined;
    }, 15_000);
    await expectNoOrphans();
    if (outcome === 'done') {
      const audio = await fetch(`${webUrl}/api/generations/${id}/audio`, {
        headers: { cookie: session.cookie, range: 'bytes=0-2' },
      });
      expect(audio.status).toBe(206);
      expect(Buffer.from(await audio.arrayBuffer()).toString('latin1')).toBe('ID3');
    }
  }

  /** Every stored file belongs to a row: a finished piece's outputs, or work still under way. */
  async function expectNoOrphans(): Promise<void> {
    const { rows } = await admin.query<{
      id: string;
      status: string;
      input_object: string | null;
      output_object: string | null;
    }>('select id, status, input_object, output_object from generations');
    const owned = new Set<string>();
    for (const row of rows) {
      if (row.input_object) owned.add(row.input_object);
      if (row.output_object) for (const f of outputFiles) owned.add(`${row.output_object}/${f}`);
      if (row.status === 'queued' || row.status === 'running') {
        for (const f of outputFiles) owned.add(`outputs/${session.userId}/${row.id}/${f}`);
      }
    }
    expect((await storedFiles()).filter((f) => !owned.has(f))).toEqual([]);
  }

  async function expectAlive(...roles: NodeChild[]): Promise<void> {
    for (const role of roles) expect(role.alive(), role.output.join('').slice(-3000)).toBe(true);
    const ready = await fetch(`${webUrl}/readyz`);
    expect(ready.status).toBe(200);
  }

  const stageAt: Record<CrashPoint, string> = {
    analysing: 'analysing',
    rendering: 'rendering',
    encoding: 'encoding',
    'after-store': 'storing',
  };

  it.each(Object.keys(stageAt) as CrashPoint[])(
    'kill -9 while %s: the next worker retries it at once and it ends done, paid once',
    async (point) => {
      const id = await submit();
      const crashing = await startWorker({ INSTUNE_TEST_CRASH_AT: point });
      expect((await crashing.exited).signal).toBe('SIGKILL');
      expect(await rowOf(id)).toMatchObject({ status: 'running', stage: stageAt[point] });
      const worker = await startWorker();
      await expectEndedOnce(id, 'done');
      expect((await rowOf(id)).attempts).toBe(2);
      await expectAlive(web, worker);
      await stopWorker(worker);
    },
    150_000,
  );

  it('kill -9 after storing, three times in a row: it fails once, is released, and leaves no file', async () => {
    const id = await submit();
    for (let kill = 1; kill <= 3; kill += 1) {
      const crashing = await startWorker({ INSTUNE_TEST_CRASH_AT: 'after-store' });
      expect((await crashing.exited).signal, `kill ${kill}`).toBe('SIGKILL');
      expect((await rowOf(id)).attempts).toBe(kill);
      // The files of the attempt that died are on disk, owned by the running generation.
      expect((await storedFiles()).filter((f) => f.includes(id)).length).toBeGreaterThanOrEqual(3);
    }
    // No retries are left: the next worker reclaims the job, the dead letter fails the piece.
    const worker = await startWorker();
    await expectEndedOnce(id, 'failed');
    const view = (await (
      await fetch(`${webUrl}/api/generations/${id}`, { headers: { cookie: session.cookie } })
    ).json()) as GenerationView;
    expect(view.error?.code).toBe('engine_failed');
    await expectAlive(web, worker);
    await stopWorker(worker);
  }, 240_000);

  it('survives terminated database connections in both roles, busy or idle', async () => {
    const worker = await startWorker();
    const id = await submit(60);
    await waitFor(async () => {
      const { stage } = await rowOf(id);
      return ['composing', 'rendering', 'encoding'].includes(stage) ? true : undefined;
    });
    // The web is busy while its connections go: requests in flight may fail, the process stays.
    let busy = true;
    const statuses: number[] = [];
    const load = (async () => {
      while (busy) {
        const res = await fetch(`${webUrl}/api/generations`, {
          headers: { cookie: session.cookie },
        }).catch(() => null);
        statuses.push(res?.status ?? 0);
        await res?.arrayBuffer();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const terminated = await admin.query<{ n: number }>(
      `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid()`,
    );
    // Both pools, the web's LISTEN connection and the worker's lease and LISTEN connections.
    expect(terminated.rows[0]?.n).toBeGreaterThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    busy = false;
    await load;
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s !== 0)).toBe(true); // never connection refused: the web lived
    // The attempt that lost its lease stopped; the retry makes the piece once.
    await expectEndedOnce(id, 'done');
    await expectAlive(web, worker);

    // Again while idle, and the next piece is made as usual.
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid()`,
    );
    // A query already on its way when its connection goes fails (that is the contract); once
    // the terminations have reached the processes, every new one works.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await waitFor(async () => ((await fetch(`${webUrl}/readyz`)).ok ? true : undefined));
    const next = await submit();
    await expectEndedOnce(next, 'done');
    expect((await rowOf(next)).attempts).toBe(1);
    await expectAlive(web, worker);
    const after = await fetch(`${webUrl}/api/generations`, { headers: { cookie: session.cookie } });
    expect(after.status).toBe(200);
    await stopWorker(worker);
  }, 240_000);

  it('survives the database going away and coming back, as in a restart or a failover', async () => {
    const worker = await startWorker();
    const id = await submit(30);
    await waitFor(async () => {
      const { stage } = await rowOf(id);
      return ['composing', 'rendering', 'encoding'].includes(stage) ? true : undefined;
    });
    // Both pools, the web's LISTEN connection and the worker's lease and LISTEN connections.
    expect(proxy.open).toBeGreaterThanOrEqual(4);
    // Every connection is reset mid-stream and new ones are refused, for a restart's few seconds.
    await proxy.goDown();
    const down = await fetch(`${webUrl}/readyz`);
    expect(down.status).toBe(503);
    const listing = await fetch(`${webUrl}/api/generations`, {
      headers: { cookie: session.cookie, accept: 'application/json' },
    });
    // The request fails with a clear, retryable error; the process stays.
    expect(listing.status).toBe(503);
    expect(listing.headers.get('retry-after')).toBe('5');
    expect(((await listing.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(web.alive(), web.output.join('').slice(-3000)).toBe(true);
    expect(worker.alive(), worker.output.join('').slice(-3000)).toBe(true);
    await proxy.comeBack();
    // Back: the pools reconnect on their own, the queue resumes, the piece is made once.
    await waitFor(async () => ((await fetch(`${webUrl}/readyz`)).ok ? true : undefined));
    try {
      await expectEndedOnce(id, 'done');
    } catch (error) {
      // What the row and the worker said, for a failure that is hard to reproduce.
      const row = JSON.stringify(await rowOf(id));
      const said = worker.output.join('').slice(-4000);
      throw new Error(`${(error as Error).message}; row ${row}; worker: ${said}`, { cause: error });
    }
    const next = await submit();
    await expectEndedOnce(next, 'done');
    expect((await rowOf(next)).attempts).toBe(1);
    await expectAlive(web, worker);
    await stopWorker(worker);
  }, 240_000);

  it('a job delivered twice makes the piece once, never two runs at a time', async () => {
    const id = await submit();
    // A second message for the same generation, as an at-least-once queue may deliver.
    const boss = new PgBoss({
      connectionString: dbUrl,
      schema: 'pgboss',
      supervise: false,
      schedule: false,
      migrate: false,
    });
    boss.on('error', () => {});
    await boss.start();
    try {
      expect(await boss.send(generateMusicJobName, { generationId: id })).toBeTruthy();
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    // Two job slots, so both deliveries are taken at the same moment.
    const worker = await startWorker({ WORKER_CONCURRENCY: '2' });
    await expectEndedOnce(id, 'done');
    expect((await rowOf(id)).attempts).toBe(1);
    const { rows } = await admin.query<{ state: string; n: number }>(
      `select state::text, count(*)::int as n from pgboss.job
       where name = $1 and data->>'generationId' = $2 group by state`,
      [generateMusicJobName, id],
    );
    expect(rows).toEqual([{ state: 'completed', n: 2 }]);
    await waitForLine(worker, 'another delivery is running this generation').catch(async () =>
      // Or the duplicate came after the piece was done.
      waitForLine(worker, 'nothing to do'),
    );
    await expectAlive(web, worker);
    await stopWorker(worker);
  }, 120_000);
});
