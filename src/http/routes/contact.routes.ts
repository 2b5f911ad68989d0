import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../lib/errors.js';
import { newToken } from '../../lib/ids.js';
import { BusinessCalendar } from '../../modules/privacy/business-days.js';
import {
  checkContactToken,
  submitContactMessage,
  verifyContactMessage,
} from '../../modules/privacy/contact-messages.service.js';
import { requireSameOrigin } from '../consent.js';
import type { HttpDeps } from '../http-deps.js';
import { t } from '../i18n.js';
import { wantsHtml } from '../negotiation.js';
import {
  contactBody,
  contactVerifyBody,
  contactVerifyQuery,
  type ContactConfirmedResponse,
  type ContactSubmittedResponse,
} from '../schemas/contact.schemas.js';
import {
  contactBadLinkPage,
  contactPage,
  contactSentPage,
  contactVerifiedPage,
  contactVerifyPage,
  type ContactPageView,
} from '../views/contact.view.js';
import { sendPage } from '../views/layout.js';

/** Two hours to fill in the form; the cookie is essential (it only guards the form). */
const FORM_TOKEN_MAX_AGE_SECONDS = 2 * 3600;

export function contactFormCookieName(secure: boolean): string {
  return `${secure ? '__Host-' : ''}instune_form`;
}

/**
 * The contact form, open to people without an account. Nobody has a session to carry a CSRF
 * token, so the form double-submits one: a random value in a SameSite=Strict cookie and the same
 * value in the form, which a cross-site page can neither read nor set; Origin is checked too.
 */
export function registerContactRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const secure = deps.config.http.secureCookies;
  const cookieName = contactFormCookieName(secure);
  const contactEmail = deps.config.privacy.contactEmail;
  const submitDeps = {
    db: deps.db,
    masterKey: deps.masterKey,
    clock: deps.clock,
    queue: deps.queue,
  };
  const verifyDeps = {
    db: deps.db,
    masterKey: deps.masterKey,
    clock: deps.clock,
    calendar: new BusinessCalendar(),
  };

  const formToken = (request: FastifyRequest, reply: FastifyReply): string => {
    const existing = request.cookies[cookieName];
    if (existing && /^[A-Za-z0-9_-]{22,64}$/.test(existing)) return existing;
    const token = newToken(24);
    void reply.setCookie(cookieName, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure,
      maxAge: FORM_TOKEN_MAX_AGE_SECONDS,
    });
    return token;
  };

  const title = (request: FastifyRequest) =>
    `${t(request.pageLanguage, 'contact.title')} — Instune`;

  /** The form, with a form token; a refused post shows it again with what was typed. */
  const sendForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    refused?: Pick<ContactPageView, 'invalid' | 'values'>,
  ) =>
    sendPage(
      reply,
      title(request),
      contactPage(request.pageLanguage, {
        contactEmail,
        formToken: formToken(request, reply),
        signedIn: request.session !== null,
        ...refused,
      }),
      request.session?.csrfToken,
    );

  app.get('/contact', async (request, reply) => {
    const lang = request.pageLanguage;
    const sent = (request.query as Record<string, unknown> | undefined)?.sent === '1';
    // The page carries a form token: no cache may keep it.
    void reply.header('cache-control', 'private, no-store');
    if (sent)
      return sendPage(reply, title(request), contactSentPage(lang), request.session?.csrfToken);
    return sendForm(request, reply);
  });

  app.post('/api/contact', async (request, reply) => {
    requireSameOrigin(request, deps.config.http.publicUrl);
    const raw = (request.body ?? {}) as Record<string, unknown>;
    requireFormToken(request, cookieName, typeof raw._csrf === 'string' ? raw._csrf : undefined);
    const parsed = contactBody.safeParse(raw);
    const lang = request.pageLanguage;
    if (!parsed.success) {
      if (!wantsHtml(request)) {
        throw new AppError('validation_failed', parsed.error.issues[0]?.message ?? 'invalid body');
      }
      const text = (key: string) => (typeof raw[key] === 'string' ? raw[key] : undefined);
      void reply.status(400).header('cache-control', 'private, no-store');
      return sendForm(request, reply, {
        invalid: true,
        values: {
          name: text('name'),
          email: text('email'),
          kind: text('kind') ?? '',
          message: text('message') ?? '',
        },
      });
    }
    const body = parsed.data;
    // The language of the page the form was on: the mail and the next page follow it.
    const formLang = body.lang ?? lang;
    await submitContactMessage(submitDeps, {
      kind: body.kind,
      name: body.name,
      email: body.email,
      message: body.message,
      lang: formLang,
    });
    // The kind only: never the address, the name or the words.
    request.log.info({ kind: body.kind }, 'contact message received');
    if (wantsHtml(request)) {
      return reply.redirect(`/contact?sent=1${formLang === 'zh' ? '&lang=zh' : ''}`, 303);
    }
    return reply.status(202).send({ status: 'check_your_mail' } satisfies ContactSubmittedResponse);
  });

  app.get('/contact/verify', async (request, reply) => {
    const lang = request.pageLanguage;
    const { token } = contactVerifyQuery.parse(request.query);
    void reply.header('cache-control', 'private, no-store');
    const state = token ? await checkContactToken(verifyDeps, token) : 'invalid';
    if (state === 'invalid' || !token) {
      void reply.status(410);
      return sendPage(reply, title(request), contactBadLinkPage(lang), request.session?.csrfToken);
    }
    return sendPage(
      reply,
      title(request),
      contactVerifyPage(lang, token),
      request.session?.csrfToken,
    );
  });

  app.post('/api/contact/verify', async (request, reply) => {
    requireSameOrigin(request, deps.config.http.publicUrl);
    const parsed = contactVerifyBody.safeParse(request.body ?? {});
    const lang = request.pageLanguage;
    const html = wantsHtml(request);
    try {
      if (!parsed.success) {
        throw AppError.because('contact_link_invalid', 'this confirmation link is not valid');
      }
      const confirmed = await verifyContactMessage(verifyDeps, parsed.data.token);
      request.log.info(
        { requestId: confirmed.requestId, kind: confirmed.kind, again: confirmed.alreadyConfirmed },
        'contact message confirmed',
      );
      if (!html) return confirmed satisfies ContactConfirmedResponse;
      void reply.header('cache-control', 'private, no-store');
      return sendPage(
        reply,
        title(request),
        contactVerifiedPage(lang, confirmed),
        request.session?.csrfToken,
      );
    } catch (error) {
      if (!html || !isAppError(error) || error.code !== 'gone') throw error;
      void reply.status(410);
      return sendPage(reply, title(request), contactBadLinkPage(lang), request.session?.csrfToken);
    }
  });
}

/** The form's double-submitted token (form field or x-csrf-token header) must match the cookie. */
function requireFormToken(request: FastifyRequest, cookieName: string, formValue?: string): void {
  const header = request.headers['x-csrf-token'];
  const presented = typeof header === 'string' ? header : formValue;
  const expected = request.cookies[cookieName];
  // A signed-in API client may use its session's token instead.
  if (presented && request.session && presented === request.session.csrfToken) return;
  if (!presented || !expected || !equalStrings(presented, expected)) {
    throw AppError.because('form_expired', 'the form has expired; reload the page and try again');
  }
}

function equalStrings(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
