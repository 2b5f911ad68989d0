import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryAdapterFactory } from './memory-adapter.js';
import { messagePage, sendHtml, signInPage } from './sign-in-pages.js';

/**
 * A real OpenID Connect issuer (oidc-provider) for local runs and tests when no Google
 * credentials are configured. There is no password: whoever types an email is signed in as that
 * email, so this must never be reachable from outside the developer's machine.
 */

export interface LocalIssuerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  clientId: string;
  clientSecret: string;
  /** Exact callback URLs of the web app. */
  redirectUris: string[];
  logger?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

export interface LocalIssuer {
  issuerUrl: string;
  close(): Promise<void>;
}

const supportedScopes = ['openid', 'email', 'profile'] as const;
const maxFormBytes = 16 * 1024;

/*
 * oidc-provider ships no TypeScript types and there is no @types package for v9, so these
 * interfaces describe only the part of its API this file uses.
 */
interface ProviderContext {
  oidc: { result?: { login?: unknown }; prompts: Set<string> };
}
type PolicyCheck = object;
interface InteractionPolicyApi {
  base(): { get(name: string): { checks: { add(check: PolicyCheck): void } } | undefined };
  Check: new (
    reason: string,
    description: string,
    check: (ctx: ProviderContext) => boolean,
  ) => PolicyCheck;
}
interface Interaction {
  uid: string;
  params: Record<string, unknown>;
  session?: { accountId?: string; uid?: string } | undefined;
  persist(): Promise<unknown>;
}
interface InteractionResult {
  login?: { accountId: string; remember?: boolean };
  consent?: { grantId: string };
  error?: string;
  error_description?: string;
}
interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: InteractionResult,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: new (props: { accountId: string; clientId: string }) => {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  };
  Session: { findByUid(uid: string): Promise<{ destroy(): Promise<void> } | undefined> };
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}
interface OidcProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => Provider;
  interactionPolicy: InteractionPolicyApi;
}

interface LocalAccount {
  email: string;
  name: string;
  picture: string | undefined;
}

