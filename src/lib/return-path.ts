/**
 * Where to send a browser after sign-in, a policy acceptance or a cookie choice. The value comes
 * from the query string or a form, so it is attacker-controlled: it is resolved exactly the way
 * a browser resolves a `Location` header (the WHATWG URL parser, which drops tab, CR and LF and
 * reads `\` as `/`), and only a path on our own origin survives. Anything else means "/".
 */

// Any fixed origin works: only whether the value stays on it matters, not which one it is.
const OWN_ORIGIN = 'https://return-path.invalid';
/** Percent-encoding can grow a 500-character value; nothing we link to is this long. */
const MAX_RETURN_PATH = 2048;

export function safeReturnPath(value: string | undefined | null): string {
  if (!value || value[0] !== '/') return '/';
  let resolved: URL;
  try {
    resolved = new URL(value, OWN_ORIGIN);
  } catch {
    return '/';
  }
  if (resolved.origin !== OWN_ORIGIN) return '/';
  // The serialised form is ASCII (percent-encoded), so it is always a valid header value.
  const path = resolved.pathname + resolved.search + resolved.hash;
  // "/..//evil" resolves to the path "//evil", which a browser would read as another host.
  if (!path.startsWith('/') || path.startsWith('//') || path.length > MAX_RETURN_PATH) return '/';
  if (new URL(path, OWN_ORIGIN).origin !== OWN_ORIGIN) return '/';
  return path;
}
