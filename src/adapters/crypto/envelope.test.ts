import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileBlobStore } from '../storage/file-blob-store.js';
import { ObjectVault } from '../storage/object-vault.js';
import {
  DecryptionError,
  MasterKey,
  newDataKey,
  open,
  seal,
  sealText,
  openText,
} from './envelope.js';

describe('envelope encryption', () => {
  it('round-trips and binds ciphertext to its label', () => {
    const key = newDataKey();
    const sealed = sealText(key, 'hello 你好', 'user:1:name');
    expect(openText(key, sealed, 'user:1:name')).toBe('hello 你好');
    expect(() => openText(key, sealed, 'user:2:name')).toThrow(DecryptionError);
  });

  it('detects tampering and the wrong key', () => {
    const key = newDataKey();
    const sealed = seal(key, Buffer.from('secret'), 'x');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => open(key, tampered, 'x')).toThrow(DecryptionError);
    expect(() => open(newDataKey(), sealed, 'x')).toThrow(DecryptionError);
  });

  it('never repeats an IV, so equal plaintexts give different ciphertexts', () => {
    const key = newDataKey();
    expect(seal(key, Buffer.from('same'), 'a').equals(seal(key, Buffer.from('same'), 'a'))).toBe(
      false,
    );
  });

  it('wraps data keys with the master key and only that key unwraps them', () => {
    const master = new MasterKey(newDataKey());
    const dataKey = newDataKey();
    const wrapped = master.wrap(dataKey, 'user:1');
    expect(master.unwrap(wrapped, 'user:1').equals(dataKey)).toBe(true);
    expect(() => new MasterKey(newDataKey()).unwrap(wrapped, 'user:1')).toThrow(DecryptionError);
    expect(() => master.unwrap(wrapped, 'user:2')).toThrow(DecryptionError);
  });

  it('derives one key per purpose, the same on every node holding the master key', () => {
    const bytes = newDataKey();
    const a = new MasterKey(bytes).deriveKey('rate-limit-keys');
    expect(a).toHaveLength(32);
    expect(new MasterKey(bytes).deriveKey('rate-limit-keys').equals(a)).toBe(true);
    expect(new MasterKey(bytes).deriveKey('other').equals(a)).toBe(false);
    expect(new MasterKey(newDataKey()).deriveKey('rate-limit-keys').equals(a)).toBe(false);
    expect(a.equals(bytes)).toBe(false);
  });
});

describe('object vault', () => {
  it('stores only ciphertext on disk and needs the owner key to read', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'vault-'));
    const vault = new ObjectVault(new FileBlobStore(root));
    const owner = newDataKey();
    const canary = Buffer.from('CANARY-7f3a9 the quick brown fox');
    await vault.put(owner, 'inputs/u1/g1', canary);

    const files = await readdir(path.join(root, 'inputs', 'u1'));
    expect(files).toEqual(['g1']);
    const onDisk = await readFile(path.join(root, 'inputs', 'u1', 'g1'));
    expect(onDisk.includes(Buffer.from('CANARY-7f3a9'))).toBe(false);

    expect((await vault.get(owner, 'inputs/u1/g1'))?.equals(canary)).toBe(true);
    await expect(vault.get(newDataKey(), 'inputs/u1/g1')).rejects.toThrow(DecryptionError);
    await vault.delete('inputs/u1/g1');
    expect(await vault.get(owner, 'inputs/u1/g1')).toBeNull();
  });

  it('refuses keys that could escape the store folder', async () => {
    const store = new FileBlobStore(await mkdtemp(path.join(tmpdir(), 'vault-')));
    await expect(store.put('../evil', Buffer.from('x'))).rejects.toThrow('invalid blob key');
    await expect(store.get('/etc/passwd')).rejects.toThrow('invalid blob key');
  });
});
