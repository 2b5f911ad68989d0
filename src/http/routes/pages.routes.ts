import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getAccount } from '../../modules/accounts/accounts.service.js';
import { getCreditBalance } from '../../modules/credits/credits.service.js';
import {
  listGenerations,
  type GenerationView,
} from '../../modules/generations/generations.service.js';
import { BusinessCalendar } from '../../modules/privacy/business-days.js';
import { dataInventory } from '../../modules/privacy/data-inventory.js';
import {
  listRightsRequests,
  type RightsRequestView,
} from '../../modules/privacy/rights-requests.service.js';
import { AppError } from '../../lib/errors.js';
import { consentBanner, consentFooter, languageSwitch } from '../consent.js';
import { html, type SafeHtml } from '../html.js';
import type { HttpDeps } from '../http-deps.js';
import { generationDepsOf } from './generations.routes.js';
import {
  clientMessages,
  formatDate,
  formatDateTime,
  htmlLang,
  moods,
  styles,
  t,
  tDynamic,
  translateInventory,
  type Lang,
  type MessageKey,
} from '../i18n.js';

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
]);

/** Kinds a user can file from the account center (the others are recorded by the service). */
const fileableKinds = [
  'access',
  'correction',
  'deletion',
  'withdraw_consent',
  'complaint',
  'other',
] as const;

