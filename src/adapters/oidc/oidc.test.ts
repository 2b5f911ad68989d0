import { randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.js';
import { startLocalIssuer, type LocalIssuer } from './local-issuer.js';
import { createOidcClient, type OidcClient, type PendingLogin } from './oidc-client.js';
import {
  completeIssuerSignIn,
  CookieJar,
  followToCallbackOrPage,
  request,
  type TypedIdentity,
} from '../../../test/support/issuer-browser.js';
import { freePort } from '../../../test/support/ports.js';

const clientId = 'instune-test';
const clientSecret = 'test-secret-that-is-long-enough-0123456789';
// Never requested: the flow stops at the issuer's redirect to it.
const redirectUri = 'http://127.0.0.1:9/auth/callback';

interface Flow {
  pending: PendingLogin;
  callbackUrl: URL;
}

async function signIn(
  issuer: LocalIssuer,
  client: OidcClient,
  typed: TypedIdentity,
  jar = new CookieJar(),
): Promise<Flow> {
  const { authorizationUrl, pending } = await client.startLogin();
  const callbackUrl = await completeIssuerSignIn(issuer.issuerUrl, authorizationUrl, typed, jar);
  expect(callbackUrl.href.startsWith(redirectUri)).toBe(true);
  return { pending, callbackUrl };
}

async function expectUnauthenticated(promise: Promise<unknown>, message?: RegExp): Promise<void> {
  const err: unknown = await promise.then(
    () => new Error('expected finishLogin to reject'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ code: 'unauthenticated' });
  if (message) expect((err as AppError).message).toMatch(message);
}

describe('local issuer + OIDC client', () => {
  let issuer: LocalIssuer;
  let client: OidcClient;

  beforeAll(async () => {
    issuer = await startLocalIssuer({
      port: 0,
      clientId,
      clientSecret,
      redirectUris: [redirectUri],
    });
    client = await createOidcClient({
      issuerUrl: issuer.issuerUrl,
      clientId,
      clientSecret,
      redirectUri,
      allowInsecureHttp: true,
    });
  });

  afterAll(async () => {
    await issuer.close();
  });

  it('signs in through the interaction form with authorization code + PKCE', async () => {
    const { authorizationUrl } = await client.startLogin();
    const params = new URL(authorizationUrl).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('scope')).toBe('openid email profile');

    const flow = await signIn(issuer, client, {
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      picture: 'https://example.com/ada.png',
    });
    expect(flow.callbackUrl.searchParams.get('state')).toBe(flow.pending.state);
    const identity = await client.finishLogin(flow.callbackUrl, flow.pending);
    expect(identity).toEqual({
      issuer: issuer.issuerUrl,
      subject: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      email: 'ada@example.com',
      emailVerified: true,
      name: 'Ada Lovelace',
      avatarUrl: 'https://example.com/ada.png',
    });
  });

  it('gives a stable subject per email and omits an absent picture', async () => {
    const first = await signIn(issuer, client, { email: 'grace@example.com', name: 'Grace' });
    const second = await signIn(issuer, client, { email: 'Grace@Example.com', name: 'Grace H' });
    const other = await signIn(issuer, client, { email: 'alan@example.com', name: 'Alan' });
    const a = await client.finishLogin(first.callbackUrl, first.pending);
    const b = await client.finishLogin(second.callbackUrl, second.pending);
    const c = await client.finishLogin(other.callbackUrl, other.pending);
    expect(a.subject).toBe(b.subject);
    expect(c.subject).not.toBe(a.subject);
    expect(a.avatarUrl).toBeNull();
    expect(b.name).toBe('Grace H');
  });

  it('asks again and lets the same browser switch to another user', async () => {
    const jar = new CookieJar();
    // Each code is exchanged before the next sign-in, as the app does: switching users ends the
    // earlier issuer session, and codes issued under it with it.
    const first = await signIn(issuer, client, { email: 'one@example.com', name: 'One' }, jar);
    const one = await client.finishLogin(first.callbackUrl, first.pending);
    const second = await signIn(issuer, client, { email: 'two@example.com', name: 'Two' }, jar);
    const two = await client.finishLogin(second.callbackUrl, second.pending);
    expect(one.email).toBe('one@example.com');
    expect(two.email).toBe('two@example.com');
    expect(two.subject).not.toBe(one.subject);
  });

  it('gives each login fresh state, nonce and PKCE verifier', async () => {
    const one = await client.startLogin();
    const two = await client.startLogin();
    expect(one.pending.state).not.toBe(two.pending.state);
    expect(one.pending.nonce).not.toBe(two.pending.nonce);
    expect(one.pending.codeVerifier).not.toBe(two.pending.codeVerifier);
  });

  it('rejects a callback whose state does not match', async () => {
    const flow = await signIn(issuer, client, { email: 'eve@example.com', name: 'Eve' });
    await expectUnauthenticated(
      client.finishLogin(flow.callbackUrl, { ...flow.pending, state: randomState() }),
      /does not belong to this sign-in attempt/,
    );
  });

  it('rejects an ID token whose nonce does not match', async () => {
    const flow = await signIn(issuer, client, { email: 'eve@example.com', name: 'Eve' });
    await expectUnauthenticated(
      client.finishLogin(flow.callbackUrl, { ...flow.pending, nonce: randomNonce() }),
      /does not belong to this sign-in attempt/,
    );
  });

  it('rejects a wrong PKCE code verifier', async () => {
    const flow = await signIn(issuer, client, { email: 'eve@example.com', name: 'Eve' });
    await expectUnauthenticated(
      client.finishLogin(flow.callbackUrl, {
        ...flow.pending,
        codeVerifier: randomPKCECodeVerifier(),
      }),
      /code was rejected/,
    );
  });

  it('rejects reuse of an authorization code', async () => {
    const flow = await signIn(issuer, client, { email: 'eve@example.com', name: 'Eve' });
    await client.finishLogin(flow.callbackUrl, flow.pending);
    await expectUnauthenticated(
      client.finishLogin(flow.callbackUrl, flow.pending),
      /code was rejected/,
    );
  });

  it('rejects a callback with error=access_denied (user pressed Cancel)', async () => {
    const flow = await signIn(issuer, client, 'cancel');
    expect(flow.callbackUrl.searchParams.get('error')).toBe('access_denied');
    await expectUnauthenticated(client.finishLogin(flow.callbackUrl, flow.pending), /cancelled/);
  });

  it('re-renders the form on an invalid email', async () => {
    const jar = new CookieJar();
    const { authorizationUrl } = await client.startLogin();
    const page = await followToCallbackOrPage(jar, issuer.issuerUrl, authorizationUrl);
    const html = await page.res.text();
    const action = /<form id="sign-in" method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
    const res = await request(jar, new URL(action, page.url).href, {
      method: 'POST',
      form: { email: 'not-an-email', name: '<b>x</b>' },
    });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('Enter an email address');
    expect(body).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});

describe('local issuer interaction page', () => {
  it('explains an expired or unknown sign-in attempt instead of failing', async () => {
    const issuer = await startLocalIssuer({
      port: 0,
      clientId,
      clientSecret,
      redirectUris: [redirectUri],
    });
    try {
      const res = await fetch(`${issuer.issuerUrl}/interaction/unknown-attempt`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('expired or was already completed');
    } finally {
      await issuer.close();
    }
  });

  it('refuses to start with a malformed redirect URI', async () => {
    await expect(
      startLocalIssuer({ port: 0, clientId, clientSecret, redirectUris: ['not a url'] }),
    ).rejects.toThrow(/not an http\(s\) URL/);
  });
});

describe('OIDC client discovery', () => {
  it('starts without the issuer and discovers it lazily once it is up', async () => {
    const port = await freePort();
    const issuerUrl = `http://127.0.0.1:${port}`;
    const client = await createOidcClient({
      issuerUrl,
      clientId,
      clientSecret,
      redirectUri,
      allowInsecureHttp: true,
    });
    await expect(client.startLogin()).rejects.toMatchObject({ code: 'internal' });

    const issuer = await startLocalIssuer({
      port,
      clientId,
      clientSecret,
      redirectUris: [redirectUri],
    });
    try {
      const flow = await signIn(issuer, client, { email: 'late@example.com', name: 'Late' });
      const identity = await client.finishLogin(flow.callbackUrl, flow.pending);
      expect(identity.email).toBe('late@example.com');
    } finally {
      await issuer.close();
    }
  });
});
