import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createPaymentGateway } from '../adapters/stripe/payment-gateway.js';
import { newId } from '../lib/ids.js';
import { collectRoutes, compareApiDocument } from './api-routes.js';
import { errorHandler, sendError } from './error-handler.js';
import { addDocsViewport, docsUiOptions } from './docs-ui.js';
import { userFacingError } from './error-messages.js';
import type { HttpDeps } from './http-deps.js';
import { openApiDocument, openApiSpecification } from './openapi.js';
import { registerAccountRoutes } from './routes/account.routes.js';
import { registerAuthRoutes } from './routes/auth.routes.js';
import { registerCreditRoutes } from './routes/credits.routes.js';
import { registerGenerationRoutes } from './routes/generations.routes.js';
import { registerHealthRoutes } from './routes/health.routes.js';
import { registerStemsRoutes } from './routes/stems.routes.js';
import { registerMeRoutes } from './routes/me.routes.js';
import { registerConsentRoutes } from './routes/consent.routes.js';
import { registerContactRoutes } from './routes/contact.routes.js';
import { registerPageRoutes } from './routes/pages.routes.js';
import { registerPolicyRoutes } from './routes/policies.routes.js';
import { registerPaymentRoutes } from './routes/payments.routes.js';
import { registerStaffRoutes } from './routes/staff.routes.js';
import { capConnectionsPerAddress } from './connection-cap.js';
import { registerRateLimits } from './rate-limits.js';
import { defaultRefusalPacing, paceRepeatedRefusals } from './refusal-pacing.js';
import { loadSession } from './session-auth.js';
import { SessionCache } from './session-cache.js';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "style-src 'self'",
  "script-src 'self'",
  // Buying credits posts a form that redirects to Stripe Checkout.
  "form-action 'self' https://checkout.stripe.com",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

// Swagger UI (at /docs only) sets inline styles from its bundle; scripts stay 'self'.
const DOCS_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "style-src 'self'",
  "style-src 'self' 'unsafe-inline'",
);

/** Two years, the value browsers' preload lists expect. */
const HSTS_MAX_AGE_SECONDS = 63_072_000;
/** JSON and form bodies (uploads have their own limit, config.uploads.maxBytes). */
const BODY_LIMIT_BYTES = 64 * 1024;

/** The JSON API and the sign-in routes answer per person even when the request was refused. */
function isPersonalPath(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/auth/');
}

export async function buildServer(deps: HttpDeps): Promise<FastifyInstance> {
  // Typed as Fastify's logger so the instance has the default type every route module expects.
  const loggerInstance: FastifyBaseLogger = deps.log;
  const app = Fastify({
    loggerInstance,
    genReqId: () => newId(),
    trustProxy: deps.config.http.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    // Our own hooks log requests, by path only (query strings may carry sign-in codes).
    logController: new LogController({ disableRequestLogging: true }),
  });

  // Behind a proxy every connection comes from the proxy: there the cap is the proxy's to set.
  if (!deps.config.http.trustProxy) {
    capConnectionsPerAddress(app.server, deps.config.http.connectionsPerAddress);
  }
  const routes = collectRoutes(app);
  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, {
    limits: {
      fileSize: deps.config.uploads.maxBytes,
      files: 1,
      // The create form sends up to 10 text fields (text, seconds, seed, style, mood, tempo,
      // instrument, loop, _csrf); without JavaScript empty ones are sent too.
      fields: 16,
      // Text fields are bounded by characters in the service; this bounds bytes (4 per char).
      fieldSize: deps.config.uploads.maxTextChars * 4 + 1024,
      parts: 17,
      headerPairs: 50,
    },
    throwFileSizeLimit: true,
  });
  await registerRateLimits(app, {
    limits: deps.config.rateLimits,
    db: deps.db,
    clock: deps.clock,
    masterKey: deps.masterKey,
  });

  // Every page's footer says where to write (src/http/views/layout.ts).
  app.decorate('privacyContactEmail', deps.config.privacy.contactEmail);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    // Query strings may carry sign-in codes; log the path only.
    request.log.info({ method: request.method, path: request.url.split('?')[0] }, 'request');
  });
  const sessions = new SessionCache(deps.clock);
  app.addHook('preHandler', loadSession(deps, sessions));
  paceRepeatedRefusals(app, defaultRefusalPacing);
  const hsts = deps.config.http.secureCookies;
  app.addHook('onSend', async (request, reply) => {
    const docs = request.url === '/docs' || request.url.startsWith('/docs/');
    void reply.header(
      'content-security-policy',
      docs ? DOCS_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY,
    );
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'same-origin');
    void reply.header('x-request-id', request.id);
    // Served over https (PUBLIC_URL): browsers must not fall back to http, where the session
    // cookie could be stripped or the page altered. No includeSubDomains: other hosts of the
    // operator's domain are not ours to decide for.
    if (hsts) void reply.header('strict-transport-security', `max-age=${HSTS_MAX_AGE_SECONDS}`);
    // Anything answered for a signed-in browser is personal (and pages and /api/me carry the
    // CSRF token): no shared or back/forward cache may keep it. Routes that chose a policy keep it.
    if (!reply.hasHeader('cache-control') && (request.session || isPersonalPath(request.url))) {
      void reply.header('cache-control', 'private, no-store');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'response');
  });

  const handle = errorHandler({
    maxUploadBytes: deps.config.uploads.maxBytes,
    bodyLimitBytes: BODY_LIMIT_BYTES,
  });
  app.setErrorHandler((error, request, reply) => handle(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, 404, {
      error: {
        code: 'not_found',
        reason: 'page_not_found',
        ...userFacingError(request.pageLanguage, { code: 'not_found', reason: 'page_not_found' }),
        requestId: request.id,
      },
    }),
  );

  // The JSON API's description: hand-written (routes validate with zod), served at /docs.
  await app.register(swagger, { mode: 'static', specification: openApiSpecification });
  await app.register(swaggerUi, docsUiOptions);
  app.addHook('onSend', addDocsViewport);

  // Like a job without a handler, an API route without a description (or the reverse) stops
  // start-up. Checked when ready, after the plugins registered inside scopes have run.
  app.addHook('onReady', async () => {
    const drift = compareApiDocument(routes, openApiDocument);
    if (drift.undocumented.length > 0 || drift.missing.length > 0) {
      throw new Error(
        `the OpenAPI document (src/http/openapi.ts) and the API routes disagree: ${JSON.stringify(drift)}`,
      );
    }
  });

  registerHealthRoutes(app, deps);
  registerAuthRoutes(app, deps, sessions);
  registerMeRoutes(app, deps);
  registerGenerationRoutes(app, deps);
  registerStemsRoutes(app, deps);
  registerAccountRoutes(app, deps, sessions);
  registerStaffRoutes(app, deps);
  registerPageRoutes(app, deps);
  registerConsentRoutes(app, deps);
  registerPolicyRoutes(app, deps);
  registerContactRoutes(app, deps);
  const payments = createPaymentGateway(deps.config);
  registerCreditRoutes(app, deps, payments);
  registerPaymentRoutes(app, deps, payments);
  return app;
}
