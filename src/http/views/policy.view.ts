import type { PolicyLanguage, PolicyVersion } from '../../modules/policies/policy-versions.js';
import { html, type SafeHtml } from '../html.js';

const labels = {
  en: { title: 'Privacy policy', version: 'Version', effective: 'effective', other: '中文' },
  zh: { title: '隐私政策', version: '版本', effective: '生效日期', other: 'English' },
} as const;

export function privacyTitle(lang: PolicyLanguage): string {
  return labels[lang].title;
}

/** One version of the privacy policy, with links to the other language and the other versions. */
export function privacyPage(
  lang: PolicyLanguage,
  shown: PolicyVersion,
  others: readonly PolicyVersion[],
): SafeHtml {
  const l = labels[lang];
  const otherLang = lang === 'zh' ? 'en' : 'zh';
  return html`<article class="policy" lang="${lang === 'zh' ? 'zh-Hans' : 'en'}">
    <h1>${l.title}</h1>
    <p class="muted" id="policy-meta">
      ${l.version} <span id="policy-version">${shown.version}</span> · ${l.effective}
      <time datetime="${shown.effectiveAt.toISOString()}">${isoDate(shown.effectiveAt)}</time>
      · <a href="/privacy?lang=${otherLang}&amp;version=${shown.version}">${l.other}</a>
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
  </article>`;
}

export interface AcceptPolicyView {
  current: PolicyVersion;
  mustAccept: boolean;
  csrfToken: string;
  /** Already made safe by the route. */
  returnTo: string;
}

/** Asks a signed-in user to accept the version in force (or says it is already accepted). */
export function acceptPolicyPage(lang: PolicyLanguage, view: AcceptPolicyView): SafeHtml {
  const current = view.current;
  return html`<section class="card">
      <h1>${lang === 'zh' ? '隐私政策已更新' : 'Our privacy policy has changed'}</h1>
      <p>
        ${
          view.mustAccept
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
        <input type="hidden" name="_csrf" value="${view.csrfToken}" />
        <input type="hidden" name="version" value="${current.version}" />
        <input type="hidden" name="returnTo" value="${view.returnTo}" />
        <button type="submit">
          ${lang === 'zh' ? `接受第 ${current.version} 版` : `Accept version ${current.version}`}
        </button>
      </form>
    </section>
    <article class="policy" lang="${lang === 'zh' ? 'zh-Hans' : 'en'}">
      ${renderPolicyText(current.text[lang])}
    </article>`;
}

/** The policy text as structure: "## " and "### " lines are headings, "- " lines lists, the rest paragraphs. */
export function renderPolicyText(text: string): SafeHtml {
  // Line by line: a heading is its own line (the text below it is not part of it), consecutive
  // "- " lines are one list, other consecutive lines one paragraph; a blank line ends either.
  const blocks: SafeHtml[] = [];
  let paragraph: string[] = [];
  let items: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push(html`<p>${paragraph.join(' ')}</p>`);
    if (items.length > 0) {
      const list = items;
      blocks.push(
        html`<ul>
          ${list.map((item) => html`<li>${item}</li>`)}
        </ul>`,
      );
    }
    paragraph = [];
    items = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      flush();
    } else if (line.startsWith('### ')) {
      flush();
      blocks.push(html`<h3>${line.slice(4)}</h3>`);
    } else if (line.startsWith('## ')) {
      flush();
      blocks.push(html`<h2>${line.slice(3)}</h2>`);
    } else if (line.startsWith('- ')) {
      if (paragraph.length > 0) flush();
      items.push(line.slice(2));
    } else {
      if (items.length > 0) flush();
      paragraph.push(line);
    }
  }
  flush();
  return html`${blocks}`;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
