import { expect } from 'vitest';

// Drives the local OIDC issuer's pages the way a browser would: manual redirects, a cookie jar.

/** A minimal cookie jar; paths are ignored because every cookie name here is unique. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export async function request(
  jar: CookieJar,
  url: string,
  init: { method?: string; form?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { cookie: jar.header(), accept: 'text/html' };
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
  jar.store(res);
  return res;
}

export function locationOf(res: Response, base: string): string {
  const location = res.headers.get('location');
  expect(res.status, `expected a redirect from ${base}`).toBeGreaterThanOrEqual(300);
  expect(location).toBeTruthy();
  return new URL(location ?? '', base).href;
}

/** Follows redirects until one leaves the issuer, i.e. reaches the app's callback. */
export async function followToCallbackOrPage(
  jar: CookieJar,
  issuerUrl: string,
  start: string,
): Promise<{ url: string; res: Response }> {
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    if (!url.startsWith(issuerUrl)) return { url, res: new Response(null) };
    const res = await request(jar, url);
    if (res.status < 300 || res.status >= 400) return { url, res };
    url = locationOf(res, url);
  }
  throw new Error('too many redirects');
}

export type TypedIdentity = { email: string; name: string; picture?: string } | 'cancel';

/**
 * From the authorization URL to the app's callback URL: opens the sign-in page, submits the
 * form (or cancels) and follows the issuer's redirects until they leave the issuer.
 */
export async function completeIssuerSignIn(
  issuerUrl: string,
  authorizationUrl: string,
  typed: TypedIdentity,
  jar = new CookieJar(),
): Promise<URL> {
  const page = await followToCallbackOrPage(jar, issuerUrl, authorizationUrl);
  expect(page.res.status).toBe(200);
  const html = await page.res.text();
  expect(html).toContain('Local development sign-in');

  const formId = typed === 'cancel' ? 'cancel' : 'sign-in';
  const action = new RegExp(`<form id="${formId}" method="post" action="([^"]+)"`).exec(html)?.[1];
  expect(action).toBeDefined();
  const submitted = await request(jar, new URL(action ?? '', page.url).href, {
    method: 'POST',
    form: typed === 'cancel' ? {} : { picture: '', ...typed },
  });
  const back = await followToCallbackOrPage(jar, issuerUrl, locationOf(submitted, page.url));
  return new URL(back.url);
}
