import { html, type SafeHtml } from '../html.js';
import { t, type Lang } from '../i18n.js';

/**
 * Two versions side by side (one column each on a phone): web/app.js follows both pieces and
 * fills in each player, summary and explanation as it finishes.
 */
export function comparePage(lang: Lang, ids: readonly string[], parentId: string | null): SafeHtml {
  return html`<section id="compare" class="compare">
    <h1>${t(lang, 'compare.title')}</h1>
    <p class="muted">${t(lang, 'compare.lead')}</p>
    <div class="compare-grid">
      ${ids.map(
        (id, i) =>
          html`<article
            class="card compare-piece"
            data-id="${id}"
            aria-labelledby="version-${i + 1}"
          >
            <h2 id="version-${i + 1}">${t(lang, 'compare.version', { n: i + 1 })}</h2>
            <p class="compare-stage" role="status" aria-live="polite">
              ${t(lang, 'result.loading')}
            </p>
            <div class="compare-result" hidden>
              <div class="player-row">
                <span class="ai-label" lang="zh-Hans">${t(lang, 'result.aiLabel')}</span>
                <audio
                  controls
                  preload="metadata"
                  aria-label="${t(lang, 'compare.version', { n: i + 1 })}"
                ></audio>
              </div>
              <p class="summary compare-summary"></p>
              <p class="compare-explanation"></p>
              <p>
                <a class="button secondary" href="/generations/${id}"
                  >${t(lang, 'compare.open', { n: i + 1 })}</a
                >
              </p>
            </div>
          </article>`,
      )}
    </div>
    ${
      parentId ? html`<p><a href="/generations/${parentId}">${t(lang, 'compare.back')}</a></p>` : ''
    }
  </section>`;
}
