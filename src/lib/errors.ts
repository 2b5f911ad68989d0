/**
 * The one error type domain code throws. HTTP status comes from the code, mapped in
 * src/http/error-handler.ts, so services never know about HTTP.
 */
import { CodedError } from '../music/coded-error.js';

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
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class AppError extends CodedError<ErrorCode> {
  override readonly name = 'AppError';
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
