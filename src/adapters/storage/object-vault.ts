import { createCipheriv, createDecipheriv } from 'node:crypto';
import { DecryptionError, newDataKey, open, seal } from '../crypto/envelope.js';
import type { BlobStore } from './blob-store.js';

/**
 * Files encrypted with a fresh key per object; that key is wrapped by the owner's data key and
 * kept in the object's own header, so shredding the user key shreds every object of the user.
 *
 * Written in chunks (docs/decisions/0014-chunked-object-encryption.md), so a byte range can be
 * read, authenticated and decrypted without touching the rest of the file:
 *   "IVC1" | chunkSize(u32) | plaintextLength(u64) | wrappedKeyLength(u16) | wrappedKey
 *   | chunk 0 | chunk 1 | …   where each chunk is AES-256-GCM ciphertext | tag(16).
 * Chunk i uses the nonce i (the object key is fresh, so a nonce never repeats under it) and binds
 * the object key, chunk size, total length, its index and whether it is the last into its
 * associated data: chunks cannot be moved, dropped, truncated or swapped between objects.
 * Objects written before this format (wrappedKeyLength(2) | wrappedKey | one sealed body) stay
 * readable; they are read whole.
 */
const MAGIC = Buffer.from('IVC1', 'ascii');
const CHUNK_SIZE = 64 * 1024;
const TAG_BYTES = 16;
const NONCE_BYTES = 12;
/** magic + chunk size + plaintext length + wrapped key length. */
const FIXED_HEADER_BYTES = 4 + 4 + 8 + 2;
/** Chunks sealed between two turns of the event loop: 1 MiB, about a millisecond of work. */
const CHUNKS_PER_TURN = 16;
/** Enough for any header we write (the wrapped key is 61 bytes). */
const HEADER_PROBE_BYTES = 256;

/** A stored object, ready to be read in part or whole. */
export interface VaultFile {
  /** Plaintext length in bytes. */
  readonly size: number;
  /** The plaintext bytes start..end (inclusive), decrypted chunk by chunk as they are read. */
  read(start: number, end: number): AsyncIterable<Buffer>;
}

export class ObjectVault {
  constructor(readonly store: BlobStore) {}

  /**
   * Encrypts into one buffer of the final size and hands it to the store. A 180 s piece is over
   * 100 MB of WAV and stems; sealing it in one synchronous loop (and concatenating the parts
   * after) held the event loop for half a second, so other users' requests waited behind it.
   * The chunks are sealed a mebibyte at a time with a turn of the event loop between batches.
   */
  async put(userKey: Uint8Array, objectKey: string, content: Uint8Array): Promise<void> {
    const objectDataKey = newDataKey();
    const wrapped = seal(userKey, objectDataKey, `object-key:${objectKey}`);
    const chunks = Math.max(1, Math.ceil(content.byteLength / CHUNK_SIZE));
    const bodyStart = FIXED_HEADER_BYTES + wrapped.length;
    const sealed = Buffer.allocUnsafe(bodyStart + content.byteLength + chunks * TAG_BYTES);
    MAGIC.copy(sealed, 0);
    sealed.writeUInt32BE(CHUNK_SIZE, 4);
    sealed.writeBigUInt64BE(BigInt(content.byteLength), 8);
    sealed.writeUInt16BE(wrapped.length, 16);
    wrapped.copy(sealed, FIXED_HEADER_BYTES);
    let offset = bodyStart;
    for (let index = 0; index < chunks; index += 1) {
      if (index > 0 && index % CHUNKS_PER_TURN === 0) await nextTurn();
      const plain = content.subarray(index * CHUNK_SIZE, (index + 1) * CHUNK_SIZE);
      const cipher = createCipheriv('aes-256-gcm', objectDataKey, nonce(index));
      cipher.setAAD(chunkAad(objectKey, CHUNK_SIZE, content.byteLength, index, chunks));
      for (const part of [cipher.update(plain), cipher.final(), cipher.getAuthTag()]) {
        offset += part.copy(sealed, offset);
      }
    }
    await this.store.put(objectKey, sealed);
  }

  /** The whole plaintext; null when the object is gone; DecryptionError when it cannot open. */
  async get(userKey: Uint8Array, objectKey: string): Promise<Buffer | null> {
    const file = await this.open(userKey, objectKey);
    if (!file) return null;
    const parts: Buffer[] = [];
    if (file.size > 0) for await (const part of file.read(0, file.size - 1)) parts.push(part);
    return Buffer.concat(parts);
  }

