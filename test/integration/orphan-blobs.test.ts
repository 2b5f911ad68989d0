import { randomUUID } from 'node:crypto';
import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOrphanBlobsJobName } from '../../src/jobs/sweep-orphan-blobs.job.js';
import { HOUR_MS, ManualClock } from '../../src/lib/clock.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { audioFormats, outputKey } from '../../src/modules/generations/output-files.js';
import { FileBlobStore } from '../../src/adapters/storage/file-blob-store.js';
import {
  findOrphanBlobs,
  sweepStoreLeftovers,
} from '../../src/modules/privacy/orphan-blobs.service.js';
import { z } from 'zod';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
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
 * Files no row owns (review 2026-12, D3: a crash between a commit and the file deletion after
 * it left music and photos on disk for ever) are found by a periodic sweep that walks the store
 * in batches, and deleted; files still owned, fresh files and keys of unknown layout stay.
 */
describe.each(databaseKinds)('the orphan blob sweep on %s', (kind) => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let user: SignedInUser;
  let done: string;

  beforeAll(async () => {
    t = await startTestApp({ database: kind, clock });
    user = await createUser(t, { email: `orphans-${kind}@example.com`, name: 'Orphans' });
    const res = await submitImage(t, user, { seconds: '10' }, paintedSky);
    done = res.json<GenerationView>().id;
    expect((await waitForFinished(t, user, done)).status).toBe('done');
  });
  afterAll(async () => {
    await t.close();
  });

  const sweepDeps = () => ({ db: t.runtime.database.db, vault: t.runtime.vault, clock });
  const stored = async (key: string) => (await t.runtime.vault.store.stat(key)) !== null;
  const plant = (key: string) => t.runtime.vault.store.put(key, Buffer.from('sealed bytes'));

  it('deletes files no row owns once they are older than the grace period, and keeps the rest', async () => {
    const owned = audioFormats.map((f) => outputKey(`outputs/${user.userId}/${done}`, f));
    for (const key of owned) expect(await stored(key), key).toBe(true);

    // A failed generation whose output files survived (its columns say it has none).
    const failed = randomUUID();
    const orphans = [
      `inputs/${user.userId}/${randomUUID()}`,
      ...audioFormats.map((f) => outputKey(`outputs/${user.userId}/${failed}`, f)),
      `outputs/${user.userId}/${randomUUID()}/mp3`,
      `exports/${user.userId}/${randomUUID()}`,
    ];
    for (const key of orphans) await plant(key);
    const unknown = 'elsewhere/not-ours';
    await plant(unknown);

    // Fresh files are never judged: they may belong to a commit that is about to happen.
    expect((await findOrphanBlobs(sweepDeps())).orphans).toEqual([]);

    clock.advance(2 * HOUR_MS);
    // The walk goes in batches and resumes where it stopped; a few small batches see it all.
    const seen = new Set<string>();
    for (let i = 0; i < 10; i += 1) {
      for (const key of (await findOrphanBlobs(sweepDeps(), 2)).orphans) seen.add(key);
    }
    expect([...seen].sort()).toEqual([...orphans].sort());

    // Through the scheduled job and one delete job per orphan, from the start of the walk.
    await t.runtime.database.db.deleteFrom('sweep_cursors').execute();
    await t.runtime.queue.enqueue(
      { name: sweepOrphanBlobsJobName, payload: z.object({}).passthrough() },
      {},
    );
    await waitFor(async () => {
      for (const key of orphans) if (await stored(key)) return undefined;
      return true;
    }, 30_000);
    for (const key of owned) expect(await stored(key), key).toBe(true);
    expect(await stored(unknown)).toBe(true);
    const audio = await t.app.inject({
      url: `/api/generations/${done}/audio`,
      headers: { cookie: user.cookie },
    });
    expect(audio.statusCode).toBe(200);
  });

  it('clears partial files of interrupted writes and empty folders once they are old, nothing else', async () => {
    const store = t.runtime.vault.store;
    if (!(store instanceof FileBlobStore)) throw new Error('expected the file store');
    const folder = path.join(store.root, 'outputs', user.userId, randomUUID());
    await mkdir(folder, { recursive: true });
    const partial = path.join(folder, 'mp3.0123456789ab.tmp');
    await writeFile(partial, 'half a write');
    const emptyUser = path.join(store.root, 'inputs', randomUUID());
    await mkdir(emptyUser, { recursive: true });
    const owned = outputKey(`outputs/${user.userId}/${done}`, 'mp3');
    const exists = (file: string) =>
      stat(file).then(
        () => true,
        () => false,
      );

    // Fresh leftovers (by this test's clock) may be a write under way: kept. Folders the first
    // test's deletions emptied are old already and may go now.
    const fresh = clock.now();
    for (const file of [partial, folder, emptyUser]) await utimes(file, fresh, fresh);
    await t.runtime.database.db.deleteFrom('sweep_cursors').execute();
    expect((await sweepStoreLeftovers(sweepDeps())).partialFiles).toBe(0);
    for (const file of [partial, folder, emptyUser]) expect(await exists(file), file).toBe(true);

    clock.advance(2 * HOUR_MS);
    // Through the scheduled job: a store this small is walked to its end in one batch.
    await t.runtime.queue.enqueue(
      { name: sweepOrphanBlobsJobName, payload: z.object({}).passthrough() },
      {},
    );
    await waitFor(
      async () =>
        !(await exists(partial)) && !(await exists(folder)) && !(await exists(emptyUser))
          ? true
          : undefined,
      30_000,
    );
    expect(await stored(owned)).toBe(true);
    // A write into a folder the sweep just removed still lands.
    await t.runtime.vault.store.put(`outputs/${user.userId}/${randomUUID()}/wav`, Buffer.from('x'));
  });
});
