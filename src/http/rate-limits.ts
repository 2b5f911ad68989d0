import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { RateLimitConfig } from '../config/config.js';
import { AppError } from '../lib/errors.js';

/** Sign-in endpoints: per IP, since nobody is signed in yet. */
const authRoutes = new Set(['GET /auth/login', 'GET /auth/callback']);
/** Uploads: each one costs decoding, storage and a queued render, so per user. */
const uploadRoutes = new Set(['POST /api/generations']);

/**
 * Limits requests per window. The counts live in this process's memory, so with N web nodes
 * behind a balancer a client gets up to N times the limit (see docs/deployment.md).
 * Limits are checked in preHandler, after the session is loaded, so signed-in traffic is counted
 * per user and anonymous traffic per IP; multipart bodies are not read before the check.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  limits: RateLimitConfig,
): Promise<void> {
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
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new AppError('rate_limited', `too many requests; try again in ${seconds} s`, {
        retryAfterSeconds: seconds,
      });
    },
  });
}

function keyByIp(request: FastifyRequest): string {
  return `ip:${request.ip}`;
}

function keyByUserOrIp(request: FastifyRequest): string {
  return request.session ? `user:${request.session.userId}` : `ip:${request.ip}`;
}
