import {
  errorReasons,
  reasonAction,
  type ErrorAction,
  type ErrorReason,
} from '../lib/error-reasons.js';
import type { ErrorCode } from '../lib/errors.js';
import { t, type Lang, type MessageKey } from './i18n.js';

// Compile-time: every reason, code and action has an EN message (and zh.ts, typed by the English
// keys, then has it too). A missing one names itself in the type error.
type Needed = `error.${ErrorReason}` | `error.code.${ErrorCode}` | `error.action.${ErrorAction}`;
type Missing = Exclude<Needed, MessageKey>;
const everyErrorHasMessages: [Missing] extends [never] ? true : Missing = true;
void everyErrorHasMessages;

const actionHref: Record<ErrorAction, string> = {
  signIn: '/auth/login',
  buyCredits: '/credits',
  account: '/account',
  policy: '/policy/accept',
  create: '/',
  library: '/library',
};

export interface UserFacingError {
  message: string;
  action?: { href: string; label: string };
}

/**
 * What the user reads for an error: the reason's message with its params (limits, counts), or
 * the code's when there is no reason; and a link to what to do about it. The developer message
 * never shows here (it goes to the log).
 */
export function userFacingError(
  lang: Lang,
  error: {
    code: ErrorCode;
    reason?: ErrorReason | undefined;
    params?: Record<string, string | number>;
  },
): UserFacingError {
  const reason =
    error.reason && errorReasons[error.reason].code === error.code ? error.reason : undefined;
  const message = reason
    ? t(lang, `error.${reason}`, error.params)
    : t(lang, `error.code.${error.code}`);
  const action: ErrorAction | undefined = reason
    ? reasonAction(reason)
    : fallbackAction[error.code];
  const withLang = (href: string) =>
    lang === 'zh' ? `${href}${href.includes('?') ? '&' : '?'}lang=zh` : href;
  return action
    ? {
        message,
        action: { href: withLang(actionHref[action]), label: t(lang, `error.action.${action}`) },
      }
    : { message };
}

const fallbackAction: Partial<Record<ErrorCode, ErrorAction>> = {
  unauthenticated: 'signIn',
  session_expired: 'signIn',
  payment_required: 'buyCredits',
  policy_not_accepted: 'policy',
};
