import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTransaction } from '../../src/db/database.js';
import { newId } from '../../src/lib/ids.js';
import { verifyAuditChain } from '../../src/modules/staff/audit-log.service.js';
import { grantRole } from '../../src/modules/staff/staff-roles.service.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { startTestApp, type SignedInUser, type TestApp } from '../support/test-app.js';

interface AuditBody {
  entries: Array<{
    seq: number;
    staffUserId: string;
    staffRole: string;
    action: string;
    subjectUserId: string | null;
    resource: string;
    hash: string;
  }>;
  nextAfterSeq: number | null;
  verification: { ok: boolean; entries: number; brokenAt?: number; reason?: string };
}

describe.each(databaseKinds)('staff access on %s', (kind) => {
  let t: TestApp;
  let admin: SignedInUser;
  let support: SignedInUser;
  let auditor: SignedInUser;
  let subject: SignedInUser;
  const subjectEmail = `staff-subject-canary-${kind}@example.com`;
  const subjectName = 'STAFF-SUBJECT-CANARY-41';

  const get = (user: SignedInUser | null, url: string) =>
    t.app.inject({ method: 'GET', url, headers: user ? { cookie: user.cookie } : {} });
  const postRole = (
    user: SignedInUser | null,
    payload: { userId: string; role: string; action: string },
  ) =>
    t.app.inject({
      method: 'POST',
      url: '/api/staff/roles',
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

  /** What an attacker with DDL rights could do: switch the append-only trigger off, then edit. */
  async function tamper(change: (trx: DbTransaction) => Promise<unknown>): Promise<void> {
    await t.runtime.database.db.transaction().execute(async (trx) => {
      await sql`alter table staff_audit_log disable trigger staff_audit_log_append_only`.execute(
        trx,
      );
      await change(trx);
      await sql`alter table staff_audit_log enable trigger staff_audit_log_append_only`.execute(
        trx,
      );
    });
  }

  beforeAll(async () => {
    t = await startTestApp({ database: kind });
    admin = await createUser(t, { email: `admin-${kind}@example.com`, name: 'Admin' });
    support = await createUser(t, { email: `support-${kind}@example.com`, name: 'Support' });
    auditor = await createUser(t, { email: `auditor-${kind}@example.com`, name: 'Auditor' });
    subject = await createUser(t, { email: subjectEmail, name: subjectName });
    // Bootstrap exactly as `npm run staff:grant` does.
    const bootstrap = await grantRole(
      { db: t.runtime.database.db, clock: t.runtime.clock },
      { by: { kind: 'cli' }, userId: admin.userId, role: 'admin', requestId: newId() },
    );
    expect(bootstrap).toMatchObject({ changed: true, audit: { seq: 1 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('denies by default: anonymous clients get 401, signed-in non-staff get 403', async () => {
    const normal = await createUser(t, { email: `normal-${kind}@example.com`, name: 'Normal' });
    const reads = [
      `/api/staff/users/${subject.userId}`,
      `/api/staff/users/${subject.userId}/generations`,
      '/api/staff/audit',
    ];
    const before = (await auditRows()).length;
    for (const url of reads) {
      expect((await get(null, url)).statusCode, url).toBe(401);
      expect((await get(normal, url)).statusCode, url).toBe(403);
    }
    const grant = { userId: normal.userId, role: 'admin', action: 'grant' };
    expect((await postRole(null, grant)).statusCode).toBe(401);
    expect((await postRole(normal, grant)).statusCode).toBe(403);
    expect(
      await t.runtime.database.db
        .selectFrom('staff_roles')
        .select('role')
        .where('user_id', '=', normal.userId)
        .execute(),
    ).toEqual([]);
    expect((await auditRows()).length).toBe(before);
  });

  it('lets an admin grant and revoke roles, each change audited', async () => {
    for (const [user, role] of [
      [support, 'support'],
      [auditor, 'auditor'],
    ] as const) {
      const res = await postRole(admin, { userId: user.userId, role, action: 'grant' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ userId: user.userId, role, changed: true });
    }
    const again = await postRole(admin, {
      userId: support.userId,
      role: 'support',
      action: 'grant',
    });
    expect(again.json()).toMatchObject({ changed: false });

    // Revoking takes effect on the next request.
    const temp = await createUser(t, { email: `temp-${kind}@example.com`, name: 'Temp' });
    await postRole(admin, { userId: temp.userId, role: 'support', action: 'grant' });
    expect((await get(temp, `/api/staff/users/${subject.userId}`)).statusCode).toBe(200);
    const revoke = await postRole(admin, {
      userId: temp.userId,
      role: 'support',
      action: 'revoke',
    });
    expect(revoke.json()).toMatchObject({ changed: true });
    expect((await get(temp, `/api/staff/users/${subject.userId}`)).statusCode).toBe(403);

    const rows = await auditRows();
    const changes = rows.filter((r) => r.action === 'grant_role' || r.action === 'revoke_role');
    expect(changes[0]).toMatchObject({
      staff_user_id: 'cli',
      staff_role: 'cli',
      action: 'grant_role',
      subject_user_id: admin.userId,
      resource: 'staff_roles/admin',
    });
    expect(changes.slice(1).every((r) => r.staff_user_id === admin.userId)).toBe(true);
    expect(changes.at(-1)).toMatchObject({
      action: 'revoke_role',
      staff_role: 'admin',
      subject_user_id: temp.userId,
    });

    // Only admins change roles; a missing CSRF token is refused too.
    expect(
      (await postRole(support, { userId: support.userId, role: 'admin', action: 'grant' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await postRole(auditor, { userId: auditor.userId, role: 'admin', action: 'grant' }))
        .statusCode,
    ).toBe(403);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/staff/roles',
      headers: { cookie: admin.cookie, 'content-type': 'application/json' },
      payload: { userId: support.userId, role: 'admin', action: 'grant' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(
      (await postRole(admin, { userId: newId(), role: 'support', action: 'grant' })).statusCode,
    ).toBe(404);
    expect(
      (await postRole(admin, { userId: support.userId, role: 'root', action: 'grant' })).statusCode,
    ).toBe(400);
  });

  it('lets support read an account, writing exactly one audit entry per read', async () => {
    for (let i = 0; i < 2; i += 1) {
      const before = await auditRows();
      const res = await get(support, `/api/staff/users/${subject.userId}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        account: { id: subject.userId, email: subjectEmail, name: subjectName },
      });
      const after = await auditRows();
      expect(after.length).toBe(before.length + 1);
      expect(after.at(-1)).toMatchObject({
        staff_user_id: support.userId,
        staff_role: 'support',
        action: 'read_account',
        subject_user_id: subject.userId,
        resource: `users/${subject.userId}`,
      });
      expect(after.at(-1)?.prev_hash).toBe(before.at(-1)?.hash);
    }
    // No entry for an account that does not exist: nothing personal was read.
    const before = (await auditRows()).length;
    expect((await get(support, `/api/staff/users/${newId()}`)).statusCode).toBe(404);
    expect((await get(support, '/api/staff/users/not-a-uuid')).statusCode).toBe(400);
    expect((await auditRows()).length).toBe(before);
    // Support cannot read the audit log.
    expect((await get(support, '/api/staff/audit')).statusCode).toBe(403);
  });

  it('shows support generation metadata only, audited', async () => {
    const db = t.runtime.database.db;
    const generationId = newId();
    const now = t.runtime.clock.now();
    await db
      .insertInto('generations')
      .values({
        id: generationId,
        user_id: subject.userId,
        status: 'done',
        stage: 'done',
        seed: 7,
        seconds: 30,
        idempotency_key: null,
        input_object: null,
        input_mime: null,
        text_enc: new Uint8Array([1, 2, 3]),
        output_object: `outputs/${generationId}`,
        output_bytes: 1234,
        plan_enc: new Uint8Array([4, 5, 6]),
        error_code: null,
        created_at: now,
        started_at: now,
        finished_at: now,
        input_expires_at: now,
        output_expires_at: new Date(now.getTime() + 24 * 3600_000),
      })
      .execute();
    const before = (await auditRows()).length;
    const res = await get(support, `/api/staff/users/${subject.userId}/generations`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ generations: Array<Record<string, unknown>> }>();
    expect(body.generations).toHaveLength(1);
    expect(Object.keys(body.generations[0] ?? {}).sort()).toEqual(
      [
        'createdAt',
        'errorCode',
        'finishedAt',
        'id',
        'inputExpiresAt',
        'outputExpiresAt',
        'seconds',
        'stage',
        'status',
      ].sort(),
    );
    expect(body.generations[0]).toMatchObject({ id: generationId, status: 'done' });
    expect(res.body).not.toContain('outputs/');
    const after = await auditRows();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({
      action: 'read_generations',
      subject_user_id: subject.userId,
      resource: `users/${subject.userId}/generations`,
    });
  });

  it('lets an auditor read the verified log, ids only, but not accounts', async () => {
    expect((await get(auditor, `/api/staff/users/${subject.userId}`)).statusCode).toBe(403);
    expect((await get(auditor, `/api/staff/users/${subject.userId}/generations`)).statusCode).toBe(
      403,
    );
    const res = await get(auditor, '/api/staff/audit?limit=500');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<AuditBody>();
    expect(body.verification).toMatchObject({ ok: true });
    expect(body.entries.map((e) => e.seq)).toEqual(body.entries.map((_, i) => i + 1));
    // Reading the log is itself recorded.
    expect(body.entries.at(-1)).toMatchObject({
      staffUserId: auditor.userId,
      staffRole: 'auditor',
      action: 'read_audit_log',
      subjectUserId: null,
    });
    expect(body.entries.some((e) => e.subjectUserId === subject.userId)).toBe(true);
    for (const secret of [subjectEmail, subjectName, 'Support', 'Auditor']) {
      expect(res.body).not.toContain(secret);
    }
    const page = await get(admin, '/api/staff/audit?afterSeq=2&limit=2');
    expect(page.statusCode).toBe(200);
    expect(page.json<AuditBody>().entries.map((e) => e.seq)).toEqual([3, 4]);
    expect((await get(auditor, '/api/staff/audit?limit=100000')).statusCode).toBe(400);
  });

  it('keeps personal data out of the logs and anchors the chain head in them', async () => {
    const logs = t.logs.join('');
    expect(logs).not.toContain(subjectEmail);
    expect(logs).not.toContain(subjectName);
    const head = (await auditRows()).at(-1);
    expect(logs).toContain(`"auditHash":"${head?.hash}"`);
  });

  it('refuses ordinary UPDATE and DELETE of audit entries', async () => {
    const db = t.runtime.database.db;
    await expect(
      db.updateTable('staff_audit_log').set({ resource: 'x' }).where('seq', '=', 1).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('staff_audit_log').where('seq', '=', 1).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`truncate staff_audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('detects an edited row at its seq', async () => {
    const db = t.runtime.database.db;
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    const rows = await auditRows();
    const victim = rows[2];
    if (!victim) throw new Error('expected entries');
    await tamper((trx) =>
      trx
        .updateTable('staff_audit_log')
        .set({ resource: 'users/someone-else' })
        .where('seq', '=', victim.seq)
        .execute(),
    );
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      brokenAt: victim.seq,
      reason: 'hash_mismatch',
    });
    // The API reports it too.
    const res = await get(auditor, '/api/staff/audit');
    expect(res.json<AuditBody>().verification).toMatchObject({
      ok: false,
      brokenAt: victim.seq,
    });
    // Put it back (a tampered chain would break the tests that follow).
    await tamper((trx) =>
      trx
        .updateTable('staff_audit_log')
        .set({ resource: victim.resource })
        .where('seq', '=', victim.seq)
        .execute(),
    );
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('detects a deleted middle row at its seq', async () => {
    const db = t.runtime.database.db;
    const rows = await auditRows();
    const victim = rows[Math.floor(rows.length / 2)];
    if (!victim) throw new Error('expected entries');
    await tamper((trx) =>
      trx.deleteFrom('staff_audit_log').where('seq', '=', victim.seq).execute(),
    );
    expect(await verifyAuditChain(db, 3)).toMatchObject({
      ok: false,
      brokenAt: victim.seq,
      reason: 'missing_entry',
    });
    await db.insertInto('staff_audit_log').values(victim).execute();
    expect(await verifyAuditChain(db, 3)).toMatchObject({ ok: true, entries: rows.length });
  });

  it('keeps one unbroken chain under 20 concurrent audited reads', async () => {
    const before = await auditRows();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        get(
          support,
          i % 2 === 0
            ? `/api/staff/users/${subject.userId}`
            : `/api/staff/users/${subject.userId}/generations`,
        ),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array<number>(20).fill(200));
    const after = await auditRows();
    expect(after.length).toBe(before.length + 20);
    expect(after.map((r) => Number(r.seq))).toEqual(after.map((_, i) => i + 1));
    const seqs = responses.map((r) => r.json<{ auditSeq: number }>().auditSeq);
    expect(new Set(seqs).size).toBe(20);
    const result = await verifyAuditChain(t.runtime.database.db);
    expect(result).toEqual({
      ok: true,
      entries: after.length,
      headSeq: after.length,
      headHash: after.at(-1)?.hash,
    });
  });
});
