import type { OidcClient } from '../../adapters/oidc/oidc-client.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { safeReturnPath } from '../../lib/return-path.js';
import { signInWithIdentity, type AccountDeps } from './accounts.service.js';
import {
  createSession,
  deleteSession,
  hashToken,
  type ActiveSession,
  type SessionDeps,
} from './sessions.service.js';

/** A sign-in must come back from the provider within this time. */
export const LOGIN_TIMEOUT_MS = 10 * 60 * 1000;

export interface LoginDeps extends AccountDeps, SessionDeps {
  db: Db;
  clock: Clock;
  oidc: OidcClient;
  /** Credits a new account starts with. */
  freeCredits: number;
}

/**
 * Starts an authorization-code + PKCE sign-in. The state goes to the browser in a cookie; the
 * PKCE verifier and nonce stay on the server, keyed by the state's hash, and are usable once.
 */
export async function beginLogin(
  deps: LoginDeps,
  returnTo: string,
): Promise<{ authorizationUrl: string; state: string }> {
  const { authorizationUrl, pending } = await deps.oidc.startLogin();
  const now = deps.clock.now();
  await deps.db.deleteFrom('oidc_logins').where('expires_at', '<', now).execute();
  await deps.db
    .insertInto('oidc_logins')
    .values({
      state_hash: hashToken(pending.state),
      code_verifier: pending.codeVerifier,
      nonce: pending.nonce,
      return_to: safeReturnPath(returnTo),
      created_at: now,
      expires_at: new Date(now.getTime() + LOGIN_TIMEOUT_MS),
    })
    .execute();
  return { authorizationUrl, state: pending.state };
}

/**
 * Finishes a sign-in. `replacedSessionToken` is the session this browser held before: it is
 * ended, so signing in as someone else on a shared computer does not leave the first account's
 * token valid (its cookie is merely overwritten, and a copy of it would keep working).
 */
export async function completeLogin(
  deps: LoginDeps,
  callbackUrl: URL,
  stateFromCookie: string | undefined,
  replacedSessionToken?: string,
): Promise<{ token: string; session: ActiveSession; returnTo: string }> {
  const stateFromProvider = callbackUrl.searchParams.get('state');
  if (!stateFromCookie || !stateFromProvider || stateFromCookie !== stateFromProvider) {
    throw AppError.because(
      'sign_in_failed',
      'this sign-in link does not belong to this browser; please sign in again',
    );
  }
  // Deleted as it is read, so a replayed callback finds nothing.
  const pending = await deps.db
    .deleteFrom('oidc_logins')
    .where('state_hash', '=', hashToken(stateFromCookie))
    .returningAll()
    .executeTakeFirst();
  if (!pending) {
    throw AppError.because(
      'sign_in_stale',
      'this sign-in was already used or has expired; please sign in again',
    );
  }
  if (pending.expires_at.getTime() <= deps.clock.now().getTime()) {
    throw AppError.because('sign_in_stale', 'the sign-in took too long; please sign in again');
  }
  const identity = await deps.oidc.finishLogin(callbackUrl, {
    state: stateFromCookie,
    nonce: pending.nonce,
    codeVerifier: pending.code_verifier,
  });
  const userId = await signInWithIdentity(deps, identity);
  const { token, session } = await createSession(deps, userId);
  if (replacedSessionToken) await deleteSession(deps, replacedSessionToken);
  // Checked again on the way out: a row stored before a fix to the check must not redirect off-site.
  return { token, session, returnTo: safeReturnPath(pending.return_to) };
}
