import { openRuntime } from './runtime.js';
import { serveWeb } from './serve-web.js';
import { bootstrap, fail } from './start.js';

// The web role alone: serves pages and the API, enqueues jobs; run `migrate` first.
const { config, log } = bootstrap();
try {
  const runtime = await openRuntime(config, log, { role: 'web', migrate: false });
  await serveWeb(runtime);
  log.info({ url: config.http.publicUrl }, 'web role listening');
} catch (error) {
  fail(log, error);
}
