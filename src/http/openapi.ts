/**
 * The JSON API's OpenAPI document, served at /docs (Swagger UI) and /docs/json. Request schemas
 * come from the routes' zod schemas where the routes share them (src/http/schemas); the server
 * refuses to start when a route under /api/ is missing here or a path here has no route
 * (src/http/api-routes.ts).
 */
import type { StaticDocumentSpec } from '@fastify/swagger';
import { accountPaths } from './openapi/account-paths.js';
import { components } from './openapi/components.js';
import { contactPaths } from './openapi/contact-paths.js';
import { generationPaths } from './openapi/generation-paths.js';
import { staffPaths } from './openapi/staff-paths.js';

export const openApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Instune API',
    version: '1.0.0',
    description:
      'Turn a picture (and optional words) into original, AI-generated music. Sign in through the web (`/auth/login`); the session cookie authenticates every call. Calls that change state also need the CSRF token from `GET /api/me` in the `x-csrf-token` header. Errors answer `{"error": {"code", "message", "requestId"}}`.',
  },
  servers: [{ url: '/' }],
  tags: [
    { name: 'me' },
    { name: 'generations' },
    { name: 'credits' },
    { name: 'account', description: 'The account center: see, correct, export, cancel.' },
    {
      name: 'privacy',
      description:
        'Cookie consent, privacy policy versions, and the contact form (no account needed).',
    },
    { name: 'staff', description: 'Support, admin and audit access; every call is audited.' },
  ],
  components,
  security: [{ session: [] }],
  paths: { ...generationPaths, ...accountPaths, ...staffPaths, ...contactPaths },
};

/**
 * For @fastify/swagger's static mode. The literal's strings would need `as const` everywhere to
 * satisfy openapi-types, so it is cast once here; Swagger UI renders it in the browser test.
 */
export const openApiSpecification: StaticDocumentSpec = {
  document: openApiDocument as unknown as StaticDocumentSpec['document'],
};
