import { CodedError } from './coded-error.js';

/**
 * What the engine throws for a request it cannot serve. The engine knows nothing of HTTP or of
 * the service's error catalogue; callers map these codes (the generation job marks an unreadable
 * image as a permanent failure, the CLI prints the message).
 */
/** `invalid_plan`: a stored plan or recipe that matches no plan version the engine plays. */
export const engineErrorCodes = ['invalid_request', 'unreadable_image', 'invalid_plan'] as const;
export type EngineErrorCode = (typeof engineErrorCodes)[number];

export class EngineError extends CodedError<EngineErrorCode> {
  override readonly name = 'EngineError';
}

export function isEngineError(value: unknown): value is EngineError {
  return value instanceof EngineError;
}
