import { createHash } from 'node:crypto';
import { cookieNames } from '../../src/http/session-auth.js';
import { signInWithIdentity } from '../../src/modules/accounts/accounts.service.js';
import { createSession } from '../../src/modules/accounts/sessions.service.js';
import { checkPolicyAtSignIn } from '../../src/modules/policies/policy-acceptance.service.js';
import type { SignedInUser, TestApp } from './test-app.js';

// Outline-style factories: each test makes the rows it needs in one call. A user made here is
// the one `t.signIn` would make (same issuer and subject, the free allowance, the policy accepted
// at sign-up, a session), without the OIDC redirects and the issuer's form; the sign-in tests
// keep the real dance.

/** A new (or returning) account with a live session, as the callback at /auth/callback leaves it. */
export async function createUser(
  t: TestApp,
  identity: { email: string; name: string },
): Promise<SignedInUser> {
  const { runtime, config } = t;
  const deps = {
    db: runtime.database.db,
    clock: runtime.clock,
    masterKey: runtime.masterKey,
    ttlHours: config.sessions.ttlHours,
    freeCredits: config.credits.freeCredits,
  };
  // As the issuer's form normalises what was typed.
  const email = identity.email.trim().toLowerCase();
  const name = identity.name.trim() || email.slice(0, email.indexOf('@'));
  const userId = await signInWithIdentity(deps, {
    issuer: t.issuer.issuerUrl,
    subject: localIssuerSubject(email),
    email,
    emailVerified: true,
    name,
    avatarUrl: null,
  });
  const { token, session } = await createSession(deps, userId);
  await checkPolicyAtSignIn(
    { db: deps.db, clock: deps.clock, policyVersions: t.policyVersions },
    userId,
  );
  const cookie = `${cookieNames(config.http.secureCookies).session}=${token}`;
  return { cookie, csrfToken: session.csrfToken, userId };
}

/** The local issuer's account id: sha256 of the lower-cased email (see local-issuer.ts). */
function localIssuerSubject(lowerCasedEmail: string): string {
  return createHash('sha256').update(lowerCasedEmail).digest('hex');
}
