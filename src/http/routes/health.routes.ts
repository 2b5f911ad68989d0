import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { HttpDeps } from '../http-deps.js';

/** A readiness probe that cannot reach the database within this long reports not ready. */
const READINESS_TIMEOUT_MS = 2000;

/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: it can reach the
 * database). Both are exempt from rate limits: a load balancer's checks share an address with
 * other traffic, and a flood from that address must not take healthy nodes out of rotation.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const unlimited = { config: { rateLimit: false } };

  app.get('/healthz', unlimited, async () => ({ ok: true }));

  app.get('/readyz', unlimited, async (request, reply) => {
    const database = await probeDatabase(deps).catch((error: unknown) => {
      request.log.warn({ err: error }, 'readiness: database unreachable');
      return false;
    });
    void reply.header('cache-control', 'no-store');
    if (!database) return reply.status(503).send({ ok: false, checks: { database: 'failing' } });
    return { ok: true, checks: { database: 'ok' } };
  });
}

async function probeDatabase(deps: HttpDeps): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)),
      READINESS_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([sql`select 1`.execute(deps.db), timeout]);
    return true;
  } finally {
    clearTimeout(timer);
  }
}
