import { buildServer } from '../http/server.js';
import { httpDepsOf, openSignIn, type Runtime } from './runtime.js';
import { onShutdown } from './start.js';

/**
 * The web role over an open runtime, for `web` and `all-in-one`: sign-in, the server listening,
 * and on SIGINT/SIGTERM the server, sign-in and runtime closed in that order. Apart from
 * runtime.ts so the worker never loads the HTTP server.
 */
export async function serveWeb(runtime: Runtime): Promise<void> {
  const { config, log } = runtime;
  const signIn = await openSignIn(config, log);
  const app = await buildServer(httpDepsOf(runtime, signIn.oidc));
  await app.listen({ host: config.http.host, port: config.http.port });
  onShutdown(log, async () => {
    await app.close();
    await signIn.close();
    await runtime.close();
  });
}
