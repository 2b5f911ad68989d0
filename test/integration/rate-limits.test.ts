import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { ManualClock } from '../../src/lib/clock.js';
import { httpDepsOf } from '../../src/main/runtime.js';
import { purgeEndedRateLimitCounters } from '../../src/modules/rate-limits/rate-limit-counters.js';
import { databaseKinds } from '../support/databases.js';
import { testPhoto } from '../support/images.js';
import { multipartBody, startTestApp, type TestApp } from '../support/test-app.js';

const nightRiver = await testPhoto('night-river');

interface ErrorBody {
  error: {
    code: string;
    message: string;
    requestId: string;
    details?: { retryAfterSeconds: number };
  };
}

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      database: 'pglite',
      env: {
        RATE_LIMIT_AUTH_MAX: '4',
        RATE_LIMIT_GENERATIONS_MAX: '2',
        RATE_LIMIT_GLOBAL_MAX: '40',
        RATE_LIMIT_WINDOW_SECONDS: '60',
      },
      // Nothing needs composing: every submission here is refused before the engine.
      compose: () => Promise.reject(new Error('not used')),
    });
  });
  afterAll(async () => {
    await t.close();
  });

  function expectRateLimited(res: {
    statusCode: number;
    headers: Record<string, unknown>;
    json<T>(): T;
  }) {
    expect(res.statusCode).toBe(429);
    const body = res.json<ErrorBody>();
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.requestId).toBeTruthy();
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  }

  it('limits sign-in per IP, and another IP is unaffected', async () => {
    // Each sign-in route has its own allowance per IP: two used here, two more, then refused.
    const user = await t.signIn({ email: 'rl-user@example.com', name: 'R' });
    await t.signIn({ email: 'rl-other@example.com', name: 'O' });
    for (let i = 0; i < 2; i += 1) {
      expect((await t.app.inject({ method: 'GET', url: '/auth/login' })).statusCode).toBe(302);
    }
    expectRateLimited(await t.app.inject({ method: 'GET', url: '/auth/login' }));
    const elsewhere = await t.app.inject({
      method: 'GET',
      url: '/auth/login',
      remoteAddress: '10.1.2.3',
    });
    expect(elsewhere.statusCode).toBe(302);

    // Uploads per user: the third in the window is refused before its body is read.
    const upload = () => {
      const { payload, headers } = multipartBody(
        { seconds: 'not-a-number' },
        {
          filename: 'a.jpg',
          contentType: 'image/jpeg',
          bytes: nightRiver,
        },
      );
      return t.app.inject({
        method: 'POST',
        url: '/api/generations',
        payload,
        headers: { ...headers, cookie: user.cookie, 'x-csrf-token': user.csrfToken },
      });
    };
    expect((await upload()).statusCode).toBe(400);
    expect((await upload()).statusCode).toBe(400);
    expectRateLimited(await upload());

    // The global limit counts a signed-in user's requests, whatever the route.
    let last = 200;
    for (let i = 0; i < 45 && last !== 429; i += 1) {
      last = (
        await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: user.cookie } })
      ).statusCode;
    }
    expect(last).toBe(429);
    expectRateLimited(
      await t.app.inject({ method: 'GET', url: '/api/credits', headers: { cookie: user.cookie } }),
    );
  });
});

describe.each(databaseKinds)('rate limits shared by web nodes on %s', (kind) => {
  let t: TestApp;
  let nodeB: FastifyInstance;
  const clock = new ManualClock('2026-11-26T10:00:00Z');
  beforeAll(async () => {
    t = await startTestApp({
      database: kind,
      clock,
      env: {
        RATE_LIMIT_AUTH_MAX: '3',
        RATE_LIMIT_GLOBAL_MAX: '10',
        RATE_LIMIT_WINDOW_SECONDS: '60',
      },
      compose: () => Promise.reject(new Error('not used')),
    });
    // A second web node: its own Fastify instance and memory, the same database and keys.
    nodeB = await buildServer(httpDepsOf(t.runtime, t.oidc));
    await nodeB.ready();
  });
  afterAll(async () => {
    await nodeB.close();
    await t.close();
  });

  const login = (node: FastifyInstance, ip = '203.0.113.7') =>
    node.inject({ method: 'GET', url: '/auth/login', remoteAddress: ip });

  it('counts sign-in attempts across nodes, forgets them after the window, and stores no IP', async () => {
    expect((await login(t.app)).statusCode).toBe(302);
    expect((await login(nodeB)).statusCode).toBe(302);
    expect((await login(t.app)).statusCode).toBe(302);
    // The fourth attempt in the window is refused whichever node answers it.
    expect((await login(nodeB)).statusCode).toBe(429);
    expect((await login(t.app)).statusCode).toBe(429);
    expect((await login(nodeB, '198.51.100.9')).statusCode).toBe(302);
    // Once a node has seen a key over the limit, more refusals cost it no database write.
    const hitsOf = async () =>
      (await t.runtime.database.db.selectFrom('rate_limit_counters').select('hits').execute())
        .map((r) => r.hits)
        .sort((a, b) => b - a)[0];
    const before = await hitsOf();
    for (let i = 0; i < 5; i += 1) expect((await login(t.app)).statusCode).toBe(429);
    expect(await hitsOf()).toBe(before);

    const rows = await t.runtime.database.db
      .selectFrom('rate_limit_counters')
      .selectAll()
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain('203.0.113.7');
    expect(stored).not.toContain('198.51.100.9');
    expect(stored).not.toContain('ip:');

    clock.advance(61_000);
    expect((await login(nodeB)).statusCode).toBe(302);
    // The retention sweep deletes ended windows (the one just restarted stays).
    clock.advance(61_000);
    const purged = await purgeEndedRateLimitCounters({ db: t.runtime.database.db, clock });
    expect(purged).toBeGreaterThanOrEqual(2);
    expect(
      await t.runtime.database.db.selectFrom('rate_limit_counters').selectAll().execute(),
    ).toEqual([]);
  });

  it("keeps the global flood limit per node, in the node's memory", async () => {
    const policies = (node: FastifyInstance) =>
      node.inject({ method: 'GET', url: '/api/policy', remoteAddress: '192.0.2.44' });
    let last = 0;
    for (let i = 0; i < 11; i += 1) last = (await policies(t.app)).statusCode;
    expect(last).toBe(429);
    expect((await policies(nodeB)).statusCode).toBe(200);
    const rows = await t.runtime.database.db
      .selectFrom('rate_limit_counters')
      .selectAll()
      .execute();
    expect(rows).toEqual([]);
  });
});
