import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getAccount } from '../../modules/accounts/accounts.service.js';
import { getCreditBalance } from '../../modules/credits/credits.service.js';
import {
  listGenerations,
  type GenerationDeps,
  type GenerationView,
} from '../../modules/generations/generations.service.js';
import { AppError } from '../../lib/errors.js';
import { consentBanner, consentFooter } from '../consent.js';
import { html, type SafeHtml } from '../html.js';
import type { HttpDeps } from '../http-deps.js';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');
const assets: Record<string, { type: string; body: Buffer }> = {
  'app.js': {
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(path.join(webDir, 'app.js')),
  },
  'style.css': {
    type: 'text/css; charset=utf-8',
    body: readFileSync(path.join(webDir, 'style.css')),
  },
};

const stageLabels: Record<string, string> = {
  queued: 'Waiting for a free worker',
  analysing: 'Analysing the image',
  composing: 'Composing',
  rendering: 'Rendering the instruments',
  encoding: 'Encoding the MP3',
  storing: 'Saving',
  done: 'Ready',
  failed: 'Failed',
};

export function registerPageRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const genDeps: GenerationDeps = {
    db: deps.db,
    vault: deps.vault,
    masterKey: deps.masterKey,
    clock: deps.clock,
    queue: deps.queue,
    limits: deps.config.uploads,
    generationCost: deps.config.credits.generationCost,
  };

  app.get('/assets/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const asset = assets[name];
    if (!asset) throw new AppError('not_found', 'no such asset');
    return reply
      .header('content-type', asset.type)
      .header('cache-control', 'no-cache')
      .send(asset.body);
  });

  app.get('/', async (request, reply) => {
    if (!request.session) return sendPage(reply, 'Instune', landing());
    const account = await getAccount(
      { db: deps.db, masterKey: deps.masterKey, clock: deps.clock },
      request.session.userId,
    );
    const generations = await listGenerations(genDeps, request.session.userId);
    const balance = await getCreditBalance(deps.db, request.session.userId);
    return sendPage(
      reply,
      'Create — Instune',
      createPage(
        account?.name ?? account?.email ?? 'there',
        request.session.csrfToken,
        generations,
        deps.config.uploads.maxTextChars,
        { balance, cost: deps.config.credits.generationCost },
      ),
      request.session.csrfToken,
    );
  });

  app.get('/generations/:id', async (request, reply) => {
    if (!request.session)
      return reply.redirect(`/auth/login?returnTo=${encodeURIComponent(request.url)}`, 303);
    const { id } = request.params as { id: string };
    return sendPage(reply, 'Your piece — Instune', generationPage(id), request.session.csrfToken);
  });
}

export function sendPage(reply: FastifyReply, title: string, body: SafeHtml, csrfToken?: string) {
  return reply.header('content-type', 'text/html; charset=utf-8').send(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          ${csrfToken ? html`<meta name="csrf-token" content="${csrfToken}" />` : ''}
          <title>${title}</title>
          <link rel="stylesheet" href="/assets/style.css" />
          <script src="/assets/app.js" defer></script>
        </head>
        <body>
          ${consentBanner(reply.request)}
          <header class="top">
            <a class="brand" href="/">Instune</a>${
              csrfToken
                ? html`<form method="post" action="/auth/logout" class="logout">
                    <input type="hidden" name="_csrf" value="${csrfToken}" /><button type="submit">
                      Sign out
                    </button>
                  </form>`
                : ''
            }
          </header>
          <main>${body}</main>
          <footer>
            Music generated here is AI-generated (AI生成). Uploaded images and text are deleted
            after generation; generated music after 24 hours. ${consentFooter(reply.request)}
          </footer>
        </body>
      </html>`.value,
  );
}

function landing(): SafeHtml {
  return html`<section class="hero">
    <h1>Turn a picture into music</h1>
    <p>
      Upload a photo or a painting, add a few words if you like, and Instune composes an original
      piece that follows its colours, light and mood.
    </p>
    <p><a class="button" href="/auth/login">Sign in to start</a></p>
    <p class="muted">By signing in you accept our <a href="/privacy">privacy policy</a>.</p>
  </section>`;
}

function createPage(
  name: string,
  csrfToken: string,
  generations: GenerationView[],
  maxText: number,
  credits: { balance: number; cost: number },
): SafeHtml {
  return html`<section>
      <h1>Hello, ${name}</h1>
      <p id="credits">
        Balance: ${credits.balance} credits · this piece costs ${credits.cost} ·
        <a href="/credits">Buy credits</a>
      </p>
      <form
        id="create-form"
        method="post"
        action="/api/generations"
        enctype="multipart/form-data"
        class="card"
      >
        <input type="hidden" name="_csrf" value="${csrfToken}" />
        <label for="image">Image (JPEG, PNG or WebP)</label>
        <input
          id="image"
          name="image"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          required
        />
        <label for="text">Description (optional)</label>
        <textarea
          id="text"
          name="text"
          rows="3"
          maxlength="${maxText}"
          placeholder="e.g. calm night by the sea / 夜晚平静的海边"
        ></textarea>
        <div class="row">
          <label for="seconds"
            >Length (seconds)<input
              id="seconds"
              name="seconds"
              type="number"
              min="10"
              max="180"
              value="30"
          /></label>
          <label for="seed"
            >Seed (optional)<input
              id="seed"
              name="seed"
              type="number"
              min="0"
              max="2147483647"
              placeholder="random"
          /></label>
        </div>
        <button type="submit">Compose</button>
        <p id="form-error" class="error" role="alert" hidden></p>
      </form>
    </section>
    <section>
      <h2>Your pieces</h2>
      ${
        generations.length === 0
          ? html`<p>Nothing yet.</p>`
          : html`<ul class="history">
              ${generations.map(
                (g) =>
                  html`<li>
                    <a href="/generations/${g.id}">${new Date(g.createdAt).toUTCString()}</a> —
                    ${stageLabels[g.stage] ?? g.stage}${
                      g.plan ? html` — ${g.plan.key}, ${g.plan.tempo} BPM` : ''
                    }
                  </li>`,
              )}
            </ul>`
      }
    </section>`;
}

function generationPage(id: string): SafeHtml {
  return html`<section id="generation" data-id="${id}" class="card">
    <h1>Your piece</h1>
    <p id="stage" role="status" aria-live="polite">Loading…</p>
    <progress id="progress" max="6" value="0"></progress>
    <div id="result" hidden>
      <p><span class="ai-label">AI生成 / AI-generated</span></p>
      <audio id="player" controls preload="none"></audio>
      <p><a id="download" class="button" download>Download MP3</a></p>
      <p id="summary"></p>
      <div id="palette" class="palette" aria-label="Colours found in the image"></div>
      <p id="explanation"></p>
      <p id="expiry" class="muted"></p>
    </div>
    <p id="failure" class="error" hidden></p>
  </section>`;
}

export function isHtmlRequest(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}
