import { html, type SafeHtml } from './html.js';
import { formatDateTime, type Lang } from './i18n.js';

/** Minor units (cents, or whole yen) as a price in the currency's own number of digits. */
export function formatMoney(amountMinor: number, currency: string): string {
  const format = new Intl.NumberFormat('en', {
    style: 'currency',
    currency: currency.toUpperCase(),
  });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

/**
 * A moment as `<time datetime>`: the server writes it in UTC (it does not know the reader's
 * zone), and the page's script rewrites it in the reader's own zone and language.
 */
export function timeTag(lang: Lang, moment: string | Date): SafeHtml {
  const date = typeof moment === 'string' ? new Date(moment) : moment;
  return html`<time datetime="${date.toISOString()}">${formatDateTime(lang, date)}</time>`;
}