export async function startLocalIssuer(opts: LocalIssuerOptions): Promise<LocalIssuer> {
  // oidc-provider only validates static clients on first use, so a typo would otherwise surface
  // as an error page in the middle of the first sign-in.
  for (const uri of opts.redirectUris) {
    if (!URL.canParse(uri) || !['http:', 'https:'].includes(new URL(uri).protocol)) {
      throw new Error(
        `local OIDC issuer: redirect URI ${JSON.stringify(uri)} is not an http(s) URL`,
      );
    }
  }
  if (opts.redirectUris.length === 0) throw new Error('local OIDC issuer: no redirect URIs given');
  const { default: ProviderClass, interactionPolicy } = await loadOidcProvider();
  const host = opts.host ?? '127.0.0.1';

  // The issuer URL must contain the real port, which is only known once we listen (port 0), so
  // the server starts with a placeholder handler and the provider is plugged in afterwards.
  let handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.logger?.warn({ err: errorSummary(err) }, 'local OIDC issuer request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuerUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const accounts = new Map<string, LocalAccount>();
  let provider: Provider;
  try {
    provider = new ProviderClass(issuerUrl, buildConfiguration(opts, accounts, interactionPolicy));
  } catch (err) {
    // e.g. a redirect URI oidc-provider rejects; do not leave the port bound.
    server.close();
    throw err;
  }
  // Koa prints unhandled app errors with console.error unless someone listens.
  provider.on('error', (err) => {
    opts.logger?.warn({ err: errorSummary(err) }, 'local OIDC issuer error');
  });
  provider.on('server_error', (_ctx, err) => {
    opts.logger?.warn({ err: errorSummary(err) }, 'local OIDC issuer server error');
  });
  for (const event of ['authorization.error', 'grant.error']) {
    provider.on(event, (_ctx, err) => {
      opts.logger?.info({ err: errorSummary(err) }, `local OIDC issuer ${event}`);
    });
  }

  const providerHandler = provider.callback();
  handle = async (req, res) => {
    const url = new URL(req.url ?? '/', issuerUrl);
    const match = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(url.pathname);
    if (!match) {
      await providerHandler(req, res);
      return;
    }
    const uid = match[1] ?? '';
    const action = match[2];
    try {
      if (req.method === 'GET' && action === undefined) {
        await showSignInPage(provider, req, res, uid);
      } else if (req.method === 'POST' && action === '/login') {
        await submitSignIn(provider, accounts, req, res, uid);
      } else if (req.method === 'POST' && action === '/abort') {
        await provider.interactionDetails(req, res);
        await provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
          { mergeWithLastSubmission: false },
        );
      } else {
        sendHtml(res, 405, messagePage('Method not allowed.'));
      }
    } catch (err) {
      if (err instanceof Error && err.name === 'SessionNotFound') {
        sendHtml(
          res,
          400,
          messagePage(
            'This sign-in attempt has expired or was already completed. Go back to Instune and start again.',
          ),
        );
        return;
      }
      throw err;
    }
  };

  opts.logger?.info(
    { issuerUrl },
    'local OIDC issuer listening (development sign-in, no passwords)',
  );

  return {
    issuerUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive connections (fetch keeps them) would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

let providerModule: Promise<OidcProviderModule> | undefined;

function loadOidcProvider(): Promise<OidcProviderModule> {
  providerModule ??= importOidcProviderQuietly().catch((err: unknown) => {
    providerModule = undefined;
    throw err;
  });
  return providerModule;
}

/**
 * oidc-provider 9 prints "Unsupported runtime" with console.warn when it is imported on Node 20.
 * It works on Node 20 for what this issuer uses, and the test setup treats any console.warn as a
 * failure, so that one notice is dropped while the import runs; anything else passes through.
 */
async function importOidcProviderQuietly(): Promise<OidcProviderModule> {
  // A non-literal specifier keeps tsc from demanding type declarations the package does not ship.
  const specifier: string = 'oidc-provider';
  /* eslint-disable no-console -- the notice can only be intercepted on console itself */
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    if (
      typeof args[0] === 'string' &&
      args[0].includes('oidc-provider WARNING: Unsupported runtime')
    )
      return;
    original.apply(console, args);
  };
  try {
    return (await import(specifier)) as OidcProviderModule;
  } finally {
    console.warn = original;
  }
  /* eslint-enable no-console */
}

function buildConfiguration(
  opts: LocalIssuerOptions,
  accounts: Map<string, LocalAccount>,
  interactionPolicy: InteractionPolicyApi,
): Record<string, unknown> {
  const policy = interactionPolicy.base();
  // Without this the provider's own session would sign a returning developer straight back in as
  // the last email used; asking every time lets them switch between test users.
  policy
    .get('login')
    ?.checks.add(
      new interactionPolicy.Check(
        'local_always_ask',
        'the local issuer asks who is signing in every time',
        (ctx) => !ctx.oidc.result?.login && !ctx.oidc.prompts.has('none'),
      ),
    );

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomUUID(),
    alg: 'RS256',
    use: 'sig',
  };

  return {
    adapter: createMemoryAdapterFactory(),
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    scopes: [...supportedScopes],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'picture'],
    },
    // Google puts the profile claims in the ID token; doing the same keeps the relying party
    // identical for both issuers (no userinfo call).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      devInteractions: { enabled: false },
      // Off so nothing beyond sign-in is exposed; the client never calls these.
      introspection: { enabled: false },
      revocation: { enabled: false },
    },
    // The relying party is a server; no browser origin should call the issuer's APIs directly.
    clientBasedCORS: () => false,
    // Explicit values so oidc-provider does not print "you SHOULD change it" notices.
    ttl: {
      AccessToken: 10 * 60,
      AuthorizationCode: 60,
      IdToken: 10 * 60,
      Interaction: 30 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
      RefreshToken: 60 * 60,
    },
    interactions: {
      policy,
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: account.email,
          // Nobody verifies a typed-in email here; it counts as verified so local runs exercise
          // the same path as a Google account.
          email_verified: true,
          name: account.name,
          ...(account.picture ? { picture: account.picture } : {}),
        }),
      };
    },
    renderError: (ctx: { type: string; body: string }, out: Record<string, unknown>) => {
      ctx.type = 'html';
      ctx.body = messagePage(
        `Sign-in error: ${String(out.error)}${
          typeof out.error_description === 'string' ? ` (${out.error_description})` : ''
        }`,
      );
    },
  };
}

