import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import path from 'node:path';
import type { BlobStore } from './blob-store.js';

const SAFE_KEY = /^[a-z0-9][a-z0-9/_-]{0,200}$/;

/** Blobs as files under one folder; writes are atomic (temp file + rename). */
export class FileBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.#pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, file);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.#pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async getRange(key: string, start: number, end: number): Promise<Buffer | null> {
    const handle = await this.#openFile(key);
    if (!handle) return null;
    try {
      const bytes = Buffer.alloc(end - start + 1);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
      return bytes.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async getRangeStream(key: string, start: number, end: number): Promise<Readable | null> {
    const handle = await this.#openFile(key);
    // The stream closes the file when it ends or is destroyed.
    return handle ? handle.createReadStream({ start, end, highWaterMark: 64 * 1024 }) : null;
  }

  async #openFile(key: string): Promise<FileHandle | null> {
    try {
      return await open(this.#pathOf(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#pathOf(key), { force: true });
  }

  #pathOf(key: string): string {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error('invalid blob key');
    return path.join(this.root, key);
  }
}
