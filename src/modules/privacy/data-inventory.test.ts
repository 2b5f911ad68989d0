import { describe, expect, it } from 'vitest';
import { translateInventory } from '../../http/i18n.js';
import { encryptedColumns } from '../../db/encrypted-columns.js';
import { policyVersions } from '../policies/policy-versions.js';
import { dataInventory, encryptionClaims, storedColumns } from './data-inventory.js';

describe('data inventory', () => {
  it('says what the image analysis looks at, faces included, and that none of it is stored', () => {
    const item = dataInventory.find((i) => i.what.startsWith('What the image analysis looks at'));
    expect(item?.what).toMatch(/faces with their expressions/);
    expect(item?.retention).toMatch(/^never stored/);
    expect(item?.retention).toMatch(/no face, face measurement or expression is kept/);
  });

  it('has the same statement in Chinese', () => {
    const zh = translateInventory('zh', dataInventory);
    const item = zh.find((i) => i.what.startsWith('图片分析'));
    expect(item?.what).toMatch(/面部及其表情/);
    expect(item?.retention).toMatch(/^从不保存/);
    // Every English item has a Chinese wording (none falls back to English).
    expect(zh.every((i) => /[\u4e00-\u9fff]/.test(i.what))).toBe(true);
  });
});

describe('the policy in force against the data inventory', () => {
  const latest = policyVersions[policyVersions.length - 1];
  if (!latest) throw new Error('no policy');
  const flat = (text: string) => text.replace(/\s+/g, ' ');

  it('states each encryption claim, in English and in Chinese', () => {
    for (const claim of encryptionClaims) {
      expect(flat(latest.text.en)).toContain(claim.en);
      expect(flat(latest.text.zh)).toContain(claim.zh);
    }
  });

  it('claims for each column exactly how it is stored', () => {
    for (const claim of encryptionClaims) {
      for (const ref of claim.columns) {
        const dot = ref.lastIndexOf('.');
        const protection = storedColumns[ref.slice(0, dot)]?.[ref.slice(dot + 1)];
        expect(protection === 'encrypted' ? 'encrypted' : protection && 'clear', ref).toBe(
          claim.protection,
        );
      }
    }
  });

  it('names every encrypted column, and the encrypted columns are the ones sealed with user keys', () => {
    const claimed = new Set(
      encryptionClaims.filter((c) => c.protection === 'encrypted').flatMap((c) => c.columns),
    );
    const encrypted = Object.entries(storedColumns).flatMap(([table, cols]) =>
      Object.entries(cols)
        .filter(([, p]) => p === 'encrypted')
        .map(([column]) => `${table}.${column}`),
    );
    for (const ref of encrypted) expect(claimed.has(ref), ref).toBe(true);
    const sealed = Object.entries(encryptedColumns).flatMap(([table, spec]) =>
      Object.values(spec.fields).map((column) => `${table}.${column}`),
    );
    expect(encrypted.slice().sort()).toEqual(
      [...sealed, 'keyring.user_keys.wrapped_key', 'keyring.contact_keys.wrapped_key'].sort(),
    );
  });

  it('no longer says everything is encrypted, nor that credit records are', () => {
    expect(latest.text.en).not.toMatch(/credit records are encrypted/i);
    expect(latest.text.en).not.toMatch(/everything we store is encrypted/i);
    expect(latest.text.zh).not.toContain('一切都经过加密');
    expect(latest.changesCoreRights).toBe(false);
    expect(latest.changes?.en).toMatch(/correction/i);
    expect(latest.changes?.zh).toMatch(/更正/);
  });
});
