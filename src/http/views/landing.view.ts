import { html, type SafeHtml } from '../html.js';
import { t, type Lang } from '../i18n.js';
import { signInTransferNotice, withAddress } from './contact.view.js';

/** The signed-out home page, which is where people sign in. */
export function landing(lang: Lang, contactEmail: string): SafeHtml {
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
