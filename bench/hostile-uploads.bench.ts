/**
 * Hostile-upload bench (not a test): `npm run bench:hostile`.
 * Starts the real app on 127.0.0.1 (embedded PGlite, a random free port, no worker load), signs
 * one user in through the services, then sends N hostile uploads (default 1,000) with a bounded
 * concurrency and a hard time limit. Prints crashes (5xx or dropped connections), the status
 * histogram, resident memory before/after/peak, and what was stored (it should be nothing).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadConfig } from '../src/config/config.js';
import { multipartBody } from '../test/support/multipart.js';
import { buildServer } from '../src/http/server.js';
import { createLogger } from '../src/lib/logger.js';
import { httpDepsOf, openRuntime } from '../src/main/runtime.js';
import { signInWithIdentity } from '../src/modules/accounts/accounts.service.js';
import { createSession } from '../src/modules/accounts/sessions.service.js';
import { recordSignUpAcceptance } from '../src/modules/policies/policy-acceptance.service.js';
import type { OidcClient } from '../src/adapters/oidc/oidc-client.js';

const COUNT = Number(process.env.BENCH_UPLOADS ?? 1000);
const CONCURRENCY = 8;
const TIME_LIMIT_MS = 5 * 60 * 1000;
const IMAGES = fileURLToPath(new URL('../../shared/data/images', import.meta.url));

async function hostileCorpus(maxBytes: number, maxTextChars: number) {
  const photo = readFileSync(path.join(IMAGES, 'kodak_kodim23_parrots.jpg'));
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'red' } })
    .png()
    .toBuffer();
  const bombPng = await sharp({
    create: { width: 12_000, height: 12_000, channels: 3, background: 'white' },
  })
    .png({ compressionLevel: 9 })
    .toBuffer();
  const bombWebp = await sharp({
    create: { width: 16_000, height: 9_000, channels: 3, background: 'black' },
  })
    .webp({ quality: 1 })
    .toBuffer();
  const gif = await sharp({ create: { width: 32, height: 32, channels: 3, background: 'blue' } })
    .gif()
    .toBuffer();
  type Case = { kind: string; body: () => { payload: Buffer; contentType: string } };
  const file =
    (bytes: Buffer, fields: Record<string, string> = { seconds: '10' }, name = 'image') =>
    () =>
      multipart(fields, { name, bytes });
  const cases: Case[] = [
    {
      kind: 'truncated-jpeg',
      body: () =>
        multipart(
          { seconds: '10' },
          {
            name: 'image',
            bytes: photo.subarray(0, 100 + Math.floor(Math.random() * (photo.length - 200))),
          },
        ),
    },
    {
      kind: 'polyglot-jpeg-magic-png-body',
      body: file(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), png])),
    },
    {
      kind: 'polyglot-png-then-zip',
      body: file(
        Buffer.concat([png.subarray(0, 40), Buffer.from('PK\x03\x04'), randomBytes(2000)]),
      ),
    },
    { kind: 'png-bomb-144MP', body: file(bombPng) },
    { kind: 'webp-bomb-144MP', body: file(bombWebp) },
    {
      kind: 'svg-script',
      body: file(
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      ),
    },
    { kind: 'gif', body: file(gif) },
    { kind: 'pdf', body: file(Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\n')) },
    { kind: 'empty-file', body: file(Buffer.alloc(0)) },
    {
      kind: 'random-bytes',
      body: () => multipart({ seconds: '10' }, { name: 'image', bytes: randomBytes(5000) }),
    },
    { kind: 'huge-text', body: file(photo, { seconds: '10', text: 'x'.repeat(maxTextChars * 5) }) },
    { kind: 'two-files', body: () => twoFiles(photo) },
    { kind: 'wrong-field-name', body: file(photo, { seconds: '10' }, 'document') },
    { kind: 'bad-seconds', body: file(photo, { seconds: '-5' }) },
    {
      kind: 'malformed-multipart',
      body: () => ({
        payload: Buffer.from(
          '--b\r\nContent-Disposition: form-data; name="image"; filename="a"\r\n\r\nabc',
        ),
        contentType: 'multipart/form-data; boundary=b',
      }),
    },
    {
      kind: 'no-boundary',
      body: () => ({ payload: Buffer.from('hello'), contentType: 'multipart/form-data' }),
    },
    {
      kind: 'json-not-multipart',
      body: () => ({ payload: Buffer.from('{"image":"x"}'), contentType: 'application/json' }),
    },
  ];
  const oversized = {
    kind: 'over-byte-limit',
    body: file(Buffer.concat([photo, randomBytes(maxBytes)])),
  };
  return { cases, oversized };
}

/** Fields plus one JPEG-declared file part named `file.name`, as the bench sends them. */
function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer }) {
  const { payload, headers } = multipartBody(fields, {
    field: file.name,
    filename: 'x.jpg',
    contentType: 'image/jpeg',
    bytes: file.bytes,
  });
  return { payload, contentType: headers['content-type'] ?? '' };
}

