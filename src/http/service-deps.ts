import type { PaymentGateway } from '../adapters/stripe/payment-gateway.js';
import type { GenerationDeps } from '../modules/generations/generations.service.js';
import type { PaymentDeps } from '../modules/payments/payments.service.js';
import type { HttpDeps } from './http-deps.js';

/** What the generation services need, from the web role's dependencies. */
export function generationDepsOf(deps: HttpDeps): GenerationDeps {
  return {
    db: deps.db,
    vault: deps.vault,
    masterKey: deps.masterKey,
    clock: deps.clock,
    queue: deps.queue,
    limits: deps.config.uploads,
    generationCost: deps.config.credits.generationCost,
  };
}

/** What the payment services need, from the web role's dependencies. */
export function paymentDepsOf(deps: HttpDeps, gateway: PaymentGateway): PaymentDeps {
  return {
    db: deps.db,
    clock: deps.clock,
    gateway,
    packs: deps.config.credits.packs,
    publicUrl: deps.config.http.publicUrl,
  };
}
