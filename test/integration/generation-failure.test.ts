import sharp from 'sharp';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMusicJobName } from '../../src/jobs/payloads/generate-music.payload.js';
import { EngineError } from '../../src/music/engine-error.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import type {
  AssessSafetyFn,
  ComposeFn,
} from '../../src/modules/generations/run-generation.service.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { testPhoto } from '../support/images.js';
import { startTestApp, submitImage, waitFor, type TestApp } from '../support/test-app.js';

const paintedSky = await testPhoto('painted-sky');

// Fault injection at the engine boundary: the rest (queue, retries, dead letter) is real.
let calls = 0;
const brokenEngine: ComposeFn = async (request) => {
  calls += 1;
  if (request.text === 'refuse') throw new EngineError('unreadable_image', 'not analysable');
  throw new Error('synthesiser exploded');
};

// The content classifier's verdict is injected too: there is no unsafe image in the test set.
// Uploads are re-encoded without their metadata before they are stored, so the picture is
// recognised by its pixels (within JPEG's rounding), not by its bytes.
const refusedImage = await testPhoto('bright-crowd');
const pixelsOf = (image: Uint8Array) =>
  sharp(image).resize(32, 24, { fit: 'fill' }).removeAlpha().raw().toBuffer();
const refusedPixels = await pixelsOf(refusedImage);
const assessSafety: AssessSafetyFn = async (image) => {
  const pixels = await pixelsOf(image);
  let difference = 0;
  for (let i = 0; i < pixels.length; i += 1) {
    difference += Math.abs((pixels[i] ?? 0) - (refusedPixels[i] ?? 0));
  }
  const unsafe = pixels.length === refusedPixels.length && difference / pixels.length < 4;
  return { safe: !unsafe, scores: { Porn: unsafe ? 0.9 : 0.01, Neutral: unsafe ? 0.1 : 0.99 } };
};

describe.each(databaseKinds)('a generation that cannot succeed on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database: kind, compose: brokenEngine, assessSafety });
    // The job's own policy reached the queue; then only its base delay shrinks to pg-boss's
    // 1 s minimum. The tests count attempts, and 15-30 s of backoff would only be waited out.
    const queue = sql<{ retry_limit: number; retry_delay: number; retry_backoff: boolean }>`
      select retry_limit, retry_delay, retry_backoff from pgboss.queue
      where name = ${generateMusicJobName}`;
    expect((await queue.execute(t.runtime.database.db)).rows).toEqual([
      { retry_limit: 2, retry_delay: 5, retry_backoff: true },
    ]);
    await sql`update pgboss.queue set retry_delay = 1 where name = ${generateMusicJobName}`.execute(
      t.runtime.database.db,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  interface Credits {
    balance: number;
    reserved: number;
  }
  interface History {
    entries: Array<{ kind: string; amount: number; generationId: string | null }>;
  }

  async function creditsOf(cookie: string): Promise<{ credits: Credits; history: History }> {
    const credits = await t.app.inject({ method: 'GET', url: '/api/credits', headers: { cookie } });
    const history = await t.app.inject({
      method: 'GET',
      url: '/api/credits/history',
      headers: { cookie },
    });
    return { credits: credits.json<Credits>(), history: history.json<History>() };
  }

  /** The reservation made at submit was released, so the balance is back where it started. */
  async function expectCreditsBack(cookie: string, generationId: string): Promise<void> {
    const { credits, history } = await creditsOf(cookie);
    expect(credits).toMatchObject({ balance: t.config.credits.freeCredits, reserved: 0 });
    const forThis = history.entries.filter((e) => e.generationId === generationId);
    expect(forThis.map((e) => [e.kind, e.amount])).toEqual([
      ['release', t.config.credits.generationCost],
      ['reservation', -t.config.credits.generationCost],
    ]);
  }

  async function submitAndWait(
    text: string,
    image = paintedSky,
  ): Promise<GenerationView & { cookie: string }> {
    const user = await createUser(t, { email: `fail-${text}-${kind}@example.com`, name: 'Fail' });
    const res = await submitImage(t, user, { seconds: '10', text }, image);
    expect(res.statusCode).toBe(202);
    const { id } = res.json<GenerationView>();
    const failed = await waitFor(async () => {
      const view = (
        await t.app.inject({
          method: 'GET',
          url: `/api/generations/${id}`,
          headers: { cookie: user.cookie },
        })
      ).json<GenerationView>();
      return view.status === 'failed' ? view : undefined;
    }, 90_000);
    return { ...failed, cookie: user.cookie };
  }

  it('retries a bounded number of times, then tells the user and deletes the inputs', async () => {
    calls = 0;
    const view = await submitAndWait('crash');
    expect(view.error?.code).toBe('engine_failed');
    expect(view.error?.message).toMatch(/try again/);
    expect(calls).toBe(3); // first attempt + retryLimit 2
    const row = await t.runtime.database.db
      .selectFrom('generations')
      .select(['input_object', 'text_enc', 'attempts'])
      .where('id', '=', view.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ input_object: null, text_enc: null, attempts: 3 });
    // A piece that permanently failed costs nothing.
    await expectCreditsBack(view.cookie, view.id);
  });

  it('fails at once, without retries, when the engine refuses the image', async () => {
    calls = 0;
    const view = await submitAndWait('refuse');
    expect(view.error?.code).toBe('unprocessable_image');
    expect(calls).toBe(1);
    await expectCreditsBack(view.cookie, view.id);
  });

  it('refuses an image the content classifier flags, before composing and without charge', async () => {
    calls = 0;
    const view = await submitAndWait('flagged', refusedImage);
    expect(view.error?.code).toBe('content_rejected');
    expect(view.error?.message).toMatch(/Nothing was charged/);
    expect(calls).toBe(0);
    await expectCreditsBack(view.cookie, view.id);
  });
});
