import { describe, expect, it } from 'vitest';
import { translateInventory } from '../../http/i18n.js';
import { dataInventory } from './data-inventory.js';

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
