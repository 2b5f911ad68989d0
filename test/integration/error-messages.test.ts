import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS, ManualClock } from '../../src/lib/clock.js';
import { adjustCredits } from '../../src/modules/credits/credits.service.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { solidImage } from '../support/images.js';
import { multipartBody } from '../support/multipart.js';
import { startTestApp, type SignedInUser, type TestApp } from '../support/test-app.js';

interface ErrorJson {
  error: {
    code: string;
    reason?: string;
    message: string;
    action?: { href: string; label: string };
    requestId: string;
    details?: Record<string, unknown>;
  };
}

const han = /\p{Script=Han}/u;
const MAX_BYTES = 2 * 1024 * 1024;

/** How the request names its language: the browser's header, or ?lang as pages carry it. */
type Asked = 'en header' | 'zh header' | 'zh query';
const asked: Asked[] = ['en header', 'zh header', 'zh query'];
const languageOf = (how: Asked) => ({
  query: how === 'zh query' ? '?lang=zh' : '',
  headers: { 'accept-language': how === 'zh header' ? 'zh-CN,zh;q=0.9' : 'en-GB,en;q=0.8' },
});

/**
 * Every refusal keeps its stable code and adds a reason; what the user reads comes from the
 * EN/ZH catalogue in the request's language (chosen as pages choose it), states the limit and
 * links what helps; the developer's English stays out of the body.
 */
describe.each(databaseKinds)('error messages in the reader’s language on %s', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let photo: Buffer;
  let users = 0;

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    t = await startTestApp({
      database: kind,
      clock,
      env: { UPLOAD_MAX_BYTES: String(MAX_BYTES), FREE_CREDITS: '1', RATE_LIMIT_ENABLED: 'false' },
    });
    photo = await solidImage({ r: 90, g: 140, b: 200 }, 'jpeg');
  });
  afterAll(async () => {
    await t.close();
  });

  const newUser = (): Promise<SignedInUser> => {
    users += 1;
    return createUser(t, { email: `errors-${users}-${kind}@example.com`, name: `E ${users}` });
  };

  async function submit(
    user: SignedInUser,
    fields: Record<string, string>,
    bytes: Uint8Array,
    how: Asked,
  ): Promise<ErrorJson & { status: number }> {
    const { payload, headers } = multipartBody(fields, {
      filename: 'photo.jpg',
      contentType: 'image/jpeg',
      bytes,
    });
    const lang = languageOf(how);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/generations${lang.query}`,
      payload,
      headers: {
        ...headers,
        ...lang.headers,
        cookie: user.cookie,
        'x-csrf-token': user.csrfToken,
        accept: 'application/json',
      },
    });
    return { status: res.statusCode, ...res.json<ErrorJson>() };
  }

  function expectLanguage(body: ErrorJson, how: Asked) {
    if (how === 'en header') expect(body.error.message).not.toMatch(han);
    else expect(body.error.message).toMatch(han);
  }

  it('a too-large upload: payload_too_large, with the limit in MB', async () => {
    const user = await newUser();
    const big = Buffer.alloc(MAX_BYTES + 4096, 0xff);
    for (const how of asked) {
      const body = await submit(user, { seconds: '10' }, big, how);
      expect(body.status).toBe(413);
      expect(body.error).toMatchObject({ code: 'payload_too_large', reason: 'upload_too_large' });
      expect(body.error.message).toContain('2 MB');
      expect(body.error.message).not.toContain('the file is too large');
      expectLanguage(body, how);
    }
  });

  it('an unauthenticated call: unauthenticated, with a sign-in link', async () => {
    for (const how of asked) {
      const lang = languageOf(how);
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/generations${lang.query}`,
        headers: { accept: 'application/json', ...lang.headers },
      });
      expect(res.statusCode).toBe(401);
      const body = res.json<ErrorJson>();
      expect(body.error).toMatchObject({ code: 'unauthenticated', reason: 'sign_in_required' });
      expect(body.error.message).not.toBe('please sign in');
      expect(body.error.action?.href).toMatch(/^\/auth\/login/);
      expect(body.error.action?.label).toBe(how === 'en header' ? 'Sign in' : '登录');
      expectLanguage(body, how);
    }
  });

  it('no credits: payment_required, with balance, cost and a buy-credits link', async () => {
    const user = await newUser();
    await adjustCredits(
      { db: t.runtime.database.db, masterKey: t.runtime.masterKey },
      clock.now(),
      {
        userId: user.userId,
        amount: -1,
        key: `drain-${user.userId}`,
        reason: 'test',
      },
    );
    for (const how of asked) {
      const body = await submit(user, { seconds: '10' }, photo, how);
      expect(body.status).toBe(402);
      expect(body.error).toMatchObject({
        code: 'payment_required',
        reason: 'credits_insufficient',
        details: { balance: 0, needed: 1 },
      });
      expect(body.error.action?.href).toMatch(/^\/credits/);
      expectLanguage(body, how);
    }
  });

  it('a bad seed: validation_failed, with the range allowed', async () => {
    const user = await newUser();
    for (const how of asked) {
      const body = await submit(user, { seconds: '10', seed: '-5' }, photo, how);
      expect(body.status).toBe(400);
      expect(body.error).toMatchObject({ code: 'validation_failed', reason: 'seed_invalid' });
      expect(body.error.message).toMatch(/0\D+\d{4,}/);
      if (how === 'en header') expect(body.error.message).toMatch(/or left empty\.$/);
      expectLanguage(body, how);
    }
  });

  it('an expired session: session_expired, with a sign-in link', async () => {
    // One user per language: the first refusal ends the session (then it is simply signed out).
    const people = await Promise.all(asked.map(() => newUser()));
    clock.advance((t.config.sessions.ttlHours + 1) * HOUR_MS);
    try {
      for (const [i, how] of asked.entries()) {
        const user = people[i]!;
        const lang = languageOf(how);
        const res = await t.app.inject({
          method: 'GET',
          url: `/api/me${lang.query}`,
          headers: { cookie: user.cookie, accept: 'application/json', ...lang.headers },
        });
        expect(res.statusCode).toBe(401);
        const body = res.json<ErrorJson>();
        expect(body.error).toMatchObject({ code: 'session_expired', reason: 'session_expired' });
        expect(body.error.action?.href).toMatch(/^\/auth\/login/);
        expectLanguage(body, how);
      }
    } finally {
      clock.set(new Date());
    }
  });
});
