import * as oidc from 'openid-client';
import { AppError } from '../../lib/errors.js';

/**
 * The relying-party side of sign-in (Google in production, the local issuer otherwise). Only the
 * identity leaves this module: provider tokens are used to verify the sign-in and then dropped,
 * because the privacy policy says they are never stored.
 */

export interface OidcClientOptions {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** True only for the local issuer, which speaks plain http. */
  allowInsecureHttp: boolean;
}

/** What the caller keeps (e.g. in a short-lived signed cookie) between startLogin and finishLogin. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  avatarUrl: string | null;
}

export interface OidcClient {
  startLogin(): Promise<{ authorizationUrl: string; pending: PendingLogin }>;
  finishLogin(callbackUrl: URL, pending: PendingLogin): Promise<VerifiedIdentity>;
}

// A hung identity provider should fail a sign-in request quickly rather than hold it for the
// library default of 30 s.
const requestTimeoutSeconds = 10;

export async function createOidcClient(opts: OidcClientOptions): Promise<OidcClient> {
  let configuration: oidc.Configuration | undefined;
  let inFlight: Promise<oidc.Configuration> | undefined;

  // Discovery is cached once it succeeds. If the issuer is down at start-up the process still
  // starts, and the next sign-in tries again instead of the web role being stuck without sign-in.
  const requireConfiguration = (): Promise<oidc.Configuration> => {
    if (configuration) return Promise.resolve(configuration);
    inFlight ??= oidc
      .discovery(
        new URL(opts.issuerUrl),
        opts.clientId,
        { client_secret: opts.clientSecret },
        oidc.ClientSecretBasic(opts.clientSecret),
        {
          timeout: requestTimeoutSeconds,
          // Deprecated upstream only as a warning sign; it is for the local http issuer alone.
          execute: opts.allowInsecureHttp ? [oidc.allowInsecureRequests] : [],
        },
      )
      .then((discovered) => {
        configuration = discovered;
        return discovered;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  await requireConfiguration().catch(() => undefined);

  return {
    async startLogin() {
      const config = await requireConfiguration().catch((): never => {
        throw AppError.because(
          'sign_in_unavailable',
          'Sign-in is unavailable right now: the identity provider could not be reached.',
        );
      });
      const pending: PendingLogin = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const authorizationUrl = oidc.buildAuthorizationUrl(config, {
        redirect_uri: opts.redirectUri,
        response_type: 'code',
        scope: 'openid email profile',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { authorizationUrl: authorizationUrl.href, pending };
    },

    async finishLogin(callbackUrl, pending) {
      const config = await requireConfiguration().catch((): never => {
        throw AppError.because(
          'sign_in_failed',
          'Sign-in could not be completed: the identity provider could not be reached. Please try again.',
          {},
          { reason: 'discovery_failed' },
        );
      });

      // openid-client sends the callback URL (minus its query) as redirect_uri. Behind a proxy
      // the URL the app rebuilds can differ from the registered one, so use the registered one.
      const responseUrl = new URL(opts.redirectUri);
      for (const [key, value] of callbackUrl.searchParams)
        responseUrl.searchParams.append(key, value);

      let claims: oidc.IDToken | undefined;
      try {
        const tokens = await oidc.authorizationCodeGrant(config, responseUrl, {
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          pkceCodeVerifier: pending.codeVerifier,
          idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (err) {
        throw toSignInError(err);
      }
      if (!claims) {
        throw AppError.because(
          'sign_in_failed',
          'Sign-in failed: the identity provider sent no ID token.',
          {},
          {
            reason: 'no_id_token',
          },
        );
      }

      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof claims.email === 'string' && claims.email !== '' ? claims.email : null,
        // Some providers send the string "true"; Google sends a boolean.
        emailVerified: claims.email_verified === true || claims.email_verified === 'true',
        name: typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name : null,
        avatarUrl: httpUrlOrNull(claims.picture),
      };
    },
  };
}

/**
 * Turns whatever openid-client threw into a message a person can act on. The reason goes in
 * details for logs; it names a check, never personal data or a token.
 */
function toSignInError(err: unknown): AppError {
  if (err instanceof oidc.AuthorizationResponseError) {
    if (err.error === 'access_denied') {
      return AppError.because(
        'sign_in_cancelled',
        'Sign-in was cancelled at the identity provider.',
        {},
        {
          reason: 'access_denied',
        },
      );
    }
    return AppError.because(
      'sign_in_failed',
      'The identity provider refused the sign-in. Please try again.',
      {},
      {
        reason: 'authorization_error',
        providerError: err.error,
      },
    );
  }
  if (err instanceof oidc.ResponseBodyError) {
    // invalid_grant covers an expired or reused code and a PKCE verifier that does not match.
    return AppError.because(
      'sign_in_failed',
      'Sign-in could not be completed: the sign-in code was rejected. Please start again.',
      {},
      { reason: 'token_exchange_failed', providerError: err.error },
    );
  }
  const code = err instanceof oidc.ClientError ? err.code : undefined;
  // openid-client wraps the failed check; its message names the parameter or claim compared.
  const detail = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
  if (code === 'OAUTH_INVALID_RESPONSE' && detail.includes('"state"')) {
    return staleAttempt('state_mismatch');
  }
  if (code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && detail.includes('"nonce"')) {
    return staleAttempt('nonce_mismatch');
  }
  return AppError.because(
    'sign_in_failed',
    "Sign-in could not be completed: the identity provider's response could not be verified. Please start again.",
    {},
    { reason: code ?? 'verification_failed' },
  );
}

function staleAttempt(reason: string): AppError {
  return AppError.because(
    'sign_in_failed',
    'Sign-in could not be completed: the response does not belong to this sign-in attempt. Please start again.',
    {},
    { reason },
  );
}

function httpUrlOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
