import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import type { ComposeFn } from '../../src/modules/generations/run-generation.service.js';
import { databaseKinds } from '../support/databases.js';
import { sharedImage } from '../support/images.js';
import { multipartBody, startTestApp, waitFor, type TestApp } from '../support/test-app.js';

// Fault injection at the engine boundary: the rest (queue, retries, dead letter) is real.
let calls = 0;
const brokenEngine: ComposeFn = async (request) => {
  calls += 1;
  if (request.text === 'refuse') throw new AppError('unprocessable_image', 'not analysable');
  throw new Error('synthesiser exploded');
};

describe.each(databaseKinds)('a generation that cannot succeed on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database: kind, compose: brokenEngine });
  });
  afterAll(async () => {
    await t.close();
  });

  async function submitAndWait(text: string): Promise<GenerationView> {
    const user = await t.signIn({ email: `fail-${text}-${kind}@example.com`, name: 'Fail' });
    const { payload, headers } = multipartBody(
      { seconds: '10', text },
      { filename: 'a.jpg', contentType: 'image/jpeg', bytes: sharedImage('pd_the_scream.jpg') },
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/generations',
      payload,
      headers: {
        ...headers,
        cookie: user.cookie,
        'x-csrf-token': user.csrfToken,
        accept: 'application/json',
      },
    });
    expect(res.statusCode).toBe(202);
    const { id } = res.json<GenerationView>();
    return waitFor(async () => {
      const view = (
        await t.app.inject({
          method: 'GET',
          url: `/api/generations/${id}`,
          headers: { cookie: user.cookie },
        })
      ).json<GenerationView>();
      return view.status === 'failed' ? view : undefined;
    }, 90_000);
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
  });

  it('fails at once, without retries, when the engine refuses the image', async () => {
    calls = 0;
    const view = await submitAndWait('refuse');
    expect(view.error?.code).toBe('unprocessable_image');
    expect(calls).toBe(1);
  });
});
