import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
// @ts-expect-error s3rver ships no types; the few calls used here are checked by the test.
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../src/adapters/storage/s3-blob-store.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { createUser } from '../support/factories.js';
import { testPhoto } from '../support/images.js';
import { multipartBody, startTestApp, waitFor } from '../support/test-app.js';

const nightRiver = await testPhoto('night-river');

interface S3Server {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

// A real S3-compatible server (s3rver) on loopback, with its files in a temporary folder.
describe('S3 blob storage', () => {
  let dir: string;
  let server: S3Server;
  let endpoint: string;
  const bucket = 'instune-test';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'instune-s3-'));
    server = new (S3rver as new (options: object) => S3Server)({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: bucket }],
    });
    const address = await server.run();
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function objectKeys(): Promise<string[]> {
    const entries = await readdir(path.join(dir, bucket), { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.endsWith('._S3rver_object'))
      .map((e) => path.relative(path.join(dir, bucket), path.join(e.parentPath, e.name)));
  }

  it('puts, gets, answers null for a missing object, and deletes', async () => {
    const store = new S3BlobStore({
      bucket,
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials,
    });
    try {
      const bytes = new Uint8Array([0, 1, 2, 255, 128]);
      await store.put('outputs/u1/g1-mp3', bytes);
      expect(Buffer.from((await store.get('outputs/u1/g1-mp3')) ?? [])).toEqual(Buffer.from(bytes));
      expect(await store.get('outputs/u1/missing')).toBeNull();
      await store.delete('outputs/u1/g1-mp3');
      expect(await store.get('outputs/u1/g1-mp3')).toBeNull();
      await store.delete('outputs/u1/never-was');
      await expect(store.put('../escape', bytes)).rejects.toThrow('invalid blob key');

      // Parts of an object, as Range downloads read them: a prefix and a streamed middle.
      const big = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
      await store.put('outputs/u1/big', big);
      expect((await store.getRange('outputs/u1/big', 0, 9))?.equals(big.subarray(0, 10))).toBe(
        true,
      );
      const stream = await store.getRangeStream('outputs/u1/big', 70_000, 140_000);
      const parts: Buffer[] = [];
      for await (const part of stream as AsyncIterable<Buffer>) parts.push(part);
      expect(Buffer.concat(parts).equals(big.subarray(70_000, 140_001))).toBe(true);
      expect(await store.getRange('outputs/u1/none', 0, 9)).toBeNull();
    } finally {
      store.close();
    }
  });

  it('runs a whole generation with S3 storage: ciphertext in the bucket, no files on disk', async () => {
    const t = await startTestApp({
      database: 'pglite',
      env: {
        S3_BUCKET: bucket,
        S3_ENDPOINT: endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
    });
    try {
      const user = await createUser(t, { email: 's3@example.com', name: 'S3' });
      const { payload, headers } = multipartBody(
        { seconds: '10', seed: '5' },
        {
          filename: 'p.jpg',
          contentType: 'image/jpeg',
          bytes: nightRiver,
        },
      );
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/generations',
        payload,
        headers: { ...headers, cookie: user.cookie, 'x-csrf-token': user.csrfToken },
      });
      expect(res.statusCode, res.body).toBe(202);
      const id = res.json<GenerationView>().id;
      const done = await waitFor(async () => {
        const view = (
          await t.app.inject({ url: `/api/generations/${id}`, headers: { cookie: user.cookie } })
        ).json<GenerationView>();
        return view.status === 'done' || view.status === 'failed' ? view : undefined;
      }, 90_000);
      expect(done.status).toBe('done');
      const audio = await t.app.inject({
        url: `/api/generations/${id}/audio`,
        headers: { cookie: user.cookie },
      });
      expect(audio.statusCode).toBe(200);
      expect(audio.rawPayload.length).toBeGreaterThan(10_000);
      // Seeking reads a part of the object from the bucket and decrypts only its chunks.
      const part = await t.app.inject({
        url: `/api/generations/${id}/audio`,
        headers: { cookie: user.cookie, range: 'bytes=70000-70099' },
      });
      expect(part.statusCode).toBe(206);
      expect(part.rawPayload.equals(audio.rawPayload.subarray(70_000, 70_100))).toBe(true);

      const keys = await objectKeys();
      // Outputs for this generation are in the bucket; the input was deleted after use.
      expect(keys.filter((k) => k.includes(id)).length).toBeGreaterThanOrEqual(3);
      expect(keys.filter((k) => k.startsWith('inputs/'))).toEqual([]);
      // The bucket holds only sealed bytes: no MP3, WAV or MIDI header, no AIGC label in clear.
      for (const key of keys.filter((k) => k.includes(id))) {
        const stored = await readFile(path.join(dir, bucket, key));
        expect(stored.includes('AIGC'), key).toBe(false);
        expect(['ID3', 'RIF', 'MTh'], key).not.toContain(stored.subarray(0, 3).toString('latin1'));
      }
      await expect(readdir(path.join(t.config.dataDir, 'blobs'))).rejects.toThrow();
    } finally {
      await t.close();
    }
  });
});
