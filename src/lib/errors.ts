/**
 * The one error type domain code throws. HTTP status comes from the code, mapped in
 * src/http/error-handler.ts, so services never know about HTTP.
 */
import { CodedError } from '../music/coded-error.js';
import { errorReasons, type ErrorReason, type ReasonParams } from './error-reasons.js';

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

/** Codes for faults on our side (logged with their stack); every other code refuses a request. */
export const serverFaultCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'internal',
  'unavailable',
]);

export type { ErrorReason } from './error-reasons.js';

type ReasonArgs<R extends ErrorReason> = [keyof ReasonParams<R>] extends [never]
  ? [params?: Record<string, never>, details?: Record<string, unknown>]
  : [params: ReasonParams<R>, details?: Record<string, unknown>];

export class AppError extends CodedError<ErrorCode> {
  override readonly name = 'AppError';
  /**
   * Why, for the user: picks the message `error.<reason>` in the reader's language. Without one
   * the user reads the message for the code; `message` is for developers and logs only.
   */
  readonly reason: ErrorReason | undefined;
  readonly params: Readonly<Record<string, string | number>>;

  constructor(
    code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
    because?: { reason: ErrorReason; params: Record<string, string | number> },
  ) {
    // A refusal (anything but a server fault) is answered and logged by its code, never by its
    // stack, and a flood of refused requests makes thousands a second: capturing a stack for
    // each was a measurable share of the web thread under the flood bench.
    const stackTraceLimit = Error.stackTraceLimit;
    if (!serverFaultCodes.has(code)) Error.stackTraceLimit = 0;
    try {
      super(code, message, details);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.reason = because?.reason;
    this.params = because?.params ?? {};
  }

  /**
   * An error with a reason the user can act on; its code comes with the reason
   * (src/lib/error-reasons.ts). The params fill the message (limits, counts) and are sent in
   * `details` too, so API clients can read them.
   */
  static because<R extends ErrorReason>(
    reason: R,
    developerMessage: string,
    ...[params, details]: ReasonArgs<R>
  ): AppError {
    const filled: Record<string, string | number> = { ...params };
    const merged = { ...filled, ...details };
    return new AppError(
      errorReasons[reason].code,
      developerMessage,
      Object.keys(merged).length > 0 ? merged : undefined,
      { reason, params: filled },
    );
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
