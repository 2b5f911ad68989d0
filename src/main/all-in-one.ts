import { openRuntime } from './runtime.js';
import { serveWeb } from './serve-web.js';
import { bootstrap, fail } from './start.js';

// The default: web + worker in one process on embedded storage (PGlite + encrypted files).
const { config, log } = bootstrap();
try {
  const started = performance.now();
  const runtime = await openRuntime(config, log, { role: 'all', migrate: true });
  await serveWeb(runtime);
  log.info(
    {
      url: config.http.publicUrl,
      database: runtime.database.kind,
      startMs: Math.round(performance.now() - started),
    },
    'Instune is running',
  );
  console.log(`\n  Instune is running at ${config.http.publicUrl}\n`);
} catch (error) {
  fail(log, error);
}
