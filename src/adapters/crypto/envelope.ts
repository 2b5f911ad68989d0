import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelope encryption. The master key wraps per-user data keys; a user's data key
 * encrypts that user's fields and wraps the per-object keys of that user's files. Deleting the
 * wrapped user key therefore makes every copy of every item of that user unreadable
 * (crypto-shredding), backups included.
 */
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class DecryptionError extends Error {
  constructor(message = 'ciphertext could not be authenticated') {
    super(message);
    this.name = 'DecryptionError';
  }
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Output layout: version(1) | iv(12) | tag(16) | ciphertext. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  if (key.length !== KEY_BYTES) throw new Error('AES-256 needs a 32-byte key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
}

export function open(key: Uint8Array, sealed: Uint8Array, aad: string): Buffer {
  const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== FORMAT_VERSION) {
    throw new DecryptionError('unknown ciphertext format');
  }
  const iv = data.subarray(1, 1 + IV_BYTES);
  const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const body = data.subarray(1 + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

export function sealText(key: Uint8Array, text: string, aad: string): Buffer {
  return seal(key, Buffer.from(text, 'utf8'), aad);
}

export function openText(key: Uint8Array, sealed: Uint8Array, aad: string): string {
  return open(key, sealed, aad).toString('utf8');
}

/** The master key wraps data keys; its id tells which master key a wrapped key needs. */
export class MasterKey {
  readonly id: string;
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES) throw new Error('the master key must be 32 bytes');
    this.#key = Buffer.from(key);
    this.id = createHash('sha256').update(this.#key).digest('hex').slice(0, 16);
  }

  wrap(dataKey: Uint8Array, label: string): Buffer {
    return seal(this.#key, dataKey, `wrap:${label}`);
  }

  unwrap(wrapped: Uint8Array, label: string): Buffer {
    return open(this.#key, wrapped, `wrap:${label}`);
  }
}
