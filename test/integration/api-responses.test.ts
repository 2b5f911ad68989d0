import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { responseFromZod } from '../../src/http/openapi/common.js';
import { openApiDocument } from '../../src/http/openapi.js';
import {
  contactConfirmedResponse,
  contactSubmittedResponse,
} from '../../src/http/schemas/contact.schemas.js';
import {
  accountConsentResponse,
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
  generationVersionsResponse,
  meResponse,
  policyListResponse,
  rightsRequestListResponse,
  rightsRequestResponse,
} from '../../src/http/schemas/response.schemas.js';
import {
  staffAccountResponse,
  staffAuditLogResponse,
  staffBreachAssessmentResponse,
  staffBreachNoticeResponse,
  staffGenerationListResponse,
  staffRequestQueueResponse,
  staffRequestReplyResponse,
  staffRequestResponse,
  staffRequestStatusResponse,
  staffRoleResponse,
} from '../../src/http/schemas/staff-response.schemas.js';
import { newId } from '../../src/lib/ids.js';
import { grantRole } from '../../src/modules/staff/staff-roles.service.js';
import { createUser } from '../support/factories.js';
import { testPhoto } from '../support/images.js';
import { mailText, startSmtpReceiver, type ReceivedMail } from '../support/smtp-receiver.js';
import {
  cookieHeader,
  startTestApp,
  submitImage,
  testPublicUrl,
  waitFor,
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

/** Every `METHOD path status` checked against the document by this file, for the last test. */
const checked = new Set<string>();

/** Every JSON success answer the document describes, as `METHOD path status`. */
function documentedJsonSuccesses(): string[] {
  const document = openApiDocument as unknown as Documented;
  const found: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (method === 'parameters') continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status.startsWith('2') && response.content?.['application/json']) {
          found.push(`${method} ${path} ${status}`);
        }
      }
    }
  }
  return found;
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
  checked.add(`${method} ${path} ${status}`);
  expect(documentedSchema(method, path, status)).toEqual(responseFromZod(schema));
  const body: unknown = res.json();
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? [], `${method} ${path}`).toEqual([]);
  expect(parsed.data, `${method} ${path}: every field documented`).toEqual(body);
}

