import { ZodError } from 'zod';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnreachable } from '../db/reconnecting-client.js';
import { errorReasons, type ErrorReason } from '../lib/error-reasons.js';
import { AppError, isAppError, type ErrorCode } from '../lib/errors.js';
import { userFacingError } from './error-messages.js';
import type { Lang } from './i18n.js';
import { wantsHtml } from './negotiation.js';
import { errorPage, errorPageKind, errorPageTitle } from './views/error.view.js';
import { sendPage } from './views/layout.js';

/** The one code → status map. */
export const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  session_expired: 401,
  payment_required: 402,
  forbidden: 403,
  policy_not_accepted: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  range_not_satisfiable: 416,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable_image: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** How soon a client may retry while the database is out of reach (a restart takes seconds). */
const UNAVAILABLE_RETRY_SECONDS = 5;

// Errors raised by Fastify and its plugins before our code runs (body limits, multipart).
const frameworkReasons: Record<string, { reason: ErrorReason; message: string }> = {
  FST_REQ_FILE_TOO_LARGE: { reason: 'upload_too_large', message: 'the file is too large' },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    reason: 'body_too_large',
    message: 'the request body is too large',
  },
  FST_FILES_LIMIT: { reason: 'upload_one_image', message: 'send one image per request' },
  FST_FIELDS_LIMIT: { reason: 'too_many_fields', message: 'too many form fields' },
  FST_PARTS_LIMIT: { reason: 'too_many_fields', message: 'too many form parts' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    reason: 'upload_not_multipart',
    message: 'send the image as multipart/form-data',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { reason: 'body_malformed', message: 'unsupported content type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { reason: 'body_malformed', message: 'the request body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    reason: 'body_malformed',
    message: 'the request body is not valid JSON',
  },
};

export interface ErrorBody {
  error: {
    /** Stable: clients switch on it. */
    code: ErrorCode;
    /** Stable and more specific than the code, when there is one (src/lib/error-reasons.ts). */
    reason?: ErrorReason;
    /** For the user, in the request's language: what happened and what to do. */
    message: string;
    /** The page that helps (sign in, buy credits …), with its label in the same language. */
    action?: { href: string; label: string };
    requestId: string;
    details?: Record<string, unknown>;
  };
}

/** What the error handler needs to know to state limits. */
export interface ErrorLimits {
  maxUploadBytes: number;
  bodyLimitBytes: number;
}

const MIB = 1024 * 1024;

/** The error as an AppError: ours as they are, zod's and Fastify's given a code and a reason. */
export function asAppError(error: unknown, limits: ErrorLimits): AppError {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) {
    // A request failed its schema (params, query or body parsed in a route).
    const first = error.issues[0];
    const field = first?.path.length ? first.path.join('.') : '';
    const developer = `${field ? `${field}: ` : ''}${first?.message ?? 'invalid request'}`;
    return field
      ? AppError.because('control_invalid', developer, { field })
      : new AppError('validation_failed', developer);
  }
  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code ? frameworkReasons[fastifyError.code] : undefined;
  if (known?.reason === 'upload_too_large') {
    return AppError.because('upload_too_large', known.message, {
      limitMb: formatLimit(limits.maxUploadBytes / MIB),
    });
  }
  if (known?.reason === 'body_too_large') {
    return AppError.because('body_too_large', known.message, {
      limitKb: formatLimit(limits.bodyLimitBytes / 1024),
    });
  }
  if (known) {
    return new AppError(errorReasons[known.reason].code, known.message, undefined, {
      reason: known.reason,
      params: {},
    });
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    // Malformed requests (bad multipart framing, bad JSON): say so without echoing internals.
    return status === 413
      ? new AppError('payload_too_large', 'the request was malformed')
      : AppError.because('body_malformed', 'the request was malformed');
  }
  if (isDatabaseUnreachable(error)) {
    // A restart or failover of the database: nothing the request did, and it can be sent again.
    return new AppError(
      'unavailable',
      `the database is out of reach; try again in ${UNAVAILABLE_RETRY_SECONDS} s`,
      { retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS },
    );
  }
  return new AppError('internal', 'something went wrong on our side');
}

function formatLimit(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function toErrorResponse(
  error: unknown,
  requestId: string,
  lang: Lang,
  limits: ErrorLimits,
): { status: number; body: ErrorBody; developerMessage: string } {
  const appError = asAppError(error, limits);
  const shown = userFacingError(lang, appError);
  return {
    status: statusByCode[appError.code],
    developerMessage: appError.message,
    body: {
      error: {
        code: appError.code,
        ...(appError.reason ? { reason: appError.reason } : {}),
        message: shown.message,
        ...(shown.action ? { action: shown.action } : {}),
        requestId,
        ...(appError.details ? { details: appError.details } : {}),
      },
    },
  };
}

/** The handler Fastify calls for anything thrown; logs the developer message, sends the user's. */
export function errorHandler(limits: ErrorLimits) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    const lang = request.pageLanguage ?? 'en';
    const { status, body, developerMessage } = toErrorResponse(error, request.id, lang, limits);
    if (status === 503) {
      void reply.header('retry-after', String(UNAVAILABLE_RETRY_SECONDS));
      request.log.warn(
        { code: body.error.code, reason: (error as Error).message },
        'request failed: database unreachable',
      );
    } else if (status >= 500) request.log.error({ err: error }, 'request failed');
    else {
      request.log.info(
        { code: body.error.code, reason: body.error.reason, status, developerMessage },
        'request refused',
      );
    }
    sendError(request, reply, status, body);
  };
}

/**
 * A browser opening a page gets an HTML page in its language that says what to do; the API and
 * scripts get the JSON body with its stable code.
 */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  body: ErrorBody,
): void {
  const page =
    (request.method === 'GET' || request.method === 'HEAD') &&
    !request.url.startsWith('/api/') &&
    wantsHtml(request);
  if (!page) {
    void reply.status(status).send(body);
    return;
  }
  const lang = request.pageLanguage ?? 'en';
  const kind = errorPageKind(status);
  void sendPage(
    reply.status(status),
    errorPageTitle(lang, kind),
    errorPage(lang, { kind, status, requestId: request.id, returnTo: request.url }),
  );
}
