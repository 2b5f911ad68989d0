import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { getAccount } from '../../modules/accounts/accounts.service.js';
import { getCreditBalance } from '../../modules/credits/credits.service.js';
import { MAX_TITLE_CHARS } from '../../modules/generations/derived-generations.service.js';
import { getGeneration, listGenerations } from '../../modules/generations/generations.service.js';
import {
  EXAMPLE_SLUGS,
  LandingExampleShelf,
} from '../../modules/generations/landing-examples.service.js';
import { MAX_SECONDS } from '../../music/limits.js';
import { BusinessCalendar } from '../../modules/privacy/business-days.js';
import { listRightsRequests } from '../../modules/privacy/rights-requests.service.js';
import { AppError } from '../../lib/errors.js';
import type { HttpDeps } from '../http-deps.js';
import { t } from '../i18n.js';
import { compareQuery } from '../schemas/generation.schemas.js';
import { generationDepsOf } from '../service-deps.js';
import { accountPage } from '../views/account.view.js';
import { comparePage } from '../views/compare.view.js';
import { createPage } from '../views/create.view.js';
import { generationPage } from '../views/generation.view.js';
import { landing } from '../views/landing.view.js';
import { sendPage } from '../views/layout.js';
import { libraryPage } from '../views/library.view.js';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');
// A Map, not an object literal: a name from the URL must never reach Object.prototype
// ("constructor", "__proto__", "toString" would otherwise be found).
const assets = new Map<string, { type: string; body: Buffer }>([
  [
    'app.js',
    { type: 'text/javascript; charset=utf-8', body: readFileSync(path.join(webDir, 'app.js')) },
  ],
  [
    'style.css',
    { type: 'text/css; charset=utf-8', body: readFileSync(path.join(webDir, 'style.css')) },
  ],
  ['icon.svg', { type: 'image/svg+xml', body: readFileSync(path.join(webDir, 'icon.svg')) }],
]);

/** The icon as PNG for browsers and home screens that do not take SVG, drawn once on demand. */
const iconPngs = new Map<number, Promise<Buffer>>();
function iconPng(size: number): Promise<Buffer> {
  let png = iconPngs.get(size);
  if (!png) {
    png = sharp(assets.get('icon.svg')?.body, { density: Math.ceil((72 * size) / 64) })
      .resize(size, size)
      .png()
      .toBuffer();
    iconPngs.set(size, png);
  }
  return png;
}
const ICON_SIZES = new Map([
  ['icon-180.png', 180],
  ['icon-192.png', 192],
  ['icon-512.png', 512],
]);

