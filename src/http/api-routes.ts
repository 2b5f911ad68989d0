import type { FastifyInstance } from 'fastify';

/** A route as Fastify registered it: one method, the URL with `:param` segments. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/** Only the JSON API is described in the OpenAPI document; pages and sign-in are not. */
export function isApiRoute(route: RegisteredRoute): boolean {
  return route.url.startsWith('/api/') && route.method !== 'HEAD';
}

/** Records every route the app registers (call before registering any). */
export function collectRoutes(app: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  return routes;
}

interface DocumentPaths {
  paths: Record<string, Record<string, unknown>>;
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'options'] as const;

/** `GET /api/generations/:id` for every operation in the document (`{id}` → `:id`). */
export function documentedOperations(document: DocumentPaths): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    methods
      .filter((m) => m in item)
      .map((m) => `${m.toUpperCase()} ${path.replaceAll(/\{(\w+)\}/g, ':$1')}`),
  );
}

/** What the document and the routes disagree on: both lists empty when they match. */
export function compareApiDocument(
  routes: readonly RegisteredRoute[],
  document: DocumentPaths,
): { undocumented: string[]; missing: string[] } {
  const registered = new Set(routes.filter(isApiRoute).map((r) => `${r.method} ${r.url}`));
  const documented = new Set(documentedOperations(document));
  return {
    undocumented: [...registered].filter((r) => !documented.has(r)).sort(),
    missing: [...documented].filter((d) => !registered.has(d)).sort(),
  };
}
