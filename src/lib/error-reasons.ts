import type { ErrorCode } from './errors.js';

/**
 * What a user can do about an error: the page the message points to. The HTTP layer turns it
 * into a link (href and a label in the reader's language).
 */
export const errorActions = [
  'signIn',
  'buyCredits',
  'account',
  'policy',
  'create',
  'library',
] as const;
export type ErrorAction = (typeof errorActions)[number];

interface ReasonDeclaration {
  /** The code the error is sent with (and so its HTTP status). */
  code: ErrorCode;
  /** The placeholders its EN and ZH messages fill (`{limitMb}` …); a unit test holds them equal. */
  params: readonly string[];
  action?: ErrorAction;
}

/**
 * Every specific reason an error can give a user, stable like the codes (API clients may switch
 * on it). The message is `error.<reason>` in src/http/messages/en.ts and zh.ts; a reason without
 * both fails to compile (src/http/error-messages.ts). Limits travel as params so the message can
 * state them.
 */
export const errorReasons = {
  // The picture.
  upload_missing: { code: 'bad_request', params: [] },
  upload_empty: { code: 'bad_request', params: [] },
  upload_too_large: { code: 'payload_too_large', params: ['limitMb'] },
  upload_too_many_pixels: {
    code: 'payload_too_large',
    params: ['width', 'height', 'limitMegapixels'],
  },
  upload_too_small: { code: 'unprocessable_image', params: ['minSide'] },
  upload_wrong_type: { code: 'unsupported_media_type', params: [] },
  upload_animated: { code: 'unsupported_media_type', params: [] },
  upload_damaged: { code: 'unprocessable_image', params: [] },
  upload_one_image: { code: 'bad_request', params: [] },
  upload_malformed: { code: 'bad_request', params: [] },
  upload_not_multipart: { code: 'unsupported_media_type', params: [] },
  // Any request.
  body_too_large: { code: 'payload_too_large', params: ['limitKb'] },
  body_malformed: { code: 'bad_request', params: [] },
  too_many_fields: { code: 'bad_request', params: [] },
  // The create form.
  text_too_long: { code: 'validation_failed', params: ['maxChars'] },
  seconds_out_of_range: { code: 'validation_failed', params: ['min', 'max'] },
  seed_invalid: { code: 'validation_failed', params: ['max'] },
  instrument_unknown: { code: 'validation_failed', params: ['instrument'] },
  control_invalid: { code: 'validation_failed', params: ['field'] },
  idempotency_key_invalid: { code: 'validation_failed', params: ['maxLength'] },
  idempotency_key_reused: { code: 'conflict', params: [] },
  try_again: { code: 'conflict', params: [] },
  // Credits.
  credits_insufficient: {
    code: 'payment_required',
    params: ['balance', 'needed'],
    action: 'buyCredits',
  },
  pack_unknown: { code: 'validation_failed', params: [] },
  checkout_not_found: { code: 'not_found', params: [] },
  checkout_expired: { code: 'gone', params: [] },
  // Signing in and sessions.
  sign_in_required: { code: 'unauthenticated', params: [], action: 'signIn' },
  session_expired: { code: 'session_expired', params: [], action: 'signIn' },
  sign_in_failed: { code: 'unauthenticated', params: [], action: 'signIn' },
  sign_in_cancelled: { code: 'unauthenticated', params: [], action: 'signIn' },
  sign_in_stale: { code: 'unauthenticated', params: [], action: 'signIn' },
  sign_in_unavailable: { code: 'internal', params: [] },
  account_gone: { code: 'unauthenticated', params: [], action: 'signIn' },
  form_expired: { code: 'forbidden', params: [] },
  cross_site: { code: 'forbidden', params: [] },
  staff_only: { code: 'forbidden', params: [] },
  // The privacy policy.
  policy_not_accepted: { code: 'policy_not_accepted', params: ['version'], action: 'policy' },
  policy_changed: { code: 'conflict', params: ['version'], action: 'policy' },
  // Pieces.
  piece_not_found: { code: 'not_found', params: [], action: 'library' },
  piece_not_ready: { code: 'conflict', params: [] },
  piece_deleted: { code: 'gone', params: [], action: 'create' },
  piece_in_progress: { code: 'conflict', params: [] },
  stems_missing: { code: 'not_found', params: [] },
  range_outside_file: { code: 'range_not_satisfiable', params: [] },
  // The account center.
  name_invalid: { code: 'validation_failed', params: ['max'] },
  message_too_long: { code: 'validation_failed', params: ['max'] },
  cancel_phrase: { code: 'validation_failed', params: [], action: 'account' },
  export_not_ready: { code: 'conflict', params: [], action: 'account' },
  export_expired: { code: 'gone', params: [], action: 'account' },
  export_not_found: { code: 'not_found', params: [], action: 'account' },
  // The contact form.
  contact_message_length: { code: 'validation_failed', params: ['max'] },
  contact_link_invalid: { code: 'gone', params: [] },
  // Versions, extensions and titles.
  piece_at_longest: { code: 'conflict', params: ['max'] },
  extend_out_of_range: { code: 'validation_failed', params: ['min', 'max', 'longest'] },
  piece_not_extendable: { code: 'conflict', params: [], action: 'create' },
  title_invalid: { code: 'validation_failed', params: ['max'] },
  // Limits.
  rate_limited: { code: 'rate_limited', params: ['seconds'] },
  too_many_streams: { code: 'rate_limited', params: ['max'] },
  server_busy: { code: 'rate_limited', params: ['seconds'] },
  page_not_found: { code: 'not_found', params: [] },
} as const satisfies Record<string, ReasonDeclaration>;

export type ErrorReason = keyof typeof errorReasons;

/** The params a reason's message needs, each a string or number. */
export type ReasonParams<R extends ErrorReason> = {
  [P in (typeof errorReasons)[R]['params'][number]]: string | number;
};

export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === 'string' && Object.hasOwn(errorReasons, value);
}

export function reasonAction(reason: ErrorReason): ErrorAction | undefined {
  const declaration: ReasonDeclaration = errorReasons[reason];
  return declaration.action;
}
