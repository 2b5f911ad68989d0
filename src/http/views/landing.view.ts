import type { LandingExample } from '../../modules/generations/landing-examples.service.js';
import { html, type SafeHtml } from '../html.js';
import { t, tDynamic, type Lang } from '../i18n.js';
import { signInTransferNotice, withAddress } from './contact.view.js';

/**
 * Pieces the engine made from pictures that ship with Instune: the picture, the music (labelled
 * as AI-generated like every player), what was chosen and why. While they are still being
 * composed (the first minutes after a new engine version starts) a line says so.
 */
function examplesSection(lang: Lang, examples: readonly LandingExample[] | null): SafeHtml {
  return html`<section aria-labelledby="examples-title" class="examples">
    <h2 id="examples-title">${t(lang, 'landing.examples')}</h2>
    ${
      examples === null
        ? html`<p class="muted" id="examples-preparing">${t(lang, 'landing.examplesPreparing')}</p>`
        : html`<p class="muted">${t(lang, 'landing.examplesLead')}</p>
            <ul class="example-grid" id="examples">
              ${examples.map((example) => {
                const name = t(lang, `landing.example.${example.slug}`);
                const style = tDynamic(lang, `style.${example.plan.style}`, example.plan.style);
                const story = example.plan.story?.summary[lang] ?? example.plan.explanation;
                return html`<li class="card example" data-slug="${example.slug}">
                  <h3>${name}</h3>
                  <img
                    src="/examples/${example.slug}.png"
                    alt="${t(lang, 'landing.exampleImage', { name })}"
                    width="640"
                    height="400"
                    loading="lazy"
                  />
                  <div class="player-row">
                    <span class="ai-label" lang="zh-Hans">${t(lang, 'result.aiLabel')}</span>
                    <audio
                      controls
                      preload="none"
                      src="/examples/${example.slug}.mp3"
                      aria-label="${t(lang, 'landing.exampleListen', { name })}"
                    ></audio>
                  </div>
                  <p class="summary">${example.plan.key} · ${example.plan.tempo} BPM · ${style}</p>
                  <p class="example-story">${story}</p>
                  <p class="muted small">${t(lang, 'landing.exampleSource')}</p>
                </li>`;
              })}
            </ul>`
    }
  </section>`;
}

/** The signed-out home page, which is where people sign in. */
export function landing(
  lang: Lang,
  examples: readonly LandingExample[] | null,
  contactEmail: string,
): SafeHtml {
  const steps = [1, 2, 3] as const;
  const promises = [1, 2, 3, 4, 5] as const;
  return html`<section class="hero">
      <h1>${t(lang, 'landing.title')}</h1>
      <p class="lead">${t(lang, 'landing.lead')}</p>
      <p><a class="button big" href="/auth/login">${t(lang, 'landing.signIn')}</a></p>
      <p class="muted">
        ${t(lang, 'landing.accept')}
        <a href="/privacy${lang === 'zh' ? '?lang=zh' : ''}">${t(lang, 'landing.privacyLink')}</a>.
      </p>
      ${signInTransferNotice(lang)}
    </section>
    ${examplesSection(lang, examples)}
    <section aria-labelledby="how-title">
      <h2 id="how-title">${t(lang, 'landing.how')}</h2>
      <ol class="steps">
        ${steps.map(
          (n) =>
            html`<li class="card step">
              <span class="step-number" aria-hidden="true">${n}</span>
              <h3>${t(lang, `landing.step${n}.title`)}</h3>
              <p>${t(lang, `landing.step${n}.body`)}</p>
            </li>`,
        )}
      </ol>
    </section>
    <section aria-labelledby="privacy-title" class="card promises">
      <h2 id="privacy-title">${t(lang, 'landing.privacy')}</h2>
      <ul>
        ${promises.map((n) => html`<li>${t(lang, `landing.privacy.${n}`)}</li>`)}
      </ul>
      <p id="landing-contact">
        ${withAddress(lang, 'contact.landing', contactEmail)}
        <a href="/contact${lang === 'zh' ? '?lang=zh' : ''}">${t(lang, 'contact.footer.form')}</a>
      </p>
    </section>`;
}
