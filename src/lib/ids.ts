import { randomBytes, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

/** URL-safe random token with 256 bits of entropy (session ids, CSRF tokens). */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