export function registerPageRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const genDeps = generationDepsOf(deps);
  const accountDeps = { db: deps.db, masterKey: deps.masterKey, clock: deps.clock };
  const requestDeps = { ...accountDeps, calendar: new BusinessCalendar() };

  app.get('/assets/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const asset = assets.get(name);
    if (!asset) throw new AppError('not_found', 'no such asset');
    return reply
      .header('content-type', asset.type)
      .header('cache-control', 'no-cache')
      .send(asset.body);
  });

  const loginRedirect = (request: FastifyRequest, reply: FastifyReply) =>
    reply.redirect(`/auth/login?returnTo=${encodeURIComponent(request.url)}`, 303);

  app.get('/', async (request, reply) => {
    const lang = request.pageLanguage;
    if (!request.session) return sendPage(reply, t(lang, 'site.name'), landing(lang));
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
      generationPage(lang, id),
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
      libraryPage(lang, generations),
      request.session.csrfToken,
    );
  });

  app.get('/account', async (request, reply) => {
    if (!request.session) return loginRedirect(request, reply);
    const lang = request.pageLanguage;
    const { userId, csrfToken } = request.session;
    const account = await getAccount(accountDeps, userId);
    if (!account) throw new AppError('unauthenticated', 'this account no longer exists');
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

/**
 * The layout of every HTML page, in the request's language. Titles and bodies come translated
 * from the caller; the header, footer and the strings web/app.js needs come from here.
 */
export function sendPage(reply: FastifyReply, title: string, body: SafeHtml, csrfToken?: string) {
  const request = reply.request;
  const lang = request.pageLanguage;
  const signedIn = Boolean(csrfToken);
  const here = request.url.split('?')[0] ?? '/';
  const navLink = (href: string, key: MessageKey) =>
    html`<a href="${href}" ${here === href ? html`aria-current="page"` : ''}>${t(lang, key)}</a>`;
  return reply.header('content-type', 'text/html; charset=utf-8').send(
    html`<!doctype html>
      <html lang="${htmlLang(lang)}">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          ${csrfToken ? html`<meta name="csrf-token" content="${csrfToken}" />` : ''}
          <title>${title}</title>
          <link rel="stylesheet" href="/assets/style.css" />
          ${clientMessages(lang)}
          <script src="/assets/app.js" defer></script>
        </head>
        <body>
          <a class="skip-link" href="#main">${t(lang, 'nav.skip')}</a>
          ${consentBanner(request)}
          <header class="top">
            <a class="brand" href="/">Instune</a>
            ${
              signedIn
                ? html`<nav class="main-nav" aria-label="${t(lang, 'nav.label')}">
                    ${navLink('/', 'nav.create')} ${navLink('/library', 'nav.library')}
                    ${navLink('/credits', 'nav.credits')} ${navLink('/account', 'nav.account')}
                  </nav>`
                : ''
            }
            <div class="top-actions">
              ${languageSwitch(request)}
              ${
                signedIn
                  ? html`<form method="post" action="/auth/logout" class="logout">
                      <input type="hidden" name="_csrf" value="${csrfToken}" />
                      <button type="submit" class="quiet">${t(lang, 'nav.signOut')}</button>
                    </form>`
                  : ''
              }
            </div>
          </header>
          <main id="main" tabindex="-1">${body}</main>
          <footer>
            <p>${t(lang, 'footer.ai')}</p>
            ${consentFooter(request)}
          </footer>
        </body>
      </html>`.value,
  );
}

function landing(lang: Lang): SafeHtml {
  const steps = [1, 2, 3] as const;
  const promises = [1, 2, 3, 4, 5] as const;
  return html`<section class="hero">
      <h1>${t(lang, 'landing.title')}</h1>
      <p class="lead">${t(lang, 'landing.lead')}</p>
      <p><a class="button big" href="/auth/login">${t(lang, 'landing.signIn')}</a></p>
      <p class="muted">
        ${t(lang, 'landing.accept')}
        <a href="/privacy${lang === 'zh' ? '?lang=zh' : ''}">${t(lang, 'landing.privacyLink')}</a>.
      </p>
    </section>
    <section aria-labelledby="how-title">
      <h2 id="how-title">${t(lang, 'landing.how')}</h2>
      <ol class="steps">
        ${steps.map(
          (n) =>
            html`<li class="card step">
              <span class="step-number" aria-hidden="true">${n}</span>
              <h3>${t(lang, `landing.step${n}.title`)}</h3>
              <p>${t(lang, `landing.step${n}.body`)}</p>
            </li>`,
        )}
      </ol>
    </section>
    <section aria-labelledby="privacy-title" class="card promises">
      <h2 id="privacy-title">${t(lang, 'landing.privacy')}</h2>
      <ul>
        ${promises.map((n) => html`<li>${t(lang, `landing.privacy.${n}`)}</li>`)}
      </ul>
    </section>`;
}

function createPage(
  lang: Lang,
  view: {
    name: string;
    csrfToken: string;
    generations: GenerationView[];
    maxText: number;
    maxMb: number;
    balance: number;
    cost: number;
  },
): SafeHtml {
  const tooLow = view.balance < view.cost;
  return html`<section>
      <h1>${view.name ? t(lang, 'create.hello', { name: view.name }) : t(lang, 'create.title')}</h1>
      <p id="credits" class="credits-line" data-balance="${view.balance}" data-cost="${view.cost}">
        <span id="balance-text"
          >${t(lang, 'create.balance', { balance: view.balance, cost: view.cost })}</span
        >
        · <a href="/credits">${t(lang, 'create.buy')}</a>
      </p>
      <form
        id="create-form"
        method="post"
        action="/api/generations"
        enctype="multipart/form-data"
        class="card create"
      >
        <input type="hidden" name="_csrf" value="${view.csrfToken}" />
        <div class="field">
          <span class="field-label" id="image-label">${t(lang, 'create.image')}</span>
          <label id="dropzone" class="dropzone" for="image">
            <img id="preview" class="preview" alt="${t(lang, 'create.preview')}" hidden />
            <span id="drop-text" class="drop-text">${t(lang, 'create.drop')}</span>
            <span class="muted small">${t(lang, 'create.dropHint', { mb: view.maxMb })}</span>
            <span id="file-name" class="small" aria-live="polite"></span>
          </label>
          <input
            id="image"
            name="image"
            type="file"
            class="visually-hidden"
            accept="image/jpeg,image/png,image/webp"
            aria-labelledby="image-label"
            required
          />
        </div>
        <div class="field">
          <label for="text">${t(lang, 'create.text')}</label>
          <textarea
            id="text"
            name="text"
            rows="3"
            maxlength="${view.maxText}"
            placeholder="${t(lang, 'create.textPlaceholder')}"
          ></textarea>
        </div>
        <div class="grid-2">
          <div class="field">
            <label for="seconds">${t(lang, 'create.length')}</label>
            <div class="range-row">
              <input
                id="seconds-slider"
                type="range"
                min="10"
                max="180"
                step="5"
                value="30"
                aria-label="${t(lang, 'create.length')}"
                tabindex="-1"
              />
              <input
                id="seconds"
                name="seconds"
                type="number"
                min="10"
                max="180"
                value="30"
                required
              />
            </div>
          </div>
          <div class="field">
            <label for="mood">${t(lang, 'create.mood')}</label>
            <select id="mood" name="mood">
              <option value="">${t(lang, 'create.auto')}</option>
              ${moods.map((m) => html`<option value="${m}">${t(lang, `mood.${m}`)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="style">${t(lang, 'create.style')}</label>
            <select id="style" name="style">
              <option value="">${t(lang, 'create.auto')}</option>
              ${styles.map((s) => html`<option value="${s}">${t(lang, `style.${s}`)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="tempo">${t(lang, 'create.tempo')}</label>
            <input id="tempo" name="tempo" type="number" min="50" max="180" step="1" />
          </div>
          <div class="field">
            <label for="instrument">${t(lang, 'create.instrument')}</label>
            <input
              id="instrument"
              name="instrument"
              type="text"
              maxlength="40"
              placeholder="${t(lang, 'create.instrumentPlaceholder')}"
            />
          </div>
          <div class="field">
            <label for="seed">${t(lang, 'create.seed')}</label>
            <div class="seed-row">
              <input
                id="seed"
                name="seed"
                type="number"
                min="0"
                max="2147483647"
                placeholder="${t(lang, 'create.seedPlaceholder')}"
              />
              <button type="button" id="surprise" class="secondary">
                ${t(lang, 'create.surprise')}
              </button>
            </div>
          </div>
        </div>
        <label class="check" for="loop"
          ><input id="loop" name="loop" type="checkbox" value="true" />
          ${t(lang, 'create.loop')}</label
        >
        <div class="submit-row">
          <p id="cost-line" class="cost" aria-live="polite">
            ${t(lang, 'create.cost', { cost: view.cost, balance: view.balance })}
          </p>
          <button type="submit" id="submit" class="big" ${tooLow ? html`disabled` : ''}>
            ${t(lang, 'create.submit')}
          </button>
        </div>
        <p id="too-low" class="warning" ${tooLow ? '' : html`hidden`}>
          <span id="too-low-text"
            >${t(lang, 'create.tooLow', { cost: view.cost, balance: view.balance })}</span
          >
          <a id="buy-link" class="button" href="/credits">${t(lang, 'create.buy')}</a>
        </p>
        <p id="form-error" class="error" role="alert" hidden></p>
      </form>
    </section>
    ${
      view.generations.length > 0
        ? html`<section>
            <h2>${t(lang, 'create.recent')}</h2>
            ${generationList(lang, view.generations)}
            <p><a href="/library">${t(lang, 'create.allPieces')}</a></p>
          </section>`
        : ''
    }`;
}

function musicSummary(lang: Lang, g: GenerationView): string {
  if (!g.plan) return '';
  const style = tDynamic(lang, `style.${g.plan.style}`, g.plan.style);
  return `${g.plan.key} · ${g.plan.tempo} BPM · ${style}`;
}

function generationList(lang: Lang, generations: GenerationView[]): SafeHtml {
  return html`<ul class="history">
    ${generations.map(
      (g) =>
        html`<li>
          <a href="/generations/${g.id}">${formatDateTime(lang, g.createdAt)}</a>
          <span class="badge status-${g.status}"
            >${tDynamic(lang, `status.${g.status}`, g.status)}</span
          >
          <span class="muted">${musicSummary(lang, g)}</span>
        </li>`,
    )}
  </ul>`;
}

function generationPage(lang: Lang, id: string): SafeHtml {
  const shownStages = ['analysing', 'composing', 'rendering', 'encoding'] as const;
  const audio = (format: string) =>
    `/api/generations/${encodeURIComponent(id)}/audio?format=${format}`;
  return html`<section id="generation" data-id="${id}" class="card">
    <h1>${t(lang, 'result.title')}</h1>
    <ol id="stages" class="stages" aria-label="${t(lang, 'result.stages')}">
      ${shownStages.map((s) => html`<li data-stage="${s}">${t(lang, `stage.short.${s}`)}</li>`)}
    </ol>
    <p id="stage" role="status" aria-live="polite">${t(lang, 'result.loading')}</p>
    <progress id="progress" max="6" value="0"></progress>
    <div id="result" class="result" hidden>
      <div class="player-row">
        <span class="ai-label" lang="zh-Hans">${t(lang, 'result.aiLabel')}</span>
        <audio id="player" controls preload="metadata"></audio>
      </div>
      <canvas
        id="waveform"
        class="waveform"
        role="slider"
        tabindex="0"
        aria-label="${t(lang, 'result.waveform')}"
        aria-valuemin="0"
        aria-valuemax="0"
        aria-valuenow="0"
        >${t(lang, 'result.waveform')}</canvas
      >
      <p class="downloads">
        <span>${t(lang, 'result.download')}:</span>
        <a id="download" class="button" href="${audio('mp3')}" download
          >${t(lang, 'result.downloadMp3')}</a
        >
        <a id="download-wav" class="button secondary" href="${audio('wav')}" download
          >${t(lang, 'result.downloadWav')}</a
        >
        <a id="download-midi" class="button secondary" href="${audio('midi')}" download
          >${t(lang, 'result.downloadMidi')}</a
        >
        <a
          id="download-stems"
          class="button secondary"
          href="/api/generations/${encodeURIComponent(id)}/stems"
          download
          >${t(lang, 'result.downloadStems')}</a
        >
      </p>
      <p id="summary" class="summary"></p>
      <h2>${t(lang, 'result.palette')}</h2>
      <div id="palette" class="palette" role="img" aria-label="${t(lang, 'result.palette')}"></div>
      <h2>${t(lang, 'result.why')}</h2>
      <p id="explanation"></p>
      <p id="expiry" class="countdown" aria-live="off"></p>
      <p class="actions">
        <button type="button" id="variation" class="secondary" hidden>
          ${t(lang, 'result.variation')}
        </button>
        <button type="button" id="delete" class="danger">${t(lang, 'result.delete')}</button>
        <a href="/" class="button secondary">${t(lang, 'result.another')}</a>
      </p>
    </div>
    <p id="failure" class="error" hidden></p>
  </section>`;
}

function libraryPage(lang: Lang, generations: GenerationView[]): SafeHtml {
  return html`<section>
    <h1>${t(lang, 'library.title')}</h1>
    <p class="muted">${t(lang, 'library.note')}</p>
    ${
      generations.length === 0
        ? html`<div class="card empty" id="library-empty">
            <p>${t(lang, 'library.empty')}</p>
            <p><a class="button" href="/">${t(lang, 'library.start')}</a></p>
          </div>`
        : html`<div class="table-wrap">
            <table id="library" class="table">
              <thead>
                <tr>
                  <th scope="col">${t(lang, 'library.date')}</th>
                  <th scope="col">${t(lang, 'library.status')}</th>
                  <th scope="col">${t(lang, 'library.music')}</th>
                  <th scope="col">
                    <span class="visually-hidden">${t(lang, 'library.open')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                ${generations.map((g) => {
                  const status = g.status === 'done' && !g.downloadable ? 'deleted' : g.status;
                  return html`<tr>
                    <td>${formatDateTime(lang, g.createdAt)}</td>
                    <td>
                      <span class="badge status-${status}"
                        >${tDynamic(lang, `status.${status}`, status)}</span
                      >
                    </td>
                    <td>${musicSummary(lang, g)}</td>
                    <td><a href="/generations/${g.id}">${t(lang, 'library.open')}</a></td>
                  </tr>`;
                })}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

function accountPage(
  lang: Lang,
  view: { email: string; name: string; createdAt: Date; requests: RightsRequestView[] },
): SafeHtml {
  const inventory = translateInventory(lang, dataInventory);
  return html`<h1>${t(lang, 'account.title')}</h1>
    <section class="card" aria-labelledby="data-title">
      <h2 id="data-title">${t(lang, 'account.data')}</h2>
      <dl class="facts">
        <dt>${t(lang, 'account.email')}</dt>
        <dd id="account-email">${view.email}</dd>
        <dt>${t(lang, 'account.name')}</dt>
        <dd id="account-name-shown">${view.name}</dd>
        <dt>${t(lang, 'account.since')}</dt>
        <dd>${formatDate(lang, view.createdAt)}</dd>
      </dl>
      <form id="name-form" class="inline-form">
        <label for="account-name">${t(lang, 'account.correct')}</label>
        <div class="range-row">
          <input id="account-name" name="name" type="text" maxlength="400" value="${view.name}" />
          <button type="submit">${t(lang, 'account.save')}</button>
        </div>
        <p id="name-status" role="status" class="muted"></p>
      </form>
      <h3>${t(lang, 'account.stored')}</h3>
      <div class="table-wrap">
        <table class="table" id="inventory">
          <thead>
            <tr>
              <th scope="col">${t(lang, 'account.what')}</th>
              <th scope="col">${t(lang, 'account.why')}</th>
              <th scope="col">${t(lang, 'account.howLong')}</th>
            </tr>
          </thead>
          <tbody>
            ${inventory.map(
              (item) =>
                html`<tr>
                  <td>${item.what}</td>
                  <td>${item.why}</td>
                  <td>${item.retention}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">${t(lang, 'account.export')}</h2>
      <p>${t(lang, 'account.exportBody')}</p>
      <p><button type="button" id="export-button">${t(lang, 'account.exportButton')}</button></p>
      <p id="export-status" role="status"></p>
      <p id="export-ready" hidden>
        <a id="export-link" class="button" href="#" download
          >${t(lang, 'account.exportDownload')}</a
        >
        <span id="export-expiry" class="muted"></span>
      </p>
    </section>
    <section class="card" aria-labelledby="requests-title">
      <h2 id="requests-title">${t(lang, 'account.requests')}</h2>
      <p>${t(lang, 'account.requestsBody')}</p>
      <form id="request-form" class="request-form">
        <div class="field">
          <label for="request-kind">${t(lang, 'account.kind')}</label>
          <select id="request-kind" name="kind">
            ${fileableKinds.map((k) => html`<option value="${k}">${t(lang, `kind.${k}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="request-message">${t(lang, 'account.message')}</label>
          <textarea id="request-message" name="message" rows="3" maxlength="4000"></textarea>
        </div>
        <p><button type="submit">${t(lang, 'account.fileRequest')}</button></p>
        <p id="request-status" role="status" class="muted"></p>
      </form>
      <div class="table-wrap">
        <table class="table" id="requests">
          <thead>
            <tr>
              <th scope="col">${t(lang, 'account.kind')}</th>
              <th scope="col">${t(lang, 'account.filed')}</th>
              <th scope="col">${t(lang, 'account.due')}</th>
              <th scope="col">${t(lang, 'account.status')}</th>
            </tr>
          </thead>
          <tbody id="requests-body">
            ${
              view.requests.length === 0
                ? html`<tr>
                    <td colspan="4" class="muted">${t(lang, 'account.noRequests')}</td>
                  </tr>`
                : view.requests.map(
                    (r) =>
                      html`<tr>
                        <td>${tDynamic(lang, `kind.${r.kind}`, r.kind)}</td>
                        <td>${formatDate(lang, r.createdAt)}</td>
                        <td>${r.dueDate}</td>
                        <td>${tDynamic(lang, `reqStatus.${r.status}`, r.status)}</td>
                      </tr>`,
                  )
            }
          </tbody>
        </table>
      </div>
    </section>
    <section class="card" aria-labelledby="consent-title-account">
      <h2 id="consent-title-account">${t(lang, 'account.consent')}</h2>
      <p>${t(lang, 'account.consentBody')}</p>
      <p>
        <a href="/cookies">${t(lang, 'account.consentLink')}</a> ·
        <a href="/privacy${lang === 'zh' ? '?lang=zh' : ''}">${t(lang, 'account.policyLink')}</a>
      </p>
    </section>
    <section class="card danger-zone" aria-labelledby="cancel-title">
      <h2 id="cancel-title">${t(lang, 'account.cancel')}</h2>
      <p>${t(lang, 'account.cancelBody')}</p>
      <form id="cancel-form">
        <label for="cancel-confirm">${t(lang, 'account.cancelConfirm')}</label>
        <div class="range-row">
          <input id="cancel-confirm" type="text" autocomplete="off" spellcheck="false" />
          <button type="submit" id="cancel-button" class="danger" disabled>
            ${t(lang, 'account.cancelButton')}
          </button>
        </div>
        <p id="cancel-status" role="status"></p>
      </form>
    </section>`;
}

export function isHtmlRequest(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}