describe('the API answers as its OpenAPI document says', () => {
  let t: TestApp;
  let user: SignedInUser;
  let admin: SignedInUser;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let received: ReceivedMail[] = [];
  /** The finished piece of the generation test, for the calls that make one from another. */
  let finishedId = '';

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    received = smtp.received;
    t = await startTestApp({
      database: 'pglite',
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Instune <privacy@instune.test>' },
    });
    user = await createUser(t, { email: 'documented@example.com', name: 'Documented' });
    admin = await createUser(t, { email: 'documented-admin@example.com', name: 'Admin' });
    await grantRole(
      { db: t.runtime.database.db, clock: t.runtime.clock },
      { by: { kind: 'cli' }, userId: admin.userId, role: 'admin', requestId: newId() },
    );
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const get = (url: string, cookie = user.cookie) =>
    t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const send = (method: 'POST' | 'PATCH', url: string, payload?: object, as = user) =>
    t.app.inject({
      method,
      url,
      headers: { cookie: as.cookie, 'x-csrf-token': as.csrfToken },
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
    const chosen = await send('POST', '/api/account/consent', { preferences: true });
    expectDocumented(chosen, 'post', '/api/account/consent', 200, consentResponse);
    const consent = await get('/api/account/consent');
    expectDocumented(consent, 'get', '/api/account/consent', 200, accountConsentResponse);
    expect(consent.json<{ records: object[] }>().records.length).toBeGreaterThan(0);
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
    finishedId = id;
    // The real engine composes the piece: on a busy 2-core machine that can pass a minute.
  }, 150_000);

  it('a finished piece renamed, in two versions and extended', async () => {
    expect(finishedId, 'the generation test ran first').not.toBe('');
    const path = '/api/generations/{id}';
    const renamed = await send('PATCH', `/api/generations/${finishedId}`, { title: 'Stream' });
    expectDocumented(renamed, 'patch', path, 200, generationResponse);
    expect(renamed.json<{ title: string }>().title).toBe('Stream');
    const versions = await send('POST', `/api/generations/${finishedId}/versions`, {});
    expectDocumented(versions, 'post', `${path}/versions`, 202, generationVersionsResponse);
    expect(versions.json<{ versions: object[] }>().versions).toHaveLength(2);
    const longer = await send('POST', `/api/generations/${finishedId}/extensions`, {
      seconds: 10,
    });
    expectDocumented(longer, 'post', `${path}/extensions`, 202, generationResponse);
    const refused = await send('POST', `/api/generations/${finishedId}/extensions`, {});
    expectDocumented(refused, 'post', `${path}/extensions`, 400, errorResponse);
    const variation = await send('POST', `/api/generations/${finishedId}/variations`, {});
    expectDocumented(variation, 'post', `${path}/variations`, 202, generationResponse);
  });

  it('the staff API, each answer with its audit entry', async () => {
    const staffGet = (url: string) => get(url, admin.cookie);
    const staffSend = (method: 'POST' | 'PATCH', url: string, payload: object) =>
      send(method, url, payload, admin);
    expectDocumented(
      await staffGet(`/api/staff/users/${user.userId}`),
      'get',
      '/api/staff/users/{id}',
      200,
      staffAccountResponse,
    );
    expectDocumented(
      await staffGet(`/api/staff/users/${user.userId}/generations`),
      'get',
      '/api/staff/users/{id}/generations',
      200,
      staffGenerationListResponse,
    );
    const filed = await send('POST', '/api/account/requests', {
      kind: 'complaint',
      message: 'Who reads this?',
    });
    const ticketId = filed.json<{ id: string }>().id;
    const queue = await staffGet('/api/staff/requests?scope=all');
    expectDocumented(queue, 'get', '/api/staff/requests', 200, staffRequestQueueResponse);
    expect(queue.json<{ requests: { id: string }[] }>().requests.map((r) => r.id)).toContain(
      ticketId,
    );
    const one = '/api/staff/requests/{id}';
    expectDocumented(
      await staffGet(`/api/staff/requests/${ticketId}`),
      'get',
      one,
      200,
      staffRequestResponse,
    );
    const replied = await staffSend('POST', `/api/staff/requests/${ticketId}/replies`, {
      message: 'Only staff who answer you.',
    });
    expectDocumented(replied, 'post', `${one}/replies`, 201, staffRequestReplyResponse);
    const closed = await staffSend('PATCH', `/api/staff/requests/${ticketId}`, { status: 'done' });
    expectDocumented(closed, 'patch', one, 200, staffRequestStatusResponse);
    const role = await staffSend('POST', '/api/staff/roles', {
      userId: user.userId,
      role: 'support',
      action: 'grant',
    });
    expectDocumented(role, 'post', '/api/staff/roles', 200, staffRoleResponse);
    const incident = {
      ref: 'INC-DOCUMENTED-1',
      tables: ['users'],
      summaryEn: 'A copy of one table was readable; it is now closed.',
      summaryZh: '某数据表的副本可被读取；现已关闭。',
    };
    const assessed = await staffSend('POST', '/api/staff/breaches/assess', incident);
    expectDocumented(
      assessed,
      'post',
      '/api/staff/breaches/assess',
      200,
      staffBreachAssessmentResponse,
    );
    expect(assessed.json<{ users: object[] }>().users.length).toBeGreaterThan(0);
    const notified = await staffSend('POST', '/api/staff/breaches/notify', incident);
    expectDocumented(
      notified,
      'post',
      '/api/staff/breaches/notify',
      202,
      staffBreachNoticeResponse,
    );
    const log = await staffGet('/api/staff/audit');
    expectDocumented(log, 'get', '/api/staff/audit', 200, staffAuditLogResponse);
    expect(log.json<{ verification: { ok: boolean } }>().verification.ok).toBe(true);
    expectDocumented(
      await get(`/api/staff/users/${user.userId}`, ''),
      'get',
      '/api/staff/users/{id}',
      401,
      errorResponse,
    );
  });

  it('the contact form, sent and confirmed', async () => {
    const remoteAddress = '198.51.100.7';
    const page = await t.app.inject({ method: 'GET', url: '/contact', remoteAddress });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const address = 'documented-contact@example.com';
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/contact',
      remoteAddress,
      headers: { cookie: cookieHeader(page), origin: testPublicUrl, 'x-csrf-token': token },
      payload: { email: address, kind: 'question', message: 'Do you keep my picture?' },
    });
    expectDocumented(sent, 'post', '/api/contact', 202, contactSubmittedResponse);
    const mail = await waitFor(async () => received.find((m) => m.rcptTo.includes(address)));
    const link = /\/contact\/verify\?token=([A-Za-z0-9_%-]+)/.exec(mailText(mail))?.[1] ?? '';
    expect(link, 'the mail carries the confirmation link').not.toBe('');
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/contact/verify',
      remoteAddress,
      headers: { origin: testPublicUrl },
      payload: { token: decodeURIComponent(link) },
    });
    expectDocumented(confirmed, 'post', '/api/contact/verify', 200, contactConfirmedResponse);
    const gone = await t.app.inject({
      method: 'POST',
      url: '/api/contact/verify',
      remoteAddress,
      headers: { origin: testPublicUrl },
      payload: { token: 'not-a-real-token' },
    });
    expectDocumented(gone, 'post', '/api/contact/verify', 410, errorResponse);
  });

  it('cancelling the account', async () => {
    const cancelled = await send('POST', '/api/account/cancel', { confirm: 'cancel my account' });
    expectDocumented(cancelled, 'post', '/api/account/cancel', 202, cancelledResponse);
  });

  it('checked every JSON success answer the document describes', () => {
    const unchecked = documentedJsonSuccesses().filter((answer) => !checked.has(answer));
    expect(unchecked).toEqual([]);
    expect(checked.size).toBeGreaterThanOrEqual(30);
  });
});
