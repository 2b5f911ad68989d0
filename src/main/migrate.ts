import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrations.js';
import { bootstrap, fail } from './start.js';

// Its own step in production; exits non-zero when a migration fails.
const { config, log } = bootstrap();
try {
  const database = await openDatabase(config.database, log);
  try {
    const applied = await migrateToLatest(database.db);
    log.info({ applied }, applied.length ? 'migrations applied' : 'schema already current');
  } finally {
    await database.close();
  }
} catch (error) {
  fail(log, error);
}
