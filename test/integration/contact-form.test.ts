import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MasterKey } from '../../src/adapters/crypto/envelope.js';
import { escapeHtml } from '../../src/http/html.js';
import { t } from '../../src/http/i18n.js';
import { HOUR_MS, ManualClock } from '../../src/lib/clock.js';
import { newId } from '../../src/lib/ids.js';
import { BusinessCalendar } from '../../src/modules/privacy/business-days.js';
import { grantRole } from '../../src/modules/staff/staff-roles.service.js';
import {
  CONTACT_MAILS_PER_ADDRESS_PER_DAY,
  deleteExpiredContactMessages,
  getContactTicket,
  rewrapContactKeys,
} from '../../src/modules/privacy/contact-messages.service.js';
import { databaseKinds } from '../support/databases.js';
import { mailText, startSmtpReceiver, type ReceivedMail } from '../support/smtp-receiver.js';
import {
  cookieHeader,
  startTestApp,
  testPublicUrl,
  waitFor,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

const CONTACT = 'privacy-desk@instune.example';
const html = { accept: 'text/html' };

/** The part of a page inside the element with this id (enough for these flat elements). */
function element(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const open = page.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(page.slice(open))?.[1] ?? 'p';
  const end = page.indexOf(`</${tag}>`, start);
  return page.slice(open, end + tag.length + 3);
}

describe.each(databaseKinds)('contact without an account on %s', (kind) => {
  let t0: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let received: ReceivedMail[] = [];
  let user: SignedInUser;
  const clock = new ManualClock(new Date());
  let ip = 10;
  /** Each test posts from its own address, so the per-IP limit of one does not touch another. */
  const nextIp = () => `198.51.100.${ip++}`;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    received = smtp.received;
    t0 = await startTestApp({
      database: kind,
      clock,
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Instune <privacy@instune.test>',
        PRIVACY_CONTACT_EMAIL: CONTACT,
        RATE_LIMIT_CONTACT_MAX: '4',
      },
    });
    user = await t0.signIn({ email: `contact-user-${kind}@example.com`, name: 'Footer Reader' });
  });
  afterAll(async () => {
    await t0?.close();
    await smtp?.close();
  });

  /** Opens the form as a browser would: its cookie and the token in the page. */
  async function openForm(remoteAddress: string) {
    const page = await t0.app.inject({ method: 'GET', url: '/contact', remoteAddress });
    expect(page.statusCode).toBe(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    expect(token).toBeTruthy();
    return { cookie: cookieHeader(page), token: token ?? '' };
  }

  async function submit(
    fields: Record<string, string>,
    options: { remoteAddress: string; accept?: string },
  ): Promise<LightMyRequestResponse> {
    const form = await openForm(options.remoteAddress);
    return t0.app.inject({
      method: 'POST',
      url: '/api/contact',
      remoteAddress: options.remoteAddress,
      headers: {
        cookie: form.cookie,
        origin: testPublicUrl,
        'content-type': 'application/x-www-form-urlencoded',
        ...(options.accept ? { accept: options.accept } : {}),
      },
      payload: new URLSearchParams({ _csrf: form.token, ...fields }).toString(),
    });
  }

  const mailsTo = (address: string) => received.filter((m) => m.rcptTo.includes(address));
  const linkIn = (mail: ReceivedMail) => {
    const match = /http:\/\/instune\.test\/contact\/verify\?token=([A-Za-z0-9_%-]+)/.exec(
      mailText(mail),
    );
    expect(match, 'the mail carries the confirmation link').toBeTruthy();
    return decodeURIComponent(match?.[1] ?? '');
  };
  const ticketCount = async () =>
    Number(
      (
        await t0.runtime.database.db
          .selectFrom('rights_requests')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('user_id', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('shows the contact address on the policy, the landing page and every footer', async () => {
    const pages = [
      await t0.app.inject({ method: 'GET', url: '/' }),
      await t0.app.inject({ method: 'GET', url: '/?lang=zh' }),
      await t0.app.inject({ method: 'GET', url: '/privacy' }),
      await t0.app.inject({ method: 'GET', url: '/privacy?lang=zh' }),
      await t0.app.inject({ method: 'GET', url: '/contact' }),
      await t0.app.inject({ method: 'GET', url: '/cookies' }),
      await t0.app.inject({ method: 'GET', url: '/no-such-page', headers: html }),
      await t0.app.inject({ method: 'GET', url: '/', headers: { cookie: user.cookie } }),
      await t0.app.inject({ method: 'GET', url: '/credits', headers: { cookie: user.cookie } }),
      await t0.app.inject({ method: 'GET', url: '/account', headers: { cookie: user.cookie } }),
    ];
    for (const page of pages) {
      const footer = element(page.body, 'footer-contact');
      expect(footer, page.body.slice(0, 200)).toContain(`href="mailto:${CONTACT}"`);
      expect(footer).toContain('href="/contact');
      expect(footer).toContain('#regulator');
    }
    const [landingEn, landingZh, policyEn, policyZh] = pages.map((p) => p.body);
    expect(element(landingEn ?? '', 'landing-contact')).toContain(`mailto:${CONTACT}`);
    expect(element(landingZh ?? '', 'landing-contact')).toContain('请写信至');
    for (const [policy, lang] of [
      [policyEn ?? '', 'en'],
      [policyZh ?? '', 'zh'],
    ] as const) {
      expect(policy).toContain('id="policy-contact-title"');
      expect(policy).toContain(`mailto:${CONTACT}`);
      expect(policy).toContain(`href="/contact${lang === 'zh' ? '?lang=zh' : ''}#regulator"`);
      expect(policy).toContain(escapeHtml(t(lang, 'contact.policy.regulator')));
    }
  });

  it('says how to complain to the regulator, in English and Chinese', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const page = await t0.app.inject({ method: 'GET', url: `/contact?lang=${lang}` });
      const section = page.body.slice(page.body.indexOf('id="regulator"'));
      expect(section).toContain('href="https://www.12377.cn"');
      expect(section).toContain(escapeHtml(t(lang, 'contact.regulator.body2')));
      expect(section).toContain(
        lang === 'zh' ? '国家互联网信息办公室' : 'Cyberspace Administration',
      );
      expect(section).toContain('12377');
    }
  });

  it('discloses the transfers abroad where the user signs in and where they pay', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const landing = await t0.app.inject({ method: 'GET', url: `/?lang=${lang}` });
      const signInButton = landing.body.indexOf('href="/auth/login"');
      const signInNotice = landing.body.indexOf(escapeHtml(t(lang, 'transfer.signIn')));
      expect(signInButton).toBeGreaterThan(0);
      expect(signInNotice, 'the sign-in disclosure is on the sign-in page').toBeGreaterThan(0);
      // Beside the button (in the same section), not somewhere below the fold.
      expect(landing.body.slice(signInButton, signInNotice)).not.toContain('</section>');

      const credits = await t0.app.inject({
        method: 'GET',
        url: `/credits?lang=${lang}`,
        headers: { cookie: user.cookie },
      });
      expect(credits.body).toContain(escapeHtml(t(lang, 'transfer.pay')));
      expect(element(credits.body, 'transfer-payment')).toContain('Stripe');
    }
    // The local test checkout says it too (it stands in for Stripe's page).
    const checkout = await t0.app.inject({
      method: 'POST',
      url: '/api/credits/checkout',
      headers: { cookie: user.cookie, 'x-csrf-token': user.csrfToken },
      payload: { packId: 'small' },
    });
    expect(checkout.statusCode, checkout.body).toBe(201);
    const { url } = checkout.json<{ url: string }>();
    const page = await t0.app.inject({
      method: 'GET',
      url: new URL(url, testPublicUrl).pathname,
      headers: { cookie: user.cookie },
    });
    expect(page.body).toContain(escapeHtml(t('en', 'transfer.pay')));
  });

  it('mails a link; only the confirmed message becomes a ticket, encrypted and due in 15 business days', async () => {
    const email = `Sender.${kind}@example.org`;
    const message = `CONTACT-CANARY-${kind}: please delete my data`;
    const remoteAddress = nextIp();
    const sent = await submit(
      { name: 'Canary Name', email, kind: 'complaint', message, lang: 'zh' },
      { remoteAddress, accept: 'text/html' },
    );
    expect(sent.statusCode, sent.body).toBe(303);
    expect(sent.headers.location).toBe('/contact?sent=1&lang=zh');
    const sentPage = await t0.app.inject({ method: 'GET', url: String(sent.headers.location) });
    expect(sentPage.body).toContain(t('zh', 'contact.sent.title'));

    const mail = await waitFor(async () => mailsTo(email)[0]);
    const text = mailText(mail);
    expect(text).toContain('24 小时');
    expect(text).toContain('24 hours');
    expect(text, 'the mail repeats nothing the sender typed').not.toContain('CONTACT-CANARY');
    expect(text).not.toContain('Canary Name');
    const token = linkIn(mail);
    expect(await ticketCount()).toBe(0);

    // At rest: the address, the name and the words are ciphertext; the token only a hash.
    const row = await t0.runtime.database.db
      .selectFrom('contact_messages')
      .selectAll()
      .executeTakeFirstOrThrow();
    for (const column of [row.email_enc, row.name_enc, row.message_enc, row.token_enc]) {
      const bytes = Buffer.from(column ?? []);
      expect(bytes.includes(Buffer.from(email))).toBe(false);
      expect(bytes.includes(Buffer.from('CONTACT-CANARY'))).toBe(false);
      expect(bytes.includes(Buffer.from('Canary'))).toBe(false);
    }
    expect(row.token_hash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(email.toLowerCase());

    // The link opens a page that asks; only the post confirms (mail scanners open links).
    const ask = await t0.app.inject({
      method: 'GET',
      url: `/contact/verify?token=${encodeURIComponent(token)}`,
    });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('action="/api/contact/verify"');
    expect(await ticketCount()).toBe(0);

    const confirm = await t0.app.inject({
      method: 'POST',
      url: '/api/contact/verify',
      remoteAddress,
      headers: { origin: testPublicUrl },
      payload: { token },
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const ticket = confirm.json<{
      requestId: string;
      dueDate: string;
      alreadyConfirmed: boolean;
    }>();
    expect(ticket.alreadyConfirmed).toBe(false);
    const stored = await t0.runtime.database.db
      .selectFrom('rights_requests')
      .selectAll()
      .where('id', '=', ticket.requestId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ user_id: null, kind: 'complaint', status: 'open' });
    const expected = new BusinessCalendar().dueAfterBusinessDays(clock.now(), 15);
    expect(stored.due_date).toBe(expected.dueDate);
    expect(ticket.dueDate).toBe(expected.dueDate);

    // What staff will read: the confirmed address and the words, opened with the message's key.
    const details = await getContactTicket(
      { db: t0.runtime.database.db, masterKey: t0.runtime.masterKey },
      ticket.requestId,
    );
    expect(details).toMatchObject({
      kind: 'complaint',
      lang: 'zh',
      name: 'Canary Name',
      email,
      message,
    });

    // Master-key rotation re-wraps the message's own key: it opens under the new key alone.
    const oldKey = t0.config.masterKey;
    if (!oldKey) throw new Error('the test app has a master key');
    const newKey = randomBytes(32);
    const rotated = new MasterKey(newKey, [oldKey]);
    expect(await rewrapContactKeys(t0.runtime.database.db, rotated)).toBeGreaterThanOrEqual(1);
    const newOnly = new MasterKey(newKey);
    expect(
      await getContactTicket({ db: t0.runtime.database.db, masterKey: newOnly }, ticket.requestId),
    ).toMatchObject({ email, message });
    // Back to the running app's key, for the tests after this one.
    const back = new MasterKey(oldKey, [newKey]);
    expect(await rewrapContactKeys(t0.runtime.database.db, back)).toBeGreaterThanOrEqual(1);

    // The same link again: the same ticket, not a second one.
    const again = await t0.app.inject({
      method: 'POST',
      url: '/api/contact/verify',
      remoteAddress,
      headers: { origin: testPublicUrl, ...html },
      payload: { token },
    });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain(ticket.requestId);
    expect(again.body).toContain(escapeHtml(t('en', 'contact.verified.again')));
    expect(await ticketCount()).toBe(1);

    // No address, name or words in any log line.
    const logs = t0.logs.join('');
    expect(logs).not.toContain(email);
    expect(logs).not.toContain(email.toLowerCase());
    expect(logs).not.toContain('CONTACT-CANARY');
    expect(logs).not.toContain('Canary Name');
    expect(logs).not.toContain(token);
  });

  it('lets staff read a confirmed message in the queue and answer its sender by mail, in their language', async () => {
    const email = `answer-me.${kind}@example.org`;
    const message = `CONTACT-QUEUE-CANARY-${kind} 你们如何处理我的照片？`;
    const remoteAddress = nextIp();
    const sent = await submit(
      { email, kind: 'question', message, lang: 'zh' },
      { remoteAddress, accept: 'application/json' },
    );
    expect(sent.statusCode, sent.body).toBe(202);
    const token = linkIn(await waitFor(async () => mailsTo(email)[0]));
    const confirm = await t0.app.inject({
      method: 'POST',
      url: '/api/contact/verify',
      remoteAddress,
      headers: { origin: testPublicUrl },
      payload: { token },
    });
    const { requestId } = confirm.json<{ requestId: string }>();

    const staff = await t0.signIn({ email: `contact-staff-${kind}@example.com`, name: 'Desk' });
    await grantRole(
      { db: t0.runtime.database.db, clock: t0.runtime.clock },
      { by: { kind: 'cli' }, userId: staff.userId, role: 'support', requestId: newId() },
    );
    const read = await t0.app.inject({
      method: 'GET',
      url: `/api/staff/requests/${requestId}`,
      headers: { cookie: staff.cookie },
    });
    expect(read.statusCode, read.body).toBe(200);
    const detail = read.json<{
      request: { userId: string | null; message: string; language: string; contact: object };
    }>().request;
    expect(detail).toMatchObject({ userId: null, message, language: 'zh', contact: { email } });

    const answer = `CONTACT-ANSWER-CANARY-${kind} 照片在生成后即被删除。`;
    const replied = await t0.app.inject({
      method: 'POST',
      url: `/api/staff/requests/${requestId}/replies`,
      headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken },
      payload: { message: answer },
    });
    expect(replied.statusCode, replied.body).toBe(201);
    const mail = await waitFor(async () => mailsTo(email)[1]);
    const text = mailText(mail);
    expect(text).toContain(answer);
    expect(text).toContain('联系表单');
    expect(text).toContain(`${testPublicUrl}/contact?lang=zh`);
    expect(text).not.toContain('/account');
    // The answer is sealed at rest like the message it answers.
    const stored = await t0.runtime.database.db
      .selectFrom('rights_request_replies')
      .select('message_enc')
      .where('request_id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(stored.message_enc).includes(Buffer.from('CONTACT-ANSWER-CANARY'))).toBe(
      false,
    );
    expect(t0.logs.join('')).not.toContain(email);
  });

  it('never makes a ticket of an unconfirmed message, refuses its link after 24 hours and deletes it', async () => {
    const email = `late-${kind}@example.org`;
    const remoteAddress = nextIp();
    const sent = await submit(
      { email, kind: 'question', message: 'never confirmed' },
      { remoteAddress },
    );
    expect(sent.statusCode, sent.body).toBe(202);
    const token = linkIn(await waitFor(async () => mailsTo(email)[0]));
    const before = await ticketCount();

    clock.advance(25 * HOUR_MS);
    const late = await t0.app.inject({
      method: 'POST',
      url: '/api/contact/verify',
      remoteAddress,
      headers: { origin: testPublicUrl },
      payload: { token },
    });
    expect(late.statusCode).toBe(410);
    expect(late.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'gone',
      message: expect.stringContaining('older than 24 hours') as string,
    });
    expect(await ticketCount()).toBe(before);

    // (The scheduled sweep may have got there first; either way nothing unconfirmed is left.)
    await deleteExpiredContactMessages({ db: t0.runtime.database.db, clock });
    const left = await t0.runtime.database.db
      .selectFrom('contact_messages')
      .select(['id', 'status'])
      .execute();
    expect(left.every((r) => r.status === 'verified')).toBe(true);
    // Keys go with their messages: one key per message left, none for the deleted ones.
    const keys = await t0.runtime.database.db
      .selectFrom('keyring.contact_keys')
      .select('contact_id')
      .execute();
    expect(keys.map((k) => k.contact_id).sort()).toEqual(left.map((r) => r.id).sort());
  });

  it('refuses a bad link with a clear error, on the page and in the API', async () => {
    const remoteAddress = nextIp();
    const page = await t0.app.inject({
      method: 'GET',
      url: '/contact/verify?token=not-a-real-token',
      remoteAddress,
    });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain(escapeHtml(t('en', 'contact.bad.body')));
    expect(page.body).toContain('href="/contact"');

    const forged = 'A'.repeat(43);
    const api = await t0.app.inject({
      method: 'POST',
      url: '/api/contact/verify',
      remoteAddress,
      headers: { origin: testPublicUrl },
      payload: { token: forged },
    });
    expect(api.statusCode).toBe(410);
    expect(api.json<{ error: { message: string } }>().error.message).toMatch(
      /confirmation link is not valid/,
    );
    const form = await t0.app.inject({
      method: 'POST',
      url: '/api/contact/verify?lang=zh',
      remoteAddress,
      headers: { origin: testPublicUrl, ...html },
      payload: { token: forged },
    });
    expect(form.statusCode).toBe(410);
    expect(form.body).toContain(t('zh', 'contact.bad.title'));
  });

  it('answers every address alike and mails one address at most three times a day', async () => {
    const email = `target-${kind}@example.org`;
    const answers: string[] = [];
    for (let i = 0; i < CONTACT_MAILS_PER_ADDRESS_PER_DAY + 2; i += 1) {
      const response = await submit(
        { email, kind: 'question', message: `attempt ${i}` },
        { remoteAddress: nextIp() },
      );
      expect(response.statusCode).toBe(202);
      answers.push(response.body);
    }
    const fresh = await submit(
      { email: `fresh-${kind}@example.org`, kind: 'question', message: 'first' },
      { remoteAddress: nextIp() },
    );
    expect(new Set([...answers, fresh.body]).size, 'one answer whatever the address').toBe(1);
    await waitFor(async () => (mailsTo(`fresh-${kind}@example.org`).length ? true : undefined));
    await waitFor(async () =>
      mailsTo(email).length >= CONTACT_MAILS_PER_ADDRESS_PER_DAY ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mailsTo(email)).toHaveLength(CONTACT_MAILS_PER_ADDRESS_PER_DAY);
  });

  it('refuses posts without the form token or from another site, and limits posts per IP', async () => {
    const remoteAddress = nextIp();
    const form = await openForm(remoteAddress);
    const payload = new URLSearchParams({
      _csrf: form.token,
      email: `csrf-${kind}@example.org`,
      kind: 'question',
      message: 'hello',
    }).toString();
    const post = (headers: Record<string, string>, body = payload) =>
      t0.app.inject({
        method: 'POST',
        url: '/api/contact',
        remoteAddress,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: body,
      });
    // No cookie (a cross-site form cannot send the SameSite=Strict one), or a cookie and no token.
    expect((await post({ origin: testPublicUrl })).statusCode).toBe(403);
    expect(
      (
        await post(
          { origin: testPublicUrl, cookie: form.cookie },
          payload.replace(/_csrf=[^&]+&/, ''),
        )
      ).statusCode,
    ).toBe(403);
    expect((await post({ origin: 'https://evil.example', cookie: form.cookie })).statusCode).toBe(
      403,
    );
    // The fourth post in the window is still allowed (limit 4); the fifth is refused.
    expect((await post({ origin: testPublicUrl, cookie: form.cookie })).statusCode).toBe(202);
    const limited = await post({ origin: testPublicUrl, cookie: form.cookie });
    expect(limited.statusCode).toBe(429);
    // Invalid input re-shows the form with what was typed, and stores nothing.
    const other = nextIp();
    const bad = await submit(
      { email: 'not-an-address', kind: 'question', message: 'kept text' },
      { remoteAddress: other, accept: 'text/html' },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="contact-invalid"');
    expect(bad.body).toContain('kept text');
  });
});
