import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { isDatabaseUnreachable } from '../../src/db/reconnecting-client.js';

const caught = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe('isDatabaseUnreachable', () => {
  it('tells a database that cannot be reached from a query that is wrong', async () => {
    const refused = new pg.Client({ host: '127.0.0.1', port: await freePort(), user: 'postgres' });
    expect(isDatabaseUnreachable(await caught(refused.connect()))).toBe(true);

    const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres' });
    await client.connect();
    try {
      const wrong = await caught(client.query('select * from no_such_table'));
      expect(wrong).toBeInstanceOf(Error);
      expect(isDatabaseUnreachable(wrong)).toBe(false);
      const syntax = await caught(client.query('selec 1'));
      expect(isDatabaseUnreachable(syntax)).toBe(false);
    } finally {
      await client.end();
    }
    // Terminated by the server (what a restart does to a session): 57P01.
    const victim = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres' });
    await victim.connect();
    victim.on('error', () => {});
    const killer = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres' });
    await killer.connect();
    try {
      const running = caught(victim.query('select pg_sleep(5)'));
      const pid = (victim as unknown as { processID: number }).processID;
      await killer.query('select pg_terminate_backend($1)', [pid]);
      expect(isDatabaseUnreachable(await running)).toBe(true);
    } finally {
      await killer.end();
      await victim.end().catch(() => undefined);
    }
    expect(isDatabaseUnreachable('not an error')).toBe(false);
  });
});
