import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepRetentionCron, sweepRetentionJobName } from '../../src/jobs/sweep-retention.job.js';
import { HOUR_MS, ManualClock } from '../../src/lib/clock.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import type { ComposeFn } from '../../src/modules/generations/run-generation.service.js';
import { audioFormats, outputKey } from '../../src/modules/generations/output-files.js';
import { probeRetention } from '../../src/modules/privacy/retention.service.js';
import { composeTrack } from '../../src/music/engine.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { testPhoto } from '../support/images.js';
import {
  startTestApp,
  submitImage,
  waitFor,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

const forestStream = await testPhoto('forest-stream');

describe.each(databaseKinds)('retention on %s', (kind) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  // The real engine, except that a piece described as "hold" waits until the test lets it go,
  // standing in for a worker stuck on a job (a second worker slot keeps the others moving).
  let releaseHeld: () => void = () => {};
  const held = new Promise<void>((resolve) => (releaseHeld = resolve));
  const engine: ComposeFn = async (request) => {
    if (request.text === 'hold') await held;
    return composeTrack(request);
  };

  beforeAll(async () => {
    t = await startTestApp({
      database: kind,
      clock,
      compose: engine,
      env: { WORKER_CONCURRENCY: '2' },
    });
  });
  afterAll(async () => {
    releaseHeld();
    await t.close();
  });

  async function submit(user: SignedInUser, text: string): Promise<string> {
    const res = await submitImage(t, user, { seconds: '10', text }, forestStream);
    expect(res.statusCode, res.body).toBe(202);
    return res.json<GenerationView>().id;
  }

  const row = (id: string) =>
    t.runtime.database.db
      .selectFrom('generations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const blobExists = (key: string) => existsSync(path.join(t.config.dataDir, 'blobs', key));

  async function sweepAndWait(until: () => Promise<boolean>): Promise<void> {
    await t.runtime.queue.enqueue(
      { name: sweepRetentionJobName, payload: { parse: (v: unknown) => v } },
      {},
    );
    await waitFor(async () => ((await until()) ? true : undefined), 30_000);
  }

  it('installs the sweep as a pg-boss schedule', async () => {
    const schedules = await sql<{
      name: string;
      cron: string;
    }>`select name, cron from pgboss.schedule`.execute(t.runtime.database.db);
    expect(schedules.rows).toContainEqual({
      name: sweepRetentionJobName,
      cron: sweepRetentionCron,
    });
  });

  it('deletes the photo and text of a stuck generation 72 hours after upload', async () => {
    const user = await createUser(t, { email: `stuck-${kind}@example.com`, name: 'Stuck' });
    const id = await submit(user, 'hold');
    await waitFor(async () => ((await row(id)).status === 'running' ? true : undefined));
    const before = await row(id);
    expect(before.input_object).not.toBeNull();
    expect(blobExists(before.input_object ?? '')).toBe(true);

    clock.advance(71 * HOUR_MS);
    expect((await probeRetention({ db: t.runtime.database.db, clock })).overdue.inputs).toBe(0);
    clock.advance(1 * HOUR_MS + 60_000);
    expect((await probeRetention({ db: t.runtime.database.db, clock })).overdue.inputs).toBe(1);

    await sweepAndWait(async () => (await row(id)).input_object === null);
    const after = await row(id);
    expect(after.text_enc).toBeNull();
    expect(blobExists(before.input_object ?? '')).toBe(false);
    expect((await probeRetention({ db: t.runtime.database.db, clock })).overdue.inputs).toBe(0);
    clock.advance(-(72 * HOUR_MS + 60_000));
  });

  it('deletes the music 24 hours after generation; the link answers 410', async () => {
    const user = await createUser(t, { email: `music-${kind}@example.com`, name: 'Music' });
    const id = await submit(user, 'sunny forest');
    await waitFor(async () => ((await row(id)).status === 'done' ? true : undefined), 90_000);
    const done = await row(id);
    expect(done.output_object).not.toBeNull();
    const files = audioFormats.map((format) => outputKey(done.output_object ?? '', format));
    expect(files.map(blobExists)).toEqual([true, true, true]);

    clock.advance(24 * HOUR_MS + 60_000);
    expect(
      (await probeRetention({ db: t.runtime.database.db, clock })).overdue.outputs,
    ).toBeGreaterThanOrEqual(1);
    await sweepAndWait(async () => (await row(id)).output_object === null);
    expect((await row(id)).plan_enc).toBeNull();
    expect(files.map(blobExists)).toEqual([false, false, false]);
    const audio = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${id}/audio`,
      headers: { cookie: user.cookie },
    });
    expect(audio.statusCode).toBe(410);
    const view = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${id}`,
      headers: { cookie: user.cookie },
    });
    expect(view.json<GenerationView>()).toMatchObject({
      status: 'done',
      downloadable: false,
      plan: null,
    });
    clock.advance(-(24 * HOUR_MS + 60_000));
  });
});
