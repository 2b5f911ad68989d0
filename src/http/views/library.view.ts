import type { GenerationView } from '../../modules/generations/generations.service.js';
import { timeTag } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { styles, t, tDynamic, type Lang } from '../i18n.js';
import { musicSummary } from './generation-list.view.js';

/** "Jazz in G major" / "爵士 · G 大调": a name for a piece from its plan. */
export function pieceTitle(lang: Lang, g: GenerationView): string {
  if (!g.plan) return t(lang, 'library.untitled');
  const style = tDynamic(lang, `style.${g.plan.style}`, g.plan.style);
  const [tonic, mode] = g.plan.key.split(' ');
  if (lang === 'zh') return `${style} · ${tonic ?? ''} ${mode === 'minor' ? '小调' : '大调'}`;
  return t(lang, 'library.titleFormat', { style, key: g.plan.key });
}

/**
 * The picture's palette as a small strip of its colours, in their shares (web/app.js paints it:
 * the content security policy allows no inline style).
 */
function paletteThumb(g: GenerationView): SafeHtml {
  const colours = (g.plan?.palette ?? []).filter((c) => /^#[0-9a-f]{6}$/i.test(c.hex));
  return html`<span class="thumb" aria-hidden="true"
    >${colours.map(
      (c) =>
        html`<span
          data-hex="${c.hex}"
          data-share="${Math.max(1, Math.round(c.weight * 100))}"
        ></span>`,
    )}</span
  >`;
}

/** Hours (or minutes) until the music is deleted, from the server's clock. */
function timeLeft(lang: Lang, g: GenerationView, now: Date): string {
  if (!g.expiresAt || !g.downloadable) return '';
  const minutes = Math.max(0, Math.round((Date.parse(g.expiresAt) - now.getTime()) / 60_000));
  return minutes >= 60
    ? t(lang, 'library.hoursLeft', { n: Math.floor(minutes / 60) })
    : t(lang, 'library.minutesLeft', { n: minutes });
}

/** Originals first (newest first), each followed by its variations. */
function grouped(generations: readonly GenerationView[]): { g: GenerationView; child: boolean }[] {
  const ids = new Set(generations.map((g) => g.id));
  const children = new Map<string, GenerationView[]>();
  for (const g of generations) {
    if (g.parentId && ids.has(g.parentId)) {
      children.set(g.parentId, [...(children.get(g.parentId) ?? []), g]);
    }
  }
  return generations
    .filter((g) => !(g.parentId && ids.has(g.parentId)))
    .flatMap((g) => [
      { g, child: false },
      ...(children.get(g.id) ?? []).reverse().map((c) => ({ g: c, child: true })),
    ]);
}

export function libraryPage(lang: Lang, generations: GenerationView[], now: Date): SafeHtml {
  const present = styles.filter((s) => generations.some((g) => g.plan?.style === s));
  return html`<section>
    <h1>${t(lang, 'library.title')}</h1>
    <p class="muted">${t(lang, 'library.note')}</p>
    ${
      generations.length === 0
        ? html`<div class="card empty" id="library-empty">
            <p>${t(lang, 'library.empty')}</p>
            <p><a class="button" href="/">${t(lang, 'library.start')}</a></p>
          </div>`
        : html`${
              present.length > 1
                ? html`<p class="library-filter">
                    <label for="library-style">${t(lang, 'library.filter')}</label>
                    <select id="library-style">
                      <option value="">${t(lang, 'library.allStyles')}</option>
                      ${present.map(
                        (s) => html`<option value="${s}">${t(lang, `style.${s}`)}</option>`,
                      )}
                    </select>
                  </p>`
                : ''
            }
            <div class="table-wrap">
              <table id="library" class="table">
                <thead>
                  <tr>
                    <th scope="col">${t(lang, 'library.date')}</th>
                    <th scope="col">${t(lang, 'library.music')}</th>
                    <th scope="col">${t(lang, 'library.status')}</th>
                    <th scope="col">${t(lang, 'library.listen')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${grouped(generations).map(({ g, child }) => {
                    const status = g.status === 'done' && !g.downloadable ? 'deleted' : g.status;
                    const root = child ? (g.parentId ?? g.id) : g.id;
                    return html`<tr
                      class="${child ? 'variation' : ''}"
                      data-style="${g.plan?.style ?? ''}"
                      data-group="${root}"
                    >
                      <td>${timeTag(lang, g.createdAt)}</td>
                      <td>
                        <a class="piece" href="/generations/${g.id}"
                          >${paletteThumb(g)}<span class="piece-title"
                            >${child ? `↳ ${t(lang, 'library.variation')} · ` : ''}${pieceTitle(
                              lang,
                              g,
                            )}</span
                          ></a
                        >
                        <span class="muted small">${musicSummary(lang, g)}</span>
                      </td>
                      <td>
                        <span class="badge status-${status}"
                          >${tDynamic(lang, `status.${status}`, status)}</span
                        >
                        <span class="muted small">${timeLeft(lang, g, now)}</span>
                      </td>
                      <td>
                        ${
                          g.downloadable
                            ? html`<audio
                                controls
                                preload="none"
                                src="/api/generations/${g.id}/audio?format=mp3"
                                aria-label="${pieceTitle(lang, g)}"
                              ></audio>`
                            : ''
                        }
                      </td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>`
    }
  </section>`;
}
