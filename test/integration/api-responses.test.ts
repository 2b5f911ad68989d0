import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { responseFromZod } from '../../src/http/openapi/common.js';
import { openApiDocument } from '../../src/http/openapi.js';
import {
  accountOverviewResponse,
  cancelledResponse,
  checkoutResponse,
  consentResponse,
  creditHistoryResponse,
  creditsResponse,
  errorResponse,
  exportResponse,
  generationListResponse,
  generationResponse,
  meResponse,
  policyListResponse,
  rightsRequestListResponse,
  rightsRequestResponse,
} from '../../src/http/schemas/response.schemas.js';
import { createUser } from '../support/factories.js';
import { testPhoto } from '../support/images.js';
import {
  startTestApp,
  submitImage,
  waitForFinished,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

interface Documented {
  paths: Record<string, Record<string, { responses: Record<string, DocumentedResponse> }>>;
  components: { schemas: Record<string, object> };
}
interface DocumentedResponse {
  content?: { 'application/json'?: { schema: object } };
}

/** The JSON Schema the document gives for one answer, with a component reference resolved. */
function documentedSchema(method: string, path: string, status: number): object {
  const document = openApiDocument as unknown as Documented;
  const response = document.paths[path]?.[method]?.responses[String(status)];
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method.toUpperCase()} ${path} documents no JSON for ${status}`);
  const name = (schema as { $ref?: string }).$ref?.replace('#/components/schemas/', '');
  return name ? (document.components.schemas[name] ?? {}) : schema;
}

/**
 * The answer is what the document says: its status is documented with the schema generated from
 * `schema`, the body parses with it, and no field is left that the schema does not name (zod
 * drops unknown keys, so the parsed body would differ).
 */
function expectDocumented(
  res: LightMyRequestResponse,
  method: string,
  path: string,
  status: number,
  schema: z.ZodType,
): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(documentedSchema(method, path, status)).toEqual(responseFromZod(schema));
  const body: unknown = res.json();
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? [], `${method} ${path}`).toEqual([]);
  expect(parsed.data, `${method} ${path}: every field documented`).toEqual(body);
}

describe('the API answers as its OpenAPI document says', () => {
  let t: TestApp;
  let user: SignedInUser;

  beforeAll(async () => {
    t = await startTestApp({ database: 'pglite' });
    user = await createUser(t, { email: 'documented@example.com', name: 'Documented' });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string, cookie = user.cookie) =>
    t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const send = (method: 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { cookie: user.cookie, 'x-csrf-token': user.csrfToken },
      ...(payload ? { payload } : {}),
    });

  it('me, account, consent and policy', async () => {
    expectDocumented(await get('/api/me'), 'get', '/api/me', 200, meResponse);
    expectDocumented(
      await get('/api/account'),
      'get',
      '/api/account',
      200,
      accountOverviewResponse,
    );
    expectDocumented(await get('/api/consent'), 'get', '/api/consent', 200, consentResponse);
    expectDocumented(await get('/api/policy', ''), 'get', '/api/policy', 200, policyListResponse);
    expectDocumented(await get('/api/policy'), 'get', '/api/policy', 200, policyListResponse);
    expectDocumented(await get('/api/me', ''), 'get', '/api/me', 401, errorResponse);
  });

  it('rights requests and exports', async () => {
    const filed = await send('POST', '/api/account/requests', {
      kind: 'access',
      message: 'What do you keep?',
    });
    expectDocumented(filed, 'post', '/api/account/requests', 201, rightsRequestResponse);
    const list = await get('/api/account/requests');
    expectDocumented(list, 'get', '/api/account/requests', 200, rightsRequestListResponse);
    const started = await send('POST', '/api/account/exports');
    expectDocumented(started, 'post', '/api/account/exports', 202, exportResponse);
    const status = await get(`/api/account/exports/${started.json<{ id: string }>().id}`);
    expectDocumented(status, 'get', '/api/account/exports/{id}', 200, exportResponse);
  });

  it('credits, checkout and history', async () => {
    const credits = await get('/api/credits');
    expectDocumented(credits, 'get', '/api/credits', 200, creditsResponse);
    const packId = credits.json<{ packs: { id: string }[] }>().packs[0]?.id ?? '';
    const checkout = await send('POST', '/api/credits/checkout', { packId });
    expectDocumented(checkout, 'post', '/api/credits/checkout', 201, checkoutResponse);
    const history = await get('/api/credits/history');
    expectDocumented(history, 'get', '/api/credits/history', 200, creditHistoryResponse);
    const refused = await send('POST', '/api/credits/checkout', { packId: 'no-such-pack' });
    expect(refused.statusCode).toBe(400);
    expectDocumented(refused, 'post', '/api/credits/checkout', 400, errorResponse);
  });

  it('a generation, queued, finished (with its plan and story) and listed', async () => {
    const submitted = await submitImage(
      t,
      user,
      { seconds: '10' },
      await testPhoto('forest-stream'),
    );
    expectDocumented(submitted, 'post', '/api/generations', 202, generationResponse);
    const id = submitted.json<{ id: string }>().id;
    const finished = await waitForFinished(t, user, id);
    expect(finished.status).toBe('done');
    const one = await get(`/api/generations/${id}`);
    expectDocumented(one, 'get', '/api/generations/{id}', 200, generationResponse);
    expect(one.json<{ plan: { story?: object } | null }>().plan?.story).toBeDefined();
    const list = await get('/api/generations');
    expectDocumented(list, 'get', '/api/generations', 200, generationListResponse);
    const missing = await get('/api/generations/00000000-0000-4000-8000-000000000000');
    expectDocumented(missing, 'get', '/api/generations/{id}', 404, errorResponse);
    // The real engine composes the piece: on a busy 2-core machine that can pass a minute.
  }, 150_000);

  it('cancelling the account', async () => {
    const cancelled = await send('POST', '/api/account/cancel', { confirm: 'cancel my account' });
    expectDocumented(cancelled, 'post', '/api/account/cancel', 202, cancelledResponse);
  });
});
