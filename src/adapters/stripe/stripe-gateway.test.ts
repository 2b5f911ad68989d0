import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { LocalCheckoutGateway } from './local-checkout-gateway.js';
import { toSessionTruth, verifyStripeEvent } from './stripe-gateway.js';

const secret = 'whsec_unit0123456789';
const now = new Date('2026-03-01T12:00:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);

function signed(body: object, options: { timestamp?: number; secret?: string } = {}) {
  const payload = JSON.stringify(body);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? secret,
    timestamp: options.timestamp ?? nowSeconds,
  });
  return { payload: Buffer.from(payload), signature };
}

const event = {
  id: 'evt_1',
  object: 'event',
  type: 'checkout.session.completed',
  data: { object: { id: 'cs_test_1', object: 'checkout.session' } },
};

describe('verifyStripeEvent', () => {
  const verify = (payload: Buffer, signature: string | undefined, tolerance = 300) =>
    verifyStripeEvent(payload, signature, { secret, toleranceSeconds: tolerance, now });

  it('accepts a correctly signed, recent event and returns only its envelope', () => {
    const { payload, signature } = signed(event);
    expect(verify(payload, signature)).toEqual({
      id: 'evt_1',
      type: 'checkout.session.completed',
      objectId: 'cs_test_1',
    });
  });

  it('refuses a missing, forged, tampered or stale signature', () => {
    const good = signed(event);
    const cases: Array<[Buffer, string | undefined]> = [
      [good.payload, undefined],
      [good.payload, signed(event, { secret: 'whsec_other' }).signature],
      [Buffer.from(good.payload.toString().replace('evt_1', 'evt_2')), good.signature],
      [good.payload, signed(event, { timestamp: nowSeconds - 301 }).signature],
    ];
    for (const [payload, signature] of cases) {
      expect(() => verify(payload, signature)).toThrow(
        expect.objectContaining({ code: 'bad_request' }),
      );
    }
    // The tolerance is measured against the injected clock, not the wall clock.
    const old = signed(event, { timestamp: nowSeconds - 200 });
    expect(verify(old.payload, old.signature).id).toBe('evt_1');
  });

  it('refuses a signed body that is not a Stripe event', () => {
    const { payload, signature } = signed({ hello: 'world' });
    expect(() => verify(payload, signature)).toThrow(/malformed/);
  });
});

describe('toSessionTruth', () => {
  it('reads what the payment decision needs, whether payment_intent is expanded or not', () => {
    const base = {
      id: 'cs_1',
      object: 'checkout.session',
      client_reference_id: 'p-1',
      status: 'complete',
      payment_status: 'paid',
      amount_total: 300,
      currency: 'usd',
      customer_details: { email: 'never-kept@example.com' },
    };
    expect(toSessionTruth({ ...base, payment_intent: 'pi_1' })).toEqual({
      id: 'cs_1',
      purchaseId: 'p-1',
      status: 'complete',
      paymentStatus: 'paid',
      amountTotal: 300,
      currency: 'usd',
      paymentIntentId: 'pi_1',
    });
    expect(toSessionTruth({ ...base, payment_intent: { id: 'pi_2' } }).paymentIntentId).toBe(
      'pi_2',
    );
    expect(() => toSessionTruth({ ...base, object: 'charge' })).toThrow();
  });
});

describe('LocalCheckoutGateway', () => {
  it('signs its completion event so that only its own verification accepts it', async () => {
    const gateway = new LocalCheckoutGateway({
      publicUrl: 'http://localhost:3000',
      toleranceSeconds: 300,
    });
    const pack = { id: 'small', credits: 10, amountCents: 300, currency: 'usd' };
    const created = await gateway.createCheckoutSession({
      purchaseId: 'p-1',
      pack,
      successUrl: 'http://localhost:3000/credits',
      cancelUrl: 'http://localhost:3000/credits',
      idempotencyKey: 'k',
    });
    expect(created.url).toBe(`http://localhost:3000/credits/local-checkout/${created.id}`);
    expect((await gateway.retrieveCheckoutSession(created.id))?.paymentStatus).toBe('unpaid');
    const event = gateway.completeSession(created.id, now);
    if (!event) throw new Error('expected an event');
    const verified = gateway.verifyEvent(Buffer.from(event.payload), event.signature, now);
    expect(verified).toMatchObject({ type: 'checkout.session.completed', objectId: created.id });
    expect(await gateway.retrieveCheckoutSession(created.id)).toMatchObject({
      status: 'complete',
      paymentStatus: 'paid',
      purchaseId: 'p-1',
    });
    // Another process's local secret (or any other) does not verify it.
    const other = new LocalCheckoutGateway({ publicUrl: 'http://x', toleranceSeconds: 300 });
    expect(() => other.verifyEvent(Buffer.from(event.payload), event.signature, now)).toThrow();
  });
});
