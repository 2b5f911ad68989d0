import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecryptionError, MasterKey } from '../../src/adapters/crypto/envelope.js';
import { getAccount } from '../../src/modules/accounts/accounts.service.js';
import { rewrapUserKeys } from '../../src/modules/accounts/user-keys.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe.each(databaseKinds)('master-key rotation on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database: kind });
  });
  afterAll(async () => {
    await t.close();
  });

  it('re-wraps every data key with the new master key without touching the data', async () => {
    const users = [
      await createUser(t, { email: `rot-a-${kind}@example.com`, name: 'Rotation A' }),
      await createUser(t, { email: `rot-b-${kind}@example.com`, name: 'Rotation B' }),
    ];
    const db = t.runtime.database.db;
    const oldKey = t.config.masterKey;
    if (!oldKey) throw new Error('the test app sets MASTER_KEY');
    const userRowsBefore = await db.selectFrom('users').select(['id', 'name_enc']).execute();

    const newKey = randomBytes(32);
    const next = new MasterKey(newKey, [oldKey]);
    expect(await rewrapUserKeys(db, next, 1)).toBeGreaterThanOrEqual(users.length);
    expect(await rewrapUserKeys(db, next)).toBe(0);
    const keyIds = await db
      .selectFrom('keyring.user_keys')
      .select('master_key_id')
      .distinct()
      .execute();
    expect(keyIds).toEqual([{ master_key_id: next.id }]);
    // The encrypted data itself did not change.
    expect(await db.selectFrom('users').select(['id', 'name_enc']).execute()).toEqual(
      userRowsBefore,
    );

    // The new key alone opens everything; the old key alone opens nothing any more.
    const onlyNew = new MasterKey(newKey);
    for (const user of users) {
      const account = await getAccount(
        { db, masterKey: onlyNew, clock: t.runtime.clock },
        user.userId,
      );
      expect(account?.name).toMatch(/^Rotation [AB]$/);
      await expect(
        getAccount({ db, masterKey: new MasterKey(oldKey), clock: t.runtime.clock }, user.userId),
      ).rejects.toThrow(DecryptionError);
    }
  });
});
