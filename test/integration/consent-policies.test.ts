import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sendPolicyNoticeJobName,
  sendPolicyNoticePayload,
} from '../../src/jobs/payloads/send-policy-notice.payload.js';
import { sweepPoliciesJobName, sweepPoliciesPayload } from '../../src/jobs/sweep-policies.job.js';
import { HOUR_MS, ManualClock } from '../../src/lib/clock.js';
import {
  policyVersions as publishedVersions,
  type PolicyVersion,
} from '../../src/modules/policies/policy-versions.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { testPhoto } from '../support/images.js';
import { completeIssuerSignIn } from '../support/issuer-browser.js';
import { mailText, startSmtpReceiver, type ReceivedMail } from '../support/smtp-receiver.js';
import {
  cookieHeader,
  startTestApp,
  submitImage,
  waitFor,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

const redBarn = await testPhoto('red-barn');

function setCookie(res: LightMyRequestResponse, name: string) {
  return res.cookies.find((c) => c.name === name);
}

describe.each(databaseKinds)('cookie consent and policy versions on %s', (kind) => {
  const start = new Date();
  const clock = new ManualClock(start);
  const base = publishedVersions[0];
  if (!base) throw new Error('no published policy');
  const v2EffectiveAt = new Date(start.getTime() + 24 * HOUR_MS);
  const versions: PolicyVersion[] = [
    { ...base, version: '1.0', effectiveAt: new Date('2020-01-01T00:00:00Z') },
    {
      version: '2.0',
      effectiveAt: v2EffectiveAt,
      changesCoreRights: true,
      changes: { en: 'TEST-CHANGE-EN: a new processor', zh: '测试变更：新的处理者' },
      text: base.text,
    },
  ];

  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let received: ReceivedMail[] = [];

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    received = smtp.received;
    t = await startTestApp({
      database: kind,
      clock,
      policyVersions: versions,
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Instune <policy@instune.test>' },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const html = { accept: 'text/html' };
  const form = (fields: Record<string, string>) => ({
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...html },
  });

  const upload = (user: SignedInUser) =>
    submitImage(t, user, { seconds: '10', seed: '3', text: 'policy gate' }, redBarn);

  async function waitForJob(id: string | null): Promise<void> {
    expect(id).toBeTruthy();
    await waitFor(async () => {
      const { rows } = await sql<{
        state: string;
      }>`select state from pgboss.job where id = ${id}`.execute(t.runtime.database.db);
      return rows[0]?.state === 'completed' ? true : undefined;
    });
  }

  it('shows the banner on every page and sets no optional cookie before a choice', async () => {
    for (const url of ['/', '/privacy', '/cookies']) {
      const res = await t.app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('class="consent-banner"');
      expect(res.body).toContain('href="/cookies"');
      expect(res.cookies).toEqual([]);
    }
    const page = (await t.app.inject({ method: 'GET', url: '/', headers: html })).body;
    // Accept and Reject: two submit buttons of one form, same class, each a single click.
    const formHtml = /<form method="post" action="\/consent"[\s\S]*?<\/form>/.exec(page)?.[0] ?? '';
    const buttons = [
      ...formHtml.matchAll(/<button type="submit" name="choice" value="(\w+)" class="([^"]+)"/g),
    ];
    expect(buttons.map((b) => b[1])).toEqual(['accept', 'reject']);
    expect(buttons[0]?.[2]).toBe(buttons[1]?.[2]);

    // The language switch does not store anything without consent; it applies to one page.
    const lang = await t.app.inject({
      method: 'POST',
      url: '/preferences/lang',
      ...form({ lang: 'zh', returnTo: '/privacy' }),
    });
    expect(lang.statusCode).toBe(303);
    expect(lang.headers.location).toBe('/privacy?lang=zh');
    expect(lang.cookies).toEqual([]);

    const api = await t.app.inject({ method: 'GET', url: '/api/consent' });
    expect(api.json()).toMatchObject({ decided: false, preferences: false, analytics: false });
  });

  it('makes rejecting as easy as accepting: one POST each, from the banner form', async () => {
    const db = t.runtime.database.db;
    for (const [choice, bits] of [
      ['reject', '00'],
      ['accept', '11'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/consent',
        ...form({ choice, returnTo: '/privacy' }),
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/privacy');
      const consent = setCookie(res, 'instune_consent');
      expect(consent?.value).toMatch(new RegExp(`^1\\.[\\w-]+\\.${bits}$`));
      expect(consent?.httpOnly).toBe(true);
      expect(res.cookies.map((c) => c.name)).toEqual(['instune_consent']);
      const after = await t.app.inject({
        method: 'GET',
        url: '/',
        headers: { ...html, cookie: cookieHeader(res) },
      });
      expect(after.body).not.toContain('class="consent-banner"');
      expect(after.body).toContain('href="/cookies"');
      const consentId = consent?.value.split('.')[1] ?? '';
      const rows = await db
        .selectFrom('consent_log')
        .selectAll()
        .where('anonymous_id', '=', consentId)
        .orderBy('purpose')
        .execute();
      expect(rows.map((r) => [r.purpose, r.decision, r.policy_version, r.user_id])).toEqual([
        ['analytics', choice === 'accept' ? 'granted' : 'denied', '1.0', null],
        ['preferences', choice === 'accept' ? 'granted' : 'denied', '1.0', null],
      ]);
    }
    // A cross-site form cannot choose for the visitor.
    const forged = await t.app.inject({
      method: 'POST',
      url: '/consent',
      ...form({ choice: 'accept' }),
      headers: { ...form({}).headers, origin: 'https://evil.example' },
    });
    expect(forged.statusCode).toBe(403);
  });

  it('sets the language cookie only with consent and clears it when consent is withdrawn', async () => {
    const user = await createUser(t, { email: `consent-${kind}@example.com`, name: 'Consent' });
    const page = await t.app.inject({
      method: 'GET',
      url: '/',
      headers: { ...html, cookie: user.cookie },
    });
    expect(page.body).toContain('class="consent-banner"');
    expect(page.body).toContain(`name="_csrf" value="${user.csrfToken}"`);

    const noToken = await t.app.inject({
      method: 'POST',
      url: '/consent',
      ...form({ choice: 'accept' }),
      headers: { ...form({}).headers, cookie: user.cookie },
    });
    expect(noToken.statusCode).toBe(403);

    const accept = await t.app.inject({
      method: 'POST',
      url: '/consent',
      ...form({ choice: 'accept', _csrf: user.csrfToken }),
      headers: { ...form({}).headers, cookie: user.cookie },
    });
    expect(accept.statusCode).toBe(303);
    let cookies = `${user.cookie}; ${cookieHeader(accept)}`;

    const lang = await t.app.inject({
      method: 'POST',
      url: '/preferences/lang',
      ...form({ lang: 'zh', returnTo: '/privacy' }),
      headers: { ...form({}).headers, cookie: cookies },
    });
    expect(lang.statusCode).toBe(303);
    expect(lang.headers.location).toBe('/privacy');
    expect(setCookie(lang, 'instune_lang')?.value).toBe('zh');
    cookies = `${cookies}; instune_lang=zh`;
    const privacy = await t.app.inject({
      method: 'GET',
      url: '/privacy',
      headers: { ...html, cookie: cookies },
    });
    expect(privacy.body).toContain('隐私政策');

    // Withdrawal from the account center.
    const withdraw = await t.app.inject({
      method: 'POST',
      url: '/api/account/consent',
      payload: { preferences: false },
      headers: {
        cookie: cookies,
        'x-csrf-token': user.csrfToken,
        'content-type': 'application/json',
      },
    });
    expect(withdraw.statusCode, withdraw.body).toBe(200);
    expect(withdraw.json()).toMatchObject({ decided: true, preferences: false, analytics: true });
    const cleared = setCookie(withdraw, 'instune_lang');
    expect(cleared?.value).toBe('');
    expect(cleared?.expires?.getTime()).toBe(0);
    expect(setCookie(withdraw, 'instune_consent')?.value).toMatch(/\.01$/);

    const records = await t.runtime.database.db
      .selectFrom('consent_log')
      .select(['purpose', 'decision', 'policy_version', 'anonymous_id'])
      .where('user_id', '=', user.userId)
      .where('purpose', '=', 'preferences')
      .orderBy('decided_at')
      .execute();
    expect(records).toEqual([
      { purpose: 'preferences', decision: 'granted', policy_version: '1.0', anonymous_id: null },
      { purpose: 'preferences', decision: 'denied', policy_version: '1.0', anonymous_id: null },
    ]);
    const history = await t.app.inject({
      method: 'GET',
      url: '/api/account/consent',
      headers: { cookie: user.cookie },
    });
    expect(history.json<{ records: unknown[] }>().records).toHaveLength(3);
  });

  it('renders the privacy policy in English and Chinese with its version and effective date', async () => {
    const en = await t.app.inject({ method: 'GET', url: '/privacy', headers: html });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('<span id="policy-version">1.0</span>');
    expect(en.body).toContain('2020-01-01');
    for (const phrase of [
      '72 hours',
      '24 hours',
      '15 business days',
      '6 months',
      'AES-256-GCM',
      'AI-generated',
    ]) {
      expect(en.body).toContain(phrase);
    }
    const zh = await t.app.inject({ method: 'GET', url: '/privacy?lang=zh', headers: html });
    expect(zh.body).toContain('隐私政策');
    expect(zh.body).toContain('版本 <span id="policy-version">1.0</span>');
    for (const phrase of ['72 小时', '24 小时', '15 个工作日', '6 个月', 'AES-256-GCM', 'AI生成']) {
      expect(zh.body).toContain(phrase);
    }
    const announced = await t.app.inject({ method: 'GET', url: '/privacy?version=2.0' });
    expect(announced.body).toContain('<span id="policy-version">2.0</span>');
  });

  it('notifies every user of a core-rights change once, by email, and gates generation until accepted', async () => {
    const db = t.runtime.database.db;
    const ada = await t.signIn({ email: `ada-policy-${kind}@example.com`, name: 'Ada' });
    const bo = await createUser(t, { email: `bo-policy-${kind}@example.com`, name: 'Bo' });
    // Signing up accepted the version in force; before 2.0 takes effect, generating works.
    expect(
      await db
        .selectFrom('policy_acceptances')
        .select('version')
        .where('user_id', '=', ada.userId)
        .execute(),
    ).toEqual([{ version: '1.0' }]);
    expect((await upload(ada)).statusCode).toBe(202);

    const users = await db.selectFrom('users').select('id').execute();
    await waitForJob(
      await t.runtime.queue.enqueue(
        { name: sweepPoliciesJobName, payload: sweepPoliciesPayload },
        {},
      ),
    );
    await waitFor(async () => (received.length >= users.length ? true : undefined));
    const notices = await waitFor(async () => {
      const rows = await db.selectFrom('policy_notices').selectAll().execute();
      return rows.length === users.length && rows.every((r) => r.status === 'sent')
        ? rows
        : undefined;
    });
    expect(notices.every((n) => n.version === '2.0')).toBe(true);
    expect(new Set(notices.map((n) => n.user_id)).size).toBe(users.length);

    const toAda = received.filter((m) => m.rcptTo.includes(`ada-policy-${kind}@example.com`));
    expect(toAda).toHaveLength(1);
    const notice = toAda[0];
    if (!notice) throw new Error('no notice reached Ada');
    const mail = notice.raw;
    expect(mail).toMatch(/^From: Instune <policy@instune\.test>/m);
    expect(mail).toMatch(new RegExp(`^To: ada-policy-${kind}@example\\.com`, 'm'));
    const text = mailText(notice);
    expect(text).toContain('version 2.0');
    expect(text).toContain('TEST-CHANGE-EN');
    expect(text).toContain('测试变更');
    expect(text).toContain(`${t.baseUrl}/privacy`);
    expect(text).not.toContain('Ada');
    // Addresses reach the receiver only: never the logs, and no outbox when SMTP is configured.
    expect(t.logs.join('')).not.toContain(`ada-policy-${kind}`);
    expect(existsSync(path.join(t.config.dataDir, 'outbox'))).toBe(false);

    // A second sweep and a duplicate delivery send nothing new.
    const sentBefore = received.length;
    await waitForJob(
      await t.runtime.queue.enqueue(
        { name: sweepPoliciesJobName, payload: sweepPoliciesPayload },
        {},
      ),
    );
    await waitForJob(
      await t.runtime.queue.enqueue(
        { name: sendPolicyNoticeJobName, payload: sendPolicyNoticePayload },
        { userId: ada.userId, version: '2.0' },
      ),
    );
    // Nothing left to deliver (instead of a fixed sleep): every notice job has finished.
    await waitFor(async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pgboss.job
        where name = ${sendPolicyNoticeJobName} and state in ('created', 'retry', 'active')`.execute(
        db,
      );
      return rows[0]?.n === 0 ? true : undefined;
    });
    expect(received.length).toBe(sentBefore);
    expect(await db.selectFrom('policy_notices').select('user_id').execute()).toHaveLength(
      users.length,
    );

    // 2.0 takes effect: no new music until the user accepts it.
    clock.set(new Date(v2EffectiveAt.getTime() + HOUR_MS));
    const refused = await upload(bo);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      error: { code: 'policy_not_accepted', details: { version: '2.0' } },
    });

    // The next sign-in leads to the acceptance page.
    const login = await t.app.inject({ method: 'GET', url: '/auth/login?returnTo=/credits' });
    const callbackUrl = await completeIssuerSignIn(
      t.issuer.issuerUrl,
      String(login.headers.location),
      { email: `bo-policy-${kind}@example.com`, name: 'Bo' },
    );
    const callback = await t.app.inject({
      method: 'GET',
      url: callbackUrl.pathname + callbackUrl.search,
      headers: { cookie: cookieHeader(login) },
    });
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/policy/accept?returnTo=%2Fcredits');
    const boAgain: SignedInUser = {
      cookie: cookieHeader(callback),
      csrfToken: '',
      userId: bo.userId,
    };
    const acceptPage = await t.app.inject({
      method: 'GET',
      url: '/policy/accept?returnTo=%2Fcredits',
      headers: { ...html, cookie: boAgain.cookie },
    });
    expect(acceptPage.statusCode).toBe(200);
    expect(acceptPage.body).toContain('Accept version 2.0');
    expect(acceptPage.body).toContain('TEST-CHANGE-EN');
    boAgain.csrfToken = /name="_csrf" value="([^"]+)"/.exec(acceptPage.body)?.[1] ?? '';

    const stale = await t.app.inject({
      method: 'POST',
      url: '/policy/accept',
      ...form({ version: '1.0', _csrf: boAgain.csrfToken }),
      headers: { ...form({}).headers, cookie: boAgain.cookie },
    });
    expect(stale.statusCode).toBe(409);
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/policy/accept',
      ...form({ version: '2.0', _csrf: boAgain.csrfToken, returnTo: '/credits' }),
      headers: { ...form({}).headers, cookie: boAgain.cookie },
    });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/credits');
    expect((await upload(boAgain)).statusCode).toBe(202);
    // Ada has not accepted yet.
    expect((await upload(ada)).statusCode).toBe(403);

    // Someone who signs up under 2.0 accepted it by signing up, and gets no notice.
    const cy = await t.signIn({ email: `cy-policy-${kind}@example.com`, name: 'Cy' });
    expect((await upload(cy)).statusCode).toBe(202);
    await waitForJob(
      await t.runtime.queue.enqueue(
        { name: sweepPoliciesJobName, payload: sweepPoliciesPayload },
        {},
      ),
    );
    expect(
      await db
        .selectFrom('policy_notices')
        .select('user_id')
        .where('user_id', '=', cy.userId)
        .execute(),
    ).toEqual([]);
    expect(received.length).toBe(sentBefore);
  });
});
