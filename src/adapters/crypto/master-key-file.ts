import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KEY_BYTES } from './envelope.js';

/**
 * Embedded default only: a newcomer has no key management, so the first start writes a random
 * master key beside the data (mode 0600). Production passes MASTER_KEY and never touches this.
 */
export async function loadOrCreateMasterKeyFile(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, 'master.key');
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  // 'wx' so two processes starting together cannot each write a different key.
  try {
    await writeFile(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return loadOrCreateMasterKeyFile(dataDir);
    throw error;
  }
}
