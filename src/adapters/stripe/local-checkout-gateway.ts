import Stripe from 'stripe';
import { newToken } from '../../lib/ids.js';
import type {
  ChargeTruth,
  CheckoutSessionTruth,
  CreateCheckoutInput,
  PaymentGateway,
  VerifiedEvent,
} from './payment-gateway.js';
import { verifyStripeEvent } from './stripe-gateway.js';

export const LOCAL_CHECKOUT_PATH = '/credits/local-checkout';

interface LocalSession extends CheckoutSessionTruth {
  purchaseId: string;
  credits: number;
}

/**
 * Stands in for Stripe when no Stripe keys are configured, so a newcomer can try a purchase end
 * to end: a local page plays the part of Stripe Checkout ("no real payment"), and completing it
 * sends a correctly signed `checkout.session.completed` event to the same webhook endpoint that
 * real Stripe events reach. The signing secret is generated per process, and sessions live in
 * memory: this is a one-process development aid, which config refuses in production.
 */
export class LocalCheckoutGateway implements PaymentGateway {
  readonly kind = 'local';
  readonly #sessions = new Map<string, LocalSession>();
  readonly #webhookSecret = `whsec_local${newToken(24).replace(/[^A-Za-z0-9]/g, '')}`;
  readonly #publicUrl: string;
  readonly #toleranceSeconds: number;

  constructor(options: { publicUrl: string; toleranceSeconds: number }) {
    this.#publicUrl = options.publicUrl;
    this.#toleranceSeconds = options.toleranceSeconds;
  }

  async createCheckoutSession(input: CreateCheckoutInput): Promise<{ id: string; url: string }> {
    // The idempotency key maps to the purchase, which gets one session whatever the retries.
    const existing = [...this.#sessions.values()].find((s) => s.purchaseId === input.purchaseId);
    const session: LocalSession = existing ?? {
      id: `cs_local_${newToken(18).replace(/[^A-Za-z0-9]/g, '')}`,
      purchaseId: input.purchaseId,
      credits: input.pack.credits,
      status: 'open',
      paymentStatus: 'unpaid',
      amountTotal: input.pack.amountCents,
      currency: input.pack.currency,
      paymentIntentId: null,
    };
    this.#sessions.set(session.id, session);
    return { id: session.id, url: `${this.#publicUrl}${LOCAL_CHECKOUT_PATH}/${session.id}` };
  }

  async retrieveCheckoutSession(id: string): Promise<CheckoutSessionTruth | null> {
    const session = this.#sessions.get(id);
    return session ? toTruth(session) : null;
  }

  async findCheckoutSessionByPaymentIntent(
    paymentIntentId: string,
  ): Promise<CheckoutSessionTruth | null> {
    const session = [...this.#sessions.values()].find((s) => s.paymentIntentId === paymentIntentId);
    return session ? toTruth(session) : null;
  }

  async retrieveCharge(_id: string): Promise<ChargeTruth | null> {
    return null; // nothing is ever charged locally
  }

  verifyEvent(rawBody: Buffer, signature: string | undefined, now: Date): VerifiedEvent {
    return verifyStripeEvent(rawBody, signature, {
      secret: this.#webhookSecret,
      toleranceSeconds: this.#toleranceSeconds,
      now,
    });
  }

  /** The open session a local checkout page shows, or null. */
  getSession(id: string): Readonly<LocalSession> | null {
    return this.#sessions.get(id) ?? null;
  }

  /**
   * "Pays" a session (the click on the local page) and returns the signed event Stripe would
   * send: the body and its Stripe-Signature header. Completing twice gives a second delivery of
   * the same event id, which the webhook recognises.
   */
  completeSession(id: string, now: Date): { payload: string; signature: string } | null {
    const session = this.#sessions.get(id);
    if (!session || session.status === 'expired') return null;
    session.status = 'complete';
    session.paymentStatus = 'paid';
    session.paymentIntentId ??= `pi_local_${session.id.slice('cs_local_'.length)}`;
    const createdSeconds = Math.floor(now.getTime() / 1000);
    const payload = JSON.stringify({
      id: `evt_local_${session.id.slice('cs_local_'.length)}`,
      object: 'event',
      type: 'checkout.session.completed',
      api_version: Stripe.API_VERSION,
      created: createdSeconds,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: {
        object: {
          id: session.id,
          object: 'checkout.session',
          client_reference_id: session.purchaseId,
          mode: 'payment',
          status: session.status,
          payment_status: session.paymentStatus,
          amount_total: session.amountTotal,
          currency: session.currency,
          payment_intent: session.paymentIntentId,
        },
      },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: this.#webhookSecret,
      timestamp: createdSeconds,
    });
    return { payload, signature };
  }
}

function toTruth(session: LocalSession): CheckoutSessionTruth {
  return {
    id: session.id,
    purchaseId: session.purchaseId,
    status: session.status,
    paymentStatus: session.paymentStatus,
    amountTotal: session.amountTotal,
    currency: session.currency,
    paymentIntentId: session.paymentIntentId,
  };
}
