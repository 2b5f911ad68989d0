import { html, type SafeHtml } from '../html.js';
import { t, type Lang, type MessageKey } from '../i18n.js';

/** What a browser shows instead of the API's JSON when a page cannot be answered. */
export type ErrorPageKind =
  'notFound' | 'signIn' | 'forbidden' | 'gone' | 'tooMany' | 'unavailable' | 'broken';

export function errorPageKind(status: number): ErrorPageKind {
  if (status === 404) return 'notFound';
  if (status === 401) return 'signIn';
  if (status === 403) return 'forbidden';
  if (status === 410) return 'gone';
  if (status === 429) return 'tooMany';
  if (status === 503) return 'unavailable';
  return 'broken';
}

export function errorPageTitle(lang: Lang, kind: ErrorPageKind): string {
  return `${t(lang, `errorPage.${kind}.title` as MessageKey)} — Instune`;
}

export function errorPage(
  lang: Lang,
  view: { kind: ErrorPageKind; status: number; requestId: string; returnTo: string },
): SafeHtml {
  const { kind } = view;
  return html`<section class="card narrow error-page">
    <h1>${t(lang, `errorPage.${kind}.title` as MessageKey)}</h1>
    <p>${t(lang, `errorPage.${kind}.body` as MessageKey)}</p>
    <p class="actions">
      ${
        kind === 'signIn'
          ? html`<a class="button" href="/auth/login?returnTo=${encodeURIComponent(view.returnTo)}"
              >${t(lang, 'errorPage.signInAction')}</a
            >`
          : ''
      }
      <a class="button secondary" href="/">${t(lang, 'errorPage.home')}</a>
    </p>
    <p class="muted small">
      ${t(lang, 'errorPage.reference', { status: view.status, id: view.requestId })}
    </p>
  </section>`;
}
