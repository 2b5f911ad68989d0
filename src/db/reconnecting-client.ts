import pg from 'pg';
import type { Logger } from '../lib/logger.js';

export interface ReconnectingClientOptions {
  connectionString: string;
  log: Logger;
  /** Names the connection in logs and in pg_stat_activity. */
  purpose: string;
  /** Runs on every new connection before it counts as up (LISTEN, taking a lock). */
  setUp(client: pg.Client): Promise<void>;
  /** The connection broke (server restart, failover, pg_terminate_backend, network). */
  onLost?(error: Error): void;
  /** A connection is up (set up); `restored` when it replaces one that was lost. */
  onUp?(restored: boolean): void;
}

/** What a lost connection is worth logging: the driver's error carries the whole client. */
export function connectionError(error: Error): { code: string | undefined; reason: string } {
  return { code: (error as { code?: string }).code, reason: error.message };
}

/**
 * Errors that mean the database could not be reached or the connection went while a query was
 * on it (a restart, a failover, a network cut), rather than that the query itself was wrong:
 * socket errors, PostgreSQL's shutdown/admin-termination codes (class 57P) and connection-class
 * codes (08), and the driver's own messages for a connection that ended or never came.
 */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);
const unreachableMessages = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
];

export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (unreachableCodes.has(code) || code.startsWith('57P') || code.startsWith('08')) return true;
  }
  if (unreachableMessages.some((text) => error.message.includes(text))) return true;
  // AggregateError (a host that resolves to several addresses, all refused) and wrapped causes.
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnreachable);
  return error.cause !== undefined && error.cause !== error && isDatabaseUnreachable(error.cause);
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/**
 * One long-lived connection outside the pool, for what a pool cannot give: LISTEN and
 * session-level advisory locks live and die with their connection. When it breaks it is
 * reported (not thrown: an unhandled 'error' would end the process) and opened again with a
 * growing pause, for as long as it takes.
 */
export class ReconnectingClient {
  readonly #options: ReconnectingClientOptions;
  #client: pg.Client | null = null;
  #closing = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | null = null;
  #firstConnection: Promise<void> | null = null;
  #resolveFirst: (() => void) | null = null;

  constructor(options: ReconnectingClientOptions) {
    this.#options = options;
  }

  /** The live connection, or null while it is being re-opened. */
  get client(): pg.Client | null {
    return this.#client;
  }

  /** Resolves once the first connection is up (it keeps trying until then). */
  start(): Promise<void> {
    this.#firstConnection ??= new Promise<void>((resolve) => {
      this.#resolveFirst = resolve;
      void this.#connect();
    });
    return this.#firstConnection;
  }

  async #connect(): Promise<void> {
    if (this.#closing) return;
    const client = new pg.Client({
      connectionString: this.#options.connectionString,
      application_name: `instune ${this.#options.purpose}`,
      keepAlive: true,
    });
    let lost = false;
    const onBroken = (error: Error) => {
      if (lost) return;
      lost = true;
      client.end().catch(() => {}); // eslint-disable-line promise/no-promise-in-callback -- closing a broken socket; nothing to wait for
      const wasUp = this.#client === client;
      if (wasUp) this.#client = null;
      if (this.#closing) return;
      // Logged once per loss, not once per failed attempt while the server is away.
      if (wasUp || this.#attempt === 0) {
        this.#options.log.warn(
          { ...connectionError(error), purpose: this.#options.purpose },
          'database connection lost; reconnecting',
        );
      }
      if (wasUp) this.#options.onLost?.(error);
      this.#retry();
    };
    client.on('error', onBroken);
    client.on('end', () => onBroken(new Error('the connection was closed')));
    try {
      await client.connect();
      await this.#options.setUp(client);
    } catch (error) {
      onBroken(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (lost || this.#closing) {
      await client.end().catch(() => {});
      return;
    }
    const wasDown = this.#attempt > 0;
    this.#attempt = 0;
    this.#client = client;
    if (wasDown) {
      this.#options.log.info({ purpose: this.#options.purpose }, 'database connection restored');
    }
    this.#options.onUp?.(wasDown && this.#resolveFirst === null);
    const first = this.#resolveFirst;
    this.#resolveFirst = null;
    first?.();
  }

  #retry(): void {
    if (this.#closing || this.#timer) return;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.#attempt);
    this.#attempt += 1;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#connect();
    }, delay);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }
}
