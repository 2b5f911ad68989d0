import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Anything that could carry personal data or a secret is redacted at the
 * source, so a careless `log.info({ user })` cannot leak an email into the log store.
 */
export const redactPaths = [
  'email',
  'name',
  'text',
  'description',
  'avatarUrl',
  'password',
  'token',
  'secret',
  'cookie',
  'authorization',
  '*.email',
  '*.name',
  '*.text',
  '*.description',
  '*.avatarUrl',
  '*.token',
  '*.secret',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

export function createLogger(options: {
  level: string;
  destination?: NodeJS.WritableStream;
}): Logger {
  const opts: LoggerOptions = {
    level: options.level,
    base: undefined,
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
