import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { startLocalIssuer, type LocalIssuer } from '../../src/adapters/oidc/local-issuer.js';
import { createOidcClient, type OidcClient } from '../../src/adapters/oidc/oidc-client.js';
import { buildServer } from '../../src/http/server.js';
import { systemClock, type Clock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { httpDepsOf, openRuntime, type Runtime } from '../../src/main/runtime.js';
import type {
  AssessSafetyFn,
  ComposeFn,
} from '../../src/modules/generations/run-generation.service.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import type { PolicyVersion } from '../../src/modules/policies/policy-versions.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import { completeIssuerSignIn } from './issuer-browser.js';
import { multipartBody } from './multipart.js';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

export { multipartBody, waitFor };

export const testPublicUrl = 'http://instune.test';

export interface TestApp {
  app: FastifyInstance;
  runtime: Runtime;
  config: Config;
  /** Where the app answers: a real socket when started with `listen`, else only via inject. */
  baseUrl: string;
  issuer: LocalIssuer;
  /** The app's sign-in client, for building a second web node on the same runtime. */
  oidc: OidcClient;
  testDb: TestDatabase;
  /** Every log line the app wrote, for asserting what never reaches the logs. */
  logs: string[];
  /** The policy catalogue the app publishes when a test gave its own. */
  policyVersions: readonly PolicyVersion[] | undefined;
  /** The whole OIDC sign-in through the issuer's form; other tests use factories.createUser. */
  signIn(identity: { email: string; name: string }): Promise<SignedInUser>;
  close(): Promise<void>;
}

export interface SignedInUser {
  cookie: string;
  csrfToken: string;
  userId: string;
}

export interface TestAppOptions {
  database: DatabaseKind;
  clock?: Clock;
  compose?: ComposeFn;
  assessSafety?: AssessSafetyFn;
  env?: Record<string, string>;
  /** Listen on a real localhost port (browser tests); otherwise use app.inject only. */
  listen?: boolean;
  /** Publishes these privacy policy versions instead of the catalogue in code. */
  policyVersions?: readonly PolicyVersion[];
  /** The address users reach (inject only); `https://…` turns on __Host- cookies and HSTS. */
  publicUrl?: string;
}

/** The real app (real database, real local issuer, real job worker) driven through app.inject. */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const testDb = await createTestDatabase(options.database, { schema: 'migrated' });
  const port = options.listen ? await freePort() : 0;
  const baseUrl = options.listen
    ? `http://localhost:${port}`
    : (options.publicUrl ?? testPublicUrl);
  const config = loadConfig({
    DATA_DIR: testDb.dataDir,
    PUBLIC_URL: baseUrl,
    PORT: String(port),
    MASTER_KEY: randomBytes(32).toString('base64'),
    // Composing the landing examples would load every test's CPU; the tests of them turn it on.
    LANDING_EXAMPLES: 'false',
    ...(testDb.config.kind === 'postgres' ? { DATABASE_URL: testDb.config.url } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger({ level: 'info', destination: sink });
  const runtime = await openRuntime(config, log, {
    role: 'all',
    migrate: true,
    clock: options.clock ?? systemClock,
    ...(options.compose ? { compose: options.compose } : {}),
    ...(options.assessSafety ? { assessSafety: options.assessSafety } : {}),
    pollingIntervalSeconds: 0.5,
    ...(options.policyVersions ? { policyVersions: options.policyVersions } : {}),
  });
  const clientSecret = randomBytes(24).toString('hex');
  const issuer = await startLocalIssuer({
    port: 0,
    clientId: 'instune-test',
    clientSecret,
    redirectUris: [`${baseUrl}/auth/callback`],
  });
  const oidc = await createOidcClient({
    issuerUrl: issuer.issuerUrl,
    clientId: 'instune-test',
    clientSecret,
    redirectUri: `${baseUrl}/auth/callback`,
    allowInsecureHttp: true,
  });
  const app = await buildServer({
    ...httpDepsOf(runtime, oidc),
    policyVersions: options.policyVersions,
  });
  if (options.listen) await app.listen({ host: '127.0.0.1', port });
  else await app.ready();

  const signIn = async (identity: { email: string; name: string }): Promise<SignedInUser> => {
    const login = await app.inject({ method: 'GET', url: '/auth/login' });
    expect(login.statusCode).toBe(302);
    const loginCookie = cookieHeader(login);
    const callbackUrl = await completeIssuerSignIn(
      issuer.issuerUrl,
      String(login.headers.location),
      identity,
    );
    expect(callbackUrl.origin).toBe(baseUrl);
    const callback = await app.inject({
      method: 'GET',
      url: callbackUrl.pathname + callbackUrl.search,
      headers: { cookie: loginCookie },
    });
    expect(callback.statusCode, callback.body).toBe(303);
    const cookie = cookieHeader(callback);
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    const body = me.json<{ id: string; csrfToken: string }>();
    return { cookie, csrfToken: body.csrfToken, userId: body.id };
  };

  return {
    app,
    runtime,
    config,
    baseUrl,
    issuer,
    oidc,
    testDb,
    logs,
    policyVersions: options.policyVersions,
    signIn,
    close: async () => {
      await app.close();
      await issuer.close();
      await runtime.close();
      await testDb.drop();
    },
  };
}

/** The cookies a response set, as a request Cookie header (expired ones dropped). */
export function cookieHeader(response: LightMyRequestResponse): string {
  return response.cookies
    .filter((c) => c.value !== '' && (c.maxAge === undefined || c.maxAge > 0))
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
}

/** POSTs an image (and form fields) to /api/generations as the given user. */
export function submitImage(
  t: TestApp,
  user: SignedInUser,
  fields: Record<string, string>,
  bytes: Uint8Array,
  extraHeaders: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const { payload, headers } = multipartBody(fields, {
    filename: 'photo.jpg',
    contentType: 'image/jpeg',
    bytes,
  });
  return t.app.inject({
    method: 'POST',
    url: '/api/generations',
    payload,
    headers: {
      ...headers,
      cookie: user.cookie,
      'x-csrf-token': user.csrfToken,
      accept: 'application/json',
      ...extraHeaders,
    },
  });
}

/** Polls a generation until it has finished (done or failed), as its owner sees it. */
export async function waitForFinished(
  t: TestApp,
  user: SignedInUser,
  id: string,
  timeoutMs = 120_000,
): Promise<GenerationView> {
  return waitFor(async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${id}`,
      headers: { cookie: user.cookie },
    });
    expect(res.statusCode).toBe(200);
    const view = res.json<GenerationView>();
    return view.status === 'done' || view.status === 'failed' ? view : undefined;
  }, timeoutMs);
}
