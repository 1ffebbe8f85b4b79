import { describe, expect, it } from 'vitest';
import { mask, partialMask } from './masking.js';

describe('masking', () => {
  it('masks by the shape of the value', () => {
    expect(partialMask('11010519491231002X')).toBe('110105********002X');
    expect(partialMask('张三')).toBe('张*');
    expect(partialMask('欧阳娜娜')).toBe('欧***');
    expect(partialMask('13812345678')).toBe('138****5678');
    expect(partialMask('湖北省咸宁市咸安区温泉路1号')).not.toContain('温泉路');
    expect(partialMask('a')).toBe('*');
  });

  it('hashes stably per key and never returns the value', () => {
    const a = mask('11010519491231002X', 'hash', 'grant-1');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(mask('11010519491231002X', 'hash', 'grant-1')).toBe(a);
    expect(mask('11010519491231002X', 'hash', 'grant-2')).not.toBe(a);
  });

  it('withholds redacted values and passes the rest', () => {
    expect(mask('x', 'redact', 'k')).toBeNull();
    expect(mask(42, 'none', 'k')).toBe(42);
    expect(mask(null, 'partial', 'k')).toBeNull();
  });
});
