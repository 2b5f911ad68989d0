import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  beginLogin,
  completeLogin,
  LOGIN_TIMEOUT_MS,
} from '../../modules/accounts/login.service.js';
import { deleteSession } from '../../modules/accounts/sessions.service.js';
import { checkPolicyAtSignIn } from '../../modules/policies/policy-acceptance.service.js';
import type { HttpDeps } from '../http-deps.js';
import { wantsHtml } from '../negotiation.js';
import type { SessionCache } from '../session-cache.js';
import {
  clearCookieOptions,
  cookieNames,
  requireCsrf,
  sessionCookieOptions,
} from '../session-auth.js';

const loginQuery = z.object({ returnTo: z.string().max(500).optional() });

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: HttpDeps,
  sessions: SessionCache,
): void {
  const names = cookieNames(deps.config.http.secureCookies);
  const secure = deps.config.http.secureCookies;
  const loginDeps = {
    db: deps.db,
    clock: deps.clock,
    oidc: deps.oidc,
    masterKey: deps.masterKey,
    ttlHours: deps.config.sessions.ttlHours,
    freeCredits: deps.config.credits.freeCredits,
  };

  app.get('/auth/login', async (request, reply) => {
    const { returnTo } = loginQuery.parse(request.query);
    const { authorizationUrl, state } = await beginLogin(loginDeps, returnTo ?? '/');
    void reply.setCookie(names.login, state, sessionCookieOptions(secure, LOGIN_TIMEOUT_MS / 1000));
    return reply.redirect(authorizationUrl, 302);
  });

  app.get('/auth/callback', async (request, reply) => {
    const callbackUrl = new URL(request.url, deps.config.http.publicUrl);
    const stateCookie = request.cookies[names.login];
    void reply.clearCookie(names.login, clearCookieOptions(secure));
    const replaced = request.cookies[names.session];
    const { token, session, returnTo } = await completeLogin(
      loginDeps,
      callbackUrl,
      stateCookie,
      replaced,
    );
    if (replaced) sessions.forget(replaced);
    const maxAge = Math.floor((session.expiresAt.getTime() - deps.clock.now().getTime()) / 1000);
    void reply.setCookie(names.session, token, sessionCookieOptions(secure, maxAge));
    request.log.info({ userId: session.userId }, 'signed in');
    // Sign-up accepts the policy in force; a later core-rights version must be accepted now.
    const policy = await checkPolicyAtSignIn(
      { db: deps.db, clock: deps.clock, policyVersions: deps.policyVersions },
      session.userId,
    );
    if (policy.mustAccept)
      return reply.redirect(`/policy/accept?returnTo=${encodeURIComponent(returnTo)}`, 303);
    return reply.redirect(returnTo, 303);
  });

  app.post('/auth/logout', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    requireCsrf(request, typeof body._csrf === 'string' ? body._csrf : undefined);
    const token = request.cookies[names.session];
    if (token) {
      await deleteSession(loginDeps, token);
      sessions.forget(token);
    }
    void reply.clearCookie(names.session, clearCookieOptions(secure));
    if (wantsHtml(request)) return reply.redirect('/', 303);
    return reply.status(204).send();
  });
}