export function registerPageRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const genDeps = generationDepsOf(deps);
  const accountDeps = { db: deps.db, masterKey: deps.masterKey, clock: deps.clock };
  const requestDeps = { ...accountDeps, calendar: new BusinessCalendar() };
  const examples = new LandingExampleShelf(deps.config.dataDir, () => deps.clock.now().getTime());

  app.get('/favicon.ico', async (_request, reply) =>
    reply
      .header('content-type', 'image/png')
      .header('cache-control', 'public, max-age=86400')
      .send(await iconPng(32)),
  );
  app.get('/manifest.webmanifest', async (request, reply) =>
    reply.header('content-type', 'application/manifest+json').send({
      name: 'Instune',
      short_name: 'Instune',
      description: t(request.pageLanguage, 'landing.lead'),
      start_url: '/',
      display: 'standalone',
      background_color: '#0f1220',
      theme_color: '#0f1220',
      icons: [
        { src: '/assets/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        { src: '/assets/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: '/assets/icon-512.png', sizes: '512x512', type: 'image/png' },
      ],
    }),
  );

  app.get('/assets/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const size = ICON_SIZES.get(name);
    if (size) {
      return reply
        .header('content-type', 'image/png')
        .header('cache-control', 'no-cache')
        .send(await iconPng(size));
    }
    const asset = assets.get(name);
    if (!asset) throw new AppError('not_found', 'no such asset');
    return reply
      .header('content-type', asset.type)
      .header('cache-control', 'no-cache')
      .send(asset.body);
  });

  // The landing page's example pictures and music: public, the same for everyone.
  app.get('/examples/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const match = /^([a-z]+)\.(png|mp3)$/.exec(file);
    const slug = match?.[1];
    const kind = match?.[2] === 'png' ? 'png' : 'mp3';
    const known = (EXAMPLE_SLUGS as readonly string[]).includes(slug ?? '');
    const body = known && slug ? await examples.file(slug, kind) : null;
    if (!body) throw new AppError('not_found', 'no such example');
    return reply
      .header('content-type', kind === 'png' ? 'image/png' : 'audio/mpeg')
      .header('cache-control', 'public, max-age=3600')
      .send(body);
  });

  const loginRedirect = (request: FastifyRequest, reply: FastifyReply) =>
    reply.redirect(`/auth/login?returnTo=${encodeURIComponent(request.url)}`, 303);

  app.get('/', async (request, reply) => {
    const lang = request.pageLanguage;
    if (!request.session) {
      return sendPage(
        reply,
        t(lang, 'site.name'),
        landing(lang, await examples.examples(), deps.config.privacy.contactEmail),
      );
    }
    const { userId, csrfToken } = request.session;
    const account = await getAccount(accountDeps, userId);
    const generations = await listGenerations(genDeps, userId);
    const balance = await getCreditBalance(deps.db, userId);
    return sendPage(
      reply,
      `${t(lang, 'create.title')} — Instune`,
      createPage(lang, {
        name: account?.name ?? account?.email ?? '',
        csrfToken,
        generations: generations.slice(0, 5),
        maxText: deps.config.uploads.maxTextChars,
        maxMb: Math.floor(deps.config.uploads.maxBytes / (1024 * 1024)),
        maxBytes: deps.config.uploads.maxBytes,
        balance,
        cost: deps.config.credits.generationCost,
      }),
      csrfToken,
    );
  });

  app.get('/generations/:id', async (request, reply) => {
    if (!request.session) return loginRedirect(request, reply);
    const { id } = request.params as { id: string };
    const lang = request.pageLanguage;
    return sendPage(
      reply,
      `${t(lang, 'result.title')} — Instune`,
      generationPage(lang, id, MAX_SECONDS),
      request.session.csrfToken,
    );
  });

  app.get('/library', async (request, reply) => {
    if (!request.session) return loginRedirect(request, reply);
    const lang = request.pageLanguage;
    const generations = await listGenerations(genDeps, request.session.userId);
    return sendPage(
      reply,
      `${t(lang, 'library.title')} — Instune`,
      libraryPage(lang, generations, deps.clock.now(), MAX_TITLE_CHARS),
      request.session.csrfToken,
    );
  });

  // Two versions side by side: both must be the signed-in user's (another's answers as missing).
  app.get('/compare', async (request, reply) => {
    if (!request.session) return loginRedirect(request, reply);
    const { ids } = compareQuery.parse(request.query);
    const { userId, csrfToken } = request.session;
    const views = await Promise.all(ids.map((id) => getGeneration(genDeps, userId, id)));
    const lang = request.pageLanguage;
    return sendPage(
      reply,
      `${t(lang, 'compare.title')} — Instune`,
      comparePage(
        lang,
        views.map((v) => v.id),
        views[0]?.parentId ?? null,
      ),
      csrfToken,
    );
  });

  app.get('/account', async (request, reply) => {
    if (!request.session) return loginRedirect(request, reply);
    const lang = request.pageLanguage;
    const { userId, csrfToken } = request.session;
    const account = await getAccount(accountDeps, userId);
    if (!account) throw AppError.because('account_gone', 'this account no longer exists');
    const requests = await listRightsRequests(requestDeps, userId);
    return sendPage(
      reply,
      `${t(lang, 'account.title')} — Instune`,
      accountPage(lang, {
        email: account.email ?? '',
        name: account.name ?? '',
        createdAt: account.createdAt,
        requests,
      }),
      csrfToken,
    );
  });
}
