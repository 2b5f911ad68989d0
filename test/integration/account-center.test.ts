import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecryptionError, openText } from '../../src/adapters/crypto/envelope.js';
import { FileBlobStore } from '../../src/adapters/storage/file-blob-store.js';
import { ObjectVault } from '../../src/adapters/storage/object-vault.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { AppError } from '../../src/lib/errors.js';
import { HOUR_MS, ManualClock } from '../../src/lib/clock.js';
import { unzipSync, strFromU8 } from 'fflate';
import { requireUserKey } from '../../src/modules/accounts/user-keys.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { audioFormats, outputKey } from '../../src/modules/generations/output-files.js';
import { createUser } from '../support/factories.js';
import { createTestDatabase, databaseKinds } from '../support/databases.js';
import { testPhoto } from '../support/images.js';
import {
  startTestApp,
  submitImage,
  waitFor,
  waitForFinished,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';
import { filesUnder, tableText } from '../support/stored-data.js';

const redBarn = await testPhoto('red-barn');

describe.each(databaseKinds)('account center on %s', (kind) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    t = await startTestApp({ database: kind, clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const csrf = (user: SignedInUser) => ({ cookie: user.cookie, 'x-csrf-token': user.csrfToken });
  const json = (user: SignedInUser) => ({
    cookie: user.cookie,
    'x-csrf-token': user.csrfToken,
    'content-type': 'application/json',
  });

  async function generate(user: SignedInUser, text: string): Promise<GenerationView> {
    const res = await submitImage(t, user, { seconds: '10', seed: '5', text }, redBarn);
    expect(res.statusCode, res.body).toBe(202);
    const view = await waitForFinished(t, user, res.json<GenerationView>().id, 90_000);
    expect(view.status).toBe('done');
    return view;
  }

  async function rawDatabaseText(): Promise<string> {
    const db = t.runtime.database.db;
    const tables = ['users', 'generations', 'sessions', 'keyring.user_keys'];
    return tableText(db, tables);
  }

  it('shows what is stored and why, and lets the user correct their name', async () => {
    const user = await createUser(t, { email: `see-${kind}@example.com`, name: 'Old Name' });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/account',
      headers: { cookie: user.cookie },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      account: { email: string; name: string };
      stored: Array<{ what: string; retention: string }>;
    }>();
    expect(body.account).toMatchObject({ email: `see-${kind}@example.com`, name: 'Old Name' });
    expect(body.stored.map((s) => s.retention).join(' ')).toContain('72 hours');

    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/account',
      headers: json(user),
      payload: { name: 'New Name 新名字' },
    });
    expect(patch.statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/account',
      headers: { cookie: user.cookie },
    });
    expect(after.json<{ account: { name: string } }>().account.name).toBe('New Name 新名字');
    const forged = await t.app.inject({
      method: 'PATCH',
      url: '/api/account',
      headers: { ...json(user), 'x-csrf-token': 'x' },
      payload: { name: 'Evil' },
    });
    expect(forged.statusCode).toBe(403);
  });

  it('deletes a single generation with its file', async () => {
    const user = await createUser(t, { email: `del-${kind}@example.com`, name: 'Del' });
    const done = await generate(user, 'barn');
    const row = await t.runtime.database.db
      .selectFrom('generations')
      .select('output_object')
      .where('id', '=', done.id)
      .executeTakeFirstOrThrow();
    const file = path.join(t.config.dataDir, 'blobs', outputKey(row.output_object ?? '', 'wav'));
    expect(existsSync(file)).toBe(true);
    const other = await createUser(t, { email: `del-other-${kind}@example.com`, name: 'Other' });
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/generations/${done.id}`,
          headers: csrf(other),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/generations/${done.id}`,
          headers: csrf(user),
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/generations/${done.id}`,
          headers: { cookie: user.cookie },
        })
      ).statusCode,
    ).toBe(404);
    expect(existsSync(file)).toBe(false);
  });

  it('keeps canaries out of the raw database, the blob store and the logs', async () => {
    const user = await t.signIn({
      email: `canary-mail-${kind}@example.com`,
      name: 'CANARY-NAME-93',
    });
    await generate(user, 'CANARY-TEXT-58 quiet morning');
    const dump = await rawDatabaseText();
    expect(dump).toContain(user.userId); // the dump really holds this user's rows
    for (const canary of ['CANARY-NAME-93', 'CANARY-TEXT-58', `canary-mail-${kind}`]) {
      expect(dump).not.toContain(canary);
      expect(t.logs.join('')).not.toContain(canary);
      for (const file of await filesUnder(path.join(t.config.dataDir, 'blobs'))) {
        expect((await readFile(file)).includes(Buffer.from(canary))).toBe(false);
      }
    }
  });

  it('cancels an account: sessions end, data is deleted, and a restored backup cannot be read', async () => {
    const user = await createUser(t, {
      email: `leaving-${kind}@example.com`,
      name: 'Leaving Person',
    });
    const done = await generate(user, 'goodbye');
    const db = t.runtime.database.db;

    // A backup of the user data (not the keyring, which is backed up separately and briefly).
    const backupUsers = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.userId)
      .execute();
    const backupGenerations = await db
      .selectFrom('generations')
      .selectAll()
      .where('user_id', '=', user.userId)
      .execute();
    const backupBlobs = await mkdtemp(path.join(tmpdir(), 'instune-backup-'));
    await cp(path.join(t.config.dataDir, 'blobs'), backupBlobs, { recursive: true });
    expect(backupGenerations[0]?.output_object).toBeTruthy();

    const wrongConfirm = await t.app.inject({
      method: 'POST',
      url: '/api/account/cancel',
      headers: json(user),
      payload: { confirm: 'yes' },
    });
    expect(wrongConfirm.statusCode).toBe(400);
    const cancel = await t.app.inject({
      method: 'POST',
      url: '/api/account/cancel',
      headers: json(user),
      payload: { confirm: 'cancel my account' },
    });
    expect(cancel.statusCode).toBe(202);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: user.cookie } }))
        .statusCode,
    ).toBe(401);

    await waitFor(async () =>
      (await db.selectFrom('users').select('id').where('id', '=', user.userId).executeTakeFirst())
        ? undefined
        : true,
    );
    expect(
      await db.selectFrom('generations').select('id').where('user_id', '=', user.userId).execute(),
    ).toEqual([]);
    expect(
      audioFormats.some((format) =>
        existsSync(
          path.join(
            t.config.dataDir,
            'blobs',
            outputKey(backupGenerations[0]?.output_object ?? '', format),
          ),
        ),
      ),
    ).toBe(false);

    // Restore the backup into a fresh instance that uses the live keyring and master key.
    const restoredDb = await createTestDatabase(kind);
    const restored = await openDatabase(restoredDb.config, t.runtime.log);
    try {
      await migrateToLatest(restored.db);
      await restored.db.insertInto('users').values(backupUsers).execute();
      await restored.db
        .insertInto('generations')
        .values(
          backupGenerations.map(({ attempts: _attempts, controls, ...g }) => ({
            ...g,
            controls: controls === null ? null : JSON.stringify(controls),
          })),
        )
        .execute();
      const liveKeys = await db.selectFrom('keyring.user_keys').selectAll().execute();
      if (liveKeys.length > 0)
        await restored.db.insertInto('keyring.user_keys').values(liveKeys).execute();

      const error = await requireUserKey(restored.db, t.runtime.masterKey, user.userId).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('gone');
      // No key that survives can open what the backup holds.
      const vault = new ObjectVault(new FileBlobStore(backupBlobs));
      const outputObject = outputKey(backupGenerations[0]?.output_object ?? '', 'mp3');
      for (const k of liveKeys) {
        const key = t.runtime.masterKey.unwrap(k.wrapped_key, `user:${k.user_id}`, k.master_key_id);
        await expect(vault.get(key, outputObject)).rejects.toThrow(DecryptionError);
      }
      expect(backupUsers[0]?.name_enc ?? null).not.toBeNull();
      for (const k of liveKeys) {
        const key = t.runtime.masterKey.unwrap(k.wrapped_key, `user:${k.user_id}`, k.master_key_id);
        expect(() =>
          openText(key, backupUsers[0]?.name_enc ?? new Uint8Array(), `user:${user.userId}:name`),
        ).toThrow(DecryptionError);
      }
    } finally {
      await restored.close();
      await restoredDb.drop();
    }

    // Signing in again starts a new, empty account.
    const again = await t.signIn({ email: `leaving-${kind}@example.com`, name: 'Leaving Person' });
    expect(again.userId).not.toBe(user.userId);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/generations',
      headers: { cookie: again.cookie },
    });
    expect(list.json<{ generations: unknown[] }>().generations).toEqual([]);
    expect(done.id).toBeTruthy();
  });

  it('files a complaint as a ticket due in 15 business days, with its text encrypted', async () => {
    const user = await createUser(t, { email: `complain-${kind}@example.com`, name: 'Complainer' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/account/requests',
      headers: json(user),
      payload: { kind: 'complaint', message: 'CANARY-COMPLAINT-71 please explain' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const ticket = res.json<{ id: string; status: string; dueAt: string; dueDate: string }>();
    expect(ticket.status).toBe('open');
    const days = (new Date(ticket.dueAt).getTime() - clock.now().getTime()) / (24 * HOUR_MS);
    expect(days).toBeGreaterThanOrEqual(15); // 15 business days are at least 15 calendar days
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/account/requests',
      headers: { cookie: user.cookie },
    });
    expect(
      list.json<{ requests: Array<{ id: string; message: string }> }>().requests[0],
    ).toMatchObject({
      id: ticket.id,
      message: 'CANARY-COMPLAINT-71 please explain',
    });
    expect(await rawDatabaseText()).not.toContain('CANARY-COMPLAINT-71');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/account/requests',
      headers: json(user),
      payload: { kind: 'bribe' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('exports the account as a ZIP of JSON and music whose link expires', async () => {
    const user = await createUser(t, {
      email: `export-${kind}@example.com`,
      name: 'Exporter 导出',
    });
    const done = await generate(user, 'export me');
    const consent = await t.app.inject({
      method: 'POST',
      url: '/api/account/consent',
      headers: json(user),
      payload: { analytics: true },
    });
    expect(consent.statusCode, consent.body).toBeLessThan(300);
    const [first, second] = await Promise.all([
      t.app.inject({ method: 'POST', url: '/api/account/exports', headers: csrf(user) }),
      t.app.inject({ method: 'POST', url: '/api/account/exports', headers: csrf(user) }),
    ]);
    expect(first?.statusCode).toBe(202);
    const exportId = first?.json<{ id: string }>().id ?? '';
    expect(second?.json<{ id: string }>().id).toBe(exportId);
    await waitFor(async () => {
      const view = await t.app.inject({
        method: 'GET',
        url: `/api/account/exports/${exportId}`,
        headers: { cookie: user.cookie },
      });
      return view.json<{ status: string }>().status === 'ready' ? true : undefined;
    });
    const download = await t.app.inject({
      method: 'GET',
      url: `/api/account/exports/${exportId}/download`,
      headers: { cookie: user.cookie },
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(download.rawPayload));
    const account = JSON.parse(strFromU8(files['account.json'] ?? new Uint8Array())) as {
      email: string;
      name: string;
    };
    expect(account).toMatchObject({ email: `export-${kind}@example.com`, name: 'Exporter 导出' });
    const generations = JSON.parse(
      strFromU8(files['generations.json'] ?? new Uint8Array()),
    ) as Array<{ id: string; plan: unknown; musicFile: string }>;
    expect(generations.find((g) => g.id === done.id)).toMatchObject({
      musicFile: `music/${done.id}.mp3`,
    });
    expect(files[`music/${done.id}.mp3`]?.length).toBeGreaterThan(50_000);
    // WAV and MIDI as well as MP3, and the settings the piece was made with.
    expect(files[`music/${done.id}.wav`]?.length).toBeGreaterThan(100_000);
    expect(strFromU8(files[`music/${done.id}.mid`] ?? new Uint8Array()).slice(0, 4)).toBe('MThd');
    const exported = generations.find((g) => g.id === done.id) as unknown as {
      settings: { seconds: number; seed: number };
      musicFiles: Record<string, string>;
    };
    expect(exported.settings).toMatchObject({ seconds: done.seconds, seed: done.seed });
    expect(exported.musicFiles).toEqual({
      mp3: `music/${done.id}.mp3`,
      wav: `music/${done.id}.wav`,
      midi: `music/${done.id}.mid`,
    });
    // Credits: the free grant and the spending on this generation, and the purchase list.
    const credits = JSON.parse(strFromU8(files['credits.json'] ?? new Uint8Array())) as {
      balance: number;
      entries: Array<{ kind: string; amount: number; generation_id: string | null }>;
      purchases: unknown[];
    };
    expect(credits.entries.map((e) => e.kind)).toContain('grant');
    expect(credits.entries.some((e) => e.generation_id === done.id && e.amount < 0)).toBe(true);
    expect(credits.entries.reduce((sum, e) => sum + e.amount, 0)).toBe(credits.balance);
    expect(Array.isArray(credits.purchases)).toBe(true);
    // Consent and policy acceptances, and when the user signed in.
    const consentFile = JSON.parse(strFromU8(files['consent.json'] ?? new Uint8Array())) as {
      cookieChoices: Array<{ purpose: string; decision: string }>;
      policyAcceptances: Array<{ version: string }>;
    };
    expect(consentFile.cookieChoices.some((c) => c.purpose === 'analytics')).toBe(true);
    expect(consentFile.policyAcceptances.length).toBeGreaterThan(0);
    const signIns = JSON.parse(strFromU8(files['sign-ins.json'] ?? new Uint8Array())) as {
      lastLoginAt: string;
      sessions: Array<{ createdAt: string }>;
    };
    expect(Date.parse(signIns.lastLoginAt)).not.toBeNaN();
    expect(signIns.sessions.length).toBeGreaterThan(0);
    // The manifest names a schema version and checks every other file; the README is EN and ZH.
    const manifest = JSON.parse(strFromU8(files['manifest.json'] ?? new Uint8Array())) as {
      schemaVersion: number;
      files: Array<{ path: string; bytes: number; sha256: string }>;
    };
    expect(manifest.schemaVersion).toBe(2);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      Object.keys(files)
        .filter((name) => name !== 'manifest.json')
        .sort(),
    );
    for (const f of manifest.files) {
      const bytes = files[f.path] ?? new Uint8Array();
      expect(f.bytes).toBe(bytes.length);
      expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const readme = strFromU8(files['README.txt'] ?? new Uint8Array());
    for (const name of Object.keys(files).filter((n) => !n.startsWith('music/'))) {
      if (name !== 'README.txt') expect(readme, name).toContain(name);
    }
    expect(readme).toContain('What is not inside');
    expect(readme).toContain('不包含的内容');
    const requests = JSON.parse(strFromU8(files['requests.json'] ?? new Uint8Array())) as Array<{
      kind: string;
    }>;
    expect(requests.map((r) => r.kind)).toContain('export');
    expect(files['stored-data.json']).toBeDefined();

    const other = await createUser(t, { email: `export-other-${kind}@example.com`, name: 'Other' });
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/account/exports/${exportId}/download`,
          headers: { cookie: other.cookie },
        })
      ).statusCode,
    ).toBe(404);

    clock.advance(24 * HOUR_MS + 1000);
    try {
      const late = await t.app.inject({
        method: 'GET',
        url: `/api/account/exports/${exportId}/download`,
        headers: { cookie: user.cookie },
      });
      expect(late.statusCode).toBe(410);
    } finally {
      clock.advance(-(24 * HOUR_MS + 1000));
    }
  });
});
