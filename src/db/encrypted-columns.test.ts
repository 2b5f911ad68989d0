import { describe, expect, it } from 'vitest';
import { newDataKey, sealText } from '../adapters/crypto/envelope.js';
import {
  contactKeyLabel,
  contextFor,
  openField,
  sealField,
  userKeyLabel,
} from './encrypted-columns.js';

describe('encryption contexts', () => {
  // These are the strings stored ciphertexts were sealed under; they must never change.
  it('produces exactly the contexts stored data was sealed with', () => {
    const id = '0b7e2a52-4d36-4c56-9e8e-6f1d3c2b1a00';
    expect(contextFor('users', 'email', id)).toBe(`user:${id}:email`);
    expect(contextFor('users', 'name', id)).toBe(`user:${id}:name`);
    expect(contextFor('users', 'avatar', id)).toBe(`user:${id}:avatar`);
    expect(contextFor('generations', 'text', id)).toBe(`generation:${id}:text`);
    expect(contextFor('generations', 'recipe', id)).toBe(`generation:${id}:recipe`);
    expect(contextFor('generations', 'plan', id)).toBe(`generation:${id}:plan`);
    expect(contextFor('generations', 'title', id)).toBe(`generation:${id}:title`);
    expect(contextFor('rights_requests', 'message', id)).toBe(`request:${id}:message`);
    expect(contextFor('rights_request_replies', 'message', id)).toBe(`request-reply:${id}:message`);
    expect(contextFor('credit_ledger', 'note', id)).toBe(`credit:${id}:note`);
    expect(userKeyLabel(id)).toBe(`user:${id}`);
    expect(contextFor('contact_messages', 'email', id)).toBe(`contact:${id}:email`);
    expect(contextFor('contact_messages', 'name', id)).toBe(`contact:${id}:name`);
    expect(contextFor('contact_messages', 'message', id)).toBe(`contact:${id}:message`);
    expect(contextFor('contact_messages', 'token', id)).toBe(`contact:${id}:token`);
    expect(contactKeyLabel(id)).toBe(`contact:${id}`);
  });

  it('opens what was sealed under the hand-written context before, and nothing else', () => {
    const key = newDataKey();
    const old = sealText(key, 'a quiet harbour', 'generation:g1:text');
    expect(openField(key, 'generations', 'text', 'g1', old)).toBe('a quiet harbour');
    expect(() => openField(key, 'generations', 'plan', 'g1', old)).toThrow();
    expect(() => openField(key, 'generations', 'text', 'g2', old)).toThrow();
    const sealed = sealField(key, 'users', 'name', 'u1', 'Ada');
    expect(openField(key, 'users', 'name', 'u1', sealed)).toBe('Ada');
  });

  it('refuses a column the table does not encrypt, at compile time', () => {
    // @ts-expect-error generations has no encrypted "email" field
    expect(contextFor('generations', 'email', 'x')).toBe('generation:x:email');
  });
});
