import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { createLogger, type Logger } from '../lib/logger.js';

/** Shared by the entrypoints: parse config (exit 1 with the reasons), make the logger. */
export function bootstrap(): { config: Config; log: Logger } {
  try {
    const config = loadConfig();
    return { config, log: createLogger({ level: config.logLevel }) };
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Stops cleanly on SIGINT/SIGTERM; a second signal forces the exit. */
export function onShutdown(log: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutting down');
    close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

export function fail(log: Logger | undefined, error: unknown): never {
  if (log) log.fatal({ err: error }, 'start-up failed');
  else console.error(error);
  process.exit(1);
}
