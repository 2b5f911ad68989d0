import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path.js';

/** Where a browser on our site would land after `Location: <value>`. */
function browserLandsOn(location: string): string {
  return new URL(location, 'https://instune.example/auth/callback?code=x').host;
}

describe('safeReturnPath', () => {
  it.each([
    '/',
    '/library',
    '/generations/3f1c?lang=zh',
    '/privacy#rights',
    '/%5Cstill-here',
    '/a/../b',
  ])('keeps the same-origin path %j', (value) => {
    const path = safeReturnPath(value);
    expect(browserLandsOn(path)).toBe('instune.example');
    expect(path.startsWith('/')).toBe(true);
  });

  it.each([
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '\t//evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\/evil.example',
    '/\\/evil.example',
    '/..//evil.example',
    '/%2e%2e//evil.example',
    'https://evil.example/',
    'http:evil.example',
    'javascript:alert(1)',
    ' /x',
    'evil.example',
    '',
  ])('sends %j to "/" (a browser would leave the site or the value is not a path)', (value) => {
    expect(safeReturnPath(value)).toBe('/');
  });

  it('percent-encodes characters that cannot go into a header (non-Latin-1, controls)', () => {
    expect(safeReturnPath('/音乐')).toBe('/%E9%9F%B3%E4%B9%90');
    expect(safeReturnPath('/a\u0000b')).toBe('/a%00b');
    expect(safeReturnPath('/a b?q=\u3000')).toBe('/a%20b?q=%E3%80%80');
    for (const value of ['/音乐', '/a\rb', '/x\u3000/y', '/\u2028']) {
      expect(safeReturnPath(value)).toMatch(/^[\x21-\x7e]+$/);
    }
  });

  it('keeps every result on the origin it was resolved against', () => {
    const hostile = ['/', '\\', '\t', '\n', '\r', '%2f', '%5c', '.', ':', '@', 'evil', '?', '#'];
    for (const a of hostile) {
      for (const b of hostile) {
        for (const c of hostile) {
          const path = safeReturnPath(`/${a}${b}${c}evil.example`);
          expect(browserLandsOn(path), path).toBe('instune.example');
        }
      }
    }
  });
});
