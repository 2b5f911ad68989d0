import type { ContactKind } from '../../modules/privacy/contact-messages.service.js';
import { html, type SafeHtml } from '../html.js';
import { t, type Lang, type MessageKey } from '../i18n.js';

const kinds: readonly ContactKind[] = ['question', 'complaint', 'rights_request'];

/** The official reporting centre of the Cyberspace Administration of China. */
export const REGULATOR_URL = 'https://www.12377.cn';

export interface ContactPageView {
  contactEmail: string;
  /** The form's CSRF token (double-submitted: the same value is in a cookie). */
  formToken: string;
  signedIn: boolean;
  /** Shown above the form when a post was refused; the values come back filled in. */
  invalid?: boolean;
  values?: {
    name?: string | undefined;
    email?: string | undefined;
    kind?: string;
    message?: string;
  };
}

/** The address to write to, as a mail link. */
export function contactAddress(email: string): SafeHtml {
  return html`<a class="contact-email" href="mailto:${email}">${email}</a>`;
}

/** Text from the catalogue with `{email}` replaced by the mail link (the rest escaped). */
export function withAddress(lang: Lang, key: MessageKey, email: string): SafeHtml {
  const [before, after] = t(lang, key).split('{email}');
  return html`${before}${after === undefined ? '' : html`${contactAddress(email)}${after}`}`;
}

/** The contact form for anyone, signed in or not, and how to complain to the regulator. */
export function contactPage(lang: Lang, view: ContactPageView): SafeHtml {
  const values = view.values ?? {};
  return html`<section class="card narrow contact">
      <h1>${t(lang, 'contact.title')}</h1>
      <p>${withAddress(lang, 'contact.lead', view.contactEmail)}</p>
      ${view.signedIn ? html`<p class="muted">${t(lang, 'contact.signedIn')}</p>` : ''}
      ${
        view.invalid
          ? html`<p role="alert" class="warning" id="contact-invalid">
              ${t(lang, 'contact.invalid')}
            </p>`
          : ''
      }
      <form method="post" action="/api/contact" id="contact-form">
        <input type="hidden" name="_csrf" value="${view.formToken}" />
        <input type="hidden" name="lang" value="${lang}" />
        <label for="contact-name">${t(lang, 'contact.name.label')}</label>
        <input
          id="contact-name"
          name="name"
          maxlength="200"
          autocomplete="name"
          value="${values.name ?? ''}"
        />
        <label for="contact-email">${t(lang, 'contact.email.label')}</label>
        <input
          id="contact-email"
          name="email"
          type="email"
          required
          maxlength="254"
          autocomplete="email"
          value="${values.email ?? ''}"
        />
        <fieldset>
          <legend>${t(lang, 'contact.kind.label')}</legend>
          ${kinds.map(
            (kind, i) =>
              html`<label class="choice">
                <input
                  type="radio"
                  name="kind"
                  value="${kind}"
                  required
                  ${values.kind === kind || (!values.kind && i === 0) ? html`checked` : ''}
                />
                ${t(lang, `contact.kind.${kind}`)}
              </label>`,
          )}
        </fieldset>
        <label for="contact-message">${t(lang, 'contact.message.label')}</label>
        <textarea id="contact-message" name="message" required maxlength="4000" rows="8">
${values.message ?? ''}</textarea>
        <p class="muted small">${t(lang, 'contact.message.hint')}</p>
        <button type="submit">${t(lang, 'contact.submit')}</button>
      </form>
      <p class="muted">${t(lang, 'contact.how')}</p>
    </section>
    ${regulatorSection(lang)}`;
}

/** How to complain to the regulator (PIPL Art. 65), on the contact page at #regulator. */
export function regulatorSection(lang: Lang): SafeHtml {
  return html`<section class="card narrow" id="regulator" aria-labelledby="regulator-title">
    <h2 id="regulator-title">${t(lang, 'contact.regulator.title')}</h2>
    <p>${t(lang, 'contact.regulator.body1')}</p>
    <p>${t(lang, 'contact.regulator.body2')}</p>
    <p>${t(lang, 'contact.regulator.body3')}</p>
    <p>
      <a href="${REGULATOR_URL}" rel="noopener noreferrer">${t(lang, 'contact.regulator.link')}</a>
    </p>
  </section>`;
}

export function contactSentPage(lang: Lang): SafeHtml {
  return html`<section class="card narrow" id="contact-sent">
    <h1>${t(lang, 'contact.sent.title')}</h1>
    <p role="status">${t(lang, 'contact.sent.body')}</p>
  </section>`;
}

/** Asks before acting: mail scanners open links, and only a person should confirm. */
export function contactVerifyPage(lang: Lang, token: string): SafeHtml {
  return html`<section class="card narrow" id="contact-verify">
    <h1>${t(lang, 'contact.verify.title')}</h1>
    <p>${t(lang, 'contact.verify.body')}</p>
    <form method="post" action="/api/contact/verify">
      <input type="hidden" name="token" value="${token}" />
      <button type="submit">${t(lang, 'contact.verify.submit')}</button>
    </form>
  </section>`;
}

export function contactVerifiedPage(
  lang: Lang,
  view: { requestId: string; dueDate: string; alreadyConfirmed: boolean },
): SafeHtml {
  return html`<section class="card narrow" id="contact-verified">
    <h1>${t(lang, 'contact.verified.title')}</h1>
    <p role="status">
      ${t(lang, 'contact.verified.body', { date: view.dueDate, ref: view.requestId })}
    </p>
    ${view.alreadyConfirmed ? html`<p class="muted">${t(lang, 'contact.verified.again')}</p>` : ''}
  </section>`;
}

export function contactBadLinkPage(lang: Lang): SafeHtml {
  return html`<section class="card narrow error-page" id="contact-bad-link">
    <h1>${t(lang, 'contact.bad.title')}</h1>
    <p role="alert">${t(lang, 'contact.bad.body')}</p>
    <p><a class="button" href="/contact">${t(lang, 'contact.bad.again')}</a></p>
  </section>`;
}

/** The contact section under the policy text (the text itself is the policy catalogue's). */
export function policyContactSection(lang: Lang, contactEmail: string): SafeHtml {
  const query = lang === 'zh' ? '?lang=zh' : '';
  return html`<section class="policy-contact" id="contact" aria-labelledby="policy-contact-title">
    <h2 id="policy-contact-title">${t(lang, 'contact.policy.title')}</h2>
    <p>${withAddress(lang, 'contact.policy.body', contactEmail)}</p>
    <ul>
      <li><a href="/contact${query}">${t(lang, 'contact.policy.form')}</a></li>
      <li><a href="/contact${query}#regulator">${t(lang, 'contact.policy.regulator')}</a></li>
    </ul>
  </section>`;
}

/** The cross-border transfer to Google, said where the user signs in. */
export function signInTransferNotice(lang: Lang): SafeHtml {
  return html`<p class="muted small transfer-notice" id="transfer-sign-in">
    ${t(lang, 'transfer.signIn')}
  </p>`;
}

/** The cross-border transfer to Stripe, said where the user pays. */
export function paymentTransferNotice(lang: Lang): SafeHtml {
  return html`<p class="muted small transfer-notice" id="transfer-payment">
    ${t(lang, 'transfer.pay')}
  </p>`;
}
