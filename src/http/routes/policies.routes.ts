import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { safeReturnPath } from '../../lib/return-path.js';
import {
  acceptCurrentPolicy,
  getPolicyStatus,
  policyCatalogue,
  versionInForce,
} from '../../modules/policies/policy-acceptance.service.js';
import type { PolicyLanguage, PolicyVersion } from '../../modules/policies/policy-versions.js';
import type { HttpDeps } from '../http-deps.js';
import { wantsHtml } from '../negotiation.js';
import { requireCsrf, requireSession } from '../session-auth.js';
import { html } from '../html.js';
import { policyContactSection } from '../views/contact.view.js';
import { sendPage } from '../views/layout.js';
import { acceptPolicyPage, privacyPage, privacyTitle } from '../views/policy.view.js';
import type { PolicyListResponse } from '../schemas/response.schemas.js';

const privacyQuery = z.object({
  lang: z.enum(['en', 'zh']).optional(),
  version: z.string().max(64).optional(),
});
const acceptQuery = z.object({ returnTo: z.string().max(500).optional() });
const acceptBody = z.object({
  version: z.string().min(1).max(64),
  returnTo: z.string().max(500).optional(),
  _csrf: z.string().optional(),
});

/** The published privacy policy, its earlier versions, and accepting a new version. */
export function registerPolicyRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const policyDeps = { db: deps.db, clock: deps.clock, policyVersions: deps.policyVersions };

  app.get('/privacy', async (request, reply) => {
    const query = privacyQuery.parse(request.query);
    const lang = query.lang ?? request.pageLanguage;
    const versions = policyCatalogue(policyDeps);
    const inForce = versionInForce(versions, deps.clock.now()) ?? versions[0];
    const shown = query.version ? versions.find((v) => v.version === query.version) : inForce;
    if (!shown) throw new AppError('not_found', 'no such version of the privacy policy');
    const others = versions.filter((v) => v.version !== shown.version);
    return sendPage(
      reply,
      `${privacyTitle(lang)} — Instune`,
      // Where to write, and the regulator, whatever the version's text says (the seed omits it).
      html`${privacyPage(lang, shown, others)}
      ${policyContactSection(lang, deps.config.privacy.contactEmail)}`,
      request.session?.csrfToken,
    );
  });

  app.get('/api/policy', async (request) => {
    const versions = policyCatalogue(policyDeps);
    const current = versionInForce(versions, deps.clock.now());
    const status = request.session
      ? await getPolicyStatus(policyDeps, request.session.userId)
      : undefined;
    return {
      current: current ? summary(current) : null,
      versions: versions.map(summary),
      ...(status ? { mustAccept: status.mustAccept } : {}),
    } satisfies PolicyListResponse;
  });

  app.get('/policy/accept', async (request, reply) => {
    if (!request.session)
      return reply.redirect(`/auth/login?returnTo=${encodeURIComponent('/policy/accept')}`, 303);
    const { returnTo } = acceptQuery.parse(request.query);
    const status = await getPolicyStatus(policyDeps, request.session.userId);
    const current = status.current;
    if (!current) return reply.redirect(safeReturnPath(returnTo), 303);
    const lang: PolicyLanguage = request.pageLanguage;
    return sendPage(
      reply,
      'Accept the privacy policy — Instune',
      acceptPolicyPage(lang, {
        current,
        mustAccept: status.mustAccept,
        csrfToken: request.session.csrfToken,
        returnTo: safeReturnPath(returnTo),
      }),
      request.session.csrfToken,
    );
  });

  app.post('/policy/accept', async (request, reply) => {
    requireSession(request);
    const parsed = acceptBody.safeParse(request.body ?? {});
    if (!parsed.success) throw new AppError('validation_failed', 'name the version you accept');
    const session = requireCsrf(request, parsed.data._csrf);
    const accepted = await acceptCurrentPolicy(policyDeps, session.userId, parsed.data.version);
    request.log.info({ version: accepted.version }, 'privacy policy accepted');
    if (wantsHtml(request)) return reply.redirect(safeReturnPath(parsed.data.returnTo), 303);
    return { accepted: accepted.version };
  });
}

function summary(v: PolicyVersion) {
  return {
    version: v.version,
    effectiveAt: v.effectiveAt.toISOString(),
    changesCoreRights: v.changesCoreRights,
  };
}
