import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testPhoto } from '../support/images.js';
import { completeIssuerSignIn, CookieJar } from '../support/issuer-browser.js';
import { multipartBody, waitFor } from '../support/test-app.js';
import { freePort } from '../support/ports.js';
import { killHard, startNode, type NodeChild } from '../support/node-processes.js';

/*
 * The production shape: `migrate`, two web processes and worker processes as separate
 * `node --import tsx` children on one PostgreSQL database and one shared blob folder. A session
 * made on one web node works on the other. Workers are killed with SIGKILL at three points and
 * restarted: each generation still ends done with exactly one capture. Nothing is shortened:
 * at the default configuration a dead worker's job is retried as soon as a live worker sees
 * its lease gone (docs/decisions/0013-job-claims-and-worker-leases.md).
 */

const photo = await testPhoto('night-river');

describe('separate web and worker processes on PostgreSQL', () => {
  let testDb: TestDatabase;
  let admin: pg.Client;
  const children: NodeChild[] = [];
  const webs: Array<{ url: string; child: NodeChild }> = [];
  let baseEnv: Record<string, string>;
  let session = { cookie: '', csrfToken: '', userId: '' };

  const startWorker = async (extra: Record<string, string> = {}) => {
    const child = startNode('worker', { ...baseEnv, PORT: '0', ...extra });
    children.push(child);
    await waitFor(async () => {
      if (child.output.join('').includes('worker role started')) return true;
      if (child.proc.exitCode !== null) throw new Error(child.output.join(''));
      return undefined;
    }, 60_000);
    return child;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    if (testDb.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    baseEnv = {
      NODE_ENV: 'test',
      DATABASE_URL: testDb.config.url,
      DATA_DIR: testDb.dataDir,
      MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      // The landing examples would compose in the background and share these tests' CPU.
      LANDING_EXAMPLES: 'false',
    };
    const migrate = startNode('migrate', baseEnv);
    const migrated = await migrate.exited;
    expect(migrated.code, migrate.output.join('')).toBe(0);

    for (let i = 0; i < 2; i += 1) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const child = startNode('web', {
        ...baseEnv,
        PORT: String(port),
        PUBLIC_URL: url,
        LOCAL_OIDC_PORT: String(await freePort()),
      });
      children.push(child);
      webs.push({ url, child });
    }
    for (const web of webs) {
      await waitFor(async () => {
        if (web.child.proc.exitCode !== null) throw new Error(web.child.output.join(''));
        const ok = await fetch(`${web.url}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        return ok ? true : undefined;
      }, 60_000);
    }
    admin = new pg.Client({ connectionString: testDb.config.url });
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    await admin?.end();
    for (const child of children) {
      if (child.proc.exitCode === null && child.proc.signalCode === null)
        child.proc.kill('SIGTERM');
    }
    await Promise.all(children.map((c) => c.exited));
    await testDb?.drop();
  }, 60_000);

  async function api(web: number, url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('cookie', session.cookie);
    headers.set('accept', 'application/json');
    return fetch(`${webs[web]?.url}${url}`, { ...init, headers, redirect: 'manual' });
  }

  async function submit(web: number, seconds: number): Promise<string> {
    const { payload, headers } = multipartBody(
      { seconds: String(seconds), seed: '11' },
      { filename: 'photo.jpg', contentType: 'image/jpeg', bytes: photo },
    );
    const res = await api(web, '/api/generations', {
      method: 'POST',
      body: new Uint8Array(payload),
      headers: { ...headers, 'x-csrf-token': session.csrfToken },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    return ((await res.json()) as GenerationView).id;
  }

  async function statusOf(id: string): Promise<{ status: string; stage: string }> {
    const { rows } = await admin.query<{ status: string; stage: string }>(
      'select status, stage from generations where id = $1',
      [id],
    );
    return rows[0] ?? { status: 'missing', stage: 'missing' };
  }

  /** Done, seen by the user on either web node, downloadable, and paid for exactly once. */
  async function expectDoneOnce(id: string): Promise<void> {
    await waitFor(async () => ((await statusOf(id)).status === 'done' ? true : undefined), 90_000);
    for (const web of [0, 1]) {
      const view = (await (await api(web, `/api/generations/${id}`)).json()) as GenerationView;
      expect(view).toMatchObject({ status: 'done', downloadable: true });
    }
    const audio = await api(1, `/api/generations/${id}/audio`);
    expect(audio.status).toBe(200);
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    const { rows } = await admin.query<{ kind: string; n: number }>(
      'select kind, count(*)::int as n from credit_ledger where generation_id = $1 group by kind order by kind',
      [id],
    );
    expect(rows).toEqual([
      { kind: 'capture', n: 1 },
      { kind: 'reservation', n: 1 },
    ]);
  }

  it('signs in on one web node, is served by the other, and two workers render', async () => {
    const jar = new CookieJar();
    const login = await fetch(`${webs[0]?.url}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    jar.store(login);
    const authorizationUrl = login.headers.get('location') ?? '';
    const callback = await completeIssuerSignIn(
      new URL(authorizationUrl).origin,
      authorizationUrl,
      {
        email: 'procs@example.com',
        name: 'Proc',
      },
    );
    const back = await fetch(callback, { headers: { cookie: jar.header() }, redirect: 'manual' });
    expect(back.status).toBe(303);
    jar.store(back);
    session.cookie = jar.header();
    // The session was made by web 0; web 1 knows it through the shared database.
    const me = await api(1, '/api/me');
    expect(me.status).toBe(200);
    const body = (await me.json()) as { id: string; csrfToken: string };
    session = { cookie: session.cookie, csrfToken: body.csrfToken, userId: body.id };

    const workers = [await startWorker(), await startWorker()];
    const ids = [await submit(0, 10), await submit(1, 10)];
    for (const id of ids) await expectDoneOnce(id);
    for (const worker of workers) await killHard(worker);
  }, 150_000);

  it('survives SIGKILL with the job queued, mid-render, and after storing', async () => {
    // 1. Reserved and queued while no worker runs (the last ones were killed).
    const queued = await submit(0, 10);
    expect(await statusOf(queued)).toMatchObject({ status: 'queued' });
    const first = await startWorker();
    await expectDoneOnce(queued);

    // 2. Mid-render: a longer piece, killed once the engine is composing or rendering.
    const midRender = await submit(1, 60);
    await waitFor(async () => {
      const { stage } = await statusOf(midRender);
      return ['composing', 'rendering', 'encoding'].includes(stage) ? true : undefined;
    }, 60_000);
    await killHard(first);
    expect((await statusOf(midRender)).status).toBe('running');
    const second = await startWorker();
    await expectDoneOnce(midRender);
    await killHard(second);

    // 3. After the files are stored, before done: the worker kills itself at that point.
    const afterStore = await submit(0, 10);
    const crashing = await startWorker({ INSTUNE_TEST_CRASH_AT: 'after-store' });
    expect((await crashing.exited).signal).toBe('SIGKILL');
    expect((await statusOf(afterStore)).stage).toBe('storing');
    await startWorker();
    await expectDoneOnce(afterStore);
  }, 180_000);
});
