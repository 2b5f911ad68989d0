import type { Selectable } from 'kysely';
import type { CreditPack } from '../../config/config.js';
import type {
  ChargeTruth,
  CheckoutSessionTruth,
  PaymentGateway,
} from '../../adapters/stripe/payment-gateway.js';
import type { Db, DbTransaction } from '../../db/database.js';
import type { CreditPurchasesTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { grantPurchasedCredits, takeBackRefundedCredits } from '../credits/credits.service.js';

export interface PaymentDeps {
  db: Db;
  clock: Clock;
  gateway: PaymentGateway;
  packs: readonly CreditPack[];
  publicUrl: string;
}

type PurchaseRow = Selectable<CreditPurchasesTable>;

export interface PurchaseView {
  id: string;
  packId: string;
  credits: number;
  amountCents: number;
  currency: string;
  status: PurchaseRow['status'];
  refundedCents: number;
  creditsRefunded: number;
  createdAt: string;
  paidAt: string | null;
}

/** What a webhook delivery did; logged, and answered to the provider. */
export type WebhookOutcome =
  | 'granted'
  | 'already_fulfilled'
  | 'not_paid'
  | 'expired'
  | 'refunded'
  | 'no_change'
  | 'duplicate'
  | 'ignored'
  | 'unknown'
  | 'mismatch';

/**
 * Starts a purchase: a pending purchase row (our order id) and a Checkout Session that carries
 * that id. Nothing is granted here or on the success redirect; only the verified webhook grants.
 */
export async function startCheckout(
  deps: PaymentDeps,
  input: { userId: string; packId: string },
): Promise<{ purchaseId: string; url: string }> {
  const pack = deps.packs.find((p) => p.id === input.packId);
  if (!pack) throw AppError.because('pack_unknown', 'no such credit pack');
  const purchaseId = newId();
  const now = deps.clock.now();
  await deps.db
    .insertInto('credit_purchases')
    .values({
      id: purchaseId,
      user_id: input.userId,
      provider: deps.gateway.kind,
      pack_id: pack.id,
      credits: pack.credits,
      amount_cents: pack.amountCents,
      currency: pack.currency,
      status: 'pending',
      checkout_session_id: null,
      payment_intent_id: null,
      payment_status: null,
      created_at: now,
      paid_at: null,
      updated_at: now,
    })
    .execute();
  // If this call fails after the provider created the session, the same key on a retry returns
  // that session; and a payment on it would still be matched by the purchase id it carries.
  const session = await deps.gateway.createCheckoutSession({
    purchaseId,
    pack,
    successUrl: `${deps.publicUrl}/credits?purchase=${purchaseId}`,
    cancelUrl: `${deps.publicUrl}/credits?cancelled=${purchaseId}`,
    idempotencyKey: `instune-checkout-${purchaseId}`,
  });
  await deps.db
    .updateTable('credit_purchases')
    .set({ checkout_session_id: session.id, updated_at: deps.clock.now() })
    .where('id', '=', purchaseId)
    .where('checkout_session_id', 'is', null)
    .execute();
  return { purchaseId, url: session.url };
}

/**
 * Handles one webhook delivery. The signature is verified first (else `bad_request`); the event
 * only names what changed, and the session or charge is then re-read from the provider. Effects
 * are keyed by purchase in the ledger and the event id is recorded in the same transaction, so
 * any number of deliveries, in any order, grant a purchase once and refund it once per state.
 */
export async function handlePaymentWebhook(
  deps: PaymentDeps,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<{ eventId: string; type: string; outcome: WebhookOutcome }> {
  const event = deps.gateway.verifyEvent(rawBody, signature, deps.clock.now());
  const result = (outcome: WebhookOutcome) => ({ eventId: event.id, type: event.type, outcome });
  const seen = await deps.db
    .selectFrom('payment_events')
    .select('event_id')
    .where('event_id', '=', event.id)
    .executeTakeFirst();
  if (seen) return result('duplicate');
  if (!event.objectId) return result('ignored');

  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.expired': {
      const session = await deps.gateway.retrieveCheckoutSession(event.objectId);
      if (!session?.purchaseId) return result('unknown');
      return result(
        await inTransactionRecording(deps, event, async (trx) => {
          const purchase = await lockPurchase(trx, session.purchaseId ?? '');
          return purchase ? settlePurchase(trx, deps.clock.now(), purchase, session) : 'unknown';
        }),
      );
    }
    case 'charge.refunded': {
      const charge = await deps.gateway.retrieveCharge(event.objectId);
      if (!charge?.paymentIntentId) return result('unknown');
      const known = await deps.db
        .selectFrom('credit_purchases')
        .select('id')
        .where('payment_intent_id', '=', charge.paymentIntentId)
        .executeTakeFirst();
      // A refund can arrive before the completion event: find the purchase through its session.
      const session = known
        ? null
        : await deps.gateway.findCheckoutSessionByPaymentIntent(charge.paymentIntentId);
      const purchaseId = known?.id ?? session?.purchaseId;
      if (!purchaseId) return result('unknown');
      return result(
        await inTransactionRecording(deps, event, async (trx) => {
          let purchase = await lockPurchase(trx, purchaseId);
          if (!purchase) return 'unknown';
          if (purchase.status === 'pending' && session) {
            await settlePurchase(trx, deps.clock.now(), purchase, session);
            purchase = await lockPurchase(trx, purchaseId);
            if (!purchase) return 'unknown';
          }
          return applyRefund(trx, deps.clock.now(), purchase, charge);
        }),
      );
    }
    default:
      return result('ignored');
  }
}

