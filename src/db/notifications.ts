import type pg from 'pg';
import type { Logger } from '../lib/logger.js';
import type { PglitePool } from './pglite-pool.js';
import { ReconnectingClient } from './reconnecting-client.js';

export type NotificationHandler = (payload: string) => void;

/**
 * PostgreSQL NOTIFY, received in this process: the generations table announces every change of
 * stage (migration 0009), and enqueueing a job announces its queue. Notifications are sent by
 * `pg_notify` inside the writer's transaction, so they arrive only if and when it commits.
 * On PostgreSQL they are received on one dedicated connection; on PGlite (one process) they are
 * PGlite's own in-process callbacks.
 */
export interface Notifications {
  /** Listens on the channel (one LISTEN per channel however many subscribers). */
  subscribe(channel: string, handler: NotificationHandler): Promise<() => void>;
  /**
   * After the listening connection was lost and is back: whatever was sent in between was
   * missed, so subscribers should look again.
   */
  onResume(handler: () => void): () => void;
  close(): Promise<void>;
}

/** Channel names are fixed strings of ours, but they go into SQL: keep them plain. */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

abstract class ChannelHub implements Notifications {
  protected readonly handlers = new Map<string, Set<NotificationHandler>>();
  protected readonly resumeHandlers = new Set<() => void>();

  constructor(protected readonly log: Logger) {}

  async subscribe(channel: string, handler: NotificationHandler): Promise<() => void> {
    if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${channel}`);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await this.listen(channel);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  onResume(handler: () => void): () => void {
    this.resumeHandlers.add(handler);
    return () => this.resumeHandlers.delete(handler);
  }

  protected dispatch(channel: string, payload: string): void {
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        this.log.error({ err: error, channel }, 'notification handler failed');
      }
    }
  }

  protected resume(): void {
    for (const handler of this.resumeHandlers) handler();
  }

  protected abstract listen(channel: string): Promise<void>;
  abstract close(): Promise<void>;
}

export class PostgresNotifications extends ChannelHub {
  readonly #connection: ReconnectingClient;

  constructor(connectionString: string, log: Logger) {
    super(log);
    this.#connection = new ReconnectingClient({
      connectionString,
      log,
      purpose: 'notifications',
      setUp: async (client) => {
        client.on('notification', (message: pg.Notification) =>
          this.dispatch(message.channel, message.payload ?? ''),
        );
        for (const channel of this.handlers.keys()) await client.query(`listen ${channel}`);
      },
      onUp: (restored) => {
        if (restored) this.resume();
      },
    });
  }

  protected async listen(channel: string): Promise<void> {
    await this.#connection.start();
    // A connection opened after this point LISTENs in setUp; this one needs it now.
    await this.#connection.client?.query(`listen ${channel}`);
  }

  close(): Promise<void> {
    return this.#connection.close();
  }
}

export class PgliteNotifications extends ChannelHub {
  readonly #unlisten: Array<() => Promise<void>> = [];

  constructor(
    private readonly pool: PglitePool,
    log: Logger,
  ) {
    super(log);
  }

  protected async listen(channel: string): Promise<void> {
    this.#unlisten.push(
      await this.pool.listen(channel, (payload) => this.dispatch(channel, payload)),
    );
  }

  async close(): Promise<void> {
    // PGlite is closed with the pool right after; its listeners go with it.
    this.#unlisten.length = 0;
  }
}
