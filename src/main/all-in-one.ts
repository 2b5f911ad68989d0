import { buildServer } from '../http/server.js';
import { httpDepsOf, openRuntime, openSignIn } from './runtime.js';
import { bootstrap, fail, onShutdown } from './start.js';

// The default: web + worker in one process on embedded storage (PGlite + encrypted files).
const { config, log } = bootstrap();
try {
  const started = performance.now();
  const runtime = await openRuntime(config, log, { role: 'all', migrate: true });
  const signIn = await openSignIn(config, log);
  const app = await buildServer(httpDepsOf(runtime, signIn.oidc));
  await app.listen({ host: config.http.host, port: config.http.port });
  log.info(
    {
      url: config.http.publicUrl,
      database: runtime.database.kind,
      startMs: Math.round(performance.now() - started),
    },
    'Instune is running',
  );
  console.log(`\n  Instune is running at ${config.http.publicUrl}\n`);
  onShutdown(log, async () => {
    await app.close();
    await signIn.close();
    await runtime.close();
  });
} catch (error) {
  fail(log, error);
}
