/**
 * The one error type domain code throws. HTTP status comes from the code, mapped in
 * src/http/error-handler.ts, so services never know about HTTP.
 */
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'session_expired',
  'payment_required',
  'forbidden',
  /** A new privacy policy version that changes core rights has not been accepted yet. */
  'policy_not_accepted',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'unprocessable_image',
  'rate_limited',
  'gone',
  /** A Range request for bytes the file does not have. */
  'range_not_satisfiable',
  'internal',
  /** A dependency (the database) is briefly out of reach; the same request can be retried. */
  'unavailable',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
