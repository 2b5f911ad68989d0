import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepRequestDeadlinesJobName } from '../../src/jobs/payloads/request-handling.payload.js';
import { sweepRequestDeadlinesCron } from '../../src/jobs/request-handling.job.js';
import { ManualClock } from '../../src/lib/clock.js';
import { newId } from '../../src/lib/ids.js';
import { grantRole } from '../../src/modules/staff/staff-roles.service.js';
import { databaseKinds } from '../support/databases.js';
import { createUser } from '../support/factories.js';
import {
  mailSubject,
  mailText,
  startSmtpReceiver,
  type ReceivedMail,
} from '../support/smtp-receiver.js';
import { startTestApp, waitFor, type SignedInUser, type TestApp } from '../support/test-app.js';

interface QueueItem {
  id: string;
  userId: string;
  kind: string;
  status: string;
  language: string;
  createdAt: string;
  dueAt: string;
  dueDate: string;
  closedAt: string | null;
  businessDaysLeft: number;
  alert: 'near_due' | 'overdue' | null;
  replies: number;
}
interface RequestDetail extends Omit<QueueItem, 'replies'> {
  message: string | null;
  replies: Array<{ id: string; staffUserId: string; message: string | null; createdAt: string }>;
}
interface UserRequest {
  id: string;
  kind: string;
  status: string;
  dueDate: string;
  dueAt: string;
  closedAt: string | null;
  replies: Array<{ message: string; createdAt: string }>;
}

// Filed on Wednesday 23 September 2026, 10:00 in China, a week before National Day. Counting 15
// business days skips the Mid-Autumn Friday (25 Sep), the Golden Week (1–7 Oct) and weekends, and
// counts Saturday 10 October (a make-up working day): Wednesday 21 October. Fifteen calendar days
// would be 8 October, fifteen weekdays 14 October.
const filedAt = '2026-09-23T02:00:00Z';
const businessDue = '2026-10-21';
const calendarDue = '2026-10-08';

