import { newDataKey, open, seal } from '../crypto/envelope.js';
import type { BlobStore } from './blob-store.js';

/**
 * Files encrypted with a fresh key per object; that key is wrapped by the owner's data key and
 * kept in the object's own header, so shredding the user key shreds every object of the user.
 * Layout: wrappedKeyLength(2, big-endian) | wrappedKey | sealed content.
 */
export class ObjectVault {
  constructor(readonly store: BlobStore) {}

  async put(userKey: Uint8Array, objectKey: string, content: Uint8Array): Promise<void> {
    const objectDataKey = newDataKey();
    const wrapped = seal(userKey, objectDataKey, `object-key:${objectKey}`);
    const body = seal(objectDataKey, content, `object:${objectKey}`);
    const header = Buffer.alloc(2);
    header.writeUInt16BE(wrapped.length);
    await this.store.put(objectKey, Buffer.concat([header, wrapped, body]));
  }

  /** Null when the object is gone; throws DecryptionError when the key cannot open it. */
  async get(userKey: Uint8Array, objectKey: string): Promise<Buffer | null> {
    const raw = await this.store.get(objectKey);
    if (!raw) return null;
    const data = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const wrappedLength = data.readUInt16BE(0);
    const wrapped = data.subarray(2, 2 + wrappedLength);
    const objectDataKey = open(userKey, wrapped, `object-key:${objectKey}`);
    return open(objectDataKey, data.subarray(2 + wrappedLength), `object:${objectKey}`);
  }

  delete(objectKey: string): Promise<void> {
    return this.store.delete(objectKey);
  }
}
