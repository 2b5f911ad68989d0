import { openRuntime } from './runtime.js';
import { bootstrap, fail, onShutdown } from './start.js';

// The worker role alone: takes generation jobs; run as many as the CPUs allow.
const { config, log } = bootstrap();
try {
  const runtime = await openRuntime(config, log, { role: 'worker', migrate: false });
  log.info({ concurrency: config.worker.concurrency }, 'worker role started');
  onShutdown(log, () => runtime.close());
} catch (error) {
  fail(log, error);
}
