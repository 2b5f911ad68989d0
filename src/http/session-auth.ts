import type { FastifyReply, FastifyRequest } from 'fastify';
import { getSession, type ActiveSession } from '../modules/accounts/sessions.service.js';
import { AppError } from '../lib/errors.js';
import type { HttpDeps } from './http-deps.js';
import type { SessionCache } from './session-cache.js';

declare module 'fastify' {
  interface FastifyRequest {
    session: ActiveSession | null;
  }
}

export function cookieNames(secure: boolean) {
  // The __Host- prefix (no Domain, Path=/, Secure) is only valid over HTTPS.
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}instune_session`, login: `${prefix}instune_login` };
}

export function sessionCookieOptions(secure: boolean, maxAgeSeconds: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: maxAgeSeconds };
}

/**
 * Clearing must repeat the attributes: browsers refuse any Set-Cookie for a `__Host-` name
 * without `Secure`, so a clear without it is ignored and the old cookie stays on the device.
 */
export function clearCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
}

/** Reads the session cookie; an expired session clears the cookie and answers 401 session_expired. */
export function loadSession(deps: HttpDeps, cache: SessionCache) {
  const names = cookieNames(deps.config.http.secureCookies);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    request.session = null;
    const token = request.cookies[names.session];
    if (!token) return;
    try {
      request.session = await cache.get(token, () =>
        getSession(
          { db: deps.db, clock: deps.clock, ttlHours: deps.config.sessions.ttlHours },
          token,
        ),
      );
    } catch (error) {
      void reply.clearCookie(names.session, clearCookieOptions(deps.config.http.secureCookies));
      throw error;
    }
    if (request.session) request.log = request.log.child({ userId: request.session.userId });
  };
}

export function requireSession(request: FastifyRequest): ActiveSession {
  if (!request.session) throw AppError.because('sign_in_required', 'please sign in');
  return request.session;
}

/**
 * State-changing requests must carry the session's CSRF token (header or form field). SameSite
 * cookies already stop most cross-site posts; the token covers the rest.
 */
export function requireCsrf(request: FastifyRequest, formToken?: string): ActiveSession {
  const session = requireSession(request);
  const header = request.headers['x-csrf-token'];
  const presented = typeof header === 'string' ? header : formToken;
  if (!presented || presented !== session.csrfToken) {
    throw AppError.because('form_expired', 'the form has expired; reload the page and try again');
  }
  return session;
}
