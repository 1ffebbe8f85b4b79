import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type Json } from './json.js';

/** Rebuilds every object of `value` with its keys in reverse insertion order. */
function reverseKeys(value: Json): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(reverseKeys);
  // Object.fromEntries defines own properties, so a "__proto__" key stays a plain key.
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

/** JSON values without -0 (JSON.stringify writes it as 0, so it does not round-trip). */
const json: fc.Arbitrary<Json> = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as Json);

describe('canonicalJson', () => {
  it('writes scalars as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
  });

  it('sorts object keys and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: null, c: 'x' }] })).toBe('{"a":[2,{"c":"x","d":null}],"b":1}');
  });

  it('does not depend on key order', () => {
    expect(canonicalJson({ a: 1, b: { x: 1, y: 2 } })).toBe(canonicalJson({ b: { y: 2, x: 1 }, a: 1 }));
    fc.assert(fc.property(json, (v) => canonicalJson(reverseKeys(v)) === canonicalJson(v)));
  });

  it('keeps array order, also in nested arrays', () => {
    expect(canonicalJson([[1, [2, 3]], [], [{}]])).toBe('[[1,[2,3]],[],[{}]]');
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson([[1], [2]])).not.toBe(canonicalJson([[2], [1]]));
  });

  it('sorts ASCII and Chinese keys and keeps Unicode text intact', () => {
    const value = { 数据: '共享', b: 'é', A: '😀', a: '\u2028' };
    const text = canonicalJson(value);
    expect(text).toBe('{"A":"😀","a":"\u2028","b":"é","数据":"共享"}');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('is valid JSON that parses back to the same value', () => {
    fc.assert(
      fc.property(json, (v) => {
        const text = canonicalJson(v);
        expect(JSON.parse(text)).toEqual(v);
        expect(canonicalJson(JSON.parse(text) as Json)).toBe(text);
      }),
    );
  });

  it('treats a "__proto__" key as a plain key', () => {
    const value = JSON.parse('{"z":1,"__proto__":{"a":2}}') as Json;
    expect(canonicalJson(value)).toBe('{"__proto__":{"a":2},"z":1}');
  });

  it('skips undefined properties', () => {
    const withUndefined = JSON.parse('{"a":1}') as { [key: string]: Json };
    Object.defineProperty(withUndefined, 'b', { value: undefined, enumerable: true });
    expect(canonicalJson(withUndefined)).toBe('{"a":1}');
  });
});
