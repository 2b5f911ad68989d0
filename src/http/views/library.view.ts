import type { GenerationView } from '../../modules/generations/generations.service.js';
import { timeTag } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { t, tDynamic, type Lang } from '../i18n.js';
import { musicSummary } from './generation-list.view.js';

export function libraryPage(lang: Lang, generations: GenerationView[]): SafeHtml {
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
                    <td>${timeTag(lang, g.createdAt)}</td>
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
