import type { GenerationView } from '../../modules/generations/generations.service.js';
import { timeTag } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { moods, styles, t, tDynamic, type Lang } from '../i18n.js';
import { musicSummary } from './generation-list.view.js';

/** The owner's title, else "Jazz in G major" / "爵士 · G 大调": a name from its plan. */
export function pieceTitle(lang: Lang, g: GenerationView): string {
  return g.title ?? planTitle(lang, g);
}

/** "Jazz in G major" / "爵士 · G 大调": a name for a piece from its plan. */
export function planTitle(lang: Lang, g: GenerationView): string {
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

/** What a derived piece is, in front of its title: "↳ variation · ", "↳ extended · ". */
function derivedPrefix(lang: Lang, g: GenerationView, child: boolean): string {
  if (!child) return '';
  return `↳ ${t(lang, `library.derived.${g.derivation ?? 'variation'}`)} · `;
}

/** Rename and delete, on the row: web/app.js opens the form and asks before deleting. */
function rowActions(lang: Lang, g: GenerationView, maxTitle: number): SafeHtml {
  const name = pieceTitle(lang, g);
  return html`<span class="row-actions">
      ${
        g.downloadable
          ? html`<button
              type="button"
              class="link-button rename"
              data-id="${g.id}"
              aria-label="${t(lang, 'library.renameLabel', { title: name })}"
            >
              ${t(lang, 'library.rename')}
            </button>`
          : ''
      }
      <button
        type="button"
        class="link-button danger-link delete-row"
        data-id="${g.id}"
        aria-label="${t(lang, 'library.deleteLabel', { title: name })}"
      >
        ${t(lang, 'library.delete')}
      </button>
    </span>
    ${
      g.downloadable
        ? html`<form class="rename-form" data-id="${g.id}" hidden>
            <label for="title-${g.id}">${t(lang, 'library.titleLabel')}</label>
            <input
              id="title-${g.id}"
              name="title"
              type="text"
              maxlength="${maxTitle}"
              value="${g.title ?? ''}"
              placeholder="${planTitle(lang, g)}"
              aria-describedby="title-hint-${g.id}"
            />
            <span id="title-hint-${g.id}" class="muted small"
              >${t(lang, 'library.titleHint', { n: maxTitle })}</span
            >
            <button type="submit">${t(lang, 'library.save')}</button>
            <button type="button" class="secondary rename-cancel">
              ${t(lang, 'library.cancel')}
            </button>
            <span class="error rename-error" role="alert" hidden></span>
          </form>`
        : ''
    }
    <span class="error delete-error" role="alert" hidden></span>`;
}

export function libraryPage(
  lang: Lang,
  generations: GenerationView[],
  now: Date,
  maxTitle: number,
): SafeHtml {
  const present = styles.filter((s) => generations.some((g) => g.plan?.style === s));
  const presentMoods = moods.filter((m) => generations.some((g) => g.mood === m));
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
              present.length > 1 || presentMoods.length > 1
                ? html`<p class="library-filter">
                    ${
                      present.length > 1
                        ? html`<label for="library-style">${t(lang, 'library.filter')}</label>
                            <select id="library-style">
                              <option value="">${t(lang, 'library.allStyles')}</option>
                              ${present.map(
                                (s) => html`<option value="${s}">${t(lang, `style.${s}`)}</option>`,
                              )}
                            </select>`
                        : ''
                    }
                    ${
                      presentMoods.length > 1
                        ? html`<label for="library-mood">${t(lang, 'library.filterMood')}</label>
                            <select id="library-mood">
                              <option value="">${t(lang, 'library.allMoods')}</option>
                              ${presentMoods.map(
                                (m) => html`<option value="${m}">${t(lang, `mood.${m}`)}</option>`,
                              )}
                            </select>`
                        : ''
                    }
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
                      data-mood="${g.mood ?? ''}"
                      data-group="${root}"
                      data-id="${g.id}"
                    >
                      <td>${timeTag(lang, g.createdAt)}</td>
                      <td>
                        <a class="piece" href="/generations/${g.id}"
                          >${paletteThumb(g)}<span class="piece-prefix"
                            >${derivedPrefix(lang, g, child)}</span
                          ><span class="piece-title">${pieceTitle(lang, g)}</span></a
                        >
                        <span class="muted small"
                          >${musicSummary(lang, g)}${
                            g.mood ? ` · ${t(lang, `mood.${g.mood}`)}` : ''
                          }</span
                        >
                        ${rowActions(lang, g, maxTitle)}
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
