import type { ConsentState } from '../../modules/policies/consent.service.js';
import { html, type SafeHtml } from '../html.js';

/** Cookie settings: each optional purpose with its own checkbox (in English only, for now). */
export function cookieSettingsPage(
  c: ConsentState | null,
  csrfToken: string | undefined,
): SafeHtml {
  return html`<section class="card">
    <h1>Cookie settings</h1>
    <p>
      Essential cookies are always on: your session, the form protection (CSRF), the short sign-in
      state and the record of this choice. The others need your consent, which you can withdraw here
      at any time; withdrawing deletes them.
    </p>
    <p id="consent-status">
      ${
        c
          ? `Your choice: preferences ${c.preferences ? 'allowed' : 'refused'}, analytics ${c.analytics ? 'allowed' : 'refused'}.`
          : 'You have not chosen yet.'
      }
    </p>
    <form method="post" action="/consent" class="consent-manage">
      <input type="hidden" name="choice" value="custom" />
      <input type="hidden" name="returnTo" value="/cookies" />
      ${csrfToken ? html`<input type="hidden" name="_csrf" value="${csrfToken}" />` : ''}
      <label
        ><input type="checkbox" name="preferences" ${c?.preferences ? html`checked` : ''} />
        Preferences: remember your language (cookie instune_lang)</label
      >
      <label
        ><input type="checkbox" name="analytics" ${c?.analytics ? html`checked` : ''} /> Analytics:
        measure use of the site (no analytics cookies are set today)</label
      >
      <button type="submit">Save choices</button>
    </form>
  </section>`;
}
