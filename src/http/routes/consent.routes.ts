import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { safeReturnPath } from '../../lib/return-path.js';
import {
  listConsentRecords,
  recordConsent,
  type ConsentState,
} from '../../modules/policies/consent.service.js';
import {
  currentPolicyVersion,
  listPolicyAcceptances,
} from '../../modules/policies/policy-acceptance.service.js';
import {
  consentCookieNames,
  newConsentId,
  optionalCookies,
  parseConsentCookie,
  requireSameOrigin,
  resolvePageLanguage,
  setLanguageCookie,
  writeConsent,
  type BrowserConsent,
} from '../consent.js';
import type { HttpDeps } from '../http-deps.js';
import { wantsHtml } from '../negotiation.js';
import { accountConsentBody } from '../schemas/account.schemas.js';
import { cookieNames, requireCsrf, requireSession } from '../session-auth.js';
import { cookieSettingsPage } from '../views/cookies.view.js';
import { contactFormCookieName } from './contact.routes.js';
import { sendPage } from '../views/layout.js';
import type { AccountConsentResponse, ConsentResponse } from '../schemas/response.schemas.js';

/** Form checkboxes arrive as "on"; JSON as booleans. */
const flag = z.union([z.boolean(), z.enum(['on', 'true', 'false', '1', '0'])]).transform((v) => {
  return v === true || v === 'on' || v === 'true' || v === '1';
});

const consentBody = z.object({
  choice: z.enum(['accept', 'reject', 'custom']).optional(),
  preferences: flag.optional(),
  analytics: flag.optional(),
  returnTo: z.string().max(500).optional(),
  _csrf: z.string().optional(),
});

const langBody = z.object({ lang: z.enum(['en', 'zh']), returnTo: z.string().max(500).optional() });

/** Cookie consent: the banner's POST, the settings page, the API and the language switch. */
export function registerConsentRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const secure = deps.config.http.secureCookies;
  const names = consentCookieNames(secure);
  const sessionNames = cookieNames(secure);
  const policyDeps = { db: deps.db, clock: deps.clock, policyVersions: deps.policyVersions };

  app.decorateRequest('consent', null);
  app.decorateRequest('pageLanguage', 'en');
  app.addHook('onRequest', async (request) => {
    request.consent = parseConsentCookie(request.cookies[names.consent]);
    request.pageLanguage = resolvePageLanguage(request, secure);
  });

  const view = (consent: BrowserConsent | null): ConsentResponse => ({
    decided: consent !== null,
    preferences: consent?.preferences ?? false,
    analytics: consent?.analytics ?? false,
    policyVersion: currentPolicyVersion(policyDeps, deps.clock.now()),
    cookies: {
      essential: [
        sessionNames.session,
        sessionNames.login,
        names.consent,
        contactFormCookieName(secure),
      ],
      ...optionalCookies(secure),
    },
  });

  /** Records the decisions (with the user id when signed in) and sets the cookies. */
  async function decide(
    request: FastifyRequest,
    reply: FastifyReply,
    decisions: Partial<ConsentState>,
  ): Promise<BrowserConsent> {
    const previous = request.consent;
    const next: BrowserConsent = {
      consentId: previous?.consentId ?? newConsentId(),
      preferences: decisions.preferences ?? previous?.preferences ?? false,
      analytics: decisions.analytics ?? previous?.analytics ?? false,
    };
    const subject = request.session
      ? { userId: request.session.userId }
      : { anonymousId: next.consentId };
    // A first choice records every purpose, so the log shows what was refused as well.
    await recordConsent(policyDeps, subject, previous ? decisions : next);
    writeConsent(request, reply, secure, next);
    request.log.info(
      { preferences: next.preferences, analytics: next.analytics },
      'cookie choice recorded',
    );
    return next;
  }

  app.post('/consent', async (request, reply) => {
    requireSameOrigin(request, deps.config.http.publicUrl);
    const parsed = consentBody.safeParse(request.body ?? {});
    if (!parsed.success) throw new AppError('validation_failed', 'invalid cookie choice');
    const body = parsed.data;
    if (request.session) requireCsrf(request, body._csrf);
    let decisions: ConsentState;
    if (body.choice === 'accept') decisions = { preferences: true, analytics: true };
    else if (body.choice === 'reject') decisions = { preferences: false, analytics: false };
    else if (
      body.choice === 'custom' ||
      body.preferences !== undefined ||
      body.analytics !== undefined
    )
      decisions = { preferences: body.preferences ?? false, analytics: body.analytics ?? false };
    else throw new AppError('validation_failed', 'choose "accept", "reject" or each purpose');
    const next = await decide(request, reply, decisions);
    if (wantsHtml(request)) return reply.redirect(safeReturnPath(body.returnTo), 303);
    return view(next);
  });

  app.get('/api/consent', async (request) => view(request.consent));

  app.get('/api/account/consent', async (request) => {
    const session = requireSession(request);
    return {
      current: view(request.consent),
      records: await listConsentRecords(deps.db, session.userId),
      policyAcceptances: await listPolicyAcceptances(deps.db, session.userId),
    } satisfies AccountConsentResponse;
  });

  // The account center: change or withdraw consent for this account (and this browser).
  app.post('/api/account/consent', async (request, reply) => {
    const session = requireCsrf(request);
    const parsed = accountConsentBody.safeParse(request.body);
    if (!parsed.success) {
      throw new AppError('validation_failed', parsed.error.issues[0]?.message ?? 'invalid body');
    }
    const decisions: Partial<ConsentState> = {};
    if (parsed.data.preferences !== undefined) decisions.preferences = parsed.data.preferences;
    if (parsed.data.analytics !== undefined) decisions.analytics = parsed.data.analytics;
    // This route always logs exactly what was sent, even on a browser that never chose before.
    const previous = request.consent;
    const next: BrowserConsent = {
      consentId: previous?.consentId ?? newConsentId(),
      preferences: decisions.preferences ?? previous?.preferences ?? false,
      analytics: decisions.analytics ?? previous?.analytics ?? false,
    };
    await recordConsent(policyDeps, { userId: session.userId }, decisions);
    writeConsent(request, reply, secure, next);
    return view(next);
  });

  app.get('/cookies', async (request, reply) => {
    return sendPage(
      reply,
      'Cookie settings — Instune',
      cookieSettingsPage(request.consent, request.session?.csrfToken),
      request.session?.csrfToken,
    );
  });

  // EN/中文: remembered in a preference cookie only with consent; otherwise for this page only.
  app.post('/preferences/lang', async (request, reply) => {
    requireSameOrigin(request, deps.config.http.publicUrl);
    const parsed = langBody.safeParse(request.body ?? {});
    if (!parsed.success) throw new AppError('validation_failed', 'choose "en" or "zh"');
    const remembered = request.consent?.preferences === true;
    if (remembered) setLanguageCookie(reply, secure, parsed.data.lang);
    if (wantsHtml(request)) {
      const target = new URL(safeReturnPath(parsed.data.returnTo), 'http://x');
      target.searchParams.delete('lang');
      if (!remembered) target.searchParams.set('lang', parsed.data.lang);
      return reply.redirect(target.pathname + target.search, 303);
    }
    return { lang: parsed.data.lang, remembered };
  });
}
