import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { systemClock } from '../lib/clock.js';
import { createLogger } from '../lib/logger.js';
import { compareApiDocument, documentedOperations } from './api-routes.js';
import type { HttpDeps } from './http-deps.js';
import { openApiDocument } from './openapi.js';
import { buildServer } from './server.js';

describe('the OpenAPI document', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'instune-openapi-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The real server over dependencies that are never called: only its routes are looked at. */
  async function buildRoutesOnly() {
    const config = loadConfig({
      DATA_DIR: dataDir,
      PUBLIC_URL: 'http://instune.test',
      MASTER_KEY: randomBytes(32).toString('base64'),
      // Limits add route options, not routes; their store would need the database.
      RATE_LIMIT_ENABLED: 'false',
    });
    const unused = new Proxy(
      {},
      {
        get: (_target, name) => {
          throw new Error(`not used while registering routes: ${String(name)}`);
        },
      },
    );
    const deps = {
      config,
      log: createLogger({ level: 'silent' }),
      clock: systemClock,
      db: unused,
      notifications: unused,
      masterKey: unused,
      vault: unused,
      queue: unused,
      oidc: unused,
    } as unknown as HttpDeps;
    return buildServer(deps);
  }

  it('describes every API route, and no route that does not exist', async () => {
    const app = await buildRoutesOnly();
    // ready() runs the server's own comparison and fails on any difference.
    await app.ready();
    const operations = documentedOperations(openApiDocument);
    for (const operation of operations) {
      const [method, url] = operation.split(' ') as [string, string];
      expect(app.hasRoute({ method, url }), operation).toBe(true);
    }
    expect(operations.length).toBeGreaterThanOrEqual(22);
    await app.close();
  });

  it('names what differs when a route is undocumented or a documented one is gone', () => {
    const drift = compareApiDocument(
      [
        { method: 'GET', url: '/api/me' },
        { method: 'HEAD', url: '/api/me' },
        { method: 'POST', url: '/api/new-thing/:id' },
        { method: 'GET', url: '/library' },
      ],
      { paths: { '/api/me': { get: {} }, '/api/old/{id}': { parameters: [], delete: {} } } },
    );
    expect(drift).toEqual({
      undocumented: ['POST /api/new-thing/:id'],
      missing: ['DELETE /api/old/:id'],
    });
  });
});
