import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecryptionError, newDataKey, seal } from '../crypto/envelope.js';
import { FileBlobStore } from './file-blob-store.js';
import { ObjectVault, type VaultFile } from './object-vault.js';

const CHUNK = 64 * 1024;

async function readAll(file: VaultFile, start: number, end: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of file.read(start, end)) parts.push(part);
  return Buffer.concat(parts);
}

describe('ObjectVault (chunked AES-256-GCM, docs/decisions/0014)', () => {
  let root: string;
  let store: FileBlobStore;
  let vault: ObjectVault;
  const userKey = newDataKey();

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'instune-vault-'));
    store = new FileBlobStore(root);
    vault = new ObjectVault(store);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17])(
    'reads back %i bytes whole and in any range',
    async (size) => {
      const content = randomBytes(size);
      await vault.put(userKey, `outputs/u/sizes-${size}`, content);
      expect((await vault.get(userKey, `outputs/u/sizes-${size}`))?.equals(content)).toBe(true);
      const file = await vault.open(userKey, `outputs/u/sizes-${size}`);
      expect(file?.size).toBe(size);
      if (!file || size === 0) return;
      const ranges: Array<[number, number]> = [
        [0, 0],
        [0, size - 1],
        [size - 1, size - 1],
        [Math.floor(size / 2), size - 1],
        [Math.max(0, CHUNK - 3), Math.min(size - 1, CHUNK + 3)],
      ];
      for (const [start, end] of ranges.filter(([a, b]) => a <= b)) {
        expect((await readAll(file, start, end)).equals(content.subarray(start, end + 1))).toBe(
          true,
        );
      }
      await expect(readAll(file, 0, size)).rejects.toThrow(RangeError);
    },
  );

  it('lets other work run while it seals a large object', async () => {
    // A store that answers at once, so only the sealing itself could hold the event loop.
    class AnsweringAtOnce extends FileBlobStore {
      readonly kept = new Map<string, Uint8Array>();
      override put(key: string, bytes: Uint8Array): Promise<void> {
        this.kept.set(key, bytes);
        return Promise.resolve();
      }
    }
    const instantStore = new AnsweringAtOnce(root);
    const content = randomBytes(8 * 1024 * 1024);
    let turns = 0;
    let sealing = true;
    const tick = (): void => {
      turns += 1;
      if (sealing) setImmediate(tick);
    };
    setImmediate(tick);
    await new ObjectVault(instantStore).put(userKey, 'outputs/u/turns', content);
    sealing = false;
    // 8 MiB is 128 chunks, sealed 16 at a time: the event loop turned between the batches.
    expect(turns).toBeGreaterThanOrEqual(7);
    await store.put(
      'outputs/u/turns',
      instantStore.kept.get('outputs/u/turns') ?? new Uint8Array(),
    );
    expect((await vault.get(userKey, 'outputs/u/turns'))?.equals(content)).toBe(true);
  });

  it('reads a range of a large file without decrypting the rest', async () => {
    const content = randomBytes(40 * CHUNK);
    await vault.put(userKey, 'outputs/u/large', content);
    // Damage the last chunk: a range at the start never reads it, so it still opens.
    const file = path.join(root, 'outputs/u/large');
    const raw = await readFile(file);
    raw[raw.length - 5] = (raw[raw.length - 5] ?? 0) ^ 0xff;
    await writeFile(file, raw);
    const opened = await vault.open(userKey, 'outputs/u/large');
    if (!opened) throw new Error('missing');
    expect((await readAll(opened, 10, 2 * CHUNK)).equals(content.subarray(10, 2 * CHUNK + 1))).toBe(
      true,
    );
    await expect(readAll(opened, 39 * CHUNK, 40 * CHUNK - 1)).rejects.toThrow(DecryptionError);
  });

  it('refuses a file that was cut short, moved to another key or opened with another key', async () => {
    const content = randomBytes(3 * CHUNK);
    await vault.put(userKey, 'outputs/u/cut', content);
    const raw = await readFile(path.join(root, 'outputs/u/cut'));
    // Without its last chunk (a truncated upload or copy).
    await writeFile(
      path.join(root, 'outputs/u/cut'),
      raw.subarray(0, raw.length - (CHUNK / 2 + 16)),
    );
    await expect(vault.get(userKey, 'outputs/u/cut')).rejects.toThrow(DecryptionError);
    // The same bytes under another object's key.
    await writeFile(path.join(root, 'outputs/u/moved'), raw);
    await expect(vault.get(userKey, 'outputs/u/moved')).rejects.toThrow(DecryptionError);
    // Another user's key.
    await vault.put(userKey, 'outputs/u/mine', content);
    await expect(vault.get(newDataKey(), 'outputs/u/mine')).rejects.toThrow(DecryptionError);
    // A missing object is not an error.
    expect(await vault.open(userKey, 'outputs/u/never')).toBeNull();
  });

  it('still reads objects written whole, before chunking', async () => {
    // The earlier layout: wrappedKeyLength(2) | wrappedKey | one sealed body.
    const content = randomBytes(CHUNK * 2 + 5);
    const objectKey = 'outputs/u/legacy';
    const objectDataKey = newDataKey();
    const wrapped = seal(userKey, objectDataKey, `object-key:${objectKey}`);
    const header = Buffer.alloc(2);
    header.writeUInt16BE(wrapped.length);
    await store.put(
      objectKey,
      Buffer.concat([header, wrapped, seal(objectDataKey, content, `object:${objectKey}`)]),
    );
    expect((await vault.get(userKey, objectKey))?.equals(content)).toBe(true);
    const file = await vault.open(userKey, objectKey);
    expect(file?.size).toBe(content.length);
    if (file) expect((await readAll(file, 5, 9)).equals(content.subarray(5, 10))).toBe(true);
  });
});
