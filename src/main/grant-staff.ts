import { z } from 'zod';
import { openDatabase } from '../db/database.js';
import { assertSchemaCurrent } from '../db/migrations.js';
import { systemClock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { grantRole, isStaffRole, staffRoles } from '../modules/staff/staff-roles.service.js';
import { bootstrap, fail } from './start.js';

// Bootstraps the first admin (after that, admins grant roles through the staff API). The grant
// is audited like any other, as granted by 'cli'. On the embedded database (PGlite), stop the
// server first: one data folder serves one process.
const { config, log } = bootstrap();
const [userId, role] = process.argv.slice(2);
if (!userId || !z.uuid().safeParse(userId).success || !role || !isStaffRole(role)) {
  console.error(`usage: npm run staff:grant -- <userId> <${staffRoles.join('|')}>`);
  process.exit(2);
}
try {
  const database = await openDatabase(config.database, log);
  try {
    await assertSchemaCurrent(database.db);
    const requestId = newId();
    const result = await grantRole(
      { db: database.db, clock: systemClock },
      { by: { kind: 'cli' }, userId, role, requestId },
    );
    log.info(
      {
        userId,
        role,
        changed: result.changed,
        auditSeq: result.audit.seq,
        auditHash: result.audit.hash,
      },
      'staff role granted',
    );
    console.log(result.changed ? `granted ${role} to ${userId}` : `${userId} already has ${role}`);
  } finally {
    await database.close();
  }
} catch (error) {
  fail(log, error);
}