function twoFiles(bytes: Buffer) {
  const boundary = `----bench${randomBytes(6).toString('hex')}`;
  const part = (n: string) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${n}"; filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      bytes,
      Buffer.from('\r\n'),
    ]);
  return {
    payload: Buffer.concat([part('image'), part('image'), Buffer.from(`--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

function countFiles(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      .length;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'instune-hostile-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_ENABLED: 'false',
    FREE_CREDITS: '100000',
  });
  const log = createLogger({ level: 'silent' });
  // The web role only: nothing here should ever reach a worker.
  const runtime = await openRuntime(config, log, {
    role: 'all',
    migrate: true,
    compose: () => Promise.reject(new Error('no composing in this bench')),
  });
  // Sign-in is not exercised here: the user gets a session straight from the services.
  const noSignIn = {} as OidcClient;
  const app = await buildServer(httpDepsOf(runtime, noSignIn));

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const userId = await signInWithIdentity(
    {
      db: runtime.database.db,
      masterKey: runtime.masterKey,
      clock: runtime.clock,
      freeCredits: config.credits.freeCredits,
    },
    {
      issuer: 'bench',
      subject: 'hostile',
      email: 'bench@example.com',
      emailVerified: true,
      name: 'Bench',
      avatarUrl: null,
    },
  );
  // As at sign-up: the account accepts the policy in force, so uploads reach validation.
  await recordSignUpAcceptance({ db: runtime.database.db, clock: runtime.clock }, userId);
  const { token, session } = await createSession(
    { db: runtime.database.db, clock: runtime.clock, ttlHours: 1 },
    userId,
  );
  const cookie = `instune_session=${token}`;
  const { cases, oversized } = await hostileCorpus(
    config.uploads.maxBytes,
    config.uploads.maxTextChars,
  );

  const blobsBefore = countFiles(path.join(dataDir, 'blobs'));
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 25);

  const histogram = new Map<string, number>();
  const byKind = new Map<string, Set<number>>();
  let crashes = 0;
  let sent = 0;
  const started = Date.now();
  const next = () => {
    const i = sent++;
    if (i >= COUNT || Date.now() - started > TIME_LIMIT_MS) return null;
    // Every 50th upload is a file over the byte limit (they are large, so fewer of them).
    return i % 50 === 49 ? oversized : cases[i % cases.length];
  };
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let c = next(); c; c = next()) {
        const { payload, contentType } = c.body();
        let status: number;
        try {
          const res = await fetch(`${base}/api/generations`, {
            method: 'POST',
            body: new Uint8Array(payload),
            headers: {
              'content-type': contentType,
              cookie,
              'x-csrf-token': session.csrfToken,
              accept: 'application/json',
            },
          });
          status = res.status;
          await res.arrayBuffer();
        } catch {
          status = 0;
        }
        if (status === 0 || status >= 500) crashes += 1;
        histogram.set(String(status), (histogram.get(String(status)) ?? 0) + 1);
        if (!byKind.has(c.kind)) byKind.set(c.kind, new Set());
        byKind.get(c.kind)?.add(status);
      }
    }),
  );
  clearInterval(sampler);
  const elapsed = Date.now() - started;
  const rows = await runtime.database.db
    .selectFrom('generations')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  const rssAfter = process.memoryUsage().rss;
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

  console.log(
    `hostile uploads: ${Math.min(sent, COUNT)} sent in ${(elapsed / 1000).toFixed(1)} s (${CONCURRENCY} at a time)`,
  );
  console.log(`crashes (5xx or dropped): ${crashes}`);
  console.log(
    `status histogram: ${[...histogram]
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join('  ')}`,
  );
  for (const [kind, statuses] of byKind)
    console.log(`  ${kind.padEnd(30)} → ${[...statuses].join(', ')}`);
  console.log(`server RSS: before ${mb(rssBefore)}, after ${mb(rssAfter)}, peak ${mb(rssPeak)}`);
  console.log(
    `stored: generation rows ${Number(rows?.n ?? 0)}, blob files ${countFiles(path.join(dataDir, 'blobs')) - blobsBefore}`,
  );

  await app.close();
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
