import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import { newToken } from '../lib/ids.js';
import type { ConsentPurpose, ConsentState } from '../modules/policies/consent.service.js';
import type { PolicyLanguage } from '../modules/policies/policy-versions.js';

/** What the browser chose, read from the essential consent cookie; null until it chooses. */
export interface BrowserConsent extends ConsentState {
  /** Random, per browser: links this browser's anonymous choices in the consent log. */
  consentId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    consent: BrowserConsent | null;
    pageLanguage: PolicyLanguage;
  }
}

/** A choice is asked again after six months (and the log keeps no record longer than that). */
export const CONSENT_MAX_AGE_SECONDS = 180 * 24 * 3600;

export function consentCookieNames(secure: boolean) {
  const prefix = secure ? '__Host-' : '';
  return { consent: `${prefix}instune_consent`, lang: `${prefix}instune_lang` };
}

/** The optional cookies each purpose covers; withdrawing a purpose deletes them. */
export function optionalCookies(secure: boolean): Record<ConsentPurpose, string[]> {
  return { preferences: [consentCookieNames(secure).lang], analytics: [] };
}

// "1.<consent id>.<preferences 0|1><analytics 0|1>"
const cookiePattern = /^1\.([A-Za-z0-9_-]{16,64})\.([01])([01])$/;

export function parseConsentCookie(value: string | undefined): BrowserConsent | null {
  const match = value ? cookiePattern.exec(value) : null;
  if (!match?.[1]) return null;
  return { consentId: match[1], preferences: match[2] === '1', analytics: match[3] === '1' };
}

export function newConsentId(): string {
  return newToken(16);
}

/**
 * Stores the choice in the essential cookie and deletes the optional cookies of every purpose
 * that is (now) denied.
 */
export function writeConsent(
  request: FastifyRequest,
  reply: FastifyReply,
  secure: boolean,
  consent: BrowserConsent,
): void {
  const names = consentCookieNames(secure);
  const value = `1.${consent.consentId}.${consent.preferences ? 1 : 0}${consent.analytics ? 1 : 0}`;
  void reply.setCookie(names.consent, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: CONSENT_MAX_AGE_SECONDS,
  });
  const optional = optionalCookies(secure);
  for (const purpose of ['preferences', 'analytics'] as const) {
    if (consent[purpose]) continue;
    for (const name of optional[purpose]) {
      const wasGranted = request.consent?.[purpose] === true;
      if (wasGranted || request.cookies[name] !== undefined) {
        void reply.clearCookie(name, { path: '/', secure, sameSite: 'lax', httpOnly: true });
      }
    }
  }
}

export function setLanguageCookie(reply: FastifyReply, secure: boolean, lang: PolicyLanguage) {
  void reply.setCookie(consentCookieNames(secure).lang, lang, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: CONSENT_MAX_AGE_SECONDS,
  });
}

/** ?lang= first, then the preference cookie (only if preferences are allowed), then the browser. */
export function resolvePageLanguage(request: FastifyRequest, secure: boolean): PolicyLanguage {
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (query.lang === 'zh' || query.lang === 'en') return query.lang;
  const cookie = request.cookies[consentCookieNames(secure).lang];
  if (request.consent?.preferences && (cookie === 'zh' || cookie === 'en')) return cookie;
  return /^zh\b/i.test(request.headers['accept-language'] ?? '') ? 'zh' : 'en';
}

/**
 * Cookie choices come from our own pages only. Browsers send Origin (and Sec-Fetch-Site) with
 * every POST, so a cross-site form cannot choose for the user; signed-in requests also carry
 * the CSRF token (checked by the route).
 */
export function requireSameOrigin(request: FastifyRequest, publicUrl: string): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site')
    throw AppError.because('cross_site', 'cross-site requests are refused');
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== new URL(publicUrl).origin) {
    throw AppError.because('cross_site', 'cross-site requests are refused');
  }
}
