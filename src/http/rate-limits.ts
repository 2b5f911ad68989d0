import { createHmac } from 'node:crypto';
import rateLimit, {
  type FastifyRateLimitOptions,
  type FastifyRateLimitStore,
} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { RateLimitConfig } from '../config/config.js';
import type { MasterKey } from '../adapters/crypto/envelope.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import {
  countHit,
  readCounter,
  type CounterState,
} from '../modules/rate-limits/rate-limit-counters.js';

/** Sign-in endpoints: per IP, since nobody is signed in yet. */
const authRoutes = new Set(['GET /auth/login', 'GET /auth/callback']);
/**
 * The contact form and its confirmation: open to anyone and each post can send a mail, so per
 * IP (signed in or not) and in the shared counters, like sign-in.
 */
const contactRoutes = new Set(['POST /api/contact', 'POST /api/contact/verify']);
/** Uploads: each one costs decoding, storage and a queued render, so per user. */
const uploadRoutes = new Set(['POST /api/generations']);

export interface RateLimitDeps {
  limits: RateLimitConfig;
  db: Db;
  clock: Clock;
  masterKey: MasterKey;
}

/**
 * Limits requests per window, checked in preHandler (after the session is loaded, so signed-in
 * traffic counts per user and anonymous traffic per IP; multipart bodies are not read first).
 *
 * The sign-in and upload limits guard against guessing and against spending someone's money,
 * so their counters live in the database every web node shares: N nodes behind a balancer still
 * allow the limit once. The global limit is each node's own flood guard and stays in memory, so
 * ordinary requests cost no database write (docs/deployment.md).
 */
export async function registerRateLimits(app: FastifyInstance, deps: RateLimitDeps): Promise<void> {
  const { limits } = deps;
  if (!limits.enabled) return;
  const timeWindow = limits.windowSeconds * 1000;
  // Runs before the plugin's own onRoute hook (registered below), so it sees the route config.
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const keys = methods.map((m) => `${m} ${route.url}`);
    let max: number | undefined;
    let keyGenerator = keyByUserOrIp;
    if (keys.some((k) => authRoutes.has(k))) {
      max = limits.authMax;
      keyGenerator = keyByIp;
    } else if (keys.some((k) => contactRoutes.has(k))) {
      max = limits.contactMax;
      keyGenerator = keyByIp;
    } else if (keys.some((k) => uploadRoutes.has(k))) {
      max = limits.generationsMax;
    }
    if (max === undefined) return;
    route.config = {
      ...route.config,
      rateLimit: { max, timeWindow, keyGenerator },
    };
  });
  await app.register(rateLimit, {
    global: true,
    max: limits.globalMax,
    timeWindow,
    hook: 'preHandler',
    keyGenerator: keyByUserOrIp,
    store: rateLimitStore(deps),
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return AppError.because(
        'rate_limited',
        `too many requests; try again in ${seconds} s`,
        { seconds },
        {
          retryAfterSeconds: seconds,
        },
      );
    },
  });
}

function keyByIp(request: FastifyRequest): string {
  return `ip:${request.ip}`;
}

function keyByUserOrIp(request: FastifyRequest): string {
  return request.session ? `user:${request.session.userId}` : `ip:${request.ip}`;
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** What the plugin passes to `child` for a route with its own limit (its types say less). */
interface ChildParams {
  routeInfo?: { method?: string | string[]; url?: string };
  max?: unknown;
}

/** Bounded memory under a flood of new keys: the oldest entries (in insertion order) go first. */
function evictOldest(map: Map<string, unknown>): void {
  for (const key of map.keys()) {
    if (map.size <= MAX_LOCAL_KEYS) return;
    map.delete(key);
  }
}

const MAX_LOCAL_KEYS = 10_000;

/**
 * The plugin's store contract: the root store (global limit) counts in this process; each route
 * with its own limit gets a child that counts in the database under a keyed hash.
 */
function rateLimitStore(deps: RateLimitDeps) {
  const hashSecret = deps.masterKey.deriveKey('rate-limit-keys');
  const keyHash = (scope: string, key: string): string =>
    createHmac('sha256', hashSecret).update(`${scope}\0${key}`).digest('base64url');

  const reply = async (pending: Promise<CounterState>, callback: Callback): Promise<void> => {
    let state: CounterState;
    try {
      state = await pending;
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    callback(null, { current: state.hits, ttl: state.ttlMs });
  };

  class SharedRouteStore implements FastifyRateLimitStore {
    /**
     * Keys this node has seen over the limit, until their window ends. A window's count only
     * grows, so the answer is the database's own; a flood of refused requests then costs a map
     * lookup each instead of a database write (review 2026-12, N5).
     */
    readonly #refusedUntil = new Map<string, number>();

    constructor(
      private readonly scope: string,
      private readonly max: number | undefined,
    ) {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      const now = deps.clock.now().getTime();
      const until = this.#refusedUntil.get(key);
      if (until !== undefined && until > now && this.max !== undefined) {
        callback(null, { current: this.max + 1, ttl: until - now });
        return;
      }
      if (until !== undefined) this.#refusedUntil.delete(key);
      const counted = countHit(deps, keyHash(this.scope, key), timeWindow).then((state) => {
        if (this.max !== undefined && state.hits > this.max) {
          this.#refusedUntil.set(key, now + state.ttlMs);
          evictOldest(this.#refusedUntil);
        }
        return state;
      });
      void reply(counted, callback);
    }
    read(key: string, callback: Callback): void {
      void reply(readCounter(deps, keyHash(this.scope, key)), callback);
    }
    child(params: object): FastifyRateLimitStore {
      return SharedRouteStore.forRoute(params);
    }
    static forRoute(params: object): SharedRouteStore {
      const { routeInfo, max } = params as ChildParams;
      const method = routeInfo?.method;
      const scope = `${Array.isArray(method) ? method.join(',') : (method ?? '')} ${routeInfo?.url ?? ''}`;
      return new SharedRouteStore(scope, typeof max === 'number' ? max : undefined);
    }
  }

  return class NodeLocalStore implements FastifyRateLimitStore {
    readonly #windows = new Map<string, { hits: number; endsAt: number }>();
    // The plugin constructs the store with its options; this store needs none of them.
    constructor(_options?: FastifyRateLimitOptions) {}
    incr(key: string, callback: Callback, timeWindow: number): void {
      const now = deps.clock.now().getTime();
      let window = this.#windows.get(key);
      if (!window || window.endsAt <= now) {
        this.#windows.delete(key); // re-inserted last, so the map stays in age order
        window = { hits: 0, endsAt: now + timeWindow };
        this.#windows.set(key, window);
        this.#evictOldest();
      }
      window.hits += 1;
      callback(null, { current: window.hits, ttl: window.endsAt - now });
    }
    read(key: string, callback: Callback): void {
      const now = deps.clock.now().getTime();
      const window = this.#windows.get(key);
      const live = window && window.endsAt > now;
      callback(null, { current: live ? window.hits : 0, ttl: live ? window.endsAt - now : 0 });
    }
    child(params: object): FastifyRateLimitStore {
      return SharedRouteStore.forRoute(params);
    }
    /** Bounded memory under a flood of new keys: the oldest windows (in age order) go first. */
    #evictOldest(): void {
      for (const key of this.#windows.keys()) {
        if (this.#windows.size <= MAX_LOCAL_KEYS) return;
        this.#windows.delete(key);
      }
    }
  };
}
