import { ZodError } from 'zod';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnreachable } from '../db/reconnecting-client.js';
import { isAppError, type ErrorCode } from '../lib/errors.js';
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
const frameworkCodes: Record<string, { code: ErrorCode; message: string }> = {
  FST_REQ_FILE_TOO_LARGE: { code: 'payload_too_large', message: 'the file is too large' },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'payload_too_large',
    message: 'the request body is too large',
  },
  FST_FILES_LIMIT: { code: 'bad_request', message: 'send one image per request' },
  FST_FIELDS_LIMIT: { code: 'bad_request', message: 'too many form fields' },
  FST_PARTS_LIMIT: { code: 'bad_request', message: 'too many form parts' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    code: 'unsupported_media_type',
    message: 'send the image as multipart/form-data',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'unsupported content type',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'bad_request', message: 'the request body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'bad_request',
    message: 'the request body is not valid JSON',
  },
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: Record<string, unknown> };
}

export function toErrorResponse(
  error: unknown,
  requestId: string,
): { status: number; body: ErrorBody } {
  if (isAppError(error)) {
    return {
      status: statusByCode[error.code],
      body: {
        error: {
          code: error.code,
          message: error.message,
          requestId,
          ...(error.details ? { details: error.details } : {}),
        },
      },
    };
  }
  if (error instanceof ZodError) {
    // A request failed its schema (params, query or body parsed in a route).
    const first = error.issues[0];
    const where = first?.path.length ? `${first.path.join('.')}: ` : '';
    return {
      status: 400,
      body: {
        error: {
          code: 'validation_failed',
          message: `${where}${first?.message ?? 'invalid request'}`,
          requestId,
        },
      },
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code ? frameworkCodes[fastifyError.code] : undefined;
  if (known) {
    return { status: statusByCode[known.code], body: { error: { ...known, requestId } } };
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    // Malformed requests (bad multipart framing, bad JSON): say so without echoing internals.
    return {
      status,
      body: {
        error: {
          code: status === 413 ? 'payload_too_large' : 'bad_request',
          message: 'the request was malformed',
          requestId,
        },
      },
    };
  }
  if (isDatabaseUnreachable(error)) {
    // A restart or failover of the database: nothing the request did, and it can be sent again.
    return {
      status: 503,
      body: {
        error: {
          code: 'unavailable',
          message: `the service is briefly unavailable; try again in ${UNAVAILABLE_RETRY_SECONDS} s`,
          requestId,
          details: { retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS },
        },
      },
    };
  }
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'something went wrong on our side', requestId } },
  };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorResponse(error, request.id);
  if (status === 503) {
    void reply.header('retry-after', String(UNAVAILABLE_RETRY_SECONDS));
    request.log.warn(
      { code: body.error.code, reason: (error as Error).message },
      'request failed: database unreachable',
    );
  } else if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.error.code, status }, 'request refused');
  sendError(request, reply, status, body);
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
