import { buildServer } from '../http/server.js';
import { httpDepsOf, openRuntime, openSignIn } from './runtime.js';
import { bootstrap, fail, onShutdown } from './start.js';

// The web role alone: serves pages and the API, enqueues jobs; run `migrate` first.
const { config, log } = bootstrap();
try {
  const runtime = await openRuntime(config, log, { role: 'web', migrate: false });
  const signIn = await openSignIn(config, log);
  const app = await buildServer(httpDepsOf(runtime, signIn.oidc));
  await app.listen({ host: config.http.host, port: config.http.port });
  log.info({ url: config.http.publicUrl }, 'web role listening');
  onShutdown(log, async () => {
    await app.close();
    await signIn.close();
    await runtime.close();
  });
} catch (error) {
  fail(log, error);
}
