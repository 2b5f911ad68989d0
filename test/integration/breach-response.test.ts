import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../src/lib/clock.js';
import { newId } from '../../src/lib/ids.js';
import { grantRole } from '../../src/modules/staff/staff-roles.service.js';
import { databaseKinds } from '../support/databases.js';
import { startTestApp, waitFor, type SignedInUser, type TestApp } from '../support/test-app.js';
import { mailText, startSmtpReceiver, type ReceivedMail } from '../support/smtp-receiver.js';

interface Assessment {
  users: Array<{ userId: string; categories: string[] }>;
  categories: Record<string, number>;
  regulatorReport: { en: string; zh: string };
  auditSeq: number;
}

describe.each(databaseKinds)('breach response on %s', (kind) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let received: ReceivedMail[] = [];
  let admin: SignedInUser;
  let support: SignedInUser;
  let normal: SignedInUser;
  let subject: SignedInUser;
  const subjectEmail = `breach-subject-${kind}@example.com`;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    received = smtp.received;
    t = await startTestApp({
      database: kind,
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Instune <security@instune.test>' },
    });
    admin = await t.signIn({ email: `breach-admin-${kind}@example.com`, name: 'Admin' });
    support = await t.signIn({ email: `breach-support-${kind}@example.com`, name: 'Support' });
    normal = await t.signIn({ email: `breach-normal-${kind}@example.com`, name: 'Normal' });
    subject = await t.signIn({ email: subjectEmail, name: 'BREACH-SUBJECT-NAME' });
    const deps = { db: t.runtime.database.db, clock: t.runtime.clock };
    await grantRole(deps, {
      by: { kind: 'cli' },
      userId: admin.userId,
      role: 'admin',
      requestId: newId(),
    });
    await grantRole(deps, {
      by: { kind: 'cli' },
      userId: support.userId,
      role: 'support',
      requestId: newId(),
    });
    // Only the subject makes a cookie choice: a breach of consent_log touches only them.
    const consent = await t.app.inject({
      method: 'POST',
      url: '/api/account/consent',
      headers: {
        cookie: subject.cookie,
        'x-csrf-token': subject.csrfToken,
        'content-type': 'application/json',
      },
      payload: { analytics: true },
    });
    expect(consent.statusCode, consent.body).toBeLessThan(300);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const now = Date.now();
  const incident = (extra: Record<string, unknown> = {}) => ({
    ref: `INC-TEST-${kind}`,
    from: new Date(now - HOUR_MS).toISOString(),
    to: new Date(now + HOUR_MS).toISOString(),
    summaryEn:
      'A backup copy of one table was readable on a misconfigured server; it is now closed.',
    summaryZh: '一个配置错误的服务器上的某数据表备份可被读取；现已关闭。',
    ...extra,
  });
  const post = (user: SignedInUser | null, url: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: user
        ? {
            cookie: user.cookie,
            'x-csrf-token': user.csrfToken,
            'content-type': 'application/json',
          }
        : { 'content-type': 'application/json' },
      payload,
    });
  const auditRows = () =>
    t.runtime.database.db.selectFrom('staff_audit_log').selectAll().orderBy('seq').execute();

  it('is closed to everyone but admins: 401 anonymous, 403 non-staff and support, nothing audited or sent', async () => {
    const before = (await auditRows()).length;
    for (const url of ['/api/staff/breaches/assess', '/api/staff/breaches/notify']) {
      expect((await post(null, url, incident())).statusCode, url).toBe(401);
      expect((await post(normal, url, incident())).statusCode, url).toBe(403);
      expect((await post(support, url, incident())).statusCode, url).toBe(403);
    }
    expect((await auditRows()).length).toBe(before);
    expect(received).toHaveLength(0);
  });

  it('lists the users and data categories a window and table touched, audited, with a regulator report', async () => {
    const all = await post(admin, '/api/staff/breaches/assess', incident());
    expect(all.statusCode, all.body).toBe(200);
    const everything = all.json<Assessment>();
    const subjectRow = everything.users.find((u) => u.userId === subject.userId);
    expect(subjectRow?.categories).toEqual(
      expect.arrayContaining(['identity', 'sign_ins', 'consent']),
    );
    expect(everything.users.map((u) => u.userId)).toEqual(
      expect.arrayContaining([admin.userId, support.userId, normal.userId, subject.userId]),
    );

    const consentOnly = (
      await post(admin, '/api/staff/breaches/assess', incident({ tables: ['consent_log'] }))
    ).json<Assessment>();
    expect(consentOnly.users).toEqual([{ userId: subject.userId, categories: ['consent'] }]);
    expect(consentOnly.categories).toEqual({ consent: 1 });
    // Counts and categories for the regulator, in both languages, never who.
    expect(consentOnly.regulatorReport.en).toContain('Individuals affected: 1');
    expect(consentOnly.regulatorReport.zh).toContain('受影响个人数量：1');
    expect(JSON.stringify(consentOnly.regulatorReport)).not.toContain(subject.userId);
    expect(JSON.stringify(consentOnly.regulatorReport)).not.toContain(subjectEmail);

    // A table alone (no window) means every row it holds.
    const { from: _from, to: _to, ...noWindow } = incident({ tables: ['consent_log'] });
    const tableOnly = await post(admin, '/api/staff/breaches/assess', noWindow);
    expect(tableOnly.statusCode, tableOnly.body).toBe(200);
    expect(tableOnly.json<Assessment>().users).toEqual(consentOnly.users);

    // A window that ended before anyone signed up touches no one.
    const earlier = (
      await post(
        admin,
        '/api/staff/breaches/assess',
        incident({
          from: new Date(now - 48 * HOUR_MS).toISOString(),
          to: new Date(now - 24 * HOUR_MS).toISOString(),
        }),
      )
    ).json<Assessment>();
    expect(earlier.users).toEqual([]);

    const entry = (await auditRows()).find((r) => Number(r.seq) === consentOnly.auditSeq);
    expect(entry).toMatchObject({
      action: 'assess_breach',
      staff_user_id: admin.userId,
      resource: `breaches/INC-TEST-${kind}`,
    });
  });

  it('mails the notice to each affected user through the mail path, one audit entry each', async () => {
    const res = await post(
      admin,
      '/api/staff/breaches/notify',
      incident({ tables: ['consent_log'] }),
    );
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json<{ queued: number }>().queued).toBe(1);
    const mail = await waitFor(async () => received.find((m) => m.rcptTo.includes(subjectEmail)));
    expect(received).toHaveLength(1);
    expect(mail.raw).toMatch(/^From: Instune <security@instune\.test>/m);
    const text = mailText(mail);
    expect(text).toContain('misconfigured server');
    expect(text).toContain('配置错误的服务器');
    expect(text).toContain('cookie choices and policy acceptances');
    expect(text).toContain('Cookie 选择和政策接受记录');
    expect(text).toContain('12377.cn');
    expect(text).toContain(`INC-TEST-${kind}`);
    expect(text).not.toContain('BREACH-SUBJECT-NAME');
    const notices = (await auditRows()).filter((r) => r.action === 'notify_breach');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      staff_user_id: admin.userId,
      subject_user_id: subject.userId,
      resource: `breaches/INC-TEST-${kind}`,
    });
    expect(t.logs.join('')).not.toContain(subjectEmail);
  });
});
