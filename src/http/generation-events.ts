import type { Notifications } from '../db/notifications.js';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';

/** Channel the generations table notifies on every change of stage or status (migration 0009). */
const GENERATION_CHANNEL = 'instune_generation';

/**
 * Calls the watchers of a generation whenever its row changes, from the database's own
 * notifications (pushed at commit; no polling). One subscription per web process, whatever the
 * number of open streams; it starts with the first watcher.
 */
export class GenerationWatchers {
  readonly #watchers = new Map<string, Set<() => void>>();
  #subscribed: Promise<void> | null = null;
  #unsubscribe: Array<() => void> = [];

  constructor(
    private readonly notifications: Notifications,
    private readonly log: Logger,
  ) {}

  /** `onChange` runs after each committed change of the generation (and after a reconnect). */
  async watch(generationId: string, onChange: () => void): Promise<() => void> {
    await this.#subscribe();
    let set = this.#watchers.get(generationId);
    if (!set) {
      set = new Set();
      this.#watchers.set(generationId, set);
    }
    set.add(onChange);
    const watchers = set;
    return () => {
      watchers.delete(onChange);
      if (watchers.size === 0 && this.#watchers.get(generationId) === watchers) {
        this.#watchers.delete(generationId);
      }
    };
  }

  #subscribe(): Promise<void> {
    this.#subscribed ??= (async () => {
      this.#unsubscribe.push(
        await this.notifications.subscribe(GENERATION_CHANNEL, (id) => this.#notify(id)),
      );
      // Changes committed while the listening connection was down were not announced.
      this.#unsubscribe.push(
        this.notifications.onResume(() => {
          for (const id of this.#watchers.keys()) this.#notify(id);
        }),
      );
    })().catch((error: unknown) => {
      this.#subscribed = null;
      throw error;
    });
    return this.#subscribed;
  }

  #notify(generationId: string): void {
    for (const onChange of this.#watchers.get(generationId) ?? []) {
      try {
        onChange();
      } catch (error) {
        this.log.error({ err: error }, 'generation watcher failed');
      }
    }
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#watchers.clear();
    this.#subscribed = null;
  }
}

/**
 * Open event streams per user and per process. A stream holds a connection for minutes, so
 * without a bound one account could hold hundreds and slow everyone down; and a browser opens
 * at most six HTTP/1.1 connections to a site, so a few streams per user is all a person uses.
 */
export class StreamLimiter {
  readonly #perUser = new Map<string, number>();
  #total = 0;

  constructor(private readonly limits: { perUser: number; perProcess: number }) {}

  /** Counts a new stream for the user; returns the function that ends it. */
  open(userId: string): () => void {
    const mine = this.#perUser.get(userId) ?? 0;
    if (mine >= this.limits.perUser) {
      throw AppError.because(
        'too_many_streams',
        `at most ${this.limits.perUser} progress streams can be open at once; close other tabs of this site`,
        { max: this.limits.perUser },
        { retryAfterSeconds: 5 },
      );
    }
    if (this.#total >= this.limits.perProcess) {
      throw AppError.because(
        'server_busy',
        'the server is busy; try again in a few seconds',
        { seconds: 5 },
        {
          retryAfterSeconds: 5,
        },
      );
    }
    this.#perUser.set(userId, mine + 1);
    this.#total += 1;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.#total -= 1;
      const left = (this.#perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.#perUser.set(userId, left);
      else this.#perUser.delete(userId);
    };
  }
}
