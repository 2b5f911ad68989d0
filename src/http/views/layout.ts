import type { FastifyReply } from 'fastify';
import { html, type SafeHtml } from '../html.js';
import { clientMessages, htmlLang, t, type MessageKey } from '../i18n.js';
import { consentBanner, consentFooter, languageSwitch } from './consent-banner.view.js';
import { contactAddress } from './contact.view.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** PRIVACY_CONTACT_EMAIL (or its development default), shown in every footer. */
    privacyContactEmail: string;
  }
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
  const langQuery = lang === 'zh' ? '?lang=zh' : '';
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
          <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
          <link rel="apple-touch-icon" href="/assets/icon-180.png" />
          <link rel="manifest" href="/manifest.webmanifest" />
          <meta name="theme-color" content="#0f1220" />
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
            <p class="contact-footer" id="footer-contact">
              ${t(lang, 'contact.footer.label')} ${contactAddress(reply.server.privacyContactEmail)}
              · <a href="/contact${langQuery}">${t(lang, 'contact.footer.form')}</a> ·
              <a href="/contact${langQuery}#regulator">${t(lang, 'contact.footer.regulator')}</a>
            </p>
            ${consentFooter(request)}
          </footer>
        </body>
      </html>`.value,
  );
}
