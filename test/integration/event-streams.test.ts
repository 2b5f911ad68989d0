import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeTrack } from '../../src/music/engine.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import type { ComposeFn } from '../../src/modules/generations/run-generation.service.js';
import { createUser } from '../support/factories.js';
import { databaseKinds } from '../support/databases.js';
import { testPhoto } from '../support/images.js';
import {
  startTestApp,
  submitImage,
  waitFor,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

const photo = await testPhoto('painted-sky');

/*
 * Progress streams (review 2026-12, D6): bounded per user, sent with the same security headers
 * as every response, and pushed from the database's notifications, so a change committed by any
 * connection (another process on PostgreSQL) reaches the stream without anyone polling.
 */

/** The engine waits at the gate, so a generation stays running for as long as a test needs. */
let openGate: () => void = () => {};
let gate = Promise.resolve();
const gatedEngine: ComposeFn = async (request) => {
  await gate;
  return composeTrack(request);
};
function closeGate(): void {
  gate = new Promise((resolve) => (openGate = resolve));
}

/**
 * An open event stream read over a real socket of its own, event by event. (node:http with no
 * agent rather than fetch: closing must really close the socket, as a browser does.)
 */
class EventStream {
  readonly views: GenerationView[] = [];
  #ended = false;

  private constructor(
    readonly status: number,
    readonly headers: http.IncomingHttpHeaders,
    readonly body: string,
    private readonly request: http.ClientRequest,
  ) {}

  static open(t: TestApp, user: SignedInUser, id: string): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        `${t.baseUrl}/api/generations/${id}/events`,
        { agent: false, headers: { cookie: user.cookie, accept: 'text/event-stream' } },
        (response) => {
          if (response.statusCode !== 200) {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () =>
              resolve(new EventStream(response.statusCode ?? 0, response.headers, body, request)),
            );
            return;
          }
          const stream = new EventStream(200, response.headers, '', request);
          let buffer = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const message = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = /^data: (.*)$/m.exec(message)?.[1];
              if (message.startsWith('event: generation') && data) {
                stream.views.push(JSON.parse(data) as GenerationView);
              }
            }
          });
          response.on('close', () => {
            stream.#ended = true;
          });
          resolve(stream);
        },
      );
      request.on('error', reject);
    });
  }

  get ended(): boolean {
    return this.#ended;
  }

  close(): void {
    this.request.destroy();
  }
}

describe.each(databaseKinds)('progress streams on %s', (kind) => {
  let t: TestApp;
  let admin: pg.Client | null = null;

  beforeAll(async () => {
    t = await startTestApp({ database: kind, listen: true, compose: gatedEngine });
    if (t.testDb.config.kind === 'postgres') {
      admin = new pg.Client({ connectionString: t.testDb.config.url });
      await admin.connect();
    }
  });
  afterAll(async () => {
    openGate();
    await admin?.end();
    await t.close();
  });

  /** A generation held at the gate: running, stage "analysing", nothing else happening. */
  async function heldGeneration(user: SignedInUser): Promise<string> {
    closeGate();
    const res = await submitImage(t, user, { seconds: '10' }, photo);
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json<GenerationView>();
    await waitFor(async () => {
      const row = await t.runtime.database.db
        .selectFrom('generations')
        .select('stage')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return row.stage === 'analysing' ? true : undefined;
    });
    return id;
  }

  /** Changes the row on a connection of its own: another process, as far as the app knows. */
  async function setStageElsewhere(id: string, stage: string): Promise<void> {
    if (admin) await admin.query('update generations set stage = $1 where id = $2', [stage, id]);
    else
      await t.runtime.database.db
        .updateTable('generations')
        .set({ stage: stage as GenerationView['stage'] })
        .where('id', '=', id)
        .execute();
  }

  it('carries the security headers and pushes a change committed elsewhere', async () => {
    const user = await createUser(t, { email: `push-${kind}@example.com`, name: 'Push' });
    const id = await heldGeneration(user);
    const stream = await EventStream.open(t, user, id);
    try {
      const headers = stream.headers;
      expect(headers['content-type']).toMatch(/^text\/event-stream/);
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('same-origin');
      expect(headers['x-request-id']).toBeTruthy();
      expect(headers['cache-control']).toContain('no-store');
      await waitFor(async () => (stream.views.length >= 1 ? true : undefined));
      expect(stream.views[0]).toMatchObject({ id, status: 'running', stage: 'analysing' });

      await setStageElsewhere(id, 'composing');
      await waitFor(async () =>
        stream.views.some((v) => v.stage === 'composing') ? true : undefined,
      );
      await setStageElsewhere(id, 'rendering');
      await waitFor(async () =>
        stream.views.some((v) => v.stage === 'rendering') ? true : undefined,
      );
      // One event per change, and the stream stays open while the piece is unfinished.
      expect(stream.views.map((v) => v.stage)).toEqual(['analysing', 'composing', 'rendering']);
      expect(stream.ended).toBe(false);

      openGate();
      await waitFor(async () => (stream.ended ? true : undefined));
      expect(stream.views.at(-1)).toMatchObject({ status: 'done', stage: 'done' });
    } finally {
      stream.close();
    }
  });

  it('bounds the streams one user can hold open, without affecting anyone else', async () => {
    const hog = await createUser(t, { email: `hog-${kind}@example.com`, name: 'Hog' });
    const id = await heldGeneration(hog);
    const perUser = t.config.http.eventStreams.perUser;
    const open: EventStream[] = [];
    try {
      for (let i = 0; i < perUser; i += 1) open.push(await EventStream.open(t, hog, id));
      for (const stream of open) expect(stream.status).toBe(200);
      const refused = await EventStream.open(t, hog, id);
      expect(refused.status).toBe(429);
      const body = JSON.parse(refused.body) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('rate_limited');
      expect(body.error.message).toMatch(/pieces can be followed at once/);
      expect(refused.headers['content-security-policy']).toBeTruthy();

      // Someone else is not affected by the first user's streams.
      const other = await createUser(t, { email: `not-hog-${kind}@example.com`, name: 'Other' });
      const otherId = (await submitImage(t, other, { seconds: '10' }, photo)).json<GenerationView>()
        .id;
      const theirs = await EventStream.open(t, other, otherId);
      expect(theirs.status).toBe(200);
      theirs.close();

      // A closed stream frees its place.
      open.pop()?.close();
      await waitFor(async () => {
        const again = await EventStream.open(t, hog, id);
        if (again.status === 200) {
          open.push(again);
          return true;
        }
        again.close();
        return undefined;
      }, 10_000);
    } finally {
      for (const stream of open) stream.close();
      openGate();
    }
  });
});
