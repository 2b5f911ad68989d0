import type { Db, DbTransaction } from '../../db/database.js';

type Executor = Db | DbTransaction;

export type BreachTable =
  | 'users'
  | 'sessions'
  | 'generations'
  | 'credit_ledger'
  | 'credit_purchases'
  | 'consent_log'
  | 'policy_acceptances'
  | 'rights_requests'
  | 'data_exports';

/**
 * The users with a row in this table that existed during the window: written before its end
 * (rows still held now were not deleted before the window opened; sessions also had to be live).
 */
export async function findUsersWithRowsIn(
  db: Executor,
  table: BreachTable,
  window: { from: Date; to: Date },
): Promise<string[]> {
  let rows: Array<{ user_id: string | null }>;
  switch (table) {
    case 'users':
      rows = await db
        .selectFrom('users')
        .select('id as user_id')
        .where('created_at', '<=', window.to)
        .execute();
      break;
    case 'sessions':
      rows = await db
        .selectFrom('sessions')
        .select('user_id')
        .distinct()
        .where('created_at', '<=', window.to)
        .where('expires_at', '>=', window.from)
        .execute();
      break;
    case 'consent_log':
      rows = await db
        .selectFrom('consent_log')
        .select('user_id')
        .distinct()
        .where('decided_at', '<=', window.to)
        .execute();
      break;
    case 'policy_acceptances':
      rows = await db
        .selectFrom('policy_acceptances')
        .select('user_id')
        .distinct()
        .where('accepted_at', '<=', window.to)
        .execute();
      break;
    default:
      rows = await db
        .selectFrom(table)
        .select('user_id')
        .distinct()
        .where('created_at', '<=', window.to)
        .execute();
  }
  return rows.flatMap((r) => (r.user_id ? [r.user_id] : []));
}
