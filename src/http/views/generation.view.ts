import { html, type SafeHtml } from '../html.js';
import { t, type Lang } from '../i18n.js';

/** The extensions offered; web/app.js hides those that would pass the length limit. */
const EXTEND_CHOICES = [10, 20, 30, 60] as const;

/** One piece: web/app.js fills in progress, the player and the explanation from the API. */
export function generationPage(lang: Lang, id: string, maxSeconds: number): SafeHtml {
  const shownStages = ['analysing', 'composing', 'rendering', 'encoding'] as const;
  const audio = (format: string) =>
    `/api/generations/${encodeURIComponent(id)}/audio?format=${format}`;
  return html`<section id="generation" data-id="${id}" class="card">
    <h1>${t(lang, 'result.title')}</h1>
    <ol id="stages" class="stages" aria-label="${t(lang, 'result.stages')}">
      ${shownStages.map((s) => html`<li data-stage="${s}">${t(lang, `stage.short.${s}`)}</li>`)}
    </ol>
    <p id="stage" role="status" aria-live="polite">${t(lang, 'result.loading')}</p>
    <progress id="progress" max="6" value="0"></progress>
    <div id="result" class="result" hidden>
      <div class="player-row">
        <span class="ai-label" lang="zh-Hans">${t(lang, 'result.aiLabel')}</span>
        <audio id="player" controls preload="metadata"></audio>
      </div>
      <canvas
        id="waveform"
        class="waveform"
        role="slider"
        tabindex="0"
        aria-label="${t(lang, 'result.waveform')}"
        aria-valuemin="0"
        aria-valuemax="0"
        aria-valuenow="0"
        >${t(lang, 'result.waveform')}</canvas
      >
      <p class="downloads">
        <span>${t(lang, 'result.download')}:</span>
        <a id="download" class="button" href="${audio('mp3')}" download
          >${t(lang, 'result.downloadMp3')}</a
        >
        <a id="download-wav" class="button secondary" href="${audio('wav')}" download
          >${t(lang, 'result.downloadWav')}</a
        >
        <a id="download-midi" class="button secondary" href="${audio('midi')}" download
          >${t(lang, 'result.downloadMidi')}</a
        >
        <a
          id="download-stems"
          class="button secondary"
          href="/api/generations/${encodeURIComponent(id)}/stems"
          download
          >${t(lang, 'result.downloadStems')}</a
        >
      </p>
      <p id="summary" class="summary"></p>
      <h2>${t(lang, 'result.palette')}</h2>
      <div id="palette" class="palette" role="img" aria-label="${t(lang, 'result.palette')}"></div>
      <h2>${t(lang, 'result.why')}</h2>
      <p id="explanation"></p>
      <details id="explanation-details" hidden>
        <summary>${t(lang, 'result.details')}</summary>
        <ul id="explanation-facts"></ul>
      </details>
      <p id="expiry" class="countdown" aria-live="off"></p>
      <p class="actions">
        <button type="button" id="variation" class="secondary" hidden>
          ${t(lang, 'result.variation')}
        </button>
        <button type="button" id="versions" class="secondary" hidden>
          ${t(lang, 'result.versions')}
        </button>
        <button type="button" id="delete" class="danger">${t(lang, 'result.delete')}</button>
        <a href="/" class="button secondary">${t(lang, 'result.another')}</a>
      </p>
      <form id="extend-form" class="extend-form" data-max="${maxSeconds}" hidden>
        <label for="extend-seconds">${t(lang, 'result.extendBy')}</label>
        <select id="extend-seconds" name="seconds" aria-describedby="extend-hint">
          ${EXTEND_CHOICES.map(
            (n) => html`<option value="${n}">${t(lang, 'result.extendSeconds', { n })}</option>`,
          )}
        </select>
        <button type="submit" class="secondary" id="extend">${t(lang, 'result.extend')}</button>
        <span id="extend-hint" class="muted small"
          >${t(lang, 'result.extendHint', { max: maxSeconds })}</span
        >
      </form>
    </div>
    <p id="failure" class="error" hidden></p>
  </section>`;
}
