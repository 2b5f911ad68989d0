import type { Config, CreditPack } from '../../config/config.js';
import { LocalCheckoutGateway } from './local-checkout-gateway.js';
import { StripeGateway } from './stripe-gateway.js';

/**
 * What the payments module needs from a payment provider. Webhook events are only hints: after
 * the signature is verified, the module re-reads the session or charge through this interface
 * and acts on that, never on the event body.
 */
export interface PaymentGateway {
  readonly kind: 'stripe' | 'local';
  createCheckoutSession(input: CreateCheckoutInput): Promise<{ id: string; url: string }>;
  /** null when the provider does not know the id. */
  retrieveCheckoutSession(id: string): Promise<CheckoutSessionTruth | null>;
  findCheckoutSessionByPaymentIntent(paymentIntentId: string): Promise<CheckoutSessionTruth | null>;
  retrieveCharge(id: string): Promise<ChargeTruth | null>;
  /** Checks the signature (and its age against `now`); throws AppError bad_request if invalid. */
  verifyEvent(rawBody: Buffer, signature: string | undefined, now: Date): VerifiedEvent;
}

export interface CreateCheckoutInput {
  purchaseId: string;
  pack: CreditPack;
  successUrl: string;
  cancelUrl: string;
  /** Sent as the Idempotency-Key: a retried create returns the same session. */
  idempotencyKey: string;
}

export interface CheckoutSessionTruth {
  id: string;
  /** Our purchase id, from client_reference_id. */
  purchaseId: string | null;
  status: 'open' | 'complete' | 'expired' | null;
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  amountTotal: number | null;
  currency: string | null;
  paymentIntentId: string | null;
}

export interface ChargeTruth {
  id: string;
  paymentIntentId: string | null;
  amount: number;
  amountRefunded: number;
  currency: string;
}

export interface VerifiedEvent {
  id: string;
  type: string;
  /** The id of `data.object` (a checkout session, a charge, …). */
  objectId: string | null;
}

/** Stripe when keys are configured; otherwise the local test checkout (never both). */
export function createPaymentGateway(config: Config): StripeGateway | LocalCheckoutGateway {
  if (config.payments.kind === 'stripe') return new StripeGateway(config.payments);
  return new LocalCheckoutGateway({
    publicUrl: config.http.publicUrl,
    toleranceSeconds: config.payments.webhookToleranceSeconds,
  });
}
