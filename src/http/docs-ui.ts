import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');

/**
 * The plugin's page resolves the document's address from the whole location, query included:
 * `/docs?lang=zh` would fetch `/docs?lang=zh/json` and draw nothing. The page has one language
 * (the API is described in English), so a query on the page itself is dropped with a redirect.
 */
function dropPageQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  const [pathname, query] = request.url.split('?', 2);
  if (query !== undefined && (pathname === '/docs' || pathname === '/docs/')) {
    // Answered here: the route does not run (a callback hook that replies does not call done).
    void reply.redirect(pathname, 302);
    return;
  }
  done();
}

/**
 * The plugin's page has no viewport meta tag: a phone lays it out 980 px wide and the page
 * scrolls sideways. Added to the page as it is sent (the plugin offers no way into its <head>).
 */
export async function addDocsViewport(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  const pathname = request.url.split('?', 1)[0];
  const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
  if ((pathname !== '/docs' && pathname !== '/docs/') || !html || typeof payload !== 'string') {
    return payload;
  }
  return payload.replace(
    '<head>',
    '<head>\n<meta name="viewport" content="width=device-width, initial-scale=1">',
  );
}

/**
 * Swagger UI at /docs, set up to pass axe (test/e2e/accessibility.test.ts):
 * - BaseLayout: no top bar, whose logo has no alt text, whose address field has no label, and
 *   whose "Explore" button (loading any other document) has no use here;
 * - no deep links: each operation's path is a link inside the operation's toggle button (a
 *   control nested in a control, and a target under 24 px); the toggle stays;
 * - no syntax colouring of examples: several token colours are below 4.5:1 on their background;
 * - web/docs-theme.css for the colours below 4.5:1; web/docs-theme.js for landmarks around
 *   the title and servers, the servers list's name, the heading levels and keyboard access to
 *   examples that scroll.
 */
export const docsUiOptions: FastifySwaggerUiOptions = {
  routePrefix: '/docs',
  uiConfig: { layout: 'BaseLayout', deepLinking: false, syntaxHighlight: false },
  theme: {
    title: 'Instune API',
    css: [
      {
        filename: 'docs-theme.css',
        content: readFileSync(path.join(webDir, 'docs-theme.css'), 'utf8'),
      },
    ],
    js: [
      {
        filename: 'docs-theme.js',
        content: readFileSync(path.join(webDir, 'docs-theme.js'), 'utf8'),
      },
    ],
  },
  uiHooks: { onRequest: dropPageQuery },
};
