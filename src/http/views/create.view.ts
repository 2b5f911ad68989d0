import type { GenerationView } from '../../modules/generations/generations.service.js';
import { MAX_SEED } from '../../music/limits.js';
import { TONICS } from '../../music/plan/key.js';
import { html, type SafeHtml } from '../html.js';
import { moods, styles, t, tCount, type Lang } from '../i18n.js';
import { generationList } from './generation-list.view.js';

export interface CreatePageView {
  name: string;
  csrfToken: string;
  generations: GenerationView[];
  maxText: number;
  maxMb: number;
  /** The exact upload limit, for the page's own check before any upload. */
  maxBytes: number;
  balance: number;
  cost: number;
}

/** The signed-in home page: the create form and the latest pieces. */
export function createPage(lang: Lang, view: CreatePageView): SafeHtml {
  const tooLow = view.balance < view.cost;
  return html`<section>
      <h1>${view.name ? t(lang, 'create.hello', { name: view.name }) : t(lang, 'create.title')}</h1>
      <p id="credits" class="credits-line" data-balance="${view.balance}" data-cost="${view.cost}">
        <span id="balance-text"
          >${tCount(lang, 'create.balance', view.balance, { cost: view.cost })}</span
        >
        · <a href="/credits">${t(lang, 'create.buy')}</a>
      </p>
      <form
        id="create-form"
        method="post"
        action="/api/generations"
        enctype="multipart/form-data"
        class="card create"
      >
        <input type="hidden" name="_csrf" value="${view.csrfToken}" />
        <div class="field">
          <span class="field-label" id="image-label">${t(lang, 'create.image')}</span>
          <label id="dropzone" class="dropzone" for="image">
            <img id="preview" class="preview" alt="${t(lang, 'create.preview')}" hidden />
            <span id="drop-text" class="drop-text">${t(lang, 'create.drop')}</span>
            <span class="muted small">${t(lang, 'create.dropHint', { mb: view.maxMb })}</span>
            <span id="file-name" class="small" aria-live="polite"></span>
          </label>
          <input
            id="image"
            data-max-bytes="${view.maxBytes}"
            name="image"
            type="file"
            class="visually-hidden"
            accept="image/jpeg,image/png,image/webp"
            aria-labelledby="image-label"
            required
          />
        </div>
        <div class="field">
          <label for="text">${t(lang, 'create.text')}</label>
          <textarea
            id="text"
            name="text"
            rows="3"
            maxlength="${view.maxText}"
            placeholder="${t(lang, 'create.textPlaceholder')}"
          ></textarea>
        </div>
        <div class="grid-2">
          <div class="field">
            <label for="seconds">${t(lang, 'create.length')}</label>
            <div class="range-row">
              <input
                id="seconds-slider"
                type="range"
                min="10"
                max="180"
                step="5"
                value="30"
                aria-label="${t(lang, 'create.length')}"
                tabindex="-1"
              />
              <input
                id="seconds"
                name="seconds"
                type="number"
                min="10"
                max="180"
                value="30"
                required
              />
            </div>
          </div>
          <div class="field">
            <label for="mood">${t(lang, 'create.mood')}</label>
            <select id="mood" name="mood">
              <option value="">${t(lang, 'create.auto')}</option>
              ${moods.map((m) => html`<option value="${m}">${t(lang, `mood.${m}`)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="style">${t(lang, 'create.style')}</label>
            <select id="style" name="style">
              <option value="">${t(lang, 'create.auto')}</option>
              ${styles.map((s) => html`<option value="${s}">${t(lang, `style.${s}`)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="tempo">${t(lang, 'create.tempo')}</label>
            <input id="tempo" name="tempo" type="number" min="50" max="180" step="1" />
          </div>
          <div class="field">
            <label for="key">${t(lang, 'create.key')}</label>
            <div class="key-row">
              <select id="key" name="key">
                <option value="">${t(lang, 'create.keyAuto')}</option>
                ${TONICS.map((tonic) => html`<option value="${tonic}">${tonic}</option>`)}
              </select>
              <select id="mode" name="mode" aria-label="${t(lang, 'create.mode')}">
                <option value="">${t(lang, 'create.modeAuto')}</option>
                <option value="major">${t(lang, 'create.major')}</option>
                <option value="minor">${t(lang, 'create.minor')}</option>
              </select>
            </div>
          </div>
          <div class="field">
            <label for="instrument">${t(lang, 'create.instrument')}</label>
            <input
              id="instrument"
              name="instrument"
              type="text"
              maxlength="40"
              placeholder="${t(lang, 'create.instrumentPlaceholder')}"
            />
          </div>
          <div class="field">
            <label for="seed">${t(lang, 'create.seed')}</label>
            <div class="seed-row">
              <input
                id="seed"
                name="seed"
                type="number"
                min="0"
                max="${MAX_SEED}"
                placeholder="${t(lang, 'create.seedPlaceholder')}"
              />
              <button type="button" id="surprise" class="secondary">
                ${t(lang, 'create.surprise')}
              </button>
            </div>
          </div>
        </div>
        <label class="check" for="loop"
          ><input id="loop" name="loop" type="checkbox" value="true" />
          ${t(lang, 'create.loop')}</label
        >
        <div class="submit-row">
          <p id="cost-line" class="cost" aria-live="polite">
            ${tCount(lang, 'create.cost', view.cost, { balance: view.balance })}
          </p>
          <button type="submit" id="submit" class="big" ${tooLow ? html`disabled` : ''}>
            ${t(lang, 'create.submit')}
          </button>
        </div>
        <p id="too-low" class="warning" ${tooLow ? '' : html`hidden`}>
          <span id="too-low-text"
            >${tCount(lang, 'create.tooLow', view.cost, { balance: view.balance })}</span
          >
          <a id="buy-link" class="button" href="/credits">${t(lang, 'create.buy')}</a>
        </p>
        <p id="form-error" class="error" role="alert" hidden></p>
      </form>
    </section>
    ${
      view.generations.length > 0
        ? html`<section>
            <h2>${t(lang, 'create.recent')}</h2>
            ${generationList(lang, view.generations)}
            <p><a href="/library">${t(lang, 'create.allPieces')}</a></p>
          </section>`
        : ''
    }`;
}
