import type { LightMyRequestResponse } from 'fastify';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.js';
import { buildServer } from '../../src/http/server.js';
import { HOUR_MS, ManualClock } from '../../src/lib/clock.js';
import { httpDepsOf } from '../../src/main/runtime.js';
import { createUser } from '../support/factories.js';
import { testPhoto } from '../support/images.js';
import { completeIssuerSignIn } from '../support/issuer-browser.js';
import {
  cookieHeader,
  startTestApp,
  submitImage,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

const paintedSky = await testPhoto('painted-sky');

/*
 * The defects an attack run found at the HTTP edge (review 2026-12): open redirects through
 * returnTo, 500s on header-unsafe returnTo values, health checks under the rate limit, cookies
 * "cleared" without Secure, over-long idempotency keys, prototype names under /assets, missing
 * HSTS and Cache-Control, and a replaced session left valid. All through the real sign-in.
 */

const hostileReturnTo = [
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '//evil.example',
  '/\\evil.example',
  '/%5C/evil.example',
  '/..//evil.example',
  'https://evil.example/',
  '/\u3000/evil.example',
];

/** Where a browser on the site goes after this response's Location header. */
function landingHost(res: LightMyRequestResponse, base: string): string {
  const location = res.headers.location;
  expect(typeof location, `status ${res.statusCode}: ${res.body}`).toBe('string');
  return new URL(String(location), `${base}/auth/callback`).host;
}

/** GET /auth/login?…, the real local issuer, then the callback with the browser's cookies. */
async function signInThrough(
  t: TestApp,
  loginUrl: string,
  identity: { email: string; name: string },
  browserCookie = '',
): Promise<LightMyRequestResponse> {
  const login = await t.app.inject({ method: 'GET', url: loginUrl });
  expect(login.statusCode).toBe(302);
  const callbackUrl = await completeIssuerSignIn(
    t.issuer.issuerUrl,
    String(login.headers.location),
    identity,
  );
  return t.app.inject({
    method: 'GET',
    url: callbackUrl.pathname + callbackUrl.search,
    headers: { cookie: [browserCookie, cookieHeader(login)].filter(Boolean).join('; ') },
  });
}

describe('the HTTP edge over http (PGlite)', () => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let user: SignedInUser;
  beforeAll(async () => {
    t = await startTestApp({
      database: 'pglite',
      clock,
      // A small global limit so a short flood reaches it.
      env: { RATE_LIMIT_GLOBAL_MAX: '20' },
    });
    user = await createUser(t, { email: 'edge@example.com', name: 'Edge' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('never redirects off-site after sign-in, and answers 303 (not 500) for any returnTo', async () => {
    for (const [i, returnTo] of [...hostileReturnTo, '/音乐', '/\u0000x'].entries()) {
      const callback = await signInThrough(
        t,
        `/auth/login?returnTo=${encodeURIComponent(returnTo)}`,
        { email: `redirect-${i}@example.com`, name: 'Redirect' },
      );
      expect(callback.statusCode, `${JSON.stringify(returnTo)}: ${callback.body}`).toBe(303);
      expect(landingHost(callback, t.baseUrl), JSON.stringify(returnTo)).toBe('instune.test');
      expect(String(callback.headers.location)).toMatch(/^\/[\x21-\x7e]*$/);
      // The session cookie reached the browser, so the sign-in worked.
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { cookie: cookieHeader(callback) },
      });
      expect(me.statusCode).toBe(200);
    }
  });

  it('keeps a same-site returnTo, percent-encoded', async () => {
    const callback = await signInThrough(
      t,
      `/auth/login?returnTo=${encodeURIComponent('/音乐?x=1')}`,
      {
        email: 'redirect-kept@example.com',
        name: 'Kept',
      },
    );
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/%E9%9F%B3%E4%B9%90?x=1');
  });

  it('never redirects off-site from the policy acceptance or the cookie banner', async () => {
    for (const returnTo of hostileReturnTo) {
      const page = await t.app.inject({
        method: 'GET',
        url: `/policy/accept?returnTo=${encodeURIComponent(returnTo)}`,
        headers: { cookie: user.cookie, accept: 'text/html' },
      });
      expect([200, 303]).toContain(page.statusCode);
      if (page.statusCode === 303) expect(landingHost(page, t.baseUrl)).toBe('instune.test');
      else {
        const value = /name="returnTo" value="([^"]*)"/.exec(page.body)?.[1] ?? '';
        expect(new URL(value, t.baseUrl).host).toBe('instune.test');
      }

      const accepted = await t.app.inject({
        method: 'POST',
        url: '/policy/accept',
        headers: { cookie: user.cookie, accept: 'text/html' },
        payload: { version: 'any', returnTo, _csrf: user.csrfToken },
      });
      if (accepted.statusCode === 303)
        expect(landingHost(accepted, t.baseUrl)).toBe('instune.test');
      else expect(accepted.statusCode).toBeLessThan(500);

      const consent = await t.app.inject({
        method: 'POST',
        url: '/consent',
        headers: { origin: t.baseUrl, accept: 'text/html' },
        payload: { choice: 'reject', returnTo },
      });
      expect(consent.statusCode).toBe(303);
      expect(landingHost(consent, t.baseUrl)).toBe('instune.test');
    }
  });

  it('ends the session a browser held when it signs in again as someone else', async () => {
    const first = await signInThrough(t, '/auth/login', {
      email: 'shared-a@example.com',
      name: 'A',
    });
    const firstCookie = cookieHeader(first);
    const second = await signInThrough(
      t,
      '/auth/login',
      { email: 'shared-b@example.com', name: 'B' },
      firstCookie,
    );
    expect(second.statusCode).toBe(303);
    const meWith = (cookie: string) =>
      t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect((await meWith(firstCookie)).statusCode).toBe(401);
    const b = await meWith(cookieHeader(second));
    expect(b.statusCode).toBe(200);
    expect(b.json<{ email: string }>().email).toBe('shared-b@example.com');
  });

  it('answers health and readiness checks during a flood from the same address', async () => {
    const flood = await Promise.all(
      Array.from({ length: 40 }, () => t.app.inject({ method: 'GET', url: '/api/policy' })),
    );
    expect(flood.filter((r) => r.statusCode === 429).length).toBeGreaterThan(0);
    for (let i = 0; i < 30; i += 1) {
      const health = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ ok: true, checks: { database: 'ok' } });
    }
    // The next window: the other tests here are not part of the flood.
    clock.advance(t.config.rateLimits.windowSeconds * 1000);
  });

  it('reports not ready when the database cannot be reached', async () => {
    // The same web role wired to a PostgreSQL server that is not there (port 1 refuses).
    const unreachable = new Kysely<DB>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({
          connectionString: 'postgres://postgres@127.0.0.1:1/none',
          connectionTimeoutMillis: 500,
        }),
      }),
    });
    const app = await buildServer({ ...httpDepsOf(t.runtime, t.oidc), db: unreachable });
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ ok: false, checks: { database: 'failing' } });
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await unreachable.destroy();
    }
  });

  it('refuses an over-long Idempotency-Key with 400 instead of charging twice', async () => {
    const photo = paintedSky;
    const payer = await createUser(t, { email: 'idem@example.com', name: 'Idem' });
    const credits = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/credits',
          headers: { cookie: payer.cookie },
        })
      ).json<{ balance: number }>().balance;
    const before = await credits();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const res = await submitImage(t, payer, { seconds: '10' }, photo, {
        'idempotency-key': 'k'.repeat(201),
      });
      expect(res.statusCode).toBe(400);
      const { error } = res.json<{ error: { code: string; reason: string; message: string } }>();
      expect(error.code).toBe('validation_failed');
      expect(error.reason).toBe('idempotency_key_invalid');
      expect(error.message).toContain('Idempotency-Key');
    }
    expect(await credits()).toBe(before);
    const rows = await t.runtime.database.db
      .selectFrom('generations')
      .select('id')
      .where('user_id', '=', payer.userId)
      .execute();
    expect(rows).toEqual([]);
    // The longest accepted key still makes a retry idempotent.
    const key = 'k'.repeat(200);
    const a = await submitImage(t, payer, { seconds: '10' }, photo, { 'idempotency-key': key });
    const b = await submitImage(t, payer, { seconds: '10' }, photo, { 'idempotency-key': key });
    expect(a.statusCode).toBe(202);
    expect(b.json<{ id: string }>().id).toBe(a.json<{ id: string }>().id);
    const variation = await t.app.inject({
      method: 'POST',
      url: `/api/generations/${a.json<{ id: string }>().id}/variations`,
      headers: {
        cookie: payer.cookie,
        'x-csrf-token': payer.csrfToken,
        'idempotency-key': 'v'.repeat(201),
      },
      payload: {},
    });
    expect(variation.statusCode).toBe(400);
  });

  it('answers 404 for built-in object names under /assets', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const res = await t.app.inject({ method: 'GET', url: `/assets/${name}` });
      expect(res.statusCode, name).toBe(404);
    }
    expect((await t.app.inject({ method: 'GET', url: '/assets/app.js' })).statusCode).toBe(200);
  });

  it('has a favicon, app icons and a web manifest', async () => {
    const favicon = await t.app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(favicon.statusCode).toBe(200);
    expect(favicon.headers['content-type']).toBe('image/png');
    expect((await sharp(favicon.rawPayload).metadata()).width).toBe(32);
    const manifest = await t.app.inject({ method: 'GET', url: '/manifest.webmanifest' });
    const icons = manifest.json<{ icons: { src: string; sizes: string }[] }>().icons;
    for (const icon of icons) {
      const res = await t.app.inject({ method: 'GET', url: icon.src });
      expect(res.statusCode, icon.src).toBe(200);
      if (icon.sizes !== 'any') {
        const { width, height } = await sharp(res.rawPayload).metadata();
        expect(`${width}x${height}`).toBe(icon.sizes);
      }
    }
    const page = await t.app.inject({ method: 'GET', url: '/' });
    expect(page.body).toContain('rel="icon" href="/assets/icon.svg"');
  });

  it('shows browsers an HTML error page in their language, and keeps JSON with its code for the API', async () => {
    const browser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const en = await t.app.inject({ method: 'GET', url: '/no-such-page', headers: browser });
    expect(en.statusCode).toBe(404);
    expect(en.headers['content-type']).toContain('text/html');
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toContain('Page not found');
    expect(en.body).toContain('href="/"');
    const zh = await t.app.inject({
      method: 'GET',
      url: '/no-such-page?lang=zh',
      headers: { ...browser, 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(zh.statusCode).toBe(404);
    expect(zh.body).toContain('找不到页面');
    // The API answers JSON whatever the Accept header says, and scripts get JSON everywhere.
    const api = await t.app.inject({ method: 'GET', url: '/api/no-such-thing', headers: browser });
    expect(api.statusCode).toBe(404);
    expect(api.json<{ error: { code: string } }>().error.code).toBe('not_found');
    const script = await t.app.inject({ method: 'GET', url: '/no-such-page' });
    expect(script.json<{ error: { code: string } }>().error.code).toBe('not_found');
  });

  it('marks personal responses uncacheable and sends no HSTS over http', async () => {
    for (const url of ['/api/me', '/api/generations', '/api/credits', '/api/account', '/']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: user.cookie } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('private, no-store');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const refused = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['cache-control']).toBe('private, no-store');
    // Static files keep their own policy.
    const asset = await t.app.inject({ method: 'GET', url: '/assets/style.css' });
    expect(asset.headers['cache-control']).toBe('no-cache');
  });
});

