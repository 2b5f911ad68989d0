import type { FastifyRequest } from 'fastify';

/**
 * Whether a form post came from a browser page, which gets a redirect, rather than from
 * script or an API client, which gets JSON. A client that also accepts JSON gets JSON.
 */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('application/json');
}
