import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { completeIssuerSignIn } from '../support/issuer-browser.js';
import { testPhoto } from '../support/images.js';
import {
  cookieHeader,
  multipartBody,
  startTestApp,
  waitFor,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

/*
 * Walks every route the app registers, so a route added later without protection fails here.
 * Each non-public route must answer an anonymous client 401 (or a redirect to sign-in for HTML
 * pages), refuse a write without the CSRF token with 403, and answer another user's object ids
 * exactly like missing ones (404; 403 under the staff scope). Nothing of user A may appear in
 * any answer to user B. OIDC nonce, PKCE and audience checks are covered at the client level
 * in src/adapters/oidc/oidc.test.ts; the callback tamper cases are driven through the app here.
 */

/** Public on purpose; everything else needs a session. Keep the reason beside each entry. */
const publicRoutes = new Map<string, string>([
  ['GET /', 'landing page (shows the create page only with a session)'],
  ['GET /healthz', 'load-balancer probe'],
  ['GET /readyz', 'load-balancer readiness probe (checks the database)'],
  ['GET /privacy', 'privacy policy'],
  ['GET /cookies', 'cookie settings work before sign-in'],
  ['GET /auth/login', 'starts sign-in'],
  ['GET /auth/callback', 'finishes sign-in (tamper cases below)'],
  ['GET /assets/:name', 'static CSS, JS and icons'],
  ['GET /favicon.ico', 'the site icon browsers ask for'],
  ['GET /manifest.webmanifest', 'the web app manifest (name and icons)'],
  ['POST /webhooks/stripe', 'verified by the Stripe signature, not a session'],
  ['GET /api/consent', "this browser's cookie choice"],
  ['GET /api/policy', 'the policy in force (plus acceptance status with a session)'],
  ['POST /consent', 'the cookie banner works before sign-in (CSRF once signed in)'],
  ['POST /preferences/lang', 'language switch, same-origin checked'],
  ['GET /contact', 'the contact form is for people without an account'],
  [
    'GET /examples/:file',
    'the landing examples (pictures the project draws, music the engine made from them): for everyone, signed in or not',
  ],
  ['GET /contact/verify', 'the mailed confirmation link (asks before it acts)'],
  [
    'POST /api/contact',
    'contact form: double-submitted form token, same-origin, per-IP limit (contact-form.test)',
  ],
  [
    'POST /api/contact/verify',
    'confirms by the mailed token, same-origin, per-IP limit (contact-form.test)',
  ],
]);
const publicPrefixes = ['/docs'];

interface Route {
  method: string;
  url: string;
}

/** Parses `printRoutes({ commonPrefix: false })`: a tree whose node texts concatenate to URLs. */
export function listRoutes(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: Array<{ depth: number; path: string }> = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[└├]── (\S+)(?: \(([^)]+)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    while (stack.length > depth) stack.pop();
    const path = (stack[stack.length - 1]?.path ?? '') + (match[2] ?? '');
    stack.push({ depth, path });
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) {
      if (method && method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: path });
    }
  }
  return routes;
}

const isPublic = (r: Route) =>
  publicRoutes.has(`${r.method} ${r.url}`) || publicPrefixes.some((p) => r.url.startsWith(p));

const photo = await testPhoto('night-river');

