import { randomBytes } from 'node:crypto';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import type { Readable } from 'node:stream';
import path from 'node:path';
import type { BlobStore, StoredBlob } from './blob-store.js';

const SAFE_KEY = /^[a-z0-9][a-z0-9/_-]{0,200}$/;
/** A write in progress: never a key (keys hold no '.'). */
const PARTIAL_SUFFIX = '.tmp';

/** Blobs as files under one folder; writes are atomic (temp file + rename). */
export class FileBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.#pathOf(key);
    const temp = `${file}.${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`;
    // The leftover sweep may remove an old empty folder between mkdir and the write: make it
    // again once.
    for (let attempt = 0; ; attempt += 1) {
      await mkdir(path.dirname(file), { recursive: true });
      try {
        await writeFile(temp, bytes, { mode: 0o600 });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) throw error;
      }
    }
    await rename(temp, file);
  }

  async sweepLeftovers(before: Date): Promise<{ partialFiles: number; emptyFolders: number }> {
    let partialFiles = 0;
    let emptyFolders = 0;
    const cutoff = before.getTime();
    // Depth first, so a folder emptied of its partial files (or its last key) goes too.
    const walk = async (folder: string): Promise<void> => {
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
          const info = await stat(full).catch(() => null);
          if (!info || info.mtime.getTime() >= cutoff) continue;
          // rmdir refuses a folder that is not empty: a write that just landed there stays.
          const removed = await rmdir(full).then(
            () => true,
            () => false,
          );
          if (removed) emptyFolders += 1;
        } else if (entry.isFile() && entry.name.endsWith(PARTIAL_SUFFIX)) {
          const info = await stat(full).catch(() => null);
          if (!info || info.mtime.getTime() >= cutoff) continue;
          await rm(full, { force: true });
          partialFiles += 1;
        }
      }
    };
    await walk(this.root);
    return { partialFiles, emptyFolders };
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