/**
 * Runs the effect and records the event id in one transaction. An event that found the payment
 * not yet made is not recorded, so a redelivery looks again.
 */
async function inTransactionRecording(
  deps: PaymentDeps,
  event: { id: string; type: string },
  effect: (trx: DbTransaction) => Promise<WebhookOutcome>,
): Promise<WebhookOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const outcome = await effect(trx);
    if (outcome === 'not_paid') return outcome;
    const recorded = await trx
      .insertInto('payment_events')
      .values({ event_id: event.id, type: event.type, outcome, received_at: deps.clock.now() })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id')
      .executeTakeFirst();
    return recorded ? outcome : 'duplicate';
  });
}

async function lockPurchase(trx: DbTransaction, purchaseId: string) {
  if (!isUuid(purchaseId)) return undefined;
  return trx
    .selectFrom('credit_purchases')
    .selectAll()
    .where('id', '=', purchaseId)
    .forUpdate()
    .executeTakeFirst();
}

/** Applies the re-read session to a locked purchase row. */
async function settlePurchase(
  trx: DbTransaction,
  now: Date,
  purchase: PurchaseRow,
  session: CheckoutSessionTruth,
): Promise<WebhookOutcome> {
  if (purchase.checkout_session_id && purchase.checkout_session_id !== session.id) {
    return 'mismatch';
  }
  if (purchase.status !== 'pending') return 'already_fulfilled';
  if (session.status === 'expired') {
    await trx
      .updateTable('credit_purchases')
      .set({ status: 'expired', checkout_session_id: session.id, updated_at: now })
      .where('id', '=', purchase.id)
      .execute();
    return 'expired';
  }
  if (session.status !== 'complete' || session.paymentStatus !== 'paid') return 'not_paid';
  if (session.amountTotal !== purchase.amount_cents || session.currency !== purchase.currency) {
    // Paid, but not what this order costs: a person must look; nothing is granted automatically.
    return 'mismatch';
  }
  await trx
    .updateTable('credit_purchases')
    .set({
      status: 'paid',
      checkout_session_id: session.id,
      payment_intent_id: session.paymentIntentId,
      payment_status: session.paymentStatus,
      paid_at: now,
      updated_at: now,
    })
    .where('id', '=', purchase.id)
    .execute();
  if (!purchase.user_id) return 'granted'; // the account was erased; the payment record stays
  const granted = await grantPurchasedCredits(trx, now, {
    userId: purchase.user_id,
    purchaseId: purchase.id,
    credits: purchase.credits,
  });
  return granted ? 'granted' : 'already_fulfilled';
}

/**
 * Brings a paid purchase in line with the charge's cumulative refunded amount. A full refund
 * takes back every credit of the pack; a partial one the same share, rounded down.
 */
async function applyRefund(
  trx: DbTransaction,
  now: Date,
  purchase: PurchaseRow,
  charge: ChargeTruth,
): Promise<WebhookOutcome> {
  if (purchase.status === 'pending' || purchase.status === 'expired') return 'not_paid';
  if (charge.currency !== purchase.currency) return 'mismatch';
  const refundedCents = Math.min(charge.amountRefunded, purchase.amount_cents);
  if (refundedCents <= purchase.refunded_cents) return 'no_change';
  const creditsToReturn =
    refundedCents >= purchase.amount_cents
      ? purchase.credits
      : Math.floor((purchase.credits * refundedCents) / purchase.amount_cents);
  const delta = creditsToReturn - purchase.credits_refunded;
  if (delta > 0 && purchase.user_id) {
    await takeBackRefundedCredits(trx, now, {
      userId: purchase.user_id,
      purchaseId: purchase.id,
      credits: delta,
      refundedCents,
    });
  }
  await trx
    .updateTable('credit_purchases')
    .set({
      status: refundedCents >= purchase.amount_cents ? 'refunded' : 'partially_refunded',
      refunded_cents: refundedCents,
      credits_refunded: Math.max(creditsToReturn, purchase.credits_refunded),
      updated_at: now,
    })
    .where('id', '=', purchase.id)
    .execute();
  return 'refunded';
}

export async function listPurchases(db: Db, userId: string, limit = 100): Promise<PurchaseView[]> {
  const rows = await db
    .selectFrom('credit_purchases')
    .selectAll()
    .where('user_id', '=', userId)
    .where('status', '!=', 'pending')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toPurchaseView);
}

/** A purchase of this user's, or not_found (another user's looks exactly like a missing one). */
export async function requirePurchase(
  db: Db,
  userId: string,
  purchaseId: string,
): Promise<PurchaseView> {
  const row = isUuid(purchaseId)
    ? await db
        .selectFrom('credit_purchases')
        .selectAll()
        .where('id', '=', purchaseId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw AppError.because('checkout_not_found', 'no such purchase');
  return toPurchaseView(row);
}

/** The purchase behind a checkout session, if it is this user's. */
export async function findPurchaseBySession(db: Db, userId: string, sessionId: string) {
  return db
    .selectFrom('credit_purchases')
    .selectAll()
    .where('checkout_session_id', '=', sessionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

function toPurchaseView(row: PurchaseRow): PurchaseView {
  return {
    id: row.id,
    packId: row.pack_id,
    credits: row.credits,
    amountCents: row.amount_cents,
    currency: row.currency,
    status: row.status,
    refundedCents: row.refunded_cents,
    creditsRefunded: row.credits_refunded,
    createdAt: row.created_at.toISOString(),
    paidAt: row.paid_at?.toISOString() ?? null,
  };
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