describe.each(databaseKinds)('access walk on %s', (kind) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  let alice: SignedInUser;
  let bob: SignedInUser;
  const fixture = { generationId: '', exportId: '', checkoutSessionId: '', requestId: '' };
  const aliceEmail = `alice-walk-${kind}@example.com`;
  const aliceName = 'Alice WALK-CANARY-7';

  beforeAll(async () => {
    t = await startTestApp({ database: kind, clock });
    alice = await createUser(t, { email: aliceEmail, name: aliceName });
    bob = await createUser(t, { email: `bob-walk-${kind}@example.com`, name: 'Bob' });

    const { payload, headers } = multipartBody(
      { seconds: '10', seed: '3' },
      { filename: 'photo.jpg', contentType: 'image/jpeg', bytes: photo },
    );
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/api/generations',
      payload,
      headers: { ...headers, cookie: alice.cookie, 'x-csrf-token': alice.csrfToken },
    });
    expect(submitted.statusCode, submitted.body).toBe(202);
    fixture.generationId = submitted.json<GenerationView>().id;
    await waitFor(async () => {
      const res = await get(`/api/generations/${fixture.generationId}`, alice);
      const status = res.json<GenerationView>().status;
      return status === 'done' || status === 'failed' ? status : undefined;
    }, 90_000);

    const exported = await t.app.inject({
      method: 'POST',
      url: '/api/account/exports',
      headers: { cookie: alice.cookie, 'x-csrf-token': alice.csrfToken },
    });
    expect(exported.statusCode, exported.body).toBe(202);
    fixture.exportId = exported.json<{ id: string }>().id;
    await waitFor(async () => {
      const res = await get(`/api/account/exports/${fixture.exportId}`, alice);
      return res.json<{ status: string }>().status === 'ready' ? true : undefined;
    });

    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/account/requests',
      payload: { kind: 'complaint', message: 'alice complains' },
      headers: { cookie: alice.cookie, 'x-csrf-token': alice.csrfToken },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    fixture.requestId = filed.json<{ id: string }>().id;

    const checkout = await t.app.inject({
      method: 'POST',
      url: '/api/credits/checkout',
      payload: { packId: t.config.credits.packs[0]?.id ?? 'small' },
      headers: { cookie: alice.cookie, 'x-csrf-token': alice.csrfToken },
    });
    expect(checkout.statusCode, checkout.body).toBe(201);
    fixture.checkoutSessionId =
      new URL(checkout.json<{ url: string }>().url).pathname.split('/').pop() ?? '';
  }, 150_000);

  afterAll(async () => {
    await t.close();
  });

  function get(url: string, user: SignedInUser | null): Promise<LightMyRequestResponse> {
    return t.app.inject({
      method: 'GET',
      url,
      headers: user ? { cookie: user.cookie } : {},
    });
  }

  /** Alice's object for each route parameter; a route with an unknown parameter fails the walk. */
  function fill(url: string): string {
    return url.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === 'sessionId') return fixture.checkoutSessionId;
      if (name === 'name') return 'style.css';
      if (name === 'file') return 'sunset.png';
      if (name !== 'id') throw new Error(`no fixture for parameter :${name} in ${url}`);
      if (url.startsWith('/api/account/exports/')) return fixture.exportId;
      if (url.startsWith('/api/staff/users/')) return alice.userId;
      if (url.startsWith('/api/staff/requests/')) return fixture.requestId;
      if (url.startsWith('/api/generations/') || url.startsWith('/generations/'))
        return fixture.generationId;
      throw new Error(`no fixture for :id in ${url}; add one so the route is walked`);
    });
  }

  /** A body the route accepts up to its CSRF check, so a missing token is what refuses it. */
  function writeBody(route: Route): { payload?: string | Buffer; headers: Record<string, string> } {
    if (route.url === '/api/generations') {
      const { payload, headers } = multipartBody(
        { seconds: '10' },
        { filename: 'photo.jpg', contentType: 'image/jpeg', bytes: photo },
      );
      return { payload, headers };
    }
    const bodies: Record<string, unknown> = {
      '/api/credits/checkout': { packId: t.config.credits.packs[0]?.id ?? 'small' },
      '/policy/accept': { version: 'any' },
      '/api/account': { name: 'Mallory' },
      '/api/account/cancel': { confirm: 'cancel my account' },
      '/api/account/requests': { kind: 'other', message: 'hello' },
      '/api/staff/requests/:id/replies': { message: 'hello' },
      '/api/staff/requests/:id': { status: 'done' },
      // Renaming (PATCH; DELETE of the same path ignores it) and extending someone else's piece.
      '/api/generations/:id': { title: 'Mallory' },
      '/api/generations/:id/extensions': { seconds: 10 },
    };
    return {
      payload: JSON.stringify(bodies[route.url] ?? {}),
      headers: { 'content-type': 'application/json' },
    };
  }

  function send(route: Route, user: SignedInUser | null, csrf: boolean) {
    const body = route.method === 'GET' ? { headers: {} } : writeBody(route);
    return t.app.inject({
      method: route.method as 'GET',
      url: fill(route.url),
      ...(body.payload !== undefined ? { payload: body.payload } : {}),
      headers: {
        ...body.headers,
        accept: 'application/json',
        ...(user ? { cookie: user.cookie } : {}),
        ...(user && csrf ? { 'x-csrf-token': user.csrfToken } : {}),
      },
    });
  }

  const canaries = () => [
    aliceEmail,
    aliceName,
    alice.userId,
    fixture.generationId,
    fixture.exportId,
    fixture.checkoutSessionId,
  ];

  function expectNoAliceData(res: LightMyRequestResponse, route: Route, url: string): void {
    // An id Bob typed into the URL may be echoed back (a sign-in redirect, a page shell).
    for (const canary of canaries().filter((c) => !url.includes(c))) {
      expect(res.body, `${route.method} ${route.url} leaks ${canary}`).not.toContain(canary);
    }
  }

  it('knows every registered route: public on purpose, or walked below', () => {
    const routes = listRoutes(t.app);
    expect(routes.length).toBeGreaterThan(25);
    for (const entry of publicRoutes.keys()) {
      const [method, url] = entry.split(' ');
      expect(
        routes.some((r) => r.method === method && r.url === url),
        `allow-listed ${entry} no longer exists; drop it from the list`,
      ).toBe(true);
    }
    // Every protected route must have fixtures for its parameters.
    for (const route of routes.filter((r) => !isPublic(r)))
      expect(() => fill(route.url)).not.toThrow();
  });

  it('refuses anonymous clients on every non-public route', async () => {
    const refused: string[] = [];
    for (const route of listRoutes(t.app).filter((r) => !isPublic(r))) {
      const res = await send(route, null, false);
      const toSignIn =
        route.method === 'GET' &&
        res.statusCode === 303 &&
        String(res.headers.location).startsWith('/auth/login');
      if (res.statusCode !== 401 && !toSignIn)
        refused.push(`${route.method} ${route.url} → ${res.statusCode}`);
      expectNoAliceData(res, route, fill(route.url));
    }
    expect(refused, 'routes open to anonymous clients').toEqual([]);
  });

  it('refuses every non-public write without the CSRF token', async () => {
    const open: string[] = [];
    for (const route of listRoutes(t.app).filter((r) => !isPublic(r) && r.method !== 'GET')) {
      const res = await send(route, bob, false);
      if (res.statusCode !== 403) open.push(`${route.method} ${route.url} → ${res.statusCode}`);
    }
    expect(open, 'writes accepted without a CSRF token').toEqual([]);
  });

  it("answers another user's ids like missing ones, and leaks nothing of them", async () => {
    const routes = listRoutes(t.app);
    const wrong: string[] = [];
    for (const route of routes) {
      const url = fill(route.url);
      if (route.method === 'GET') {
        const res = await send(route, bob, false);
        expectNoAliceData(res, route, url);
        if (!isPublic(route) && route.url.includes(':')) {
          const expected = route.url.startsWith('/api/staff/') ? 403 : 404;
          // HTML pages for an id render a shell that loads the data through the API.
          const shell = route.url === '/generations/:id' && res.statusCode === 200;
          if (res.statusCode !== expected && !shell) {
            wrong.push(`GET ${route.url} → ${res.statusCode}, expected ${expected}`);
          }
        }
      } else if (!isPublic(route) && route.url.includes(':')) {
        const res = await send(route, bob, true);
        const expected = route.url.startsWith('/api/staff/') ? 403 : 404;
        if (res.statusCode !== expected) {
          wrong.push(`${route.method} ${route.url} → ${res.statusCode}, expected ${expected}`);
        }
        expectNoAliceData(res, route, url);
      }
    }
    expect(wrong).toEqual([]);

    // Bob's attempts changed nothing: Alice still sees and downloads her things.
    for (const url of [
      `/api/generations/${fixture.generationId}`,
      `/api/generations/${fixture.generationId}/audio`,
      `/api/account/exports/${fixture.exportId}`,
      `/api/account/exports/${fixture.exportId}/download`,
      `/credits/local-checkout/${fixture.checkoutSessionId}`,
    ]) {
      expect((await get(url, alice)).statusCode, url).toBe(200);
    }
    const list = await get('/api/generations', alice);
    expect(list.body).toContain(fixture.generationId);
  });

  describe('sign-in callback tampering (all 401)', () => {
    async function startLogin(): Promise<{ loginCookie: string; callback: URL }> {
      const login = await t.app.inject({ method: 'GET', url: '/auth/login' });
      expect(login.statusCode).toBe(302);
      const callback = await completeIssuerSignIn(
        t.issuer.issuerUrl,
        String(login.headers.location),
        { email: `mallory-${kind}@example.com`, name: 'Mallory' },
      );
      return { loginCookie: cookieHeader(login), callback };
    }

    const callbackOf = (url: URL, cookie?: string) =>
      t.app.inject({
        method: 'GET',
        url: url.pathname + url.search,
        headers: cookie ? { cookie } : {},
      });

    it('wrong state', async () => {
      const { loginCookie, callback } = await startLogin();
      const tampered = new URL(callback);
      tampered.searchParams.set('state', 'x' + (callback.searchParams.get('state') ?? ''));
      const res = await callbackOf(tampered, loginCookie);
      expect(res.statusCode).toBe(401);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('unauthenticated');
    });

    it('replayed code and state', async () => {
      const { loginCookie, callback } = await startLogin();
      expect((await callbackOf(callback, loginCookie)).statusCode).toBe(303);
      expect((await callbackOf(callback, loginCookie)).statusCode).toBe(401);
    });

    it('missing login cookie', async () => {
      const { callback } = await startLogin();
      expect((await callbackOf(callback)).statusCode).toBe(401);
    });

    it('expired login (11 minutes later)', async () => {
      const { loginCookie, callback } = await startLogin();
      clock.advance(11 * 60 * 1000);
      const res = await callbackOf(callback, loginCookie);
      expect(res.statusCode).toBe(401);
      expect(res.cookies.some((c) => c.name.endsWith('instune_session') && c.value)).toBe(false);
    });
  });
});