describe('the HTTP edge over https (PGlite)', () => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database: 'pglite', publicUrl: 'https://instune.test', clock });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Every Set-Cookie that deletes a __Host- cookie must carry Secure, or browsers ignore it. */
  function expectSecureClears(res: LightMyRequestResponse, names: string[]): void {
    const cleared = res.cookies.filter((c) => c.value === '' || c.maxAge === 0);
    expect(cleared.map((c) => c.name).sort()).toEqual([...names].sort());
    for (const cookie of cleared) {
      expect(cookie.name.startsWith('__Host-'), cookie.name).toBe(true);
      expect(cookie.secure, cookie.name).toBe(true);
      expect(cookie.path).toBe('/');
      expect(cookie.domain).toBeUndefined();
    }
  }

  it('clears __Host- cookies with Secure at sign-in, sign-out, expiry and cancellation', async () => {
    const callback = await signInThrough(t, '/auth/login', {
      email: 'secure@example.com',
      name: 'Secure',
    });
    expect(callback.statusCode).toBe(303);
    expectSecureClears(callback, ['__Host-instune_login']);
    const session = callback.cookies.find((c) => c.name === '__Host-instune_session');
    expect(session).toMatchObject({ secure: true, httpOnly: true, path: '/' });
    const cookie = cookieHeader(callback);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    const { csrfToken } = me.json<{ csrfToken: string }>();

    const logout = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(logout.statusCode).toBe(204);
    expectSecureClears(logout, ['__Host-instune_session']);

    const again = cookieHeader(
      await signInThrough(t, '/auth/login', { email: 'secure@example.com', name: 'Secure' }),
    );
    clock.advance((t.config.sessions.ttlHours + 1) * HOUR_MS);
    try {
      const expired = await t.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { cookie: again },
      });
      expect(expired.statusCode).toBe(401);
      expectSecureClears(expired, ['__Host-instune_session']);
    } finally {
      clock.advance(-(t.config.sessions.ttlHours + 1) * HOUR_MS);
    }

    const third = cookieHeader(
      await signInThrough(t, '/auth/login', { email: 'secure-cancel@example.com', name: 'C' }),
    );
    const token = (
      await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: third } })
    ).json<{ csrfToken: string }>().csrfToken;
    const cancel = await t.app.inject({
      method: 'POST',
      url: '/api/account/cancel',
      headers: { cookie: third, 'x-csrf-token': token },
      payload: { confirm: 'cancel my account' },
    });
    expect(cancel.statusCode).toBe(202);
    expectSecureClears(cancel, ['__Host-instune_session']);
  });

  it('sends HSTS on every response when the public address is https', async () => {
    for (const url of ['/', '/healthz', '/api/policy', '/assets/app.js', '/no-such-page']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['strict-transport-security'], url).toBe('max-age=63072000');
    }
  });
});
