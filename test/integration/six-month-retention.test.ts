import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepRetentionJobName } from '../../src/jobs/sweep-retention.job.js';
import { HOUR_MS, ManualClock } from '../../src/lib/clock.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import {
  deleteExpiredSessions,
  probeRetention,
  sweepUsageRecords,
  USAGE_RECORD_DAYS,
} from '../../src/modules/privacy/retention.service.js';
import { closeRightsRequest } from '../../src/modules/privacy/rights-requests.service.js';
import { appendAuditEntry, verifyAuditChain } from '../../src/modules/staff/audit-log.service.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { testPhoto } from '../support/images.js';
import {
  startTestApp,
  submitImage,
  waitFor,
  waitForFinished,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

const forestStream = await testPhoto('forest-stream');
const DAY_MS = 24 * HOUR_MS;

/**
 * The policy's six months for usage and log records, with the clock moved: everything is made at
 * t0, kept at t0 + 6 months − 1 day, and gone at t0 + 6 months + 1 day; credit records, open
 * tickets and the account itself stay.
 */
describe.each(databaseKinds)('six-month retention on %s', (kind) => {
  let t: TestApp;
  const t0 = new Date();
  const clock = new ManualClock(t0);
  beforeAll(async () => {
    t = await startTestApp({ database: kind, clock });
  });
  afterAll(async () => {
    await t.close();
  });
  const db = () => t.runtime.database.db;
  const json = (user: SignedInUser) => ({
    cookie: user.cookie,
    'x-csrf-token': user.csrfToken,
    'content-type': 'application/json',
  });
  const audit = (subject: string, requestId: string) =>
    db()
      .transaction()
      .execute((trx) =>
        appendAuditEntry(trx, clock, {
          staffUserId: 'cli',
          staffRole: 'cli',
          action: 'read_account',
          subjectUserId: subject,
          resource: `users/${subject}`,
          requestId,
        }),
      );

  async function runSweepJob(until: () => Promise<boolean>): Promise<void> {
    await waitFor(async () => {
      if (await until()) return true;
      await t.runtime.queue.enqueue(
        { name: sweepRetentionJobName, payload: { parse: (v: unknown) => v } },
        {},
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return undefined;
    }, 120_000);
  }

  it('keeps usage records for 6 months less a day and deletes them at 6 months and a day', async () => {
    expect(USAGE_RECORD_DAYS).toBeGreaterThanOrEqual(181); // six calendar months, at least
    expect(USAGE_RECORD_DAYS).toBeLessThanOrEqual(184);
    const user = await createUser(t, { email: `six-${kind}@example.com`, name: 'Six Months' });
    const submit = await submitImage(t, user, { seconds: '10', text: 'six months' }, forestStream);
    expect(submit.statusCode, submit.body).toBe(202);
    const generationId = submit.json<GenerationView>().id;
    expect((await waitForFinished(t, user, generationId, 120_000)).status).toBe('done');

    const fileTicket = async (message: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/account/requests',
        headers: json(user),
        payload: { kind: 'other', message },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const answered = await fileTicket('answered');
    await closeRightsRequest(db(), clock, answered);
    const open = await fileTicket('still open');
    const consent = await t.app.inject({
      method: 'POST',
      url: '/api/account/consent',
      headers: json(user),
      payload: { preferences: true, analytics: false },
    });
    expect(consent.statusCode, consent.body).toBeLessThan(300);
    await audit(user.userId, 'req-old-1');
    await audit(user.userId, 'req-old-2');
    const ledgerBefore = await db()
      .selectFrom('credit_ledger')
      .select('id')
      .where('user_id', '=', user.userId)
      .execute();
    expect(ledgerBefore.length).toBeGreaterThan(0);

    // Two days on, the ordinary sweep has deleted the music (24 h); the row stays.
    clock.set(new Date(t0.getTime() + 2 * DAY_MS));
    await runSweepJob(async () => {
      const g = await db()
        .selectFrom('generations')
        .select('output_object')
        .where('id', '=', generationId)
        .executeTakeFirst();
      return g?.output_object === null;
    });
    // A later audit entry, well inside its six months at the end.
    clock.set(new Date(t0.getTime() + 100 * DAY_MS));
    await audit(user.userId, 'req-recent');

    const counts = async () => ({
      generations: (
        await db().selectFrom('generations').select('id').where('id', '=', generationId).execute()
      ).length,
      tickets: (
        await db()
          .selectFrom('rights_requests')
          .select('id')
          .where('id', 'in', [answered, open])
          .execute()
      ).length,
      consent: (
        await db()
          .selectFrom('consent_log')
          .select('id')
          .where('user_id', '=', user.userId)
          .execute()
      ).length,
      audit: (
        await db()
          .selectFrom('staff_audit_log')
          .select('seq')
          .where('subject_user_id', '=', user.userId)
          .execute()
      ).length,
      sessions: (
        await db()
          .selectFrom('sessions')
          .select('id_hash')
          .where('user_id', '=', user.userId)
          .execute()
      ).length,
      ledger: (
        await db()
          .selectFrom('credit_ledger')
          .select('id')
          .where('user_id', '=', user.userId)
          .execute()
      ).length,
    });
    const before = await counts();
    expect(before).toMatchObject({ generations: 1, tickets: 2, audit: 3, sessions: 1 });
    expect(before.consent).toBeGreaterThan(0);

    // Six months less a day: nothing is due yet (the session has long expired, and goes).
    clock.set(new Date(t0.getTime() + (USAGE_RECORD_DAYS - 1) * DAY_MS));
    expect(await sweepUsageRecords({ db: db(), clock })).toEqual({
      generations: 0,
      rightsRequests: 0,
      exportRecords: 0,
      auditEntries: 0,
      consentRecords: 0,
    });
    expect(await deleteExpiredSessions({ db: db(), clock })).toBeGreaterThan(0);
    expect((await probeRetention({ db: db(), clock })).overdue.expiredSessions).toBe(0);
    expect(await counts()).toEqual({ ...before, sessions: 0 });

    // Six months and a day: the scheduled sweep deletes every usage record made at t0.
    clock.set(new Date(t0.getTime() + (USAGE_RECORD_DAYS + 1) * DAY_MS));
    await runSweepJob(async () => {
      const c = await counts();
      return c.generations === 0 && c.consent === 0 && c.audit === 1 && c.tickets === 1;
    });
    const after = await counts();
    // Kept: the open ticket (not answered yet), the recent audit entry, the credit records.
    expect(after).toEqual({
      ...before,
      generations: 0,
      tickets: 1,
      consent: 0,
      audit: 1,
      sessions: 0,
    });
    expect(
      await db().selectFrom('rights_requests').select('id').where('id', '=', open).execute(),
    ).toEqual([{ id: open }]);

    // The audit chain still verifies from where the pruned part ended, and grows from there.
    const verified = await verifyAuditChain(db());
    expect(verified).toMatchObject({ ok: true, entries: 1 });
    await audit(user.userId, 'req-after-prune');
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, entries: 2 });
    // Only the pruned front could be deleted; the kept entries are append-only as before.
    await expect(
      db().deleteFrom('staff_audit_log').where('request_id', '=', 'req-recent').execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db().deleteFrom('staff_audit_checkpoints').execute()).rejects.toThrow(
      /append-only/,
    );
  }, 420_000);
});
