import type { GenerationView } from '../../modules/generations/generations.service.js';
import { timeTag } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { tDynamic, type Lang } from '../i18n.js';

/** "key · tempo · style" of a finished piece; empty until it has a plan. */
export function musicSummary(lang: Lang, g: GenerationView): string {
  if (!g.plan) return '';
  const style = tDynamic(lang, `style.${g.plan.style}`, g.plan.style);
  return `${g.plan.key} · ${g.plan.tempo} BPM · ${style}`;
}

/** The short list of recent pieces on the create page. */
export function generationList(lang: Lang, generations: GenerationView[]): SafeHtml {
  return html`<ul class="history">
    ${generations.map(
      (g) =>
        html`<li>
          <a href="/generations/${g.id}">${timeTag(lang, g.createdAt)}</a>
          <span class="badge status-${g.status}"
            >${tDynamic(lang, `status.${g.status}`, g.status)}</span
          >
          <span class="muted">${musicSummary(lang, g)}</span>
        </li>`,
    )}
  </ul>`;
}
