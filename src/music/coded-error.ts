/**
 * An error that says what went wrong as a code from a fixed list, with optional details for the
 * caller (never for the user to read). The engine's EngineError and the service's AppError are
 * both this; it lives in the engine because the engine imports nothing outside itself, while the
 * service's errors may build on the engine.
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: Code, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
