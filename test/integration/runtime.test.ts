import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/lib/logger.js';
import { openRuntime } from '../../src/main/runtime.js';
import { createTestDatabase } from '../support/databases.js';

const log = createLogger({ level: 'silent' });

describe('start-up guards of the split roles', () => {
  it('refuses separate web/worker processes on PGlite', async () => {
    const testDb = await createTestDatabase('pglite');
    try {
      const config = loadConfig({ DATA_DIR: testDb.dataDir });
      await expect(openRuntime(config, log, { role: 'worker', migrate: false })).rejects.toThrow(
        /set DATABASE_URL/,
      );
    } finally {
      await testDb.drop();
    }
  });

  it('refuses to serve an unmigrated PostgreSQL schema, then starts once migrated', async () => {
    const testDb = await createTestDatabase('postgres');
    try {
      if (testDb.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
      const config = loadConfig({
        DATA_DIR: testDb.dataDir,
        DATABASE_URL: testDb.config.url,
        MASTER_KEY: randomBytes(32).toString('base64'),
      });
      await expect(openRuntime(config, log, { role: 'web', migrate: false })).rejects.toThrow(
        /run `npm run migrate` first/,
      );
      const migrated = await openRuntime(config, log, { role: 'all', migrate: true });
      await migrated.close();
      const web = await openRuntime(config, log, { role: 'web', migrate: false });
      await web.close();
    } finally {
      await testDb.drop();
    }
  });
});
