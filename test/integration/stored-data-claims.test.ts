import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecryptionError } from '../../src/adapters/crypto/envelope.js';
import { FileBlobStore } from '../../src/adapters/storage/file-blob-store.js';
import { ObjectVault } from '../../src/adapters/storage/object-vault.js';
import { openDatabase } from '../../src/db/database.js';
import { openField } from '../../src/db/encrypted-columns.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { ManualClock } from '../../src/lib/clock.js';
import { userKeyLabel } from '../../src/db/encrypted-columns.js';
import { requireUserKey } from '../../src/modules/accounts/user-keys.js';
import {
  adjustCredits,
  openCreditNote,
  sealPlaintextCreditNotes,
} from '../../src/modules/credits/credits.service.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { storedColumns } from '../../src/modules/privacy/data-inventory.js';
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

const seaside = await testPhoto('red-barn');

/** Every table the data inventory classifies, as `schema.table` for SQL. */
const tables = Object.keys(storedColumns);
const backedUpTables = tables.filter((name) => !name.startsWith('keyring.'));

describe.each(databaseKinds)('what the policy says is encrypted, checked on %s', (kind) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    t = await startTestApp({ database: kind, clock });
  });
  afterAll(async () => {
    await t.close();
  });
  const db = () => t.runtime.database.db;
  const json = (user: SignedInUser) => ({
    cookie: user.cookie,
    'x-csrf-token': user.csrfToken,
    'content-type': 'application/json',
  });

  it('classifies every column of every table, and every encrypted column holds bytes', async () => {
    const columns = await sql<{
      table_schema: string;
      table_name: string;
      column_name: string;
      data_type: string;
    }>`
      select table_schema, table_name, column_name, data_type from information_schema.columns
      where table_schema in ('public', 'keyring') and table_name not like 'schema_migrations%'
    `.execute(db());
    const actual: Record<string, Record<string, string>> = {};
    for (const c of columns.rows) {
      const name = c.table_schema === 'public' ? c.table_name : `${c.table_schema}.${c.table_name}`;
      (actual[name] ??= {})[c.column_name] = c.data_type;
    }
    // Same tables, same columns: a new column or table fails here until it is classified.
    expect(Object.keys(actual).sort()).toEqual(tables.slice().sort());
    for (const [table, cols] of Object.entries(storedColumns)) {
      expect(Object.keys(actual[table] ?? {}).sort(), table).toEqual(Object.keys(cols).sort());
      for (const [column, protection] of Object.entries(cols)) {
        if (protection === 'encrypted')
          expect(actual[table]?.[column], `${table}.${column}`).toBe('bytea');
      }
    }
  });

  it('keeps canaries out of every table in clear, reads them back through the service, and a backup restored after cancellation reads nothing of them', async () => {
    const canary = {
      email: `canary-mail-q7z-${kind}@example.com`,
      name: 'CANARYNAME Q7Z',
      text: 'CANARYDESC Q7Z a calm morning by the sea',
      complaint: 'CANARYCOMPLAINT Q7Z please answer',
      note: 'CANARYNOTE Q7Z goodwill after a complaint',
    };
    const user = await createUser(t, { email: canary.email, name: canary.name });
    const submit = await submitImage(
      t,
      user,
      { seconds: '10', seed: '7', text: canary.text },
      seaside,
    );
    expect(submit.statusCode, submit.body).toBe(202);
    const generationId = submit.json<GenerationView>().id;
    const finished = await waitForFinished(t, user, generationId, 120_000);
    expect(finished.status).toBe('done');
    const complaint = await t.app.inject({
      method: 'POST',
      url: '/api/account/requests',
      headers: json(user),
      payload: { kind: 'complaint', message: canary.complaint },
    });
    expect(complaint.statusCode, complaint.body).toBe(201);
    await adjustCredits({ db: db(), masterKey: t.runtime.masterKey }, clock.now(), {
      userId: user.userId,
      amount: 2,
      key: `goodwill-${user.userId}`,
      reason: canary.note,
    });
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/account/exports',
      headers: { cookie: user.cookie, 'x-csrf-token': user.csrfToken },
    });
    expect(started.statusCode, started.body).toBe(202);
    const exportId = started.json<{ id: string }>().id;
    await waitFor(async () => {
      const view = await t.app.inject({
        method: 'GET',
        url: `/api/account/exports/${exportId}`,
        headers: { cookie: user.cookie },
      });
      return view.json<{ status: string }>().status === 'ready' ? true : undefined;
    }, 90_000);

    // The service reads every canary back (so each was stored)...
    const account = await t.app.inject({
      method: 'GET',
      url: '/api/account',
      headers: { cookie: user.cookie },
    });
    expect(account.body).toContain(canary.name);
    const zip = await t.app.inject({
      method: 'GET',
      url: `/api/account/exports/${exportId}/download`,
      headers: { cookie: user.cookie },
    });
    expect(zip.statusCode).toBe(200);
    const files = unzipSync(new Uint8Array(zip.rawPayload));
    expect(strFromU8(files['credits.json'] ?? new Uint8Array())).toContain(canary.note);
    expect(strFromU8(files['requests.json'] ?? new Uint8Array())).toContain(canary.complaint);
    expect(strFromU8(files['account.json'] ?? new Uint8Array())).toContain(canary.email);

    // ...yet no table holds any of them in clear.
    const everything = await tableText(db(), tables);
    for (const value of Object.values(canary)) expect(everything).not.toContain(value);
    if (kind === 'pglite') {
      // The raw data files too (tables, indexes and the write-ahead log).
      await sql`checkpoint`.execute(db());
      const dbDir = t.config.database.kind === 'pglite' ? t.config.database.dataDir : '';
      let hits = 0;
      for (const file of await filesUnder(dbDir)) {
        const bytes = await readFile(file);
        for (const value of Object.values(canary)) if (bytes.includes(value)) hits += 1;
      }
      expect(hits).toBe(0);
    }

    // A logical backup of every table but the keyring (backed up apart, briefly), and the blobs.
    const backup: Record<string, unknown> = {};
    for (const name of backedUpTables) {
      const rows = await sql<{
        rows: unknown;
      }>`select coalesce(json_agg(t), '[]'::json) as rows from ${sql.table(name)} t`.execute(db());
      backup[name] = rows.rows[0]?.rows;
    }
    const backupBlobs = await mkdtemp(path.join(tmpdir(), 'instune-backup-'));
    try {
      await cp(path.join(t.config.dataDir, 'blobs'), backupBlobs, { recursive: true });
      const exportRow = await db()
        .selectFrom('data_exports')
        .select('object_key')
        .where('id', '=', exportId)
        .executeTakeFirstOrThrow();
      expect(exportRow.object_key).toBeTruthy();

      const cancel = await t.app.inject({
        method: 'POST',
        url: '/api/account/cancel',
        headers: json(user),
        payload: { confirm: 'cancel my account' },
      });
      expect(cancel.statusCode).toBe(202);
      await waitFor(async () =>
        (await db()
          .selectFrom('users')
          .select('id')
          .where('id', '=', user.userId)
          .executeTakeFirst())
          ? undefined
          : true,
      );

      // Nothing left in the live database names the user: every row is gone or unlinked.
      expect(await tableText(db(), tables)).not.toContain(user.userId);
      const tickets = await db()
        .selectFrom('rights_requests')
        .selectAll()
        .where('id', '=', complaint.json<{ id: string }>().id)
        .execute();
      expect(tickets).toMatchObject([{ user_id: null, message_enc: null, kind: 'complaint' }]);
      // No file of theirs is left, the export ZIP included.
      const liveFiles = await filesUnder(path.join(t.config.dataDir, 'blobs'));
      expect(liveFiles.filter((f) => f.includes(user.userId))).toEqual([]);
      expect(existsSync(path.join(t.config.dataDir, 'blobs', exportRow.object_key ?? 'none'))).toBe(
        false,
      );

      // Restore the backup into a fresh database, with the keyring as it is now.
      const restoredDb = await createTestDatabase(kind);
      const restored = await openDatabase(restoredDb.config, t.runtime.log);
      try {
        await migrateToLatest(restored.db);
        await restored.db.transaction().execute(async (trx) => {
          // As pg_restore does: rows first, constraints and triggers not re-checked.
          await sql`set local session_replication_role = replica`.execute(trx);
          for (const name of backedUpTables) {
            await sql`insert into ${sql.table(name)} select * from json_populate_recordset(null::${sql.table(name)}, ${JSON.stringify(backup[name])}::json)`.execute(
              trx,
            );
          }
        });
        const liveKeys = await db().selectFrom('keyring.user_keys').selectAll().execute();
        if (liveKeys.length > 0)
          await restored.db.insertInto('keyring.user_keys').values(liveKeys).execute();
        const keys = liveKeys.map((k) =>
          t.runtime.masterKey.unwrap(k.wrapped_key, userKeyLabel(k.user_id), k.master_key_id),
        );

        // The backup has the user's rows...
        const restoredUser = await restored.db
          .selectFrom('users')
          .selectAll()
          .where('id', '=', user.userId)
          .executeTakeFirstOrThrow();
        const restoredNote = await restored.db
          .selectFrom('credit_ledger')
          .select(['id', 'note_enc'])
          .where('user_id', '=', user.userId)
          .where('kind', '=', 'adjustment')
          .executeTakeFirstOrThrow();
        const restoredTicket = await restored.db
          .selectFrom('rights_requests')
          .select(['id', 'message_enc'])
          .where('user_id', '=', user.userId)
          .where('kind', '=', 'complaint')
          .executeTakeFirstOrThrow();
        const restoredPlan = await restored.db
          .selectFrom('generations')
          .select(['id', 'plan_enc'])
          .where('id', '=', generationId)
          .executeTakeFirstOrThrow();
        expect(restoredNote.note_enc).not.toBeNull();
        // ...no canary in clear...
        const restoredText = await tableText(restored.db, backedUpTables);
        for (const value of Object.values(canary)) expect(restoredText).not.toContain(value);
        // ...and no key there is can open what they hold: the user's own key is gone...
        await expect(
          requireUserKey(restored.db, t.runtime.masterKey, user.userId),
        ).rejects.toMatchObject({ code: 'gone' });
        // ...and no other user's key opens any of it (new encrypted columns included).
        for (const key of keys) {
          expect(() =>
            openField(
              key,
              'users',
              'email',
              user.userId,
              restoredUser.email_enc ?? new Uint8Array(),
            ),
          ).toThrow(DecryptionError);
          expect(() =>
            openField(key, 'users', 'name', user.userId, restoredUser.name_enc ?? new Uint8Array()),
          ).toThrow(DecryptionError);
          expect(() => openCreditNote(key, restoredNote)).toThrow(DecryptionError);
          expect(() =>
            openField(
              key,
              'rights_requests',
              'message',
              restoredTicket.id,
              restoredTicket.message_enc ?? new Uint8Array(),
            ),
          ).toThrow(DecryptionError);
          expect(() =>
            openField(
              key,
              'generations',
              'plan',
              restoredPlan.id,
              restoredPlan.plan_enc ?? new Uint8Array(),
            ),
          ).toThrow(DecryptionError);
          const vault = new ObjectVault(new FileBlobStore(backupBlobs));
          await expect(vault.get(key, exportRow.object_key ?? '')).rejects.toThrow(DecryptionError);
        }
      } finally {
        await restored.close();
        await restoredDb.drop();
      }
    } finally {
      await rm(backupBlobs, { recursive: true, force: true });
    }
  }, 300_000);

  it('encrypts staff notes written in clear before the change, once, and the ledger refuses any other edit', async () => {
    const user = await createUser(t, { email: `old-note-${kind}@example.com`, name: 'Old Note' });
    const last = await db()
      .selectFrom('credit_ledger')
      .select(['seq', 'balance_after'])
      .where('user_id', '=', user.userId)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    const id = '0193a000-0000-7000-8000-000000000013';
    // A row as an adjustment was written before migration 0013: its note in `reason`, in clear.
    await db()
      .insertInto('credit_ledger')
      .values({
        id,
        user_id: user.userId,
        seq: last.seq + 1,
        kind: 'adjustment',
        amount: 1,
        balance_after: last.balance_after + 1,
        entry_key: `adjust:old-${user.userId}`,
        reason: 'CANARYOLDNOTE refund for a bad piece',
        generation_id: null,
        purchase_id: null,
        shortfall: 0,
        created_at: clock.now(),
      })
      .execute();
    await expect(
      db().updateTable('credit_ledger').set({ amount: 50 }).where('id', '=', id).execute(),
    ).rejects.toThrow(/append-only/);

    expect(await sealPlaintextCreditNotes(db(), t.runtime.masterKey)).toBe(1);
    expect(await sealPlaintextCreditNotes(db(), t.runtime.masterKey)).toBe(0);
    const row = await db()
      .selectFrom('credit_ledger')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      reason: 'staff_adjustment',
      amount: 1,
      balance_after: last.balance_after + 1,
    });
    const key = await requireUserKey(db(), t.runtime.masterKey, user.userId);
    expect(openCreditNote(key, row)).toBe('CANARYOLDNOTE refund for a bad piece');
    expect(await tableText(db(), ['credit_ledger'])).not.toContain('CANARYOLDNOTE');
    // Sealed once; the trigger lets nothing else through.
    await expect(
      db().updateTable('credit_ledger').set({ note_enc: null }).where('id', '=', id).execute(),
    ).rejects.toThrow(/append-only/);
  });
});
