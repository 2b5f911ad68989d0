import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepPoliciesJobName } from '../../src/jobs/sweep-policies.job.js';
import { sweepRetentionJobName } from '../../src/jobs/sweep-retention.job.js';
import { HOUR_MS, ManualClock } from '../../src/lib/clock.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { probeRetention } from '../../src/modules/privacy/retention.service.js';
import { databaseKinds } from '../support/databases.js';
import { createUser } from '../support/factories.js';
import { testPhoto } from '../support/images.js';
import {
  startTestApp,
  submitImage,
  waitFor,
  waitForFinished,
  type TestApp,
} from '../support/test-app.js';
import { fastEngine } from '../support/stand-in-engine.js';

// Privacy promises the review's mutations showed unguarded (M10, M11, M14, M27): each test here
// fails when the behaviour it names is reverted. The Stripe one (M18) is in stripe-payments.

const DAY_MS = 24 * HOUR_MS;
const forestStream = await testPhoto('forest-stream');

/**
 * The minutes of a day (UTC) at which a cron expression fires. Enough of cron for the schedules
 * this app installs: minute and hour fields with `*`, `a`, `a-b`, `,` and `/n`; every day.
 */
function firingMinutes(cron: string): number[] {
  const [minute, hour, ...days] = cron.trim().split(/\s+/);
  expect(days, `${cron} must run every day`).toEqual(['*', '*', '*']);
  const values = (field: string, max: number): Set<number> => {
    const out = new Set<number>();
    for (const part of field.split(',')) {
      const [range = '*', stepText] = part.split('/');
      const step = stepText ? Number(stepText) : 1;
      const [from, to] =
        range === '*'
          ? [0, max - 1]
          : range.includes('-')
            ? range.split('-').map(Number)
            : [Number(range), stepText ? max - 1 : Number(range)];
      for (let v = from ?? 0; v <= (to ?? max - 1); v += step) out.add(v);
    }
    return out;
  };
  const minutes = values(minute ?? '*', 60);
  const hours = values(hour ?? '*', 24);
  return [...hours].flatMap((h) => [...minutes].map((m) => h * 60 + m)).sort((a, b) => a - b);
}

/** The longest wait between two runs, around the clock. */
function longestGapMinutes(cron: string): number {
  const fires = firingMinutes(cron);
  expect(fires.length).toBeGreaterThan(0);
  return Math.max(...fires.map((at, i) => (fires[i + 1] ?? (fires[0] ?? 0) + 24 * 60) - at));
}

describe.each(databaseKinds)('privacy guards on %s', (kind) => {
  let t: TestApp;
  const clock = new ManualClock('2026-03-02T02:00:00Z');

  beforeAll(async () => {
    t = await startTestApp({
      database: kind,
      clock,
      compose: fastEngine,
      assessSafety: async () => ({ safe: true, scores: {} }),
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Runs a job now (its schedule is real time, the app's clock is not) and waits for its log line. */
  async function runJob(name: string, logMessage: string): Promise<void> {
    const before = t.logs.length;
    await t.runtime.queue.enqueue({ name, payload: { parse: (v: unknown) => v } }, {});
    await waitFor(async () => t.logs.slice(before).find((l) => l.includes(logMessage)));
  }

  it('schedules the retention sweep at least every 15 minutes, so music goes within 24 h 15 min', async () => {
    // What the worker installed, not the constant it was installed from: a slower cron in code
    // (every 5 hours kept music up to 29 h) fails here.
    const { rows } = await sql<{ name: string; cron: string }>`
      select name, cron from pgboss.schedule`.execute(t.runtime.database.db);
    const sweep = rows.find((r) => r.name === sweepRetentionJobName);
    expect(sweep, 'the retention sweep is scheduled').toBeDefined();
    expect(longestGapMinutes(sweep?.cron ?? '')).toBeLessThanOrEqual(15);
    // The helper itself tells a 5-hour cron from a 5-minute one.
    expect(longestGapMinutes('*/5 * * * *')).toBe(5);
    expect(longestGapMinutes('0 */5 * * *')).toBe(300);
  });

  it('puts the AI-generated label (AI生成) next to the player in the page HTML itself', async () => {
    const user = await createUser(t, { email: `label-${kind}@example.com`, name: 'Label' });
    const res = await submitImage(t, user, { seconds: '10', text: 'calm lake' }, forestStream);
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json<GenerationView>();
    expect((await waitForFinished(t, user, id)).status).toBe('done');
    for (const lang of ['en', 'zh']) {
      const page = await t.app.inject({
        method: 'GET',
        url: `/generations/${id}?lang=${lang}`,
        headers: { cookie: user.cookie, accept: 'text/html' },
      });
      expect(page.statusCode).toBe(200);
      // Served as HTML, before any script runs: the explicit label of the labelling rules.
      expect(page.body).toMatch(/<span class="ai-label"[^>]*>\s*AI生成 \/ AI-generated\s*<\/span>/);
    }
  });

  it('prunes consent records after six months and keeps younger ones', async () => {
    const choose = async (choice: 'accept' | 'reject') => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/consent',
        payload: new URLSearchParams({ choice }).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          origin: t.baseUrl,
        },
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    const decidedAt = async () =>
      (
        await t.runtime.database.db
          .selectFrom('consent_log')
          .select('decided_at')
          .orderBy('decided_at')
          .execute()
      ).map((r) => r.decided_at.toISOString());

    const start = clock.now().getTime();
    await choose('accept');
    clock.set(new Date(start + 9 * DAY_MS));
    await choose('reject');
    expect(await decidedAt()).toHaveLength(4); // two purposes each

    // 184 days after the first choice, 175 after the second: only the first is past six months.
    clock.set(new Date(start + 184 * DAY_MS));
    await runJob(sweepPoliciesJobName, 'policy sweep');
    expect(await decidedAt()).toEqual([
      new Date(start + 9 * DAY_MS).toISOString(),
      new Date(start + 9 * DAY_MS).toISOString(),
    ]);
  });

  it('deletes expired sessions and abandoned sign-ins (not only refuses them), and keeps live ones', async () => {
    const db = t.runtime.database.db;
    const stale = await createUser(t, { email: `stale-${kind}@example.com`, name: 'Stale' });
    const login = await t.app.inject({ method: 'GET', url: '/auth/login' });
    expect(login.statusCode).toBe(302);
    expect(await db.selectFrom('oidc_logins').select('state_hash').execute()).toHaveLength(1);

    clock.advance((t.config.sessions.ttlHours + 1) * HOUR_MS);
    const live = await createUser(t, { email: `live-${kind}@example.com`, name: 'Live' });
    const sessionsOf = (userId: string) =>
      db.selectFrom('sessions').select('user_id').where('user_id', '=', userId).execute();
    // Nobody used the stale cookie (a use would delete it on refusal): only the sweep can.
    expect(await sessionsOf(stale.userId)).toHaveLength(1);
    expect((await probeRetention({ db, clock })).overdue.expiredSessions).toBeGreaterThan(0);

    await runJob(sweepRetentionJobName, 'retention sweep');
    expect(await sessionsOf(stale.userId)).toEqual([]);
    expect(await sessionsOf(live.userId)).toHaveLength(1);
    expect(await db.selectFrom('oidc_logins').select('state_hash').execute()).toEqual([]);
    expect((await probeRetention({ db, clock })).overdue).toMatchObject({
      expiredSessions: 0,
      expiredSignIns: 0,
    });
  });
});
