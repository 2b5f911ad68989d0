import { LOCAL_CHECKOUT_PATH } from '../../adapters/stripe/local-checkout-gateway.js';
import { html, type SafeHtml } from '../html.js';
import { t, tCount, type Lang } from '../i18n.js';
import { paymentTransferNotice } from './contact.view.js';

export interface LocalCheckoutView {
  sessionId: string;
  credits: number;
  price: string;
  paid: boolean;
  csrfToken: string;
}

/** The local test checkout, which stands in for Stripe's hosted page without keys. */
export function localCheckoutPage(lang: Lang, view: LocalCheckoutView): SafeHtml {
  return html`<section class="card local-checkout">
    <h1>${t(lang, 'checkout.title')}</h1>
    <p class="warning">${t(lang, 'checkout.body')}</p>
    <p class="pack-credits">${tCount(lang, 'credits.pack', view.credits)} · ${view.price}</p>
    ${
      view.paid
        ? html`<p role="status">${t(lang, 'checkout.done')}</p>
            <p><a href="/credits">${t(lang, 'checkout.back')}</a></p>`
        : html`<form method="post" action="${LOCAL_CHECKOUT_PATH}/${view.sessionId}/complete">
              <input type="hidden" name="_csrf" value="${view.csrfToken}" />
              <button type="submit" id="complete-checkout">${t(lang, 'checkout.complete')}</button>
            </form>
            <p><a href="/credits?cancelled=1">${t(lang, 'checkout.cancel')}</a></p>`
    }
    ${paymentTransferNotice(lang)}
  </section>`;
}
