import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';

export interface RateLimitCounterDeps {
  db: Db;
  clock: Clock;
}

export interface CounterState {
  /** Hits in the current window, this one included. */
  hits: number;
  /** Milliseconds until the window ends. */
  ttlMs: number;
}

/**
 * Counts one hit against a fixed window, atomically, in the shared database: every web node
 * sees the same count. A window that has ended starts again at 1.
 */
export async function countHit(
  deps: RateLimitCounterDeps,
  keyHash: string,
  windowMs: number,
): Promise<CounterState> {
  const now = deps.clock.now();
  const windowEndsAt = new Date(now.getTime() + windowMs);
  const row = await deps.db
    .insertInto('rate_limit_counters')
    .values({ key_hash: keyHash, hits: 1, window_ends_at: windowEndsAt })
    .onConflict((oc) =>
      oc.column('key_hash').doUpdateSet({
        hits: sql<number>`case when rate_limit_counters.window_ends_at <= ${now} then 1 else rate_limit_counters.hits + 1 end`,
        window_ends_at: sql<Date>`case when rate_limit_counters.window_ends_at <= ${now} then excluded.window_ends_at else rate_limit_counters.window_ends_at end`,
      }),
    )
    .returning(['hits', 'window_ends_at'])
    .executeTakeFirstOrThrow();
  return {
    hits: row.hits,
    ttlMs: Math.max(0, new Date(row.window_ends_at).getTime() - now.getTime()),
  };
}

/** The window without counting a hit; a missing or ended window reads as 0. */
export async function readCounter(
  deps: RateLimitCounterDeps,
  keyHash: string,
): Promise<CounterState> {
  const now = deps.clock.now();
  const row = await deps.db
    .selectFrom('rate_limit_counters')
    .select(['hits', 'window_ends_at'])
    .where('key_hash', '=', keyHash)
    .where('window_ends_at', '>', now)
    .executeTakeFirst();
  if (!row) return { hits: 0, ttlMs: 0 };
  return { hits: row.hits, ttlMs: new Date(row.window_ends_at).getTime() - now.getTime() };
}

/** Ended windows are of no use to anyone; the retention sweep deletes them. */
export async function purgeEndedRateLimitCounters(deps: RateLimitCounterDeps): Promise<number> {
  const result = await deps.db
    .deleteFrom('rate_limit_counters')
    .where('window_ends_at', '<=', deps.clock.now())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
