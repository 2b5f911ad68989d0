import type { CreditPack } from '../../config/config.js';
import type { CreditHistoryRow } from '../../modules/credits/credits.service.js';
import type { PurchaseView } from '../../modules/payments/payments.service.js';
import { formatMoney, timeTag } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { t, tCount, tDynamic, type Lang } from '../i18n.js';
import { paymentTransferNotice } from './contact.view.js';

export interface CreditsPageView {
  balance: number;
  reserved: number;
  cost: number;
  packs: readonly CreditPack[];
  csrfToken: string;
  local: boolean;
  returned: PurchaseView | null;
  cancelled: boolean;
  purchases: PurchaseView[];
  /** One row per piece (its hold and settlement), else one per ledger entry. */
  history: Array<
    Omit<CreditHistoryRow, 'createdAt'> & {
      /** Whether the piece can still be opened. */
      live: boolean;
      createdAt: string;
    }
  >;
}

/** Balance, credit packs, purchases and the ledger. */
export function creditsPage(lang: Lang, view: CreditsPageView): SafeHtml {
  const held = view.reserved > 0 ? tCount(lang, 'credits.held', view.reserved) : '';
  const purchaseStatus = (status: string) => tDynamic(lang, `purchase.${status}`, status);
  return html`<h1>${t(lang, 'credits.title')}</h1>
    <section class="card">
      <p id="balance" class="balance">
        ${tCount(lang, 'credits.balance', view.balance, { held })} ·
        ${tCount(lang, 'credits.cost', view.cost)}
      </p>
      ${
        view.returned
          ? view.returned.status === 'pending'
            ? html`<p role="status" class="notice">${t(lang, 'credits.confirming')}</p>`
            : html`<p role="status" class="notice" id="purchase-result">
                ${tCount(lang, 'credits.purchase', view.returned.credits, {
                  status: purchaseStatus(view.returned.status),
                })}
              </p>`
          : ''
      }
      ${
        view.cancelled
          ? html`<p role="status" class="notice">${t(lang, 'credits.cancelled')}</p>`
          : ''
      }
      ${view.local ? html`<p class="warning">${t(lang, 'credits.local')}</p>` : ''}
      <h2>${t(lang, 'credits.packs')}</h2>
      <ul class="packs">
        ${view.packs.map(
          (p) =>
            html`<li class="pack">
              <p class="pack-credits">${tCount(lang, 'credits.pack', p.credits)}</p>
              <p class="pack-price">${formatMoney(p.amountCents, p.currency)}</p>
              <form method="post" action="/api/credits/checkout">
                <input type="hidden" name="_csrf" value="${view.csrfToken}" />
                <input type="hidden" name="packId" value="${p.id}" />
                <button
                  type="submit"
                  data-pack="${p.id}"
                  aria-label="${tCount(lang, 'credits.buyPack', p.credits, {
                    price: formatMoney(p.amountCents, p.currency),
                  })}"
                >
                  ${t(lang, 'credits.buy')}
                </button>
              </form>
            </li>`,
        )}
      </ul>
      ${paymentTransferNotice(lang)}
    </section>
    <section class="card">
      <h2>${t(lang, 'credits.purchases')}</h2>
      ${
        view.purchases.length === 0
          ? html`<p>${t(lang, 'credits.none')}</p>`
          : html`<ul class="history" id="purchases">
              ${view.purchases.map(
                (p) =>
                  html`<li>
                    ${timeTag(lang, p.createdAt)} — ${tCount(lang, 'credits.pack', p.credits)},
                    ${formatMoney(p.amountCents, p.currency)} — ${purchaseStatus(p.status)}
                  </li>`,
              )}
            </ul>`
      }
      <h2>${t(lang, 'credits.history')}</h2>
      <div class="table-wrap">
        <table class="table" id="credit-history">
          <thead>
            <tr>
              <th scope="col">${t(lang, 'credits.when')}</th>
              <th scope="col">${t(lang, 'credits.what')}</th>
              <th scope="col" class="num">${t(lang, 'credits.change')}</th>
              <th scope="col" class="num">${t(lang, 'credits.after')}</th>
            </tr>
          </thead>
          <tbody>
            ${view.history.map(
              (row) =>
                html`<tr>
                  <td>${timeTag(lang, row.createdAt)}</td>
                  <td>${historyLabel(lang, row)}</td>
                  <td class="num">${row.net > 0 ? `+${row.net}` : row.net}</td>
                  <td class="num">${row.balanceAfter}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p><a href="/api/credits/history">${t(lang, 'credits.json')}</a></p>
    </section>`;
}

function historyLabel(lang: Lang, row: CreditsPageView['history'][number]): SafeHtml | string {
  if (row.kind !== 'piece') return tDynamic(lang, `entry.${row.kind}`, row.kind);
  const label = t(lang, `credits.piece.${row.outcome ?? 'held'}`);
  if (!row.live || !row.generationId) return label;
  const href = `/generations/${encodeURIComponent(row.generationId)}${lang === 'zh' ? '?lang=zh' : ''}`;
  return html`${label} · <a href="${href}">${t(lang, 'credits.piece.open')}</a>`;
}