  /** Reads only the header; the content is decrypted when (and as far as) it is read. */
  async open(userKey: Uint8Array, objectKey: string): Promise<VaultFile | null> {
    const head = await this.store.getRange(objectKey, 0, HEADER_PROBE_BYTES - 1);
    if (!head) return null;
    if (head.length >= FIXED_HEADER_BYTES && head.subarray(0, 4).equals(MAGIC)) {
      return this.#openChunked(userKey, objectKey, head);
    }
    return this.#openSingleShot(userKey, objectKey);
  }

  delete(objectKey: string): Promise<void> {
    return this.store.delete(objectKey);
  }

  #openChunked(userKey: Uint8Array, objectKey: string, head: Buffer): VaultFile {
    const chunkSize = head.readUInt32BE(4);
    const size = Number(head.readBigUInt64BE(8));
    const wrappedLength = head.readUInt16BE(16);
    const bodyStart = FIXED_HEADER_BYTES + wrappedLength;
    if (chunkSize === 0 || head.length < bodyStart) throw new DecryptionError('damaged header');
    const objectDataKey = open(
      userKey,
      head.subarray(FIXED_HEADER_BYTES, bodyStart),
      `object-key:${objectKey}`,
    );
    const chunks = Math.max(1, Math.ceil(size / chunkSize));
    const store = this.store;
    return {
      size,
      async *read(start: number, end: number): AsyncGenerator<Buffer> {
        checkRange(start, end, size);
        const first = Math.floor(start / chunkSize);
        const last = Math.floor(end / chunkSize);
        const sealedChunk = chunkSize + TAG_BYTES;
        const from = bodyStart + first * sealedChunk;
        const to = bodyStart + last * sealedChunk + expectedLength(last) - 1;
        const stream = await store.getRangeStream(objectKey, from, to);
        if (!stream) throw new DecryptionError('the object disappeared while it was read');
        let index = first;
        let pending: Buffer = Buffer.alloc(0);
        const decrypt = (sealed: Buffer): Buffer => {
          const plainLength = sealed.length - TAG_BYTES;
          const decipher = createDecipheriv('aes-256-gcm', objectDataKey, nonce(index));
          decipher.setAAD(chunkAad(objectKey, chunkSize, size, index, chunks));
          decipher.setAuthTag(sealed.subarray(plainLength));
          let plain: Buffer;
          try {
            plain = Buffer.concat([
              decipher.update(sealed.subarray(0, plainLength)),
              decipher.final(),
            ]);
          } catch {
            throw new DecryptionError();
          }
          const offset = index * chunkSize;
          index += 1;
          return plain.subarray(
            Math.max(0, start - offset),
            Math.min(plain.length, end - offset + 1),
          );
        };
        try {
          for await (const piece of stream as AsyncIterable<Buffer>) {
            pending = pending.length ? Buffer.concat([pending, piece]) : piece;
            while (index <= last && pending.length >= expectedLength(index)) {
              const length = expectedLength(index);
              const sealed = pending.subarray(0, length);
              pending = pending.subarray(length);
              yield decrypt(sealed);
            }
          }
        } finally {
          stream.destroy();
        }
        if (index <= last) throw new DecryptionError('the object is shorter than its header says');

        function expectedLength(i: number): number {
          const plain = i === chunks - 1 ? size - i * chunkSize : chunkSize;
          return plain + TAG_BYTES;
        }
      },
    };
  }

  /** Objects from before chunking: one sealed body, opened whole (they expire within 72 h). */
  async #openSingleShot(userKey: Uint8Array, objectKey: string): Promise<VaultFile | null> {
    const raw = await this.store.get(objectKey);
    if (!raw) return null;
    const data = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const wrappedLength = data.readUInt16BE(0);
    const wrapped = data.subarray(2, 2 + wrappedLength);
    const objectDataKey = open(userKey, wrapped, `object-key:${objectKey}`);
    const plain = open(objectDataKey, data.subarray(2 + wrappedLength), `object:${objectKey}`);
    return {
      size: plain.length,
      async *read(start: number, end: number): AsyncGenerator<Buffer> {
        checkRange(start, end, plain.length);
        yield plain.subarray(start, end + 1);
      },
    };
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(NONCE_BYTES);
  iv.writeBigUInt64BE(BigInt(index), NONCE_BYTES - 8);
  return iv;
}

function chunkAad(
  objectKey: string,
  chunkSize: number,
  size: number,
  index: number,
  chunks: number,
): Buffer {
  const last = index === chunks - 1 ? 1 : 0;
  return Buffer.from(`object:${objectKey}:${chunkSize}:${size}:${index}:${last}`, 'utf8');
}

function checkRange(start: number, end: number, size: number): void {
  const inside = Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end;
  if (!inside || end >= size) {
    throw new RangeError(`bytes ${start}-${end} are outside an object of ${size} bytes`);
  }
}
