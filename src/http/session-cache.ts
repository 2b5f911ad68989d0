import { hashToken, type ActiveSession } from '../modules/accounts/sessions.service.js';
import type { Clock } from '../lib/clock.js';

/**
 * Recently looked-up sessions, kept in this process for a few seconds. Every request of a
 * signed-in browser starts with a session lookup; without this, a flood from one account
 * (hundreds of refused uploads or event streams a second) costs a database read per request and
 * queues everyone else's queries behind it (review 2026-12, D6/N5). Sign-out, a new sign-in
 * and account cancellation on this process forget at once; a session ended on another web
 * process stays usable here for at most the TTL.
 */
export class SessionCache {
  readonly #entries = new Map<string, { session: ActiveSession | null; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 5000,
    private readonly maxEntries = 10_000,
  ) {}

  async get(
    token: string,
    load: () => Promise<ActiveSession | null>,
  ): Promise<ActiveSession | null> {
    const key = hashToken(token);
    const now = this.clock.now().getTime();
    const cached = this.#entries.get(key);
    // An expired session goes back to the loader, which deletes it and says so.
    const usable =
      cached && cached.until > now && (!cached.session || cached.session.expiresAt.getTime() > now);
    if (cached && usable) return cached.session;
    this.#entries.delete(key);
    const session = await load();
    this.#entries.set(key, { session, until: now + this.ttlMs });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
    }
    return session;
  }

  forget(token: string): void {
    this.#entries.delete(hashToken(token));
  }

  forgetUser(userId: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.session?.userId === userId) this.#entries.delete(key);
    }
  }
}
