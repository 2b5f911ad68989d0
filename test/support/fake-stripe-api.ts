import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local HTTP server standing in for the few Stripe API endpoints the app calls, so the real
 * SDK runs against it (host/port/protocol). Tests move sessions and charges through their
 * states by hand, then sign events with stripe.webhooks.generateTestHeaderString. Any request
 * it does not expect is recorded in `unexpected` and answered 404.
 */
export interface FakeSession {
  id: string;
  object: 'checkout.session';
  client_reference_id: string | null;
  metadata: Record<string, string>;
  mode: 'payment';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  amount_total: number;
  currency: string;
  payment_intent: string | null;
  url: string | null;
  success_url: string;
  cancel_url: string;
  livemode: false;
}

export interface FakeCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: string;
  payment_intent: string;
  refunded: boolean;
  paid: true;
  status: 'succeeded';
}

export interface FakeStripeApi {
  env: Record<string, string>;
  webhookSecret: string;
  sessions: Map<string, FakeSession>;
  charges: Map<string, FakeCharge>;
  /** Idempotency-Key header of every POST, in order ('' when absent). */
  idempotencyKeys: string[];
  requests: string[];
  /** The form of every POST /v1/checkout/sessions exactly as received (what left for Stripe). */
  checkoutForms: Array<Record<string, string>>;
  unexpected: string[];
  pay(sessionId: string): { session: FakeSession; charge: FakeCharge };
  expire(sessionId: string): FakeSession;
  refund(chargeId: string, cents: number): FakeCharge;
  /** A webhook body and a valid signature header for it (timestamp overridable). */
  event(
    type: string,
    object: object,
    options?: { id?: string; timestamp?: number; secret?: string },
  ): { id: string; payload: string; signature: string };
  close(): Promise<void>;
}

export async function startFakeStripeApi(): Promise<FakeStripeApi> {
  const secretKey = `sk_test_fake${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_fake${randomBytes(16).toString('hex')}`;
  const sessions = new Map<string, FakeSession>();
  const charges = new Map<string, FakeCharge>();
  const createdByKey = new Map<string, FakeSession>();
  const idempotencyKeys: string[] = [];
  const requests: string[] = [];
  const checkoutForms: Array<Record<string, string>> = [];
  const unexpected: string[] = [];

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake' });
    res.end(JSON.stringify(body));
  };
  const missing = (res: ServerResponse, what: string) =>
    send(res, 404, {
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such ${what}`,
      },
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake-stripe');
    const line = `${req.method} ${url.pathname}`;
    requests.push(line);
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      unexpected.push(`${line} (bad authorization)`);
      return send(res, 401, { error: { type: 'invalid_request_error', message: 'bad key' } });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));

    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      checkoutForms.push(Object.fromEntries(form.entries()));
      const key = String(req.headers['idempotency-key'] ?? '');
      idempotencyKeys.push(key);
      const replay = key ? createdByKey.get(key) : undefined;
      if (replay) return send(res, 200, replay);
      const id = `cs_test_${randomBytes(12).toString('hex')}`;
      const unitAmount = Number(form.get('line_items[0][price_data][unit_amount]'));
      const quantity = Number(form.get('line_items[0][quantity]') ?? '1');
      const session: FakeSession = {
        id,
        object: 'checkout.session',
        client_reference_id: form.get('client_reference_id'),
        metadata: { purchaseId: form.get('metadata[purchaseId]') ?? '' },
        mode: 'payment',
        status: 'open',
        payment_status: 'unpaid',
        amount_total: unitAmount * quantity,
        currency: form.get('line_items[0][price_data][currency]') ?? '',
        payment_intent: null,
        url: `https://checkout.stripe.com/c/pay/${id}`,
        success_url: form.get('success_url') ?? '',
        cancel_url: form.get('cancel_url') ?? '',
        livemode: false,
      };
      sessions.set(id, session);
      if (key) createdByKey.set(key, session);
      return send(res, 200, session);
    }
    if (req.method === 'GET' && url.pathname === '/v1/checkout/sessions') {
      const pi = url.searchParams.get('payment_intent');
      const data = [...sessions.values()].filter((s) => pi && s.payment_intent === pi);
      return send(res, 200, {
        object: 'list',
        data: data.slice(0, 1),
        has_more: false,
        url: '/v1/checkout/sessions',
      });
    }
    const sessionMatch = /^\/v1\/checkout\/sessions\/([\w]+)$/.exec(url.pathname);
    if (req.method === 'GET' && sessionMatch) {
      const session = sessions.get(sessionMatch[1] ?? '');
      return session ? send(res, 200, session) : missing(res, 'checkout.session');
    }
    const chargeMatch = /^\/v1\/charges\/([\w]+)$/.exec(url.pathname);
    if (req.method === 'GET' && chargeMatch) {
      const charge = charges.get(chargeMatch[1] ?? '');
      return charge ? send(res, 200, charge) : missing(res, 'charge');
    }
    unexpected.push(line);
    return missing(res, 'endpoint');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      unexpected.push(`handler error: ${String(error)}`);
      send(res, 500, { error: { type: 'api_error', message: 'fake failed' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const requireSession = (id: string) => {
    const session = sessions.get(id);
    if (!session) throw new Error(`fake Stripe has no session ${id}`);
    return session;
  };

  return {
    env: {
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(port),
      STRIPE_API_PROTOCOL: 'http',
    },
    webhookSecret,
    sessions,
    charges,
    idempotencyKeys,
    requests,
    checkoutForms,
    unexpected,
    pay(sessionId) {
      const session = requireSession(sessionId);
      const suffix = sessionId.slice('cs_test_'.length);
      session.status = 'complete';
      session.payment_status = 'paid';
      session.payment_intent = `pi_${suffix}`;
      session.url = null;
      const charge: FakeCharge = {
        id: `ch_${suffix}`,
        object: 'charge',
        amount: session.amount_total,
        amount_refunded: 0,
        currency: session.currency,
        payment_intent: session.payment_intent,
        refunded: false,
        paid: true,
        status: 'succeeded',
      };
      charges.set(charge.id, charge);
      return { session, charge };
    },
    expire(sessionId) {
      const session = requireSession(sessionId);
      session.status = 'expired';
      session.url = null;
      return session;
    },
    refund(chargeId, cents) {
      const charge = charges.get(chargeId);
      if (!charge) throw new Error(`fake Stripe has no charge ${chargeId}`);
      charge.amount_refunded = Math.min(charge.amount, charge.amount_refunded + cents);
      charge.refunded = charge.amount_refunded === charge.amount;
      return charge;
    },
    event(type, object, options = {}) {
      const id = options.id ?? `evt_${randomBytes(12).toString('hex')}`;
      const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
      const payload = JSON.stringify({
        id,
        object: 'event',
        api_version: Stripe.API_VERSION,
        created: timestamp,
        data: { object },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
      });
      const signature = Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: options.secret ?? webhookSecret,
        timestamp,
      });
      return { id, payload, signature };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
