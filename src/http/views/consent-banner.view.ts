import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../html.js';

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
