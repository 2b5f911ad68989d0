import type { ServerResponse } from 'node:http';

// The local issuer's own pages: plain strings, as the issuer is not part of the web app.

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    // No form-action: Chrome applies it to the redirect chain after submit, which leaves the origin.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(html);
}

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const pageStyle = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
.banner{background:#fff3cd;border:1px solid #e0c36c;padding:.75rem;border-radius:4px}
label{display:block;margin-top:1rem}input{display:block;width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1.25rem;padding:.5rem 1rem}.error{color:#a40000}`;

function pageShell(body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Local development sign-in</title><style>${pageStyle}</style></head>
<body>
<h1>Local development sign-in</h1>
<p class="banner">This is Instune's local test issuer, not Google. There is no password: you are
signed in as whatever email you type. Never expose it outside your machine.</p>
${body}
</body>
</html>`;
}

export function messagePage(message: string): string {
  return pageShell(`<p class="error" role="alert">${escapeHtml(message)}</p>`);
}

export function signInPage(
  uid: string,
  typed: { email: string; name: string; picture: string },
  problem: string | undefined | null,
): string {
  const base = `/interaction/${encodeURIComponent(uid)}`;
  return pageShell(`${problem ? `<p class="error" role="alert">${escapeHtml(problem)}</p>` : ''}
<form id="sign-in" method="post" action="${base}/login">
<label for="email">Email</label>
<input id="email" name="email" type="email" required autocomplete="email" value="${escapeHtml(typed.email)}">
<label for="name">Display name</label>
<input id="name" name="name" type="text" required maxlength="100" autocomplete="name" value="${escapeHtml(typed.name)}">
<label for="picture">Avatar URL (optional)</label>
<input id="picture" name="picture" type="url" value="${escapeHtml(typed.picture)}">
<button id="sign-in-submit" type="submit">Sign in</button>
</form>
<form id="cancel" method="post" action="${base}/abort">
<button id="sign-in-cancel" type="submit">Cancel</button>
</form>`);
}
