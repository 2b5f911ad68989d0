/**
 * What the engine throws for a request it cannot serve. The engine knows nothing of HTTP or of
 * the service's error catalogue; callers map these codes (the generation job marks an unreadable
 * image as a permanent failure, the CLI prints the message).
 */
/** `invalid_plan`: a stored plan or recipe that matches no plan version the engine plays. */
export const engineErrorCodes = ['invalid_request', 'unreadable_image', 'invalid_plan'] as const;
export type EngineErrorCode = (typeof engineErrorCodes)[number];

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: EngineErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
}

export function isEngineError(value: unknown): value is EngineError {
  return value instanceof EngineError;
}
