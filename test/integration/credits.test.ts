import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  adjustCredits,
  releaseCredits,
  reserveCredits,
} from '../../src/modules/credits/credits.service.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { solidImage } from '../support/images.js';
import {
  multipartBody,
  startTestApp,
  waitFor,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';
import { fastEngine } from '../support/stand-in-engine.js';

interface CreditsBody {
  balance: number;
  reserved: number;
  generationCost: number;
  packs: Array<{ id: string; credits: number; amountCents: number; currency: string }>;
  checkout: 'stripe' | 'local';
}

interface HistoryBody {
  purchases: Array<{ id: string; status: string; credits: number; amountCents: number }>;
  entries: Array<{ kind: string; amount: number; balanceAfter: number; generationId: string }>;
}

const FREE = 10;

describe.each(databaseKinds)('credits and the local test checkout on %s', (kind) => {
  let t: TestApp;
  let image: Buffer;
  let users = 0;

  beforeAll(async () => {
    t = await startTestApp({
      database: kind,
      compose: fastEngine,
      assessSafety: async () => ({ safe: true, scores: {} }),
      // 50 submissions in a burst would meet the per-user rate limit first; credits are under test.
      env: { FREE_CREDITS: String(FREE), GENERATION_COST: '1', RATE_LIMIT_ENABLED: 'false' },
    });
    image = await solidImage({ r: 200, g: 120, b: 40 }, 'jpeg');
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const newUser = () => {
    users += 1;
    return createUser(t, {
      email: `credits-${users}-${kind}@example.com`,
      name: `Credits ${users}`,
    });
  };

  async function submit(user: SignedInUser, headers: Record<string, string> = {}) {
    const { payload, headers: formHeaders } = multipartBody(
      { seconds: '10' },
      { filename: 'a.jpg', contentType: 'image/jpeg', bytes: image },
    );
    return t.app.inject({
      method: 'POST',
      url: '/api/generations',
      payload,
      headers: {
        ...formHeaders,
        cookie: user.cookie,
        'x-csrf-token': user.csrfToken,
        accept: 'application/json',
        ...headers,
      },
    });
  }

  async function credits(user: SignedInUser): Promise<CreditsBody> {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/credits',
      headers: { cookie: user.cookie },
    });
    expect(res.statusCode).toBe(200);
    return res.json<CreditsBody>();
  }

  async function history(user: SignedInUser): Promise<HistoryBody> {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/credits/history',
      headers: { cookie: user.cookie },
    });
    expect(res.statusCode).toBe(200);
    return res.json<HistoryBody>();
  }

  const db = () => t.runtime.database.db;

  async function countJobsFor(generationIds: string[]): Promise<number> {
    const rows = await sql<{ data: { generationId: string } }>`
      select data from pgboss.job where name = 'generate-music'`.execute(db());
    return rows.rows.filter((r) => generationIds.includes(r.data.generationId)).length;
  }

  async function allJobCount(): Promise<number> {
    const rows = await sql<{ n: number }>`
      select count(*)::int as n from pgboss.job where name = 'generate-music'`.execute(db());
    return rows.rows[0]?.n ?? 0;
  }

  async function inputBlobs(userId: string): Promise<string[]> {
    const dir = path.join(t.config.dataDir, 'blobs', 'inputs', userId);
    if (!existsSync(dir)) return [];
    return (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name);
  }

  /** The ledger's own arithmetic: seq 1..n, balance_after = running sum, never negative. */
  async function expectConsistentLedger(userId: string): Promise<void> {
    const entries = await db()
      .selectFrom('credit_ledger')
      .select(['seq', 'amount', 'balance_after'])
      .where('user_id', '=', userId)
      .orderBy('seq')
      .execute();
    let running = 0;
    entries.forEach((entry, i) => {
      running += entry.amount;
      expect(entry.seq).toBe(i + 1);
      expect(entry.balance_after).toBe(running);
      expect(entry.balance_after).toBeGreaterThanOrEqual(0);
    });
  }

  async function waitUntilSettled(user: SignedInUser, ids: string[]): Promise<void> {
    await waitFor(async () => {
      const views = await Promise.all(
        ids.map(async (id) => {
          const res = await t.app.inject({
            method: 'GET',
            url: `/api/generations/${id}`,
            headers: { cookie: user.cookie },
          });
          return res.json<GenerationView>();
        }),
      );
      return views.every((v) => v.status === 'done' || v.status === 'failed') ? true : undefined;
    }, 120_000);
  }

  it('gives a new account its free allowance exactly once, and lists prices', async () => {
    const identity = { email: `once-${kind}@example.com`, name: 'Once' };
    const user = await t.signIn(identity);
    await t.signIn(identity); // signing in again grants nothing more
    const body = await credits(user);
    expect(body).toMatchObject({
      balance: FREE,
      reserved: 0,
      generationCost: 1,
      checkout: 'local',
    });
    expect(body.packs[0]).toEqual({ id: 'small', credits: 10, amountCents: 300, currency: 'usd' });
    const { entries } = await history(user);
    expect(entries).toEqual([expect.objectContaining({ kind: 'grant', amount: FREE })]);

    const page = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: user.cookie } });
    expect(page.body).toContain(`Balance: ${FREE} credits · this piece costs 1`);
    expect(page.body).toContain(`This piece costs 1 credit. You have ${FREE}.`);
    expect(page.body).toContain('href="/credits"');
  });

  it('lets exactly 10 of 50 concurrent submissions through a balance of 10', async () => {
    const user = await newUser();
    const responses = await Promise.all(Array.from({ length: 50 }, () => submit(user)));
    const accepted = responses.filter((r) => r.statusCode === 202);
    const refused = responses.filter((r) => r.statusCode === 402);
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const res of refused) {
      expect(res.json<{ error: { code: string } }>().error.code).toBe('payment_required');
    }
    const ids = accepted.map((r) => r.json<GenerationView>().id);
    expect(new Set(ids).size).toBe(10);
    const rows = await db()
      .selectFrom('generations')
      .select('id')
      .where('user_id', '=', user.userId)
      .execute();
    expect(rows).toHaveLength(10);
    expect(await countJobsFor(ids)).toBe(10);
    expect((await credits(user)).balance).toBe(0);

    await waitUntilSettled(user, ids);
    expect(await credits(user)).toMatchObject({ balance: 0, reserved: 0 });
    const { entries } = await history(user);
    expect(entries.filter((e) => e.kind === 'reservation')).toHaveLength(10);
    expect(entries.filter((e) => e.kind === 'capture')).toHaveLength(10);
    // Refused submissions left no input behind (finished ones delete theirs just after commit).
    await waitFor(async () => ((await inputBlobs(user.userId)).length === 0 ? true : undefined));
    await expectConsistentLedger(user.userId);
  });

  it('turns a double submit with one idempotency key into one job and one reservation', async () => {
    const user = await newUser();
    const headers = { 'idempotency-key': `double-${kind}` };
    const [a, b] = await Promise.all([submit(user, headers), submit(user, headers)]);
    expect(a?.statusCode).toBe(202);
    expect(b?.statusCode).toBe(202);
    const id = a?.json<GenerationView>().id ?? '';
    expect(b?.json<GenerationView>().id).toBe(id);
    expect(await countJobsFor([id])).toBe(1);
    const { entries } = await history(user);
    expect(entries.filter((e) => e.kind === 'reservation')).toHaveLength(1);
    await waitUntilSettled(user, [id]);
    expect((await credits(user)).balance).toBe(FREE - 1);
  });

  it('answers 402 with too few credits and stores nothing', async () => {
    const user = await newUser();
    await adjustCredits({ db: db(), masterKey: t.runtime.masterKey }, new Date(), {
      userId: user.userId,
      amount: -FREE,
      key: `drain-${user.userId}`,
      reason: 'test',
    });
    const jobsBefore = await allJobCount();
    const res = await submit(user);
    expect(res.statusCode).toBe(402);
    expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'payment_required',
      message: expect.stringMatching(/buy credits/i) as unknown,
    });
    const rows = await db()
      .selectFrom('generations')
      .select('id')
      .where('user_id', '=', user.userId)
      .execute();
    expect(rows).toEqual([]);
    expect(await allJobCount()).toBe(jobsBefore);
    expect(await inputBlobs(user.userId)).toEqual([]);
    const { entries } = await history(user);
    expect(entries.map((e) => e.kind)).toEqual(['adjustment', 'grant']);
    // Below zero is refused for staff adjustments too.
    await expect(
      adjustCredits({ db: db(), masterKey: t.runtime.masterKey }, new Date(), {
        userId: user.userId,
        amount: -1,
        key: `overdraw-${user.userId}`,
        reason: 'test',
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('rolls the reservation back with the row when enqueueing fails inside the transaction', async () => {
    const user = await newUser();
    const queue = t.runtime.queue;
    const realEnqueue = queue.enqueue.bind(queue);
    // The job is written into the transaction, then the process "crashes" before COMMIT.
    vi.spyOn(queue, 'enqueue').mockImplementationOnce(async (definition, payload, options) => {
      await realEnqueue(definition, payload, options);
      throw new Error('simulated crash between reservation and commit');
    });
    const jobsBefore = await allJobCount();
    const res = await submit(user);
    expect(res.statusCode).toBe(500);
    expect(await credits(user)).toMatchObject({ balance: FREE, reserved: 0 });
    const { entries } = await history(user);
    expect(entries.map((e) => e.kind)).toEqual(['grant']);
    const rows = await db()
      .selectFrom('generations')
      .select('id')
      .where('user_id', '=', user.userId)
      .execute();
    expect(rows).toEqual([]);
    expect(await allJobCount()).toBe(jobsBefore);
    expect(await inputBlobs(user.userId)).toEqual([]);

    // And the next attempt goes through normally.
    const retry = await submit(user);
    expect(retry.statusCode).toBe(202);
    await waitUntilSettled(user, [retry.json<GenerationView>().id]);
  });

  it('completes a purchase through the local test checkout and its signed webhook', async () => {
    const user = await newUser();
    const other = await newUser();
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/credits/checkout',
      payload: { packId: 'small' },
      headers: { cookie: user.cookie, 'x-csrf-token': user.csrfToken },
    });
    expect(start.statusCode, start.body).toBe(201);
    const { url, purchaseId } = start.json<{ url: string; purchaseId: string }>();
    const checkoutUrl = new URL(url);
    expect(checkoutUrl.pathname).toMatch(/^\/credits\/local-checkout\/cs_local_\w+$/);

    const page = await t.app.inject({
      method: 'GET',
      url: checkoutUrl.pathname,
      headers: { cookie: user.cookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Local test checkout — no real payment');
    const asOther = await t.app.inject({
      method: 'GET',
      url: checkoutUrl.pathname,
      headers: { cookie: other.cookie },
    });
    expect(asOther.statusCode).toBe(404);

    // The success redirect shows status only; it never grants.
    const early = await t.app.inject({
      method: 'GET',
      url: `/credits?purchase=${purchaseId}`,
      headers: { cookie: user.cookie },
    });
    expect(early.body).toContain('being confirmed');
    expect((await credits(user)).balance).toBe(FREE);

    const forged = await t.app.inject({
      method: 'POST',
      url: `${checkoutUrl.pathname}/complete`,
      payload: { _csrf: 'forged' },
      headers: { cookie: user.cookie },
    });
    expect(forged.statusCode).toBe(403);
    const stolen = await t.app.inject({
      method: 'POST',
      url: `${checkoutUrl.pathname}/complete`,
      payload: { _csrf: other.csrfToken },
      headers: { cookie: other.cookie },
    });
    expect(stolen.statusCode).toBe(404);

    for (let i = 0; i < 2; i += 1) {
      const done = await t.app.inject({
        method: 'POST',
        url: `${checkoutUrl.pathname}/complete`,
        payload: { _csrf: user.csrfToken },
        headers: { cookie: user.cookie },
      });
      expect(done.statusCode, done.body).toBe(303);
      expect(done.headers.location).toBe(`/credits?purchase=${purchaseId}`);
    }
    expect((await credits(user)).balance).toBe(FREE + 10);
    const { purchases, entries } = await history(user);
    expect(purchases).toEqual([
      expect.objectContaining({ id: purchaseId, status: 'paid', credits: 10, amountCents: 300 }),
    ]);
    expect(entries.filter((e) => e.kind === 'grant')).toHaveLength(2);
    const after = await t.app.inject({
      method: 'GET',
      url: `/credits?purchase=${purchaseId}`,
      headers: { cookie: user.cookie },
    });
    expect(after.body).toContain('Purchase paid');
    expect(after.body).toContain(`Balance: ${FREE + 10} credits`);
    await expectConsistentLedger(user.userId);
  });

  it('refuses a webhook not signed with the local secret', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/webhooks/stripe',
      payload: JSON.stringify({ id: 'evt_x', object: 'event', type: 'checkout.session.completed' }),
      headers: {
        'content-type': 'application/json',
        'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
      },
    });
    expect(res.statusCode).toBe(400);
  });

  it('keeps the ledger append-only', async () => {
    const user = await newUser();
    await expect(
      db()
        .updateTable('credit_ledger')
        .set({ amount: 1000, balance_after: 1000 })
        .where('user_id', '=', user.userId)
        .execute(),
    ).rejects.toThrow(/append-only/);
    expect((await credits(user)).balance).toBe(FREE);
  });

  it('shows one history row per piece with its net effect and a link while it exists, in counted words', async () => {
    const user = await newUser();
    const made = await submit(user);
    expect(made.statusCode, made.body).toBe(202);
    const madeId = made.json<{ id: string }>().id;
    await waitUntilSettled(user, [madeId]);
    // A piece that was not made and is gone: held, then given back.
    const goneId = randomUUID();
    await db()
      .transaction()
      .execute(async (trx) => {
        await reserveCredits(trx, new Date(), {
          userId: user.userId,
          generationId: goneId,
          cost: 1,
        });
        await releaseCredits(trx, new Date(), goneId);
      });
    // The ledger keeps all five entries; the page shows three rows.
    expect((await history(user)).entries).toHaveLength(5);
    for (const [lang, spent, returned, open, balance] of [
      [
        'en',
        'A piece',
        'A piece that was not made (credits returned)',
        'Open the piece',
        `Balance: ${FREE - 1} credits`,
      ],
      ['zh', '一首乐曲', '一首未生成的乐曲（点数已退回）', '打开这首乐曲', `余额：${FREE - 1} 点`],
    ] as const) {
      const page = await t.app.inject({
        method: 'GET',
        url: `/credits?lang=${lang}`,
        headers: { cookie: user.cookie },
      });
      expect(page.statusCode).toBe(200);
      const table = page.body.slice(page.body.indexOf('id="credit-history"'));
      const rows = [...table.slice(0, table.indexOf('</table>')).matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
        .map((m) => m[1]!.replace(/<time[\s\S]*?<\/time>/, '').replace(/\s+/g, ' '))
        .slice(1); // the header row
      expect(rows).toHaveLength(3);
      expect(rows[0]).toContain(returned);
      expect(rows[0]).toMatch(/>0</);
      expect(rows[0]).not.toContain('href');
      expect(rows[1]).toContain(spent);
      expect(rows[1]).toContain(`href="/generations/${madeId}${lang === 'zh' ? '?lang=zh' : ''}"`);
      expect(rows[1]).toContain(open);
      expect(rows[1]).toMatch(/>-1</);
      expect(page.body).toContain(balance);
    }
    // Plurals: one credit, many credits (the pack of 10 and the balance of 1).
    await adjustCredits({ db: db(), masterKey: t.runtime.masterKey }, new Date(), {
      userId: user.userId,
      amount: -(FREE - 2),
      key: `to-one-${user.userId}`,
      reason: 'test',
    });
    const en = await t.app.inject({
      method: 'GET',
      url: '/credits',
      headers: { cookie: user.cookie },
    });
    expect(en.body).toContain('Balance: 1 credit ·');
    expect(en.body).toMatch(/a piece costs 1 credit\s*</);
    expect(en.body).toContain('10 credits');
    const create = await t.app.inject({
      method: 'GET',
      url: '/',
      headers: { cookie: user.cookie },
    });
    expect(create.body).toContain('Balance: 1 credit · this piece costs 1');
    expect(create.body).toContain('This piece costs 1 credit. You have 1.');
    expect(create.body).not.toContain('credit(s)');
  });
});
