import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CreditPack } from '../../config/config.js';
import type { PaymentGateway } from '../../adapters/stripe/payment-gateway.js';
import { getCreditSummary, listCreditEntries } from '../../modules/credits/credits.service.js';
import {
  listPurchases,
  requirePurchase,
  startCheckout,
  type PurchaseView,
} from '../../modules/payments/payments.service.js';
import { AppError, isAppError } from '../../lib/errors.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, t, tDynamic, type Lang } from '../i18n.js';
import type { HttpDeps } from '../http-deps.js';
import { requireCsrf, requireSession } from '../session-auth.js';
import { sendPage } from './pages.routes.js';
import { paymentDepsOf } from './payments.routes.js';

const checkoutBody = z.object({ packId: z.string().min(1).max(64), _csrf: z.string().optional() });
const creditsPageQuery = z.object({
  purchase: z.string().max(64).optional(),
  cancelled: z.string().max(64).optional(),
});

export function registerCreditRoutes(
  app: FastifyInstance,
  deps: HttpDeps,
  gateway: PaymentGateway,
): void {
  const paymentDeps = paymentDepsOf(deps, gateway);
  const priceList = deps.config.credits.packs.map((p) => ({
    id: p.id,
    credits: p.credits,
    amountCents: p.amountCents,
    currency: p.currency,
  }));

  app.get('/api/credits', async (request) => {
    const session = requireSession(request);
    const summary = await getCreditSummary(deps.db, session.userId);
    return {
      ...summary,
      generationCost: deps.config.credits.generationCost,
      packs: priceList,
      /** 'local' means the local test checkout: no real payment is taken. */
      checkout: gateway.kind,
    };
  });

  app.post('/api/credits/checkout', async (request, reply) => {
    requireSession(request);
    const parsed = checkoutBody.safeParse(request.body ?? {});
    if (!parsed.success) throw new AppError('validation_failed', 'choose a credit pack (packId)');
    const session = requireCsrf(request, parsed.data._csrf);
    const { url, purchaseId } = await startCheckout(paymentDeps, {
      userId: session.userId,
      packId: parsed.data.packId,
    });
    request.log.info({ purchaseId, provider: gateway.kind }, 'checkout started');
    if (wantsHtml(request)) return reply.redirect(url, 303);
    return reply.status(201).send({ url, purchaseId });
  });

  app.get('/api/credits/history', async (request) => {
    const session = requireSession(request);
    const [purchases, entries] = await Promise.all([
      listPurchases(deps.db, session.userId),
      listCreditEntries(deps.db, session.userId),
    ]);
    return {
      purchases,
      entries: entries.map((e) => ({
        kind: e.kind,
        amount: e.amount,
        balanceAfter: e.balance_after,
        reason: e.reason,
        generationId: e.generation_id,
        purchaseId: e.purchase_id,
        shortfall: e.shortfall,
        createdAt: e.created_at.toISOString(),
      })),
    };
  });

  app.get('/credits', async (request, reply) => {
    if (!request.session) return reply.redirect('/auth/login?returnTo=%2Fcredits', 303);
    const { userId, csrfToken } = request.session;
    const query = creditsPageQuery.parse(request.query);
    const summary = await getCreditSummary(deps.db, userId);
    // The success redirect only shows what the webhook has (or has not yet) done.
    const returned = query.purchase
      ? await requirePurchase(deps.db, userId, query.purchase).catch((error: unknown) => {
          if (isAppError(error) && error.code === 'not_found') return null;
          throw error;
        })
      : null;
    const lang = request.pageLanguage;
    const entries = await listCreditEntries(deps.db, userId);
    return sendPage(
      reply,
      `${t(lang, 'credits.title')} — Instune`,
      creditsPage(lang, {
        balance: summary.balance,
        reserved: summary.reserved,
        cost: deps.config.credits.generationCost,
        packs: deps.config.credits.packs,
        csrfToken,
        local: gateway.kind === 'local',
        returned,
        cancelled: Boolean(query.cancelled),
        purchases: await listPurchases(deps.db, userId),
        entries: entries.map((e) => ({
          kind: e.kind,
          amount: e.amount,
          balanceAfter: e.balance_after,
          createdAt: e.created_at.toISOString(),
        })),
      }),
      csrfToken,
    );
  });
}

export function formatMoney(amountMinor: number, currency: string): string {
  const format = new Intl.NumberFormat('en', {
    style: 'currency',
    currency: currency.toUpperCase(),
  });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

function creditsPage(
  lang: Lang,
  view: {
    balance: number;
    reserved: number;
    cost: number;
    packs: readonly CreditPack[];
    csrfToken: string;
    local: boolean;
    returned: PurchaseView | null;
    cancelled: boolean;
    purchases: PurchaseView[];
    entries: Array<{ kind: string; amount: number; balanceAfter: number; createdAt: string }>;
  },
): SafeHtml {
  const held = view.reserved > 0 ? t(lang, 'credits.held', { reserved: view.reserved }) : '';
  const purchaseStatus = (status: string) => tDynamic(lang, `purchase.${status}`, status);
  return html`<h1>${t(lang, 'credits.title')}</h1>
    <section class="card">
      <p id="balance" class="balance">
        ${t(lang, 'credits.balance', { balance: view.balance, held, cost: view.cost })}
      </p>
      ${
        view.returned
          ? view.returned.status === 'pending'
            ? html`<p role="status" class="notice">${t(lang, 'credits.confirming')}</p>`
            : html`<p role="status" class="notice" id="purchase-result">
                ${t(lang, 'credits.purchase', {
                  status: purchaseStatus(view.returned.status),
                  credits: view.returned.credits,
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
              <p class="pack-credits">${t(lang, 'credits.pack', { credits: p.credits })}</p>
              <p class="pack-price">${formatMoney(p.amountCents, p.currency)}</p>
              <form method="post" action="/api/credits/checkout">
                <input type="hidden" name="_csrf" value="${view.csrfToken}" />
                <input type="hidden" name="packId" value="${p.id}" />
                <button
                  type="submit"
                  data-pack="${p.id}"
                  aria-label="${t(lang, 'credits.buyPack', {
                    credits: p.credits,
                    price: formatMoney(p.amountCents, p.currency),
                  })}"
                >
                  ${t(lang, 'credits.buy')}
                </button>
              </form>
            </li>`,
        )}
      </ul>
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
                    ${formatDateTime(lang, p.createdAt)} —
                    ${t(lang, 'credits.pack', { credits: p.credits })},
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
            ${view.entries.map(
              (e) =>
                html`<tr>
                  <td>${formatDateTime(lang, e.createdAt)}</td>
                  <td>${tDynamic(lang, `entry.${e.kind}`, e.kind)}</td>
                  <td class="num">${e.amount > 0 ? `+${e.amount}` : e.amount}</td>
                  <td class="num">${e.balanceAfter}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p><a href="/api/credits/history">${t(lang, 'credits.json')}</a></p>
    </section>`;
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('application/json');
}