/** The page and the form post must belong to the sign-in attempt this browser is in. */
async function currentInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<Awaited<ReturnType<Provider['interactionDetails']>> | null> {
  const interaction = await provider.interactionDetails(req, res);
  if (interaction.uid === uid) return interaction;
  sendHtml(res, 400, messagePage('This sign-in link does not match the current sign-in attempt.'));
  return null;
}

async function showSignInPage(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<void> {
  if (!(await currentInteraction(provider, req, res, uid))) return;
  sendHtml(res, 200, signInPage(uid, { email: '', name: '', picture: '' }, undefined));
}

async function submitSignIn(
  provider: Provider,
  accounts: Map<string, LocalAccount>,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<void> {
  const interaction = await currentInteraction(provider, req, res, uid);
  if (!interaction) return;
  const form = await readForm(req);
  const typed = {
    email: (form.get('email') ?? '').trim(),
    name: (form.get('name') ?? '').trim(),
    picture: (form.get('picture') ?? '').trim(),
  };
  const problem = validateSignIn(typed);
  if (problem) {
    sendHtml(res, 400, signInPage(uid, typed, problem));
    return;
  }

  const email = typed.email.toLowerCase();
  const accountId = accountIdFor(email);
  accounts.set(accountId, {
    email,
    // An HTTP client may skip the field; the email's local part is a readable stand-in.
    name: typed.name || email.slice(0, email.indexOf('@')),
    picture: typed.picture || undefined,
  });

  // oidc-provider answers a change of account inside one browser session with a sign-out
  // confirmation round-trip; ending the old session first makes switching users one step.
  if (interaction.session?.accountId && interaction.session.accountId !== accountId) {
    if (interaction.session.uid) {
      const previous = await provider.Session.findByUid(interaction.session.uid);
      await previous?.destroy();
    }
    interaction.session = undefined;
    await interaction.persist();
  }

  const { client_id: clientId, scope } = interaction.params;
  if (typeof clientId !== 'string') throw new Error('interaction has no client_id');
  const requested = typeof scope === 'string' ? scope.split(' ') : ['openid'];
  const grant = new provider.Grant({ accountId, clientId });
  // The only client is Instune itself, so consent is implied for what it asked for.
  grant.addOIDCScope(
    requested.filter((s) => (supportedScopes as readonly string[]).includes(s)).join(' '),
  );
  const grantId = await grant.save();

  await provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

/** Stable per email, so signing in again with the same email is the same account. */
function accountIdFor(lowerCasedEmail: string): string {
  return createHash('sha256').update(lowerCasedEmail).digest('hex');
}

function validateSignIn(typed: { email: string; name: string; picture: string }): string | null {
  if (typed.email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(typed.email)) {
    return 'Enter an email address, like alice@example.com.';
  }
  if (typed.name.length > 100) return 'The display name can be at most 100 characters.';
  if (typed.picture) {
    let url: URL | undefined;
    try {
      url = new URL(typed.picture);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || typed.picture.length > 2048) {
      return 'The avatar URL must be an http(s) URL.';
    }
  }
  return null;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxFormBytes) throw new Error('sign-in form body too large');
    chunks.push(buf);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function errorSummary(err: unknown): { name: string; message: string } | string {
  return err instanceof Error ? { name: err.name, message: err.message } : String(err);
}
