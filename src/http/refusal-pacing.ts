import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Answers a client that is refused again and again (429: over a rate limit, too many progress
 * streams) a second late instead of at once. A flooding client sends its next request as soon
 * as it has the answer, so refusing it quickly only invites the next request: under the flood
 * bench one account's 10 upload connections got ~790 refusals a second, and refusing them was
 * most of the web thread's time. Held for a second, each connection makes one request a second,
 * and the held answer costs a timer, not CPU. The first refusal in a while is answered at once,
 * so a person who hits a limit reads why without waiting. Bounded: past `maxHeld` answers held
 * at once, further ones go out at once.
 */
export interface RefusalPacing {
  /** How long a repeated refusal is held. */
  delayMs: number;
  /** A refusal within this long of the client's previous one counts as repeated. */
  repeatWithinMs: number;
  /** Answers held at the same time in this process. */
  maxHeld: number;
}

export const defaultRefusalPacing: RefusalPacing = {
  delayMs: 1000,
  repeatWithinMs: 10_000,
  maxHeld: 2000,
};

/** Clients remembered (the most recently refused); older ones are forgotten first. */
const MAX_CLIENTS = 10_000;

export function paceRepeatedRefusals(
  app: FastifyInstance,
  pacing: RefusalPacing,
  now: () => number = () => performance.now(),
): void {
  if (pacing.delayMs <= 0) return;
  const lastRefusedAt = new Map<string, number>();
  let held = 0;
  app.addHook('onSend', async (request, reply) => {
    if (reply.statusCode !== 429) return;
    const client = clientOf(request);
    const at = now();
    const previous = lastRefusedAt.get(client);
    lastRefusedAt.delete(client); // re-inserted last, so the map stays in order of last refusal
    lastRefusedAt.set(client, at);
    if (lastRefusedAt.size > MAX_CLIENTS) {
      const oldest = lastRefusedAt.keys().next().value;
      if (oldest !== undefined) lastRefusedAt.delete(oldest);
    }
    if (previous === undefined || at - previous > pacing.repeatWithinMs) return;
    if (held >= pacing.maxHeld) return;
    held += 1;
    try {
      await new Promise<void>((resolve) => setTimeout(resolve, pacing.delayMs));
    } finally {
      held -= 1;
    }
  });
}

/** Signed-in traffic counts per account (as the limits do), anonymous traffic per address. */
function clientOf(request: FastifyRequest): string {
  return request.session ? `user:${request.session.userId}` : `ip:${request.ip}`;
}
