import { Migrator, type Kysely, type Migration } from 'kysely';
import * as initial from './migrations/0001-initial.js';
import * as credits from './migrations/0002-credits.js';
import * as staffAudit from './migrations/0003-staff-audit.js';
import * as consentPolicies from './migrations/0004-consent-policies.js';
import * as rightsRequests from './migrations/0005-rights-requests.js';
import * as generationControls from './migrations/0006-generation-controls.js';
import * as variations from './migrations/0007-variations.js';
import * as rateLimitCounters from './migrations/0008-rate-limit-counters.js';
import * as jobClaims from './migrations/0009-job-claims.js';
import * as sweepCursors from './migrations/0010-sweep-cursors.js';
import * as seedRange from './migrations/0011-seed-range.js';
import * as requestHandling from './migrations/0012-request-handling.js';
import * as privacyRetention from './migrations/0013-privacy-retention.js';
import * as contactMessages from './migrations/0014-contact-messages.js';
import * as titlesAndDerivations from './migrations/0015-titles-and-derivations.js';

/** Listed in code (not read from a folder) so the compiled build and tests see the same set. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-credits': credits,
  '0003-staff-audit': staffAudit,
  '0004-consent-policies': consentPolicies,
  '0005-rights-requests': rightsRequests,
  '0006-generation-controls': generationControls,
  '0007-variations': variations,
  '0008-rate-limit-counters': rateLimitCounters,
  '0009-job-claims': jobClaims,
  '0010-sweep-cursors': sweepCursors,
  '0011-seed-range': seedRange,
  '0012-request-handling': requestHandling,
  '0013-privacy-retention': privacyRetention,
  '0014-contact-messages': contactMessages,
  '0015-titles-and-derivations': titlesAndDerivations,
};

/** In the order they apply. */
export const migrationNames: readonly string[] = Object.keys(migrations).sort();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, not as it is now
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await createMigrator(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Web and worker processes refuse to start on a schema that `migrate` has not brought up to date. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see migrateToLatest
export async function assertSchemaCurrent(db: Kysely<any>): Promise<void> {
  const pending = (await createMigrator(db).getMigrations()).filter((m) => !m.executedAt);
  if (pending.length > 0) {
    throw new Error(
      `the database schema is behind (${pending.map((m) => m.name).join(', ')} pending): run \`npm run migrate\` first`,
    );
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see migrateToLatest
function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}
