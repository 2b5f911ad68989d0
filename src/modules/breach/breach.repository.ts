import { sql } from 'kysely';
import type { Db, DbTransaction } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

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

/** When each table's row was written; a row written before the window's end existed in it. */
const writtenAt = {
  sessions: 'created_at',
  generations: 'created_at',
  credit_ledger: 'created_at',
  credit_purchases: 'created_at',
  consent_log: 'decided_at',
  policy_acceptances: 'accepted_at',
  rights_requests: 'created_at',
  data_exports: 'created_at',
} as const satisfies { [T in Exclude<BreachTable, 'users'>]: keyof DB[T] & string };

/**
 * The users with a row in this table that existed during the window: written before its end
 * (rows still held now were not deleted before the window opened; sessions also had to be live).
 */
export async function findUsersWithRowsIn(
  db: Executor,
  table: BreachTable,
  window: { from: Date; to: Date },
): Promise<string[]> {
  if (table === 'users') {
    const rows = await db
      .selectFrom('users')
      .select('id as user_id')
      .where('created_at', '<=', window.to)
      .execute();
    return rows.map((r) => r.user_id);
  }
  let query = db
    .selectFrom(table)
    .select('user_id')
    .distinct()
    .where(sql.ref(writtenAt[table]), '<=', window.to);
  if (table === 'sessions')
    query = query.where(sql.ref('expires_at' satisfies keyof DB['sessions']), '>=', window.from);
  const rows = await query.execute();
  return rows.flatMap((r) => (r.user_id ? [r.user_id] : []));
}
