/**
 * Masking of values on their way out of the exchange gate. Rules: none; partial (keep the ends, hide
 * the middle, by the shape of the value); hash (keyed SM3, stable for one grant so records can still be
 * joined, useless elsewhere); redact (the value is withheld: null).
 */
import { createHmac } from 'node:crypto';

export type MaskRule = 'none' | 'partial' | 'hash' | 'redact';

const CJK_NAME = /^[\p{Script=Han}·•]{2,}$/u;

/** Partial masking: 420102********123X for ID numbers, 张* / 欧阳** for names, 138****5678 for phones. */
export function partialMask(value: string): string {
  const chars = [...value];
  const n = chars.length;
  if (n <= 1) return '*';
  if (CJK_NAME.test(value)) return chars[0] + '*'.repeat(n - 1);
  if (n === 18 && /^\d{17}[\dXx]$/.test(value)) return `${value.slice(0, 6)}********${value.slice(14)}`;
  if (/^1\d{10}$/.test(value)) return `${value.slice(0, 3)}****${value.slice(7)}`;
  const keepStart = Math.max(1, Math.floor(n / 4));
  const keepEnd = Math.max(1, Math.floor(n / 5));
  if (keepStart + keepEnd >= n) return chars[0] + '*'.repeat(n - 1);
  return (
    chars.slice(0, keepStart).join('') +
    '*'.repeat(n - keepStart - keepEnd) +
    chars.slice(n - keepEnd).join('')
  );
}

export function mask(value: unknown, rule: MaskRule, hashKey: string): unknown {
  if (value === null || value === undefined) return null;
  switch (rule) {
    case 'none':
      return value instanceof Date ? value.toISOString() : value;
    case 'redact':
      return null;
    case 'hash':
      return createHmac('sm3', hashKey)
        .update(String(value instanceof Date ? value.toISOString() : value))
        .digest('hex');
    case 'partial':
      return partialMask(String(value instanceof Date ? value.toISOString().slice(0, 10) : value));
  }
}
