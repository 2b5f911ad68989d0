import Stripe from 'stripe';
import { z } from 'zod';
import type { PaymentsConfig } from '../../config/config.js';
import { AppError } from '../../lib/errors.js';
import type {
  ChargeTruth,
  CheckoutSessionTruth,
  CreateCheckoutInput,
  PaymentGateway,
  VerifiedEvent,
} from './payment-gateway.js';

/** Stripe through the official SDK. Every object it returns is parsed before anyone trusts it. */
export class StripeGateway implements PaymentGateway {
  readonly kind = 'stripe';
  readonly #stripe: Stripe;
  readonly #webhookSecret: string;
  readonly #toleranceSeconds: number;

  constructor(config: Extract<PaymentsConfig, { kind: 'stripe' }>) {
    this.#stripe = new Stripe(config.secretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      ...config.api,
    });
    this.#webhookSecret = config.webhookSecret;
    this.#toleranceSeconds = config.webhookToleranceSeconds;
  }

  async createCheckoutSession(input: CreateCheckoutInput): Promise<{ id: string; url: string }> {
    const { pack } = input;
    const session = await this.#stripe.checkout.sessions.create(
      {
        mode: 'payment',
        client_reference_id: input.purchaseId,
        metadata: { purchaseId: input.purchaseId },
        payment_intent_data: { metadata: { purchaseId: input.purchaseId } },
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: pack.currency,
              unit_amount: pack.amountCents,
              product_data: { name: `${pack.credits} Instune credits` },
            },
          },
        ],
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      },
      { idempotencyKey: input.idempotencyKey },
    );
    const parsed = createdSessionSchema.parse(session);
    return { id: parsed.id, url: parsed.url };
  }

  async retrieveCheckoutSession(id: string): Promise<CheckoutSessionTruth | null> {
    try {
      return toSessionTruth(await this.#stripe.checkout.sessions.retrieve(id));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async findCheckoutSessionByPaymentIntent(
    paymentIntentId: string,
  ): Promise<CheckoutSessionTruth | null> {
    const list = await this.#stripe.checkout.sessions.list({
      payment_intent: paymentIntentId,
      limit: 1,
    });
    const first = list.data[0];
    return first ? toSessionTruth(first) : null;
  }

  async retrieveCharge(id: string): Promise<ChargeTruth | null> {
    try {
      const charge = chargeSchema.parse(await this.#stripe.charges.retrieve(id));
      return {
        id: charge.id,
        paymentIntentId: idOf(charge.payment_intent),
        amount: charge.amount,
        amountRefunded: charge.amount_refunded,
        currency: charge.currency,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  verifyEvent(rawBody: Buffer, signature: string | undefined, now: Date): VerifiedEvent {
    return verifyStripeEvent(rawBody, signature, {
      secret: this.#webhookSecret,
      toleranceSeconds: this.#toleranceSeconds,
      now,
    });
  }
}

const expandable = z.union([z.string(), z.object({ id: z.string() }).loose()]).nullable();

const sessionSchema = z
  .object({
    id: z.string().min(1),
    object: z.literal('checkout.session'),
    client_reference_id: z.string().nullish(),
    status: z.enum(['open', 'complete', 'expired']).nullable(),
    payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
    amount_total: z.number().int().nullable(),
    currency: z.string().nullable(),
    payment_intent: expandable.optional(),
  })
  .loose();

const createdSessionSchema = z.object({ id: z.string().min(1), url: z.url() }).loose();

const chargeSchema = z
  .object({
    id: z.string().min(1),
    object: z.literal('charge'),
    amount: z.number().int(),
    amount_refunded: z.number().int(),
    currency: z.string(),
    payment_intent: expandable,
  })
  .loose();

const eventSchema = z
  .object({
    id: z.string().min(1),
    object: z.literal('event'),
    type: z.string().min(1),
    data: z.object({ object: z.object({ id: z.string().optional() }).loose() }).loose(),
  })
  .loose();

export function toSessionTruth(value: unknown): CheckoutSessionTruth {
  const session = sessionSchema.parse(value);
  return {
    id: session.id,
    purchaseId: session.client_reference_id ?? null,
    status: session.status,
    paymentStatus: session.payment_status,
    amountTotal: session.amount_total,
    currency: session.currency,
    paymentIntentId: idOf(session.payment_intent ?? null),
  };
}

/**
 * Verifies a Stripe-Signature header over the raw body (HMAC-SHA256 with the endpoint secret,
 * timestamp within the tolerance), then parses the event's envelope.
 */
export function verifyStripeEvent(
  rawBody: Buffer,
  signature: string | undefined,
  options: { secret: string; toleranceSeconds: number; now: Date },
): VerifiedEvent {
  if (!signature) throw new AppError('bad_request', 'missing Stripe-Signature header');
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(
      rawBody,
      signature,
      options.secret,
      options.toleranceSeconds,
      undefined,
      options.now.getTime(),
    );
  } catch {
    throw new AppError('bad_request', 'the webhook signature is invalid or too old');
  }
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new AppError('bad_request', 'the webhook event is malformed');
  return {
    id: parsed.data.id,
    type: parsed.data.type,
    objectId: parsed.data.data.object.id ?? null,
  };
}

function idOf(value: string | { id: string } | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value : value.id;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && error.statusCode === 404;
}
