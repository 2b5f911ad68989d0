import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustCredits } from '../../src/modules/credits/credits.service.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { databaseKinds } from '../support/databases.js';
import { createUser } from '../support/factories.js';
import { testPhoto } from '../support/images.js';
import {
  startTestApp,
  submitImage,
  waitForFinished,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

/*
 * Issue 18, items 11 and 13 through the API on both databases: a piece's own title (sealed,
 * validated, deleted with the music), "give me two versions" (two seeds, one piece's credits
 * each, both or neither) and "extend by N seconds" (the same plan and seed, longer, charged as a
 * variation, within the length limit). Credits are counted in the ledger itself.
 */

const photo = await testPhoto('night-river');

describe.each(databaseKinds)('titles, two versions and extensions on %s', (kind) => {
  let t: TestApp;
  let users = 0;

  beforeAll(async () => {
    // Two free credits: one piece, then exactly one more piece's worth.
    t = await startTestApp({ database: kind, env: { FREE_CREDITS: '2' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const newUser = () => {
    users += 1;
    return createUser(t, {
      email: `derive-${kind}-${users}@example.com`,
      name: `Deriver ${users}`,
    });
  };

  const send = (
    user: SignedInUser,
    method: 'POST' | 'PATCH',
    url: string,
    payload: unknown,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: {
        cookie: user.cookie,
        'x-csrf-token': user.csrfToken,
        'content-type': 'application/json',
        ...headers,
      },
      payload: JSON.stringify(payload),
    });

  async function finishedPiece(user: SignedInUser, fields: Record<string, string> = {}) {
    const res = await submitImage(t, user, { seconds: '10', seed: '5', ...fields }, photo);
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitForFinished(t, user, res.json<GenerationView>().id);
    expect(done.status).toBe('done');
    return done;
  }

  const balanceOf = async (user: SignedInUser) =>
    (
      await t.app.inject({ method: 'GET', url: '/api/credits', headers: { cookie: user.cookie } })
    ).json<{ balance: number }>().balance;

  /** Ledger rows per generation and kind: what was reserved, captured and released. */
  async function ledger(userId: string): Promise<Map<string, string[]>> {
    const rows = await t.runtime.database.db
      .selectFrom('credit_ledger')
      .select(['generation_id', 'kind', 'amount'])
      .where('user_id', '=', userId)
      .where('generation_id', 'is not', null)
      .orderBy('seq')
      .execute();
    const byPiece = new Map<string, string[]>();
    for (const row of rows) {
      const id = row.generation_id ?? '';
      byPiece.set(id, [...(byPiece.get(id) ?? []), `${row.kind}:${row.amount}`]);
    }
    return byPiece;
  }

  /** The API's error: its stable code, and a message that states the limit or the cost. */
  function expectError(res: { json<T>(): T }, code: string, message: RegExp): void {
    const { error } = res.json<{ error: { code: string; message: string } }>();
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  }

  const countRows = async (userId: string) =>
    Number(
      (
        await t.runtime.database.db
          .selectFrom('generations')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('renames a piece: sealed at rest, validated, listed, cleared back to the plan’s name', async () => {
    const user = await newUser();
    const piece = await finishedPiece(user);
    expect(piece.title).toBeNull();
    expect(piece.mood).toMatch(/^(calm|happy|sad|energetic|dark|dreamy)$/);

    const renamed = await send(user, 'PATCH', `/api/generations/${piece.id}`, {
      title: '  River   at night CANARY-TITLE-9 ',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json<GenerationView>().title).toBe('River at night CANARY-TITLE-9');
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/generations',
      headers: { cookie: user.cookie },
    });
    expect(list.json<{ generations: GenerationView[] }>().generations[0]?.title).toBe(
      'River at night CANARY-TITLE-9',
    );
    // Sealed under the owner's key: the plaintext is nowhere in the row.
    const row = await t.runtime.database.db
      .selectFrom('generations')
      .select('title_enc')
      .where('id', '=', piece.id)
      .executeTakeFirstOrThrow();
    expect(row.title_enc).not.toBeNull();
    expect(Buffer.from(row.title_enc ?? []).includes('CANARY-TITLE-9')).toBe(false);
    expect(t.logs.join('')).not.toContain('CANARY-TITLE-9');

    for (const [title, message] of [
      ['x'.repeat(81), /up to 80 characters/],
      ['tab\u0007bell', /control characters/],
    ] as const) {
      const bad = await send(user, 'PATCH', `/api/generations/${piece.id}`, { title });
      expect(bad.statusCode, bad.body).toBe(400);
      expectError(bad, 'validation_failed', message);
    }
    // 80 characters of Chinese are 80 characters, not 240 bytes.
    const chinese = await send(user, 'PATCH', `/api/generations/${piece.id}`, {
      title: '夜'.repeat(80),
    });
    expect(chinese.statusCode, chinese.body).toBe(200);

    const noCsrf = await t.app.inject({
      method: 'PATCH',
      url: `/api/generations/${piece.id}`,
      headers: { cookie: user.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ title: 'sneaky' }),
    });
    expect(noCsrf.statusCode).toBe(403);
    const stranger = await newUser();
    const stolen = await send(stranger, 'PATCH', `/api/generations/${piece.id}`, { title: 'mine' });
    expect(stolen.statusCode).toBe(404);

    const cleared = await send(user, 'PATCH', `/api/generations/${piece.id}`, { title: '  ' });
    expect(cleared.json<GenerationView>().title).toBeNull();
  });

  it('makes two versions for one piece’s credits each, exactly once, or refuses both', async () => {
    const user = await newUser();
    await adjustCredits({ db: t.runtime.database.db, masterKey: t.runtime.masterKey }, new Date(), {
      userId: user.userId,
      amount: 1,
      key: `versions-${user.userId}`,
      reason: 'test',
    });
    const original = await finishedPiece(user);
    expect(await balanceOf(user)).toBe(2);

    const key = `two-${user.userId}`;
    const res = await send(
      user,
      'POST',
      `/api/generations/${original.id}/versions`,
      {},
      {
        'idempotency-key': key,
      },
    );
    expect(res.statusCode, res.body).toBe(202);
    const versions = res.json<{ versions: GenerationView[] }>().versions;
    expect(versions).toHaveLength(2);
    expect(await balanceOf(user)).toBe(0);
    // The same key again answers with the same pair and charges nothing more.
    const again = await send(
      user,
      'POST',
      `/api/generations/${original.id}/versions`,
      {},
      {
        'idempotency-key': key,
      },
    );
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json<{ versions: GenerationView[] }>().versions.map((v) => v.id)).toEqual(
      versions.map((v) => v.id),
    );

    const done = await Promise.all(versions.map((v) => waitForFinished(t, user, v.id)));
    for (const v of done) {
      expect(v).toMatchObject({
        status: 'done',
        parentId: original.id,
        derivation: 'version',
        seconds: original.seconds,
      });
      expect(v.plan).toMatchObject({ key: original.plan?.key, style: original.plan?.style });
    }
    const seeds = new Set([original.seed, ...done.map((v) => v.seed)]);
    expect(seeds.size).toBe(3);
    expect(await balanceOf(user)).toBe(0);
    const entries = await ledger(user.userId);
    for (const v of versions) expect(entries.get(v.id)).toEqual(['reservation:-1', 'capture:0']);

    // No credits left: refused with the code a client can act on, and nothing is queued.
    const rows = await countRows(user.userId);
    const broke = await send(user, 'POST', `/api/generations/${original.id}/versions`, {});
    expect(broke.statusCode, broke.body).toBe(402);
    expect(broke.json<{ error: { code: string } }>().error.code).toBe('payment_required');
    expect(await countRows(user.userId)).toBe(rows);
  });

  it('refuses two versions with credits for only one, and charges nothing', async () => {
    const user = await newUser();
    const original = await finishedPiece(user);
    expect(await balanceOf(user)).toBe(1);
    const rows = await countRows(user.userId);
    const res = await send(user, 'POST', `/api/generations/${original.id}/versions`, {});
    expect(res.statusCode, res.body).toBe(402);
    expectError(res, 'payment_required', /this costs 2 and your balance is \d+/);
    expect(await balanceOf(user)).toBe(1);
    expect(await countRows(user.userId)).toBe(rows);
  });

  it('extends a piece with the same plan and seed, charged once, within the length limit', async () => {
    const user = await newUser();
    const original = await finishedPiece(user, { style: 'folk' });
    expect(await balanceOf(user)).toBe(1);

    for (const [seconds, status] of [
      [2, 400],
      [171, 400],
    ] as const) {
      const bad = await send(user, 'POST', `/api/generations/${original.id}/extensions`, {
        seconds,
      });
      expect(bad.statusCode, bad.body).toBe(status);
      expectError(bad, 'validation_failed', /by 5 to 170 seconds .*at most 180 seconds/);
    }
    const res = await send(user, 'POST', `/api/generations/${original.id}/extensions`, {
      seconds: 10,
    });
    expect(res.statusCode, res.body).toBe(202);
    const queued = res.json<GenerationView>();
    expect(await balanceOf(user)).toBe(0);
    const longer = await waitForFinished(t, user, queued.id);
    expect(longer).toMatchObject({
      status: 'done',
      parentId: original.id,
      derivation: 'extension',
      seed: original.seed,
    });
    expect(longer.seconds).toBeGreaterThanOrEqual(original.seconds + 6);
    expect(longer.seconds).toBeLessThanOrEqual(original.seconds + 14);
    expect(longer.plan).toMatchObject({
      key: original.plan?.key,
      tempo: original.plan?.tempo,
      style: 'folk',
    });
    expect(longer.plan?.story?.details.at(-1)?.en).toMatch(/^extended by \d+ s/);
    expect((await ledger(user.userId)).get(longer.id)).toEqual(['reservation:-1', 'capture:0']);
    const mp3 = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${longer.id}/audio?format=mp3`,
      headers: { cookie: user.cookie },
    });
    const short = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${original.id}/audio?format=mp3`,
      headers: { cookie: user.cookie },
    });
    // 192 kbps CBR: the bytes measure the length.
    expect(mp3.rawPayload.length / short.rawPayload.length).toBeGreaterThan(1.4);

    // No credits left: refused, nothing queued, the balance stays.
    const rows = await countRows(user.userId);
    const broke = await send(user, 'POST', `/api/generations/${longer.id}/extensions`, {
      seconds: 10,
    });
    expect(broke.statusCode, broke.body).toBe(402);
    expect(broke.json<{ error: { code: string } }>().error.code).toBe('payment_required');
    expect(await countRows(user.userId)).toBe(rows);
    expect(await balanceOf(user)).toBe(0);
  });

  it('will not extend a loop, which has no ending to continue from', async () => {
    const user = await newUser();
    const loop = await finishedPiece(user, { loop: 'true' });
    const res = await send(user, 'POST', `/api/generations/${loop.id}/extensions`, { seconds: 10 });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/loop/);
    expect(await balanceOf(user)).toBe(1);
  });
});
