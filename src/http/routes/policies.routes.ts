import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { safeReturnPath } from '../../lib/return-path.js';
import {
  acceptCurrentPolicy,
  getPolicyStatus,
  policyCatalogue,
  versionInForce,
} from '../../modules/policies/policy-acceptance.service.js';
import type { PolicyLanguage, PolicyVersion } from '../../modules/policies/policy-versions.js';
import { html, type SafeHtml } from '../html.js';
import type { HttpDeps } from '../http-deps.js';
import { requireCsrf, requireSession } from '../session-auth.js';
import { sendPage } from './pages.routes.js';

const privacyQuery = z.object({
  lang: z.enum(['en', 'zh']).optional(),
  version: z.string().max(64).optional(),
});
const acceptQuery = z.object({ returnTo: z.string().max(500).optional() });
const acceptBody = z.object({
  version: z.string().min(1).max(64),
  returnTo: z.string().max(500).optional(),
  _csrf: z.string().optional(),
});

const labels = {
  en: { title: 'Privacy policy', version: 'Version', effective: 'effective', other: '中文' },
  zh: { title: '隐私政策', version: '版本', effective: '生效日期', other: 'English' },
} as const;

/** The published privacy policy, its earlier versions, and accepting a new version. */
export function registerPolicyRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const policyDeps = { db: deps.db, clock: deps.clock, policyVersions: deps.policyVersions };

  app.get('/privacy', async (request, reply) => {
    const query = privacyQuery.parse(request.query);
    const lang = query.lang ?? request.pageLanguage;
    const versions = policyCatalogue(policyDeps);
    const inForce = versionInForce(versions, deps.clock.now()) ?? versions[0];
    const shown = query.version ? versions.find((v) => v.version === query.version) : inForce;
    if (!shown) throw new AppError('not_found', 'no such version of the privacy policy');
    const t = labels[lang];
    const otherLang = lang === 'zh' ? 'en' : 'zh';
    const others = versions.filter((v) => v.version !== shown.version);
    return sendPage(
      reply,
      `${t.title} — Instune`,
      html`<article class="policy" lang="${lang === 'zh' ? 'zh-Hans' : 'en'}">
        <h1>${t.title}</h1>
        <p class="muted" id="policy-meta">
          ${t.version} <span id="policy-version">${shown.version}</span> · ${t.effective}
          <time datetime="${shown.effectiveAt.toISOString()}">${isoDate(shown.effectiveAt)}</time>
          · <a href="/privacy?lang=${otherLang}&amp;version=${shown.version}">${t.other}</a>
        </p>
        ${renderPolicyText(shown.text[lang])}
        ${
          others.length > 0
            ? html`<p class="muted">
                ${lang === 'zh' ? '其他版本：' : 'Other versions: '}
                ${others.map(
                  (v) =>
                    html`<a href="/privacy?lang=${lang}&amp;version=${v.version}">${v.version}</a>
                      (${isoDate(v.effectiveAt)}) `,
                )}
              </p>`
            : ''
        }
      </article>`,
      request.session?.csrfToken,
    );
  });

  app.get('/api/policy', async (request) => {
    const versions = policyCatalogue(policyDeps);
    const current = versionInForce(versions, deps.clock.now());
    const status = request.session
      ? await getPolicyStatus(policyDeps, request.session.userId)
      : undefined;
    return {
      current: current ? summary(current) : null,
      versions: versions.map(summary),
      ...(status ? { mustAccept: status.mustAccept } : {}),
    };
  });

  app.get('/policy/accept', async (request, reply) => {
    if (!request.session)
      return reply.redirect(`/auth/login?returnTo=${encodeURIComponent('/policy/accept')}`, 303);
    const { returnTo } = acceptQuery.parse(request.query);
    const status = await getPolicyStatus(policyDeps, request.session.userId);
    const current = status.current;
    if (!current) return reply.redirect(safeReturnPath(returnTo), 303);
    const lang: PolicyLanguage = request.pageLanguage;
    return sendPage(
      reply,
      'Accept the privacy policy — Instune',
      html`<section class="card">
          <h1>${lang === 'zh' ? '隐私政策已更新' : 'Our privacy policy has changed'}</h1>
          <p>
            ${
              status.mustAccept
                ? lang === 'zh'
                  ? `请阅读并接受第 ${current.version} 版（${isoDate(current.effectiveAt)} 生效），然后继续创作音乐。您也可以不接受而在账户中心注销账户。`
                  : `Please read version ${current.version} (effective ${isoDate(current.effectiveAt)}) and accept it to keep creating music. If you do not agree, you can cancel your account in the account center.`
                : lang === 'zh'
                  ? `您已接受第 ${current.version} 版。`
                  : `You have already accepted version ${current.version}.`
            }
          </p>
          ${
            current.changes
              ? html`<p>
                  <strong>${lang === 'zh' ? '变更内容：' : 'What changed: '}</strong>${
                    current.changes[lang]
                  }
                </p>`
              : ''
          }
          <form method="post" action="/policy/accept">
            <input type="hidden" name="_csrf" value="${request.session.csrfToken}" />
            <input type="hidden" name="version" value="${current.version}" />
            <input type="hidden" name="returnTo" value="${safeReturnPath(returnTo)}" />
            <button type="submit">
              ${lang === 'zh' ? `接受第 ${current.version} 版` : `Accept version ${current.version}`}
            </button>
          </form>
        </section>
        <article class="policy" lang="${lang === 'zh' ? 'zh-Hans' : 'en'}">
          ${renderPolicyText(current.text[lang])}
        </article>`,
      request.session.csrfToken,
    );
  });

  app.post('/policy/accept', async (request, reply) => {
    requireSession(request);
    const parsed = acceptBody.safeParse(request.body ?? {});
    if (!parsed.success) throw new AppError('validation_failed', 'name the version you accept');
    const session = requireCsrf(request, parsed.data._csrf);
    const accepted = await acceptCurrentPolicy(policyDeps, session.userId, parsed.data.version);
    request.log.info({ version: accepted.version }, 'privacy policy accepted');
    if (wantsHtml(request)) return reply.redirect(safeReturnPath(parsed.data.returnTo), 303);
    return { accepted: accepted.version };
  });
}

function summary(v: PolicyVersion) {
  return {
    version: v.version,
    effectiveAt: v.effectiveAt.toISOString(),
    changesCoreRights: v.changesCoreRights,
  };
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Blank lines separate blocks; "## " starts a heading; "- " lines form a list. */
export function renderPolicyText(text: string): SafeHtml {
  const blocks = text
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  return html`${blocks.map((block) => {
    if (block.startsWith('## ')) return html`<h2>${block.slice(3)}</h2>`;
    const lines = block.split('\n');
    if (lines.every((l) => l.startsWith('- '))) {
      return html`<ul>
        ${lines.map((l) => html`<li>${l.slice(2)}</li>`)}
      </ul>`;
    }
    return html`<p>${block}</p>`;
  })}`;
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('application/json');
}
