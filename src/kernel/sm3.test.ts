import { describe, expect, it } from 'vitest';
import { sm3Hex, sm3Stream } from './sm3.js';

// GB/T 32905-2016 Appendix A.
const ABC = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
const ABCD_16 = 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732';

describe('sm3Hex', () => {
  it('matches the GB/T 32905 test vectors', () => {
    expect(sm3Hex('abc')).toBe(ABC);
    expect(sm3Hex('abcd'.repeat(16))).toBe(ABCD_16);
  });

  it('hashes strings as UTF-8 and bytes as given', () => {
    expect(sm3Hex(new TextEncoder().encode('abc'))).toBe(ABC);
    expect(sm3Hex('数据')).toBe(sm3Hex(Buffer.from('数据', 'utf8')));
    expect(sm3Hex('')).toMatch(/^[0-9a-f]{64}$/);
    expect(sm3Hex('abd')).not.toBe(ABC);
  });
});

describe('sm3Stream', () => {
  it('gives the same digest when fed in pieces', () => {
    const h = sm3Stream();
    for (let i = 0; i < 16; i++) h.update('abcd');
    expect(h.digest('hex')).toBe(ABCD_16);
  });
});
