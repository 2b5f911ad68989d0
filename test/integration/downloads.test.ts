import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataKey, seal } from '../../src/adapters/crypto/envelope.js';
import { requireUserKey } from '../../src/modules/accounts/user-keys.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { outputKey } from '../../src/modules/generations/output-files.js';
import { createUser } from '../support/factories.js';
import { testPhoto } from '../support/images.js';
import {
  startTestApp,
  submitImage,
  waitFor,
  waitForFinished,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

const paintedSky = await testPhoto('painted-sky');

/*
 * Every downloadable file answers HTTP Range (review 2026-12, D11: the player could not seek):
 * one byte range → 206 with Content-Range, outside the file → 416, Accept-Ranges always. The
 * bytes come from the real engine's files through the encrypted store, read chunk by chunk.
 */
describe('downloads with HTTP Range (PGlite)', () => {
  let t: TestApp;
  let user: SignedInUser;
  let id: string;
  let whole: Buffer;

  beforeAll(async () => {
    t = await startTestApp({ database: 'pglite' });
    user = await createUser(t, { email: 'ranges@example.com', name: 'Ranges' });
    const res = await submitImage(t, user, { seconds: '20', seed: '3' }, paintedSky);
    expect(res.statusCode).toBe(202);
    id = res.json<GenerationView>().id;
    expect((await waitForFinished(t, user, id)).status).toBe('done');
    const full = await audio();
    expect(full.statusCode).toBe(200);
    whole = full.rawPayload;
  });
  afterAll(async () => {
    await t.close();
  });

  const audio = (headers: Record<string, string> = {}, format = 'mp3') =>
    t.app.inject({
      method: 'GET',
      url: `/api/generations/${id}/audio?format=${format}`,
      headers: { cookie: user.cookie, ...headers },
    });

  it('answers the whole file with Accept-Ranges and its length', async () => {
    const res = await audio();
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['content-type']).toBe('audio/mpeg');
    expect(Number(res.headers['content-length'])).toBe(whole.length);
    expect(whole.length).toBeGreaterThan(200_000); // several 64 KiB chunks
    expect(whole.subarray(0, 3).toString('latin1')).toBe('ID3');
  });

  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=65530-65545', 65_530, 65_545], // across a chunk boundary
    ['bytes=100000-', 100_000, -1],
    ['bytes=-500', -500, -1],
  ])('answers %s with 206 and exactly those bytes', async (range, from, to) => {
    const start = from < 0 ? whole.length + from : from;
    const end = to < 0 ? whole.length - 1 : to;
    const res = await audio({ range });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${whole.length}`);
    expect(Number(res.headers['content-length'])).toBe(end - start + 1);
    expect(res.rawPayload.equals(whole.subarray(start, end + 1))).toBe(true);
  });

  it('answers a range beyond the end with 416 and the size, as a JSON error', async () => {
    const res = await audio({ range: `bytes=${whole.length}-` });
    expect(res.statusCode).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${whole.length}`);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('range_not_satisfiable');
  });

  it('sends the whole file for several ranges, another unit or a malformed header', async () => {
    for (const range of ['bytes=0-1,10-11', 'items=0-5', 'bytes=abc']) {
      const res = await audio({ range });
      expect(res.statusCode, range).toBe(200);
      expect(res.rawPayload.equals(whole), range).toBe(true);
    }
  });

  it('serves ranges of the WAV and MIDI files too', async () => {
    for (const [format, magic] of [
      ['wav', 'RIFF'],
      ['midi', 'MThd'],
    ] as const) {
      const res = await audio({ range: 'bytes=0-3' }, format);
      expect(res.statusCode, format).toBe(206);
      expect(res.rawPayload.toString('latin1'), format).toBe(magic);
    }
  });

  it('serves ranges of the stems ZIP', async () => {
    const stems = (headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'GET',
        url: `/api/generations/${id}/stems`,
        headers: { cookie: user.cookie, ...headers },
      });
    const full = await stems();
    expect(full.statusCode).toBe(200);
    expect(full.headers['accept-ranges']).toBe('bytes');
    const tail = await stems({ range: 'bytes=-22' }); // the ZIP's end-of-central-directory record
    expect(tail.statusCode).toBe(206);
    expect(tail.headers['content-range']).toBe(
      `bytes ${full.rawPayload.length - 22}-${full.rawPayload.length - 1}/${full.rawPayload.length}`,
    );
    expect(tail.rawPayload.equals(full.rawPayload.subarray(-22))).toBe(true);
    expect(tail.rawPayload.subarray(0, 4).toString('latin1')).toBe('PK\x05\x06');
  });

  it('still serves (and seeks in) a file stored whole, before chunked encryption', async () => {
    // Rewrite the MIDI file in the earlier single-shot layout, as files already stored are.
    const row = await t.runtime.database.db
      .selectFrom('generations')
      .select(['output_object'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const objectKey = outputKey(row.output_object ?? '', 'midi');
    const midi = (await audio({}, 'midi')).rawPayload;
    const userKey = await requireUserKey(t.runtime.database.db, t.runtime.masterKey, user.userId);
    const objectDataKey = newDataKey();
    const wrapped = seal(userKey, objectDataKey, `object-key:${objectKey}`);
    const header = Buffer.alloc(2);
    header.writeUInt16BE(wrapped.length);
    await t.runtime.vault.store.put(
      objectKey,
      Buffer.concat([header, wrapped, seal(objectDataKey, midi, `object:${objectKey}`)]),
    );
    const res = await audio({ range: 'bytes=4-9' }, 'midi');
    expect(res.statusCode).toBe(206);
    expect(res.rawPayload.equals(midi.subarray(4, 10))).toBe(true);
    expect((await audio({}, 'midi')).rawPayload.equals(midi)).toBe(true);
  });

  it('serves ranges of the data export ZIP', async () => {
    const requested = await t.app.inject({
      method: 'POST',
      url: '/api/account/exports',
      headers: { cookie: user.cookie, 'x-csrf-token': user.csrfToken },
    });
    expect(requested.statusCode).toBe(202);
    const exportId = requested.json<{ id: string }>().id;
    await waitFor(async () => {
      const view = (
        await t.app.inject({
          url: `/api/account/exports/${exportId}`,
          headers: { cookie: user.cookie },
        })
      ).json<{ status: string }>();
      return view.status === 'ready' ? true : undefined;
    });
    const url = `/api/account/exports/${exportId}/download`;
    const zip = await t.app.inject({ url, headers: { cookie: user.cookie } });
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['accept-ranges']).toBe('bytes');
    const head = await t.app.inject({ url, headers: { cookie: user.cookie, range: 'bytes=0-1' } });
    expect(head.statusCode).toBe(206);
    expect(head.rawPayload.toString('latin1')).toBe('PK');
    const tail = await t.app.inject({ url, headers: { cookie: user.cookie, range: 'bytes=-22' } });
    expect(tail.statusCode).toBe(206);
    expect(tail.rawPayload.equals(zip.rawPayload.subarray(-22))).toBe(true);
  });
});
