import { describe, expect, it } from 'vitest';
import { errorActions, errorReasons, type ErrorReason } from '../lib/error-reasons.js';
import { AppError, errorCodes } from '../lib/errors.js';
import { userFacingError } from './error-messages.js';
import { en } from './messages/en.js';
import { zh } from './messages/zh.js';

const placeholders = (text: string) =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
const hasHan = (text: string) => /\p{Script=Han}/u.test(text);
const catalogue = { en: en as Record<string, string>, zh: zh as Record<string, string> };

describe('the error catalogue', () => {
  const reasons = Object.keys(errorReasons) as ErrorReason[];

  it('has an English and a Chinese message for every reason, filling exactly its params', () => {
    for (const reason of reasons) {
      const declared = [...errorReasons[reason].params].sort();
      for (const lang of ['en', 'zh'] as const) {
        const text = catalogue[lang][`error.${reason}`];
        expect({ reason, lang, text: typeof text }).toEqual({ reason, lang, text: 'string' });
        expect({ reason, lang, placeholders: placeholders(text!) }).toEqual({
          reason,
          lang,
          placeholders: declared,
        });
      }
      expect({ reason, zhIsChinese: hasHan(zh[`error.${reason}`]) }).toEqual({
        reason,
        zhIsChinese: true,
      });
    }
  });

  it('has a fallback for every code and a label for every action, in both languages', () => {
    for (const key of [
      ...errorCodes.map((c) => `error.code.${c}`),
      ...errorActions.map((a) => `error.action.${a}`),
    ]) {
      expect(catalogue.en[key], key).toBeTruthy();
      expect(hasHan(catalogue.zh[key] ?? ''), key).toBe(true);
      expect(placeholders(catalogue.zh[key] ?? ''), key).toEqual(placeholders(catalogue.en[key]!));
    }
  });

  it('states the limit, and gives the link, in the reader’s language', () => {
    const tooLarge = AppError.because('upload_too_large', 'the file is too large', {
      limitMb: 20,
    });
    expect(userFacingError('en', tooLarge).message).toContain('20 MB');
    expect(userFacingError('zh', tooLarge).message).toContain('20 MB');
    expect(hasHan(userFacingError('zh', tooLarge).message)).toBe(true);

    const noCredits = AppError.because('credits_insufficient', 'you have 0 credits', {
      balance: 0,
      needed: 1,
    });
    expect(userFacingError('en', noCredits)).toEqual({
      message:
        'Not enough credits: this costs 1 and your balance is 0. Buy credits, then try again.',
      action: { href: '/credits', label: 'Buy credits' },
    });
    expect(userFacingError('zh', noCredits).action).toEqual({
      href: '/credits?lang=zh',
      label: '购买点数',
    });
    expect(noCredits.code).toBe('payment_required');
    expect(noCredits.details).toEqual({ balance: 0, needed: 1 });
  });

  it('keeps the developer message out of what the user reads; a bare code gets its fallback', () => {
    const bare = new AppError('forbidden', 'staff role table lookup failed for row 17');
    for (const lang of ['en', 'zh'] as const) {
      const shown = userFacingError(lang, bare);
      expect(shown.message).toBe(catalogue[lang]['error.code.forbidden']);
      expect(shown.message).not.toContain('row 17');
    }
    expect(userFacingError('en', new AppError('unauthenticated', 'x')).action?.href).toBe(
      '/auth/login',
    );
  });
});
