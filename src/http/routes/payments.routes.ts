import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  LOCAL_CHECKOUT_PATH,
  LocalCheckoutGateway,
} from '../../adapters/stripe/local-checkout-gateway.js';
import type { PaymentGateway } from '../../adapters/stripe/payment-gateway.js';
import {
  findPurchaseBySession,
  handlePaymentWebhook,
} from '../../modules/payments/payments.service.js';
import { AppError } from '../../lib/errors.js';
import { formatMoney } from '../format.js';
import { t } from '../i18n.js';
import type { HttpDeps } from '../http-deps.js';
import { paymentDepsOf } from '../service-deps.js';
import { requireCsrf } from '../session-auth.js';
import { localCheckoutPage } from '../views/checkout.view.js';
import { sendPage } from '../views/layout.js';

export const WEBHOOK_PATH = '/webhooks/stripe';

const sessionParams = z.object({ sessionId: z.string().regex(/^cs_local_[A-Za-z0-9]{1,64}$/) });
const completeBody = z.object({ _csrf: z.string().optional() });

export function registerPaymentRoutes(
  app: FastifyInstance,
  deps: HttpDeps,
  gateway: PaymentGateway,
): void {
  const paymentDeps = paymentDepsOf(deps, gateway);

  // The signature covers the exact bytes sent, so this route alone keeps the body raw.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: 512 * 1024 },
      (_r, body, done) => done(null, body),
    );
    scope.post(WEBHOOK_PATH, async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new AppError('bad_request', 'the webhook body is empty');
      }
      const signature = request.headers['stripe-signature'];
      const result = await handlePaymentWebhook(
        paymentDeps,
        body,
        typeof signature === 'string' ? signature : undefined,
      );
      request.log.info(result, 'payment webhook handled');
      return reply.status(200).send({ received: true, outcome: result.outcome });
    });
  });

  // Only exists without Stripe keys (config makes the two exclusive, and production needs keys).
  if (gateway instanceof LocalCheckoutGateway) registerLocalCheckout(app, deps, gateway);
}

function registerLocalCheckout(
  app: FastifyInstance,
  deps: HttpDeps,
  gateway: LocalCheckoutGateway,
): void {
  /** The session, if it exists and its purchase belongs to this user; else 404. */
  const requireOwnSession = async (userId: string, sessionId: string) => {
    const session = gateway.getSession(sessionId);
    const purchase = session ? await findPurchaseBySession(deps.db, userId, sessionId) : undefined;
    if (!session || !purchase) throw AppError.because('checkout_not_found', 'no such checkout');
    return { session, purchase };
  };

  app.get(`${LOCAL_CHECKOUT_PATH}/:sessionId`, async (request, reply) => {
    if (!request.session) {
      return reply.redirect(`/auth/login?returnTo=${encodeURIComponent(request.url)}`, 303);
    }
    const { sessionId } = parseParams(request.params);
    const { session, purchase } = await requireOwnSession(request.session.userId, sessionId);
    return sendPage(
      reply,
      t(request.pageLanguage, 'checkout.title'),
      localCheckoutPage(request.pageLanguage, {
        sessionId,
        credits: purchase.credits,
        price: formatMoney(purchase.amount_cents, purchase.currency),
        paid: session.paymentStatus === 'paid',
        csrfToken: request.session.csrfToken,
      }),
      request.session.csrfToken,
    );
  });

  app.post(`${LOCAL_CHECKOUT_PATH}/:sessionId/complete`, async (request, reply) => {
    const body = completeBody.parse(request.body ?? {});
    const userSession = requireCsrf(request, body._csrf);
    const { sessionId } = parseParams(request.params);
    const { purchase } = await requireOwnSession(userSession.userId, sessionId);
    const event = gateway.completeSession(sessionId, deps.clock.now());
    if (!event) throw AppError.because('checkout_expired', 'this checkout has expired');
    // Delivered like Stripe would: a signed POST to the real webhook endpoint.
    const delivery = await app.inject({
      method: 'POST',
      url: WEBHOOK_PATH,
      headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
      payload: event.payload,
    });
    if (delivery.statusCode !== 200) {
      throw new AppError('internal', 'the local webhook delivery failed', {
        status: delivery.statusCode,
      });
    }
    return reply.redirect(`/credits?purchase=${purchase.id}`, 303);
  });
}

function parseParams(params: unknown): { sessionId: string } {
  const parsed = sessionParams.safeParse(params);
  if (!parsed.success) throw AppError.because('checkout_not_found', 'no such checkout');
  return parsed.data;
}
