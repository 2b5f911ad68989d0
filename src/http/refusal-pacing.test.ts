import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { paceRepeatedRefusals, type RefusalPacing } from './refusal-pacing.js';

const DELAY_MS = 300;

async function appWith(pacing: Partial<RefusalPacing>, now?: () => number) {
  const app = Fastify();
  app.decorateRequest('session', null);
  paceRepeatedRefusals(
    app,
    { delayMs: DELAY_MS, repeatWithinMs: 10_000, maxHeld: 100, ...pacing },
    now,
  );
  app.get('/refused', async (_request, reply) => reply.code(429).send({ error: 'slow down' }));
  app.get('/fine', async () => ({ ok: true }));
  await app.ready();
  return app;
}

const timed = async (app: Awaited<ReturnType<typeof appWith>>, url: string, ip = '10.0.0.1') => {
  const started = performance.now();
  const res = await app.inject({ method: 'GET', url, remoteAddress: ip });
  return { status: res.statusCode, ms: performance.now() - started };
};

describe('pacing repeated refusals', () => {
  let app: Awaited<ReturnType<typeof appWith>> | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers a first refusal at once and holds the next one from the same client', async () => {
    app = await appWith({});
    const first = await timed(app, '/refused');
    expect(first.status).toBe(429);
    expect(first.ms).toBeLessThan(DELAY_MS / 2);
    const again = await timed(app, '/refused');
    expect(again.status).toBe(429);
    expect(again.ms).toBeGreaterThanOrEqual(DELAY_MS - 5);
    // Other answers to the same client, and another client's first refusal, are not held.
    expect((await timed(app, '/fine')).ms).toBeLessThan(DELAY_MS / 2);
    expect((await timed(app, '/refused', '10.0.0.2')).ms).toBeLessThan(DELAY_MS / 2);
  });

  it('answers at once again once the client has not been refused for a while', async () => {
    let clock = 0;
    app = await appWith({ repeatWithinMs: 5000 }, () => clock);
    await timed(app, '/refused');
    clock = 5001;
    expect((await timed(app, '/refused')).ms).toBeLessThan(DELAY_MS / 2);
    clock = 5002;
    expect((await timed(app, '/refused')).ms).toBeGreaterThanOrEqual(DELAY_MS - 5);
  });

  it('holds no more than maxHeld answers at once; the rest go out at once', async () => {
    app = await appWith({ maxHeld: 1 });
    await timed(app, '/refused');
    const [a, b] = await Promise.all([timed(app, '/refused'), timed(app, '/refused')]);
    const times = [a.ms, b.ms].sort((x, y) => x - y);
    expect(times[0]).toBeLessThan(DELAY_MS / 2);
    expect(times[1]).toBeGreaterThanOrEqual(DELAY_MS - 5);
  });

  it('holds nothing when the delay is 0', async () => {
    app = await appWith({ delayMs: 0 });
    await timed(app, '/refused');
    expect((await timed(app, '/refused')).ms).toBeLessThan(DELAY_MS / 2);
  });
});
