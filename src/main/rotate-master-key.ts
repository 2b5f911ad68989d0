import { MasterKey } from '../adapters/crypto/envelope.js';
import { openDatabase } from '../db/database.js';
import { assertSchemaCurrent } from '../db/migrations.js';
import { rewrapUserKeys } from '../modules/accounts/user-keys.js';
import { rewrapContactKeys } from '../modules/privacy/contact-messages.service.js';
import { bootstrap, fail } from './start.js';

// Master-key rotation: start with the new key in MASTER_KEY and the old one(s) in
// MASTER_KEYS_PREVIOUS, run this once, then drop MASTER_KEYS_PREVIOUS. Data is never
// re-encrypted; only the wrapped data keys in the keyring change.
const { config, log } = bootstrap();
try {
  if (!config.masterKey) throw new Error('set MASTER_KEY to the new master key');
  const database = await openDatabase(config.database, log);
  try {
    await assertSchemaCurrent(database.db);
    const master = new MasterKey(config.masterKey, config.previousMasterKeys);
    const moved = await rewrapUserKeys(database.db, master);
    // Contact-form messages have keys of their own (no account), wrapped the same way.
    const contacts = await rewrapContactKeys(database.db, master);
    log.info(
      { rewrapped: moved, contactKeysRewrapped: contacts },
      'data keys re-wrapped with the current master key',
    );
  } finally {
    await database.close();
  }
} catch (error) {
  fail(log, error);
}
