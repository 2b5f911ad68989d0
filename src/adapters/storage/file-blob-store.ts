import { randomBytes } from 'node:crypto';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import type { Readable } from 'node:stream';
import path from 'node:path';
import type { BlobStore, StoredBlob } from './blob-store.js';

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

  async stat(key: string): Promise<StoredBlob | null> {
    try {
      const info = await stat(this.#pathOf(key));
      return info.isFile() ? { key, modifiedAt: info.mtime } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async list(options: { after?: string | undefined; limit: number }): Promise<StoredBlob[]> {
    const found: StoredBlob[] = [];
    // Depth-first in name order, skipping whole folders that sort before `after`. Temporary
    // files of an interrupted write are not keys (they hold a '.') and are left out.
    const walk = async (prefix: string): Promise<void> => {
      let names: string[];
      try {
        names = (await readdir(path.join(this.root, prefix))).sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const name of names) {
        if (found.length >= options.limit) return;
        const key = prefix ? `${prefix}/${name}` : name;
        const after = options.after;
        if (after && comparePaths(key, after) < 0 && !after.startsWith(`${key}/`)) continue;
        const info = await stat(path.join(this.root, key)).catch(() => null);
        if (!info) continue;
        if (info.isDirectory()) await walk(key);
        else if (SAFE_KEY.test(key) && (!after || comparePaths(key, after) > 0)) {
          found.push({ key, modifiedAt: info.mtime });
        }
      }
    };
    await walk('');
    return found;
  }

  #pathOf(key: string): string {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error('invalid blob key');
    return path.join(this.root, key);
  }
}

/** The order a depth-first walk visits paths in: folder by folder, names in string order. */
function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const p = x[i] as string;
    const q = y[i] as string;
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}
