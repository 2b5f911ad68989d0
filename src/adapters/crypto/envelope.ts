import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

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

/**
 * The master key wraps data keys; its id tells which master key a wrapped key needs. Keys it
 * replaced stay available for unwrapping until `rewrapUserKeys` has moved every wrapped key to
 * the current one (rotation re-wraps keys; it never re-encrypts data).
 */
export class MasterKey {
  readonly id: string;
  readonly #key: Buffer;
  readonly #previous: Map<string, Buffer>;

  constructor(key: Uint8Array, previous: readonly Uint8Array[] = []) {
    this.#key = checkedKey(key);
    this.id = keyId(this.#key);
    this.#previous = new Map(previous.map((k) => [keyId(checkedKey(k)), Buffer.from(k)]));
  }

  wrap(dataKey: Uint8Array, label: string): Buffer {
    return seal(this.#key, dataKey, `wrap:${label}`);
  }

  /**
   * A key for one purpose (HKDF-SHA256 of the current master key), the same on every node that
   * shares the master key. It changes when the master key is rotated.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), `instune:${purpose}`, 32));
  }

  /** `wrappedWith` is the id stored beside the wrapped key; it defaults to the current key. */
  unwrap(wrapped: Uint8Array, label: string, wrappedWith: string = this.id): Buffer {
    const key = wrappedWith === this.id ? this.#key : this.#previous.get(wrappedWith);
    if (!key) throw new DecryptionError(`no master key with id ${wrappedWith} is configured`);
    return open(key, wrapped, `wrap:${label}`);
  }
}

function checkedKey(key: Uint8Array): Buffer {
  if (key.length !== KEY_BYTES) throw new Error('the master key must be 32 bytes');
  return Buffer.from(key);
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
