import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS, ManualClock } from '../../src/lib/clock.js';
import { readAigcLabel } from '../../src/music/label/aigc-label.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { solidImage, testPhoto } from '../support/images.js';
import {
  startTestApp,
  submitImage,
  waitForFinished,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

const photo = await testPhoto('night-river');

describe.each(databaseKinds)('sign in → upload → music → download on %s', (kind) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    t = await startTestApp({ database: kind, clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const submit = (
    user: SignedInUser,
    fields: Record<string, string>,
    bytes: Uint8Array,
    extraHeaders: Record<string, string> = {},
  ) => submitImage(t, user, fields, bytes, extraHeaders);
  const waitUntilFinished = (user: SignedInUser, id: string) => waitForFinished(t, user, id);

  async function blobFiles(): Promise<string[]> {
    const root = path.join(t.config.dataDir, 'blobs');
    if (!existsSync(root)) return [];
    return (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
  }

  it('takes a signed-in user from upload to a downloadable MP3, and deletes the inputs', async () => {
    const user = await t.signIn({ email: `ada-${kind}@example.com`, name: 'Ada CANARY-NAME-41' });
    const res = await submit(
      user,
      { text: 'calm night by the river CANARY-TEXT-17', seconds: '10', seed: '7' },
      photo,
    );
    expect(res.statusCode, res.body).toBe(202);
    const created = res.json<GenerationView>();
    expect(created).toMatchObject({ status: 'queued', seconds: 10, seed: 7 });

    const finished = await waitUntilFinished(user, created.id);
    expect(finished.status, JSON.stringify(finished.error)).toBe('done');
    expect(finished.downloadable).toBe(true);
    expect(finished.plan?.explanation.length).toBeGreaterThan(10);
    expect(
      new Date(finished.expiresAt ?? 0).getTime() - new Date(finished.finishedAt ?? 0).getTime(),
    ).toBe(24 * HOUR_MS);

    const audio = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${created.id}/audio`,
      headers: { cookie: user.cookie },
    });
    expect(audio.statusCode).toBe(200);
    expect(audio.headers['content-type']).toBe('audio/mpeg');
    const mp3 = audio.rawPayload;
    expect(mp3.length).toBeGreaterThan(50_000);
    const startsWithId3 = mp3.subarray(0, 3).toString('latin1') === 'ID3';
    const startsWithFrame = mp3[0] === 0xff && ((mp3[1] ?? 0) & 0xe0) === 0xe0;
    expect(startsWithId3 || startsWithFrame).toBe(true);

    // Every file carries the AI-generated label, naming this generation.
    expect(readAigcLabel(mp3)).toMatchObject({
      Label: '1',
      ContentProducer: 'Instune',
      ProduceID: created.id,
    });
    const wav = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${created.id}/audio?format=wav`,
      headers: { cookie: user.cookie },
    });
    expect(wav.headers['content-type']).toBe('audio/wav');
    expect(readAigcLabel(wav.rawPayload)).toMatchObject({ ProduceID: created.id });
    const midi = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${created.id}/audio?format=midi`,
      headers: { cookie: user.cookie },
    });
    expect(midi.rawPayload.subarray(0, 4).toString('latin1')).toBe('MThd');
    expect(readAigcLabel(midi.rawPayload)).toMatchObject({ Label: '1', ProduceID: created.id });
    expect(midi.headers['content-disposition']).toMatch(/\.mid"$/);
    const flac = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${created.id}/audio?format=flac`,
      headers: { cookie: user.cookie },
    });
    expect(flac.statusCode).toBe(400);
    // The stems: one ZIP, every WAV in it labelled with the generation's id.
    const stems = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${created.id}/stems`,
      headers: { cookie: user.cookie },
    });
    expect(stems.statusCode).toBe(200);
    expect(stems.headers['content-type']).toBe('application/zip');
    expect(stems.headers['content-disposition']).toMatch(/-stems\.zip"$/);
    const stemFiles = Object.entries(unzipSync(stems.rawPayload)).filter(([n]) =>
      n.endsWith('.wav'),
    );
    expect(stemFiles.length).toBeGreaterThanOrEqual(2);
    for (const [name, bytes] of stemFiles) {
      expect(readAigcLabel(bytes), name).toMatchObject({ Label: '1', ProduceID: created.id });
    }

    // Inputs are used only to generate: the image and text are gone once the music exists.
    const row = await t.runtime.database.db
      .selectFrom('generations')
      .select(['input_object', 'text_enc'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ input_object: null, text_enc: null });
    expect((await blobFiles()).filter((f) => f.startsWith('inputs/'))).toEqual([]);

    // Personal words never reach the logs.
    const logs = t.logs.join('');
    expect(logs).not.toContain('CANARY-TEXT-17');
    expect(logs).not.toContain('CANARY-NAME-41');
    expect(logs).not.toContain(`ada-${kind}@example.com`);

    // After 24 hours the download link answers 410 Gone.
    clock.advance(24 * HOUR_MS + 1000);
    const late = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${created.id}/audio`,
      headers: { cookie: user.cookie },
    });
    expect(late.statusCode).toBe(410);
    const lateStems = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${created.id}/stems`,
      headers: { cookie: user.cookie },
    });
    expect(lateStems.statusCode).toBe(410);
    clock.advance(-(24 * HOUR_MS + 1000));
  });

  it('follows the create page controls exactly and refuses unknown ones', async () => {
    const user = await createUser(t, { email: `controls-${kind}@example.com`, name: 'Controls' });
    const res = await submit(
      user,
      {
        seconds: '12',
        seed: '4',
        style: 'jazz',
        mood: 'calm',
        tempo: '90',
        instrument: 'violin',
        loop: 'true',
        key: 'Eb',
        mode: 'minor',
      },
      photo,
    );
    expect(res.statusCode, res.body).toBe(202);
    const created = res.json<GenerationView>();
    expect(created.controls).toEqual({
      style: 'jazz',
      mood: 'calm',
      tempoBpm: 90,
      instrument: 'violin',
      loop: true,
      key: 'Eb',
      mode: 'minor',
    });
    const done = await waitUntilFinished(user, created.id);
    expect(done.status).toBe('done');
    expect(done.plan?.style).toBe('jazz');
    expect(Math.abs((done.plan?.tempo ?? 0) - 90)).toBeLessThanOrEqual(8);
    expect(done.plan?.explanation).toContain('jazz as you chose');
    expect(done.plan?.explanation).toMatch(/violin/i);
    expect(done.plan?.explanation).toContain('seamless loop');
    expect(done.plan).toMatchObject({ key: 'Eb minor', mode: 'minor' });
    expect(done.plan?.explanation).toContain('key as you chose');

    // A variation: the same plan with a new seed, made without the (deleted) image.
    const variationRes = await t.app.inject({
      method: 'POST',
      url: `/api/generations/${created.id}/variations`,
      headers: {
        cookie: user.cookie,
        'x-csrf-token': user.csrfToken,
        'content-type': 'application/json',
      },
      payload: { seed: 99 },
    });
    expect(variationRes.statusCode, variationRes.body).toBe(202);
    const variation = await waitUntilFinished(user, variationRes.json<GenerationView>().id);
    expect(variation).toMatchObject({
      status: 'done',
      parentId: created.id,
      seed: 99,
      seconds: 12,
    });
    expect(variation.plan).toMatchObject({
      key: done.plan?.key,
      tempo: done.plan?.tempo,
      style: 'jazz',
    });
    const midiOf = async (id: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/generations/${id}/audio?format=midi`,
          headers: { cookie: user.cookie },
        })
      ).rawPayload;
    expect((await midiOf(variation.id)).equals(await midiOf(created.id))).toBe(false);
    const stranger = await createUser(t, {
      email: `stranger-${kind}@example.com`,
      name: 'Stranger',
    });
    const stolen = await t.app.inject({
      method: 'POST',
      url: `/api/generations/${created.id}/variations`,
      headers: {
        cookie: stranger.cookie,
        'x-csrf-token': stranger.csrfToken,
        'content-type': 'application/json',
      },
      payload: {},
    });
    expect(stolen.statusCode).toBe(404);

    // The user reads which field is wrong, in words of the catalogue; the API names it too.
    for (const [fields, message] of [
      [{ style: 'polka' }, /“style”/],
      [{ instrument: 'kazoo' }, /instrument “kazoo”/],
      [{ tempo: '500' }, /“tempoBpm”/],
      [{ mood: 'furious' }, /“mood”/],
      [{ key: 'H' }, /“key”/],
      [{ mode: 'dorian' }, /“mode”/],
    ] as const) {
      const bad = await submit(user, { seconds: '10', ...fields }, photo);
      expect(bad.statusCode, bad.body).toBe(400);
      const { error } = bad.json<{ error: { code: string; reason: string; message: string } }>();
      expect(error.code).toBe('validation_failed');
      expect(['control_invalid', 'instrument_unknown']).toContain(error.reason);
      expect(error.message).toMatch(message);
    }
  });

  it('pushes each stage as a server-sent event until the piece is done', async () => {
    const user = await createUser(t, { email: `events-${kind}@example.com`, name: 'Events' });
    const res = await submit(user, { seconds: '10', seed: '8' }, photo);
    expect(res.statusCode).toBe(202);
    const { id } = res.json<GenerationView>();
    const other = await createUser(t, { email: `events-other-${kind}@example.com`, name: 'Other' });
    const denied = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${id}/events`,
      headers: { cookie: other.cookie },
    });
    expect(denied.statusCode).toBe(404);
    // The stream ends by itself when the generation finishes, so inject returns it whole.
    const stream = await t.app.inject({
      method: 'GET',
      url: `/api/generations/${id}/events`,
      headers: { cookie: user.cookie },
    });
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = stream.body
      .split('\n\n')
      .filter((chunk) => chunk.startsWith('event: generation'))
      .map((chunk) => JSON.parse(chunk.split('\ndata: ')[1] ?? '{}') as GenerationView);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)?.status).toBe('done');
    const stages = events.map((e) => e.stage);
    expect(new Set(stages).size).toBe(stages.length); // one event per change, no repeats
  });

  it("never shows one user's generation to another", async () => {
    const alice = await createUser(t, { email: `alice-${kind}@example.com`, name: 'Alice' });
    const bob = await createUser(t, { email: `bob-${kind}@example.com`, name: 'Bob' });
    const res = await submit(alice, { seconds: '10', seed: '1' }, photo);
    expect(res.statusCode).toBe(202);
    const { id } = res.json<GenerationView>();

    for (const url of [
      `/api/generations/${id}`,
      `/api/generations/${id}/audio`,
      `/api/generations/${id}/stems`,
    ]) {
      const asBob = await t.app.inject({ method: 'GET', url, headers: { cookie: bob.cookie } });
      expect(asBob.statusCode).toBe(404);
      const anonymous = await t.app.inject({ method: 'GET', url });
      expect(anonymous.statusCode).toBe(401);
    }
    const bobsList = await t.app.inject({
      method: 'GET',
      url: '/api/generations',
      headers: { cookie: bob.cookie },
    });
    expect(bobsList.json<{ generations: unknown[] }>().generations).toEqual([]);
    await waitUntilFinished(alice, id);
  });

  it('refuses hostile or wrong uploads with a clear 4xx and stores nothing', async () => {
    const user = await createUser(t, { email: `mallory-${kind}@example.com`, name: 'Mallory' });
    const before = await blobFiles();
    const truncated = photo.subarray(0, 5000);
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    const bomb = await (
      await import('sharp')
    )
      .default({
        create: { width: 12_000, height: 12_000, channels: 3, background: 'white' },
      })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const cases: Array<[Uint8Array, number, string]> = [
      [truncated, 422, 'unprocessable_image'],
      [svg, 415, 'unsupported_media_type'],
      [bomb, 413, 'payload_too_large'],
      [Buffer.alloc(t.config.uploads.maxBytes + 10, 0xff), 413, 'payload_too_large'],
    ];
    for (const [bytes, status, code] of cases) {
      const res = await submit(user, { seconds: '10' }, bytes);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code,
      });
    }
    const badSeconds = await submit(
      user,
      { seconds: '9999' },
      await solidImage({ r: 10, g: 20, b: 30 }, 'jpeg'),
    );
    expect(badSeconds.statusCode).toBe(400);
    const notMultipart = await t.app.inject({
      method: 'POST',
      url: '/api/generations',
      payload: { image: 'x' },
      headers: { cookie: user.cookie, 'x-csrf-token': user.csrfToken },
    });
    expect(notMultipart.statusCode).toBe(415);
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/generations',
      payload: '--xyz\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\nabc',
      headers: {
        cookie: user.cookie,
        'x-csrf-token': user.csrfToken,
        'content-type': 'multipart/form-data; boundary=xyz',
      },
    });
    expect(malformed.statusCode).toBeGreaterThanOrEqual(400);
    expect(malformed.statusCode).toBeLessThan(500);

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/generations',
      headers: { cookie: user.cookie },
    });
    expect(list.json<{ generations: unknown[] }>().generations).toEqual([]);
    expect(await blobFiles()).toEqual(before);
  });

  it('requires the CSRF token for uploads', async () => {
    const user = await createUser(t, { email: `csrf-${kind}@example.com`, name: 'Csrf' });
    const res = await submit(user, { seconds: '10' }, photo, { 'x-csrf-token': 'forged' });
    expect(res.statusCode).toBe(403);
  });

  it('turns a double click with one idempotency key into one generation', async () => {
    const user = await createUser(t, { email: `double-${kind}@example.com`, name: 'Double' });
    const headers = { 'idempotency-key': `click-${kind}` };
    const [a, b] = await Promise.all([
      submit(user, { seconds: '10', seed: '3' }, photo, headers),
      submit(user, { seconds: '10', seed: '3' }, photo, headers),
    ]);
    expect(a?.statusCode).toBe(202);
    expect(b?.statusCode).toBe(202);
    expect(a?.json<GenerationView>().id).toBe(b?.json<GenerationView>().id);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/generations',
      headers: { cookie: user.cookie },
    });
    expect(list.json<{ generations: unknown[] }>().generations).toHaveLength(1);
    await waitUntilFinished(user, a?.json<GenerationView>().id ?? '');
  });

  it('keeps idempotency keys to the request they were first used for (upload or variation)', async () => {
    const user = await t.signIn({ email: `keys-${kind}@example.com`, name: 'Keys' });
    const upload = await submit(user, { seconds: '10', seed: '4' }, photo, {
      'idempotency-key': `upload-${kind}`,
    });
    expect(upload.statusCode, upload.body).toBe(202);
    const original = await waitUntilFinished(user, upload.json<GenerationView>().id);
    const vary = (key: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/generations/${original.id}/variations`,
        headers: {
          cookie: user.cookie,
          'x-csrf-token': user.csrfToken,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        payload: { seed: 8 },
      });
    // The upload's key on a variation: refused, not answered with the upload.
    const crossed = await vary(`upload-${kind}`);
    expect(crossed.statusCode, crossed.body).toBe(409);
    expect(crossed.json<{ error: { code: string } }>().error.code).toBe('conflict');
    const first = await vary(`vary-${kind}`);
    expect(first.statusCode, first.body).toBe(202);
    const again = await vary(`vary-${kind}`);
    expect(again.json<GenerationView>().id).toBe(first.json<GenerationView>().id);
    // And the variation's key on an upload.
    const back = await submit(user, { seconds: '10' }, photo, {
      'idempotency-key': `vary-${kind}`,
    });
    expect(back.statusCode, back.body).toBe(409);
    await waitUntilFinished(user, first.json<GenerationView>().id);
  });

  it('answers 401 session_expired once the session has run out', async () => {
    const user = await createUser(t, { email: `late-${kind}@example.com`, name: 'Late' });
    clock.advance((t.config.sessions.ttlHours + 1) * HOUR_MS);
    try {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { cookie: user.cookie },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('session_expired');
      const again = await t.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { cookie: user.cookie },
      });
      expect(again.json<{ error: { code: string } }>().error.code).toBe('unauthenticated');
    } finally {
      clock.advance(-(t.config.sessions.ttlHours + 1) * HOUR_MS);
    }
  });

  it('signs out, and the old cookie no longer works', async () => {
    const user = await createUser(t, { email: `bye-${kind}@example.com`, name: 'Bye' });
    const out = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { cookie: user.cookie, 'x-csrf-token': user.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: user.cookie },
    });
    expect(me.statusCode).toBe(401);
  });

  it('rejects a callback whose state does not match the browser', async () => {
    const login = await t.app.inject({ method: 'GET', url: '/auth/login' });
    const res = await t.app.inject({
      method: 'GET',
      url: '/auth/callback?code=abc&state=forged',
      headers: { cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(res.statusCode).toBe(401);
  });
});