describe.each(databaseKinds)('rights-request queue on %s', (kind) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let received: ReceivedMail[] = [];
  const clock = new ManualClock(filedAt);
  let admin: SignedInUser;
  let support: SignedInUser;
  let requester: SignedInUser;
  let english: SignedInUser;
  let complaintId: string;
  let englishId: string;
  const adminEmail = `queue-admin-${kind}@example.com`;
  const supportEmail = `queue-support-${kind}@example.com`;
  const requesterEmail = `queue-requester-${kind}@example.com`;
  const englishEmail = `queue-english-${kind}@example.com`;
  const complaintText = `QUEUE-COMPLAINT-CANARY-${kind} 我的名字在页面上显示错误`;
  const replyText = `QUEUE-REPLY-CANARY-${kind} 我们已更正您的姓名，感谢您的耐心。`;

  const headers = (user: SignedInUser | null, extra: Record<string, string> = {}) =>
    user
      ? {
          cookie: user.cookie,
          'x-csrf-token': user.csrfToken,
          'content-type': 'application/json',
          ...extra,
        }
      : { 'content-type': 'application/json', ...extra };
  const get = (user: SignedInUser | null, url: string) =>
    t.app.inject({ method: 'GET', url, headers: user ? { cookie: user.cookie } : {} });
  const send = (
    method: 'POST' | 'PATCH',
    user: SignedInUser | null,
    url: string,
    payload: object,
    extra: Record<string, string> = {},
  ) => t.app.inject({ method, url, headers: headers(user, extra), payload });
  const auditRows = () =>
    t.runtime.database.db.selectFrom('staff_audit_log').selectAll().orderBy('seq').execute();
  const queue = async (user: SignedInUser, scope = 'open') => {
    const res = await get(user, `/api/staff/requests?scope=${scope}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ requests: QueueItem[]; auditSeq: number }>();
  };
  /** Sessions last days, the clock jumps weeks: sign everyone in again at the new time. */
  const refreshSessions = async () => {
    admin = await createUser(t, { email: adminEmail, name: 'Admin' });
    support = await createUser(t, { email: supportEmail, name: 'Support' });
    requester = await createUser(t, { email: requesterEmail, name: 'Requester' });
    english = await createUser(t, { email: englishEmail, name: 'English' });
  };
  const runDeadlineSweep = async (): Promise<Record<string, number>> => {
    const before = t.logs.length;
    await t.runtime.queue.enqueue(
      { name: sweepRequestDeadlinesJobName, payload: { parse: (v: unknown) => v } },
      {},
    );
    const line = await waitFor(async () =>
      t.logs.slice(before).find((l) => l.includes('request deadline sweep')),
    );
    return JSON.parse(line) as Record<string, number>;
  };

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    received = smtp.received;
    t = await startTestApp({
      database: kind,
      clock,
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Instune <privacy@instune.test>' },
    });
    await refreshSessions();
    const deps = { db: t.runtime.database.db, clock: t.runtime.clock };
    for (const [user, role] of [
      [admin, 'admin'],
      [support, 'support'],
    ] as const) {
      await grantRole(deps, { by: { kind: 'cli' }, userId: user.userId, role, requestId: newId() });
    }
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('dues a complaint filed before Golden Week 15 China business days later, not 15 calendar days', async () => {
    const res = await send(
      'POST',
      requester,
      '/api/account/requests',
      { kind: 'complaint', message: complaintText },
      { 'accept-language': 'zh-CN,zh;q=0.9' },
    );
    expect(res.statusCode, res.body).toBe(201);
    const ticket = res.json<UserRequest & { language: string }>();
    complaintId = ticket.id;
    expect(ticket.dueDate).toBe(businessDue);
    expect(ticket.dueDate).not.toBe(calendarDue);
    // The end of that day in China (UTC+8).
    expect(ticket.dueAt).toBe('2026-10-21T15:59:59.999Z');
    expect(ticket.language).toBe('zh');

    clock.advance(60 * 60 * 1000);
    const other = await send('POST', english, '/api/account/requests', {
      kind: 'access',
      message: 'Which data do you hold?',
      language: 'en',
    });
    expect(other.statusCode, other.body).toBe(201);
    englishId = other.json<UserRequest>().id;
  });

  it('is closed to everyone but support and admin: 401 anonymous, 403 non-staff, nothing shown, audited or sent', async () => {
    const auditBefore = (await auditRows()).length;
    expect((await get(null, '/api/staff/requests')).statusCode).toBe(401);
    for (const res of [
      await get(requester, '/api/staff/requests'),
      await get(requester, `/api/staff/requests/${complaintId}`),
      await send('POST', requester, `/api/staff/requests/${complaintId}/replies`, {
        message: 'I answer myself',
      }),
      await send('PATCH', requester, `/api/staff/requests/${complaintId}`, { status: 'done' }),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.body).not.toContain(complaintId);
      expect(res.body).not.toContain('QUEUE-COMPLAINT-CANARY');
    }
    // An auditor is staff, but the queue is not theirs.
    const auditor = await createUser(t, { email: `queue-auditor-${kind}@example.com`, name: 'A' });
    await grantRole(
      { db: t.runtime.database.db, clock: t.runtime.clock },
      { by: { kind: 'cli' }, userId: auditor.userId, role: 'auditor', requestId: newId() },
    );
    const byAuditor = await get(auditor, `/api/staff/requests/${complaintId}`);
    expect(byAuditor.statusCode).toBe(403);
    expect(byAuditor.body).not.toContain('QUEUE-COMPLAINT-CANARY');
    // Only the auditor's grant was written.
    expect((await auditRows()).length).toBe(auditBefore + 1);
    const status = await t.runtime.database.db
      .selectFrom('rights_requests')
      .select(['status'])
      .where('id', '=', complaintId)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('open');
    expect(received).toHaveLength(0);
  });

  it('lists the queue soonest due first, with due date, status and days left, one audit entry per read', async () => {
    const auditBefore = (await auditRows()).length;
    const { requests, auditSeq } = await queue(support);
    expect(requests.map((r) => r.id)).toEqual([complaintId, englishId]);
    expect(requests[0]).toMatchObject({
      userId: requester.userId,
      kind: 'complaint',
      status: 'open',
      dueDate: businessDue,
      alert: null,
      replies: 0,
      // 24 Sep … 21 Oct, as counted above.
      businessDaysLeft: 15,
    });
    // The listing carries no text.
    expect(JSON.stringify(requests)).not.toContain('QUEUE-COMPLAINT-CANARY');
    const rows = await auditRows();
    expect(rows.length).toBe(auditBefore + 1);
    expect(rows.at(-1)).toMatchObject({
      seq: auditSeq,
      action: 'read_requests',
      staff_user_id: support.userId,
      staff_role: 'support',
    });
  });

  it("reads one request with the requester's text, audited against that user", async () => {
    const res = await get(support, `/api/staff/requests/${complaintId}`);
    expect(res.statusCode, res.body).toBe(200);
    const { request, auditSeq } = res.json<{ request: RequestDetail; auditSeq: number }>();
    expect(request.message).toBe(complaintText);
    expect(request.replies).toEqual([]);
    expect((await auditRows()).at(-1)).toMatchObject({
      seq: auditSeq,
      action: 'read_request',
      subject_user_id: requester.userId,
      resource: `rights_requests/${complaintId}`,
    });
    expect((await get(support, `/api/staff/requests/${newId()}`)).statusCode).toBe(404);
  });

  it("replies: the account center shows it with the request, and a mail in the user's language reaches them", async () => {
    clock.advance(24 * 60 * 60 * 1000);
    const res = await send('POST', support, `/api/staff/requests/${complaintId}/replies`, {
      message: replyText,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ request: RequestDetail; replyId: string; auditSeq: number }>();
    expect(body.request.status).toBe('in_progress');
    expect(body.request.replies).toHaveLength(1);
    expect((await auditRows()).at(-1)).toMatchObject({
      seq: body.auditSeq,
      action: 'reply_request',
      subject_user_id: requester.userId,
      resource: `rights_requests/${complaintId}/replies/${body.replyId}`,
    });

    const mail = await waitFor(async () => received.find((m) => m.rcptTo.includes(requesterEmail)));
    expect(mail.raw).toMatch(/^From: Instune <privacy@instune\.test>/m);
    expect(mailSubject(mail)).toBe('Instune 已答复您的请求（投诉）');
    const text = mailText(mail);
    expect(text).toContain(replyText);
    expect(text).toContain(`截止日期 ${businessDue}`);
    expect(text).toContain('当前状态：处理中');
    expect(text).toContain('/account?lang=zh');
    expect(text).not.toContain('Your request');
    // The mail answers; it does not repeat what the user wrote.
    expect(text).not.toContain('QUEUE-COMPLAINT-CANARY');

    const mine = await get(requester, '/api/account/requests');
    const listed = mine
      .json<{ requests: UserRequest[] }>()
      .requests.find((r) => r.id === complaintId);
    expect(listed?.status).toBe('in_progress');
    expect(listed?.replies.map((r) => r.message)).toEqual([replyText]);
    // Nobody else sees it.
    const theirs = await get(english, '/api/account/requests');
    expect(theirs.body).not.toContain('QUEUE-REPLY-CANARY');

    const page = await t.app.inject({
      method: 'GET',
      url: '/account?lang=zh',
      headers: { cookie: requester.cookie, accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('QUEUE-REPLY-CANARY');
    expect(page.body).toContain('Instune 的答复');
    const pageEn = await t.app.inject({
      method: 'GET',
      url: '/account?lang=en',
      headers: { cookie: requester.cookie, accept: 'text/html' },
    });
    expect(pageEn.body).toContain('Reply from Instune');

    // The reply is stored sealed, like the request: no canary in the table.
    const dump = await sql<{
      t: string;
    }>`select string_agg(encode(message_enc, 'escape'), '') as t from rights_request_replies`.execute(
      t.runtime.database.db,
    );
    expect(dump.rows[0]?.t ?? '').not.toContain('QUEUE-REPLY-CANARY');
    expect(t.logs.join('')).not.toContain(requesterEmail);
    expect(t.logs.join('')).not.toContain('QUEUE-REPLY-CANARY');
  });

  it('mails an English request in English', async () => {
    const before = received.length;
    const res = await send('POST', admin, `/api/staff/requests/${englishId}/replies`, {
      message: 'We hold your email address, name and avatar link.',
      status: 'done',
    });
    expect(res.statusCode, res.body).toBe(201);
    const mail = await waitFor(async () =>
      received.slice(before).find((m) => m.rcptTo.includes(englishEmail)),
    );
    expect(mailSubject(mail)).toBe('Instune has answered your request (Access to my data)');
    const text = mailText(mail);
    expect(text).toContain('We hold your email address');
    expect(text).toContain('Status now: Done');
    expect(text).not.toContain('当前状态');
  });

  it('changes status and closes: done stamps closedAt and leaves the open queue, reopening clears it', async () => {
    const done = await send('PATCH', support, `/api/staff/requests/${complaintId}`, {
      status: 'done',
    });
    expect(done.statusCode, done.body).toBe(200);
    const closed = done.json<{ request: RequestDetail; changed: boolean; auditSeq: number }>();
    expect(closed.changed).toBe(true);
    expect(closed.request.status).toBe('done');
    expect(closed.request.closedAt).toBe(clock.now().toISOString());
    expect((await auditRows()).at(-1)).toMatchObject({
      seq: closed.auditSeq,
      action: 'update_request',
      resource: `rights_requests/${complaintId}/status/done`,
    });
    expect((await queue(support)).requests.map((r) => r.id)).not.toContain(complaintId);
    expect((await queue(support, 'closed')).requests.map((r) => r.id)).toContain(complaintId);
    const mine = (await get(requester, '/api/account/requests')).json<{
      requests: UserRequest[];
    }>();
    expect(mine.requests.find((r) => r.id === complaintId)?.status).toBe('done');

    const reopened = await send('PATCH', admin, `/api/staff/requests/${complaintId}`, {
      status: 'in_progress',
    });
    expect(reopened.json<{ request: RequestDetail }>().request).toMatchObject({
      status: 'in_progress',
      closedAt: null,
    });
    const bad = await send('PATCH', admin, `/api/staff/requests/${complaintId}`, {
      status: 'closed',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('alerts support and admin once at 3 business days left and once when overdue; the queue shows both', async () => {
    const schedules = await sql<{
      name: string;
      cron: string;
    }>`select name, cron from pgboss.schedule`.execute(t.runtime.database.db);
    expect(schedules.rows).toContainEqual({
      name: sweepRequestDeadlinesJobName,
      cron: sweepRequestDeadlinesCron,
    });

    // Thursday 15 October: four business days left (16, 19, 20, 21). Nothing yet.
    clock.set('2026-10-15T02:00:00Z');
    await refreshSessions();
    const mailsBefore = received.length;
    expect(await runDeadlineSweep()).toMatchObject({ nearDue: 0, overdue: 0 });
    expect((await queue(support)).requests[0]).toMatchObject({
      id: complaintId,
      businessDaysLeft: 4,
      alert: null,
    });

    // Friday 16 October: three left. Counted in calendar days (5 left) it would not alert yet.
    clock.set('2026-10-16T02:00:00Z');
    await refreshSessions();
    expect(await runDeadlineSweep()).toMatchObject({ nearDue: 1, overdue: 0, recipients: 2 });
    const nearDueMails = await waitFor(async () => {
      const mails = received.slice(mailsBefore);
      return mails.length >= 2 ? mails : undefined;
    });
    expect(nearDueMails.flatMap((m) => m.rcptTo).sort()).toEqual([adminEmail, supportEmail]);
    const alertText = mailText(nearDueMails[0]!);
    expect(alertText).toContain(complaintId);
    expect(alertText).toContain(`due ${businessDue} (3 business days left)`);
    expect(alertText).toContain('即将到期');
    // Ids and dates only: nobody's text, address or name.
    expect(alertText).not.toContain('QUEUE-COMPLAINT-CANARY');
    expect(alertText).not.toContain(requesterEmail);
    expect(mailSubject(nearDueMails[0]!)).toContain('0 overdue, 1 due soon');
    expect((await queue(support)).requests[0]).toMatchObject({
      id: complaintId,
      businessDaysLeft: 3,
      alert: 'near_due',
    });

    // Again the same day: already alerted, no second mail.
    expect(await runDeadlineSweep()).toMatchObject({ nearDue: 0, overdue: 0 });

    // Thursday 22 October, 10:00 in China: past the end of the 21st.
    clock.set('2026-10-22T02:00:00Z');
    await refreshSessions();
    const overdueBefore = received.length;
    expect(await runDeadlineSweep()).toMatchObject({ nearDue: 0, overdue: 1 });
    const overdueMails = await waitFor(async () => {
      const mails = received.slice(overdueBefore);
      return mails.length >= 2 ? mails : undefined;
    });
    expect(mailSubject(overdueMails[0]!)).toContain('1 overdue, 0 due soon');
    expect(mailText(overdueMails[0]!)).toContain('已逾期');
    expect((await queue(admin)).requests[0]).toMatchObject({
      id: complaintId,
      businessDaysLeft: 0,
      alert: 'overdue',
    });
    expect(await runDeadlineSweep()).toMatchObject({ overdue: 0 });
    // A closed request never alerts: the English one was done before its date.
    expect(overdueMails.map((m) => mailText(m)).join('')).not.toContain(englishId);
  });

  it('shows staff nothing of a cancelled account and refuses a reply that could not reach it (410)', async () => {
    const leaving = await createUser(t, { email: `queue-leaving-${kind}@example.com`, name: 'L' });
    const filed = await send('POST', leaving, '/api/account/requests', {
      kind: 'deletion',
      message: `QUEUE-LEAVING-CANARY-${kind}`,
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json<UserRequest>().id;
    const cancel = await send('POST', leaving, '/api/account/cancel', {
      confirm: 'cancel my account',
    });
    expect(cancel.statusCode, cancel.body).toBe(202);

    const read = await get(support, `/api/staff/requests/${id}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json<{ request: RequestDetail }>().request).toMatchObject({ id, message: null });
    expect(read.body).not.toContain('QUEUE-LEAVING-CANARY');
    const before = received.length;
    const reply = await send('POST', support, `/api/staff/requests/${id}/replies`, {
      message: 'Done.',
    });
    expect(reply.statusCode, reply.body).toBe(410);
    const replies = await t.runtime.database.db
      .selectFrom('rights_request_replies')
      .select('id')
      .where('request_id', '=', id)
      .execute();
    expect(replies).toEqual([]);
    expect(received.length).toBe(before);
  });
});
