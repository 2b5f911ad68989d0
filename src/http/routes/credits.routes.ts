import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { PaymentGateway } from '../../adapters/stripe/payment-gateway.js';
import {
  foldCreditHistory,
  getCreditSummary,
  listCreditEntries,
} from '../../modules/credits/credits.service.js';
import { livePieceIds } from '../../modules/generations/generations.service.js';
import {
  listPurchases,
  requirePurchase,
  startCheckout,
} from '../../modules/payments/payments.service.js';
import { AppError, isAppError } from '../../lib/errors.js';
import { t } from '../i18n.js';
import type { HttpDeps } from '../http-deps.js';
import { wantsHtml } from '../negotiation.js';
import { checkoutBody } from '../schemas/credits.schemas.js';
import { paymentDepsOf } from '../service-deps.js';
import { requireCsrf, requireSession } from '../session-auth.js';
import { creditsPage } from '../views/credits.view.js';
import { sendPage } from '../views/layout.js';
import type {
  CheckoutResponse,
  CreditsResponse,
  LedgerEntryResponse,
} from '../schemas/response.schemas.js';

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
    } satisfies CreditsResponse;
  });

  app.post('/api/credits/checkout', async (request, reply) => {
    requireSession(request);
    const parsed = checkoutBody.safeParse(request.body ?? {});
    if (!parsed.success) throw AppError.because('pack_unknown', 'choose a credit pack (packId)');
    const session = requireCsrf(request, parsed.data._csrf);
    const { url, purchaseId } = await startCheckout(paymentDeps, {
      userId: session.userId,
      packId: parsed.data.packId,
    });
    request.log.info({ purchaseId, provider: gateway.kind }, 'checkout started');
    if (wantsHtml(request)) return reply.redirect(url, 303);
    return reply.status(201).send({ url, purchaseId } satisfies CheckoutResponse);
  });

  app.get('/api/credits/history', async (request) => {
    const session = requireSession(request);
    const [purchases, entries] = await Promise.all([
      listPurchases(deps.db, session.userId),
      listCreditEntries(deps.db, session.userId),
    ]);
    return {
      purchases,
      entries: entries.map((e): LedgerEntryResponse => ({
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
    // One row per piece (its hold and settlement together), linked while the piece exists.
    const history = foldCreditHistory(await listCreditEntries(deps.db, userId));
    const live = await livePieceIds(
      deps,
      userId,
      history.flatMap((row) => (row.generationId ? [row.generationId] : [])),
    );
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
        history: history.map((row) => ({
          ...row,
          createdAt: row.createdAt.toISOString(),
          live: row.generationId !== null && live.has(row.generationId),
        })),
      }),
      csrfToken,
    );
  });
}
