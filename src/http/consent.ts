import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import { newToken } from '../lib/ids.js';
import type { ConsentPurpose, ConsentState } from '../modules/policies/consent.service.js';
import type { PolicyLanguage } from '../modules/policies/policy-versions.js';
import { html, type SafeHtml } from './html.js';

/** What the browser chose, read from the essential consent cookie; null until it chooses. */
export interface BrowserConsent extends ConsentState {
  /** Random, per browser: links this browser's anonymous choices in the consent log. */
  consentId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    consent: BrowserConsent | null;
    pageLanguage: PolicyLanguage;
  }
}

/** A choice is asked again after six months (and the log keeps no record longer than that). */
export const CONSENT_MAX_AGE_SECONDS = 180 * 24 * 3600;

export function consentCookieNames(secure: boolean) {
  const prefix = secure ? '__Host-' : '';
  return { consent: `${prefix}instune_consent`, lang: `${prefix}instune_lang` };
}

/** The optional cookies each purpose covers; withdrawing a purpose deletes them. */
export function optionalCookies(secure: boolean): Record<ConsentPurpose, string[]> {
  return { preferences: [consentCookieNames(secure).lang], analytics: [] };
}

// "1.<consent id>.<preferences 0|1><analytics 0|1>"
const cookiePattern = /^1\.([A-Za-z0-9_-]{16,64})\.([01])([01])$/;

export function parseConsentCookie(value: string | undefined): BrowserConsent | null {
  const match = value ? cookiePattern.exec(value) : null;
  if (!match?.[1]) return null;
  return { consentId: match[1], preferences: match[2] === '1', analytics: match[3] === '1' };
}

export function newConsentId(): string {
  return newToken(16);
}

/**
 * Stores the choice in the essential cookie and deletes the optional cookies of every purpose
 * that is (now) denied.
 */
export function writeConsent(
  request: FastifyRequest,
  reply: FastifyReply,
  secure: boolean,
  consent: BrowserConsent,
): void {
  const names = consentCookieNames(secure);
  const value = `1.${consent.consentId}.${consent.preferences ? 1 : 0}${consent.analytics ? 1 : 0}`;
  void reply.setCookie(names.consent, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: CONSENT_MAX_AGE_SECONDS,
  });
  const optional = optionalCookies(secure);
  for (const purpose of ['preferences', 'analytics'] as const) {
    if (consent[purpose]) continue;
    for (const name of optional[purpose]) {
      const wasGranted = request.consent?.[purpose] === true;
      if (wasGranted || request.cookies[name] !== undefined) {
        void reply.clearCookie(name, { path: '/', secure, sameSite: 'lax', httpOnly: true });
      }
    }
  }
}

export function setLanguageCookie(reply: FastifyReply, secure: boolean, lang: PolicyLanguage) {
  void reply.setCookie(consentCookieNames(secure).lang, lang, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: CONSENT_MAX_AGE_SECONDS,
  });
}

/** ?lang= first, then the preference cookie (only if preferences are allowed), then the browser. */
export function resolvePageLanguage(request: FastifyRequest, secure: boolean): PolicyLanguage {
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (query.lang === 'zh' || query.lang === 'en') return query.lang;
  const cookie = request.cookies[consentCookieNames(secure).lang];
  if (request.consent?.preferences && (cookie === 'zh' || cookie === 'en')) return cookie;
  return /^zh\b/i.test(request.headers['accept-language'] ?? '') ? 'zh' : 'en';
}

/**
 * Cookie choices come from our own pages only. Browsers send Origin (and Sec-Fetch-Site) with
 * every POST, so a cross-site form cannot choose for the user; signed-in requests also carry
 * the CSRF token (checked by the route).
 */
export function requireSameOrigin(request: FastifyRequest, publicUrl: string): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site') throw new AppError('forbidden', 'cross-site requests are refused');
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== new URL(publicUrl).origin) {
    throw new AppError('forbidden', 'cross-site requests are refused');
  }
}

const bannerText = {
  en: {
    title: 'Cookies',
    body: 'We use essential cookies to keep you signed in and to protect forms. With your permission we would also remember your language (preferences) and measure use of the site (analytics). Nothing optional is stored until you choose.',
    accept: 'Accept',
    reject: 'Reject',
    manage: 'Manage choices',
    settings: 'Cookie settings',
    privacy: 'Privacy policy',
    language: 'Language',
  },
  zh: {
    title: 'Cookie',
    body: '我们使用必要 Cookie 保持您的登录状态并保护表单。经您同意，我们还会记住您的语言（偏好）并统计网站使用情况（统计分析）。在您做出选择之前，我们不会存储任何可选 Cookie。',
    accept: '接受',
    reject: '拒绝',
    manage: '管理选择',
    settings: 'Cookie 设置',
    privacy: '隐私政策',
    language: '语言',
  },
} as const;

/**
 * Shown on every page until the browser chooses. "Accept" and "Reject" are the same kind of
 * button, side by side, each one click, reachable by keyboard; the link manages each purpose.
 */
export function consentBanner(request: FastifyRequest): SafeHtml {
  if (request.consent) return html``;
  const t = bannerText[request.pageLanguage];
  const returnTo = request.url.split('#')[0] ?? '/';
  return html`<section class="consent-banner" role="region" aria-labelledby="consent-title">
    <h2 id="consent-title">${t.title}</h2>
    <p>${t.body}</p>
    <form method="post" action="/consent" class="consent-actions">
      <input type="hidden" name="returnTo" value="${returnTo}" />
      ${
        request.session
          ? html`<input type="hidden" name="_csrf" value="${request.session.csrfToken}" />`
          : ''
      }
      <button type="submit" name="choice" value="accept" class="consent-choice">${t.accept}</button>
      <button type="submit" name="choice" value="reject" class="consent-choice">${t.reject}</button>
    </form>
    <p><a href="/cookies">${t.manage}</a></p>
  </section>`;
}

/** Footer links on every page: the policy and cookie settings. */
export function consentFooter(request: FastifyRequest): SafeHtml {
  const t = bannerText[request.pageLanguage];
  return html`<nav class="footer-links" aria-label="Privacy">
    <a href="/privacy${request.pageLanguage === 'zh' ? '?lang=zh' : ''}">${t.privacy}</a> ·
    <a href="/cookies">${t.settings}</a>
  </nav>`;
}

/**
 * The EN/中文 switch in every page header: remembered in `instune_lang` only when preference
 * cookies are allowed, otherwise applied through `?lang=` (see POST /preferences/lang).
 */
export function languageSwitch(request: FastifyRequest): SafeHtml {
  const t = bannerText[request.pageLanguage];
  const returnTo = request.url.split('#')[0] ?? '/';
  const current = request.pageLanguage;
  return html`<form method="post" action="/preferences/lang" class="lang-switch">
    <input type="hidden" name="returnTo" value="${returnTo}" />
    <span class="visually-hidden">${t.language}:</span>
    <button
      type="submit"
      name="lang"
      value="en"
      lang="en"
      id="lang-en"
      aria-pressed="${current === 'en' ? 'true' : 'false'}"
    >
      EN
    </button>
    <button
      type="submit"
      name="lang"
      value="zh"
      lang="zh-Hans"
      id="lang-zh"
      aria-pressed="${current === 'zh' ? 'true' : 'false'}"
    >
      中文
    </button>
  </form>`;
}
