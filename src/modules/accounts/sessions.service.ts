import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { HOUR_MS, type Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newToken } from '../../lib/ids.js';

export interface SessionDeps {
  db: Db;
  clock: Clock;
  ttlHours: number;
}

export interface ActiveSession {
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

/** When this user signed in and was last seen, per live session (never the token or its hash). */
export async function listUserSessions(
  db: Db,
  userId: string,
): Promise<Array<{ createdAt: string; lastSeenAt: string; expiresAt: string }>> {
  const rows = await db
    .selectFrom('sessions')
    .select(['created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
  }));
}

/** The database keeps only a hash of the session token, so a leaked dump cannot log anyone in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  deps: SessionDeps,
  userId: string,
): Promise<{ token: string; session: ActiveSession }> {
  const token = newToken();
  const now = deps.clock.now();
  const session: ActiveSession = {
    userId,
    csrfToken: newToken(24),
    expiresAt: new Date(now.getTime() + deps.ttlHours * HOUR_MS),
  };
  await deps.db
    .insertInto('sessions')
    .values({
      id_hash: hashToken(token),
      user_id: userId,
      csrf_token: session.csrfToken,
      created_at: now,
      expires_at: session.expiresAt,
      last_seen_at: now,
    })
    .execute();
  return { token, session };
}

/** Throws session_expired for a known but expired session so the client can say so. */
export async function getSession(deps: SessionDeps, token: string): Promise<ActiveSession | null> {
  const row = await deps.db
    .selectFrom('sessions')
    .select(['user_id', 'csrf_token', 'expires_at'])
    .where('id_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) return null;
  if (row.expires_at.getTime() <= deps.clock.now().getTime()) {
    await deleteSession(deps, token);
    throw AppError.because('session_expired', 'your session has expired; please sign in again');
  }
  return { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

export async function deleteSession(deps: SessionDeps, token: string): Promise<void> {
  await deps.db.deleteFrom('sessions').where('id_hash', '=', hashToken(token)).execute();
}
