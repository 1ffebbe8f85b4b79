import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCreditCode,
  checkDivisionCode,
  checkIdNumber,
  checkOrgCode,
  creditCodeCheckChar,
  divisionLevel,
  idNumberCheckChar,
  orgCodeCheckChar,
} from './validators.js';

const TODAY = new Date('2025-06-30T12:00:00+08:00');
const ID_EXAMPLE = '11010519491231002X';
const CREDIT_EXAMPLE = '91350100M000100Y43';
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const DIGITS = '0123456789';

/** Every string that differs from `s` in exactly one position, the new character from `alphabet`. */
function singleChanges(s: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    for (const c of alphabet) {
      if (c !== s.charAt(i)) out.push(s.slice(0, i) + c + s.slice(i + 1));
    }
  }
  return out;
}

function expectFailure(result: ReturnType<typeof checkIdNumber>, rule: string): void {
  expect(result.ok).toBe(false);
  expect(result.rule).toBe(rule);
  expect(result.zh).toBeTruthy();
  expect(result.en).toBeTruthy();
}

const digit = fc.constantFrom(...DIGITS);
const digits = (n: number) => fc.string({ unit: digit, minLength: n, maxLength: n });
const creditChar = fc.constantFrom(...CREDIT_ALPHABET);
const creditChars = (n: number) => fc.string({ unit: creditChar, minLength: n, maxLength: n });
/** A division-code-shaped prefix: six digits, the first 1–9. */
const divisionShape = fc.tuple(fc.constantFrom(...'123456789'), digits(5)).map(([a, b]) => a + b);
const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-06-30T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''));
/** Random valid citizen ID numbers (birth dates up to TODAY). */
const validIdNumber = fc
  .tuple(divisionShape, birthDate, digits(3))
  .map(([division, birth, seq]) => division + birth + seq)
  .map((first17) => first17 + idNumberCheckChar(first17));
/** Random valid credit codes: any authority and type, a division shape, a valid org code. */
const validCreditCode = fc
  .tuple(creditChars(2), divisionShape, creditChars(8))
  .map(([head, division, org]) => head + division + org + orgCodeCheckChar(org))
  .map((first17) => first17 + creditCodeCheckChar(first17));

describe('citizen ID number (GB 11643)', () => {
  it('accepts the example from the standard', () => {
    expect(checkIdNumber(ID_EXAMPLE, TODAY)).toEqual({ ok: true });
    expect(idNumberCheckChar(ID_EXAMPLE.slice(0, 17))).toBe('X');
  });

  it('accepts a lowercase x check character as X', () => {
    expect(checkIdNumber('11010519491231002x', TODAY).ok).toBe(true);
  });

  it('rejects every single-character change of the example (exhaustive)', () => {
    const changes = singleChanges(ID_EXAMPLE, `${DIGITS}X`);
    expect(changes).toHaveLength(18 * 10);
    for (const changed of changes) {
      const result = checkIdNumber(changed, TODAY);
      expect(result.ok, changed).toBe(false);
      expect(result.rule, changed).toMatch(/^id_number\./);
    }
  });

  it('reports a wrong check character as id_number.checksum', () => {
    expectFailure(checkIdNumber('110105194912310021', TODAY), 'id_number.checksum');
  });

  it('accepts random valid numbers built with idNumberCheckChar', () => {
    fc.assert(fc.property(validIdNumber, (id) => checkIdNumber(id, TODAY).ok));
  });

  it('rejects random valid prefixes with a wrong check character', () => {
    const wrong = fc
      .tuple(validIdNumber, fc.constantFrom(...`${DIGITS}X`))
      .filter(([id, c]) => id.charAt(17) !== c);
    fc.assert(
      fc.property(wrong, ([id, c]) => {
        const result = checkIdNumber(id.slice(0, 17) + c, TODAY);
        return !result.ok && result.rule === 'id_number.checksum';
      }),
    );
  });

  it('rejects any 17 digits followed by a wrong check character', () => {
    const wrong = fc
      .tuple(digits(17), fc.constantFrom(...`${DIGITS}X`))
      .filter(([first17, c]) => idNumberCheckChar(first17) !== c);
    fc.assert(fc.property(wrong, ([first17, c]) => !checkIdNumber(first17 + c, TODAY).ok));
  });

  it('detects every adjacent transposition of distinct digits', () => {
    fc.assert(
      fc.property(validIdNumber, fc.integer({ min: 0, max: 15 }), (id, i) => {
        fc.pre(id.charAt(i) !== id.charAt(i + 1));
        const swapped = id.slice(0, i) + id.charAt(i + 1) + id.charAt(i) + id.slice(i + 2);
        return !checkIdNumber(swapped, TODAY).ok;
      }),
    );
  });

  it('rejects wrong lengths', () => {
    for (const s of ['', ID_EXAMPLE.slice(0, 17), `${ID_EXAMPLE}0`, ID_EXAMPLE.slice(0, 15)]) {
      expectFailure(checkIdNumber(s, TODAY), 'id_number.length');
    }
    fc.assert(
      fc.property(
        fc.string({ unit: digit, maxLength: 40 }).filter((s) => s.length !== 18),
        (s) => {
          return checkIdNumber(s, TODAY).rule === 'id_number.length';
        },
      ),
    );
  });

  it('rejects characters outside digits and X', () => {
    expectFailure(checkIdNumber('1101051949123100 X', TODAY), 'id_number.charset');
    expectFailure(checkIdNumber('11010519491231002Y', TODAY), 'id_number.charset');
    expectFailure(checkIdNumber('X10105194912310021', TODAY), 'id_number.charset');
    expectFailure(checkIdNumber('１1010519491231002X', TODAY), 'id_number.charset');
  });

  it('rejects a division code starting with 0', () => {
    const first17 = `01010519491231002`;
    expectFailure(checkIdNumber(first17 + idNumberCheckChar(first17), TODAY), 'id_number.division_code');
  });

  it('accepts historical (abolished) division codes', () => {
    // 513001 (the former 达县市 of 达川地区) no longer exists, but issued numbers keep it.
    const first17 = '51300119800101001';
    expect(checkIdNumber(first17 + idNumberCheckChar(first17), TODAY).ok).toBe(true);
  });

  const withDate = (date: string): string => {
    const first17 = `110105${date}002`;
    return first17 + idNumberCheckChar(first17);
  };

  it('rejects impossible and future birth dates', () => {
    for (const date of ['20230229', '19000229', '20250631', '19491301', '19490000', '19491232', '18991231']) {
      expectFailure(checkIdNumber(withDate(date), TODAY), 'id_number.birth_date');
    }
    expectFailure(checkIdNumber(withDate('20250701'), TODAY), 'id_number.birth_date');
    expectFailure(checkIdNumber(withDate('20991231'), TODAY), 'id_number.birth_date');
    expectFailure(checkIdNumber(withDate('20991231')), 'id_number.birth_date');
  });

  it('accepts leap days, the first allowed date and today', () => {
    for (const date of ['20240229', '20000229', '19000101', '20250630']) {
      expect(checkIdNumber(withDate(date), TODAY).ok, date).toBe(true);
    }
  });

  it("uses China's calendar date for today", () => {
    // 2025-06-30T20:00Z is already 2025-07-01 in Beijing.
    expect(checkIdNumber(withDate('20250701'), new Date('2025-06-30T20:00:00Z')).ok).toBe(true);
    expect(checkIdNumber(withDate('20250701'), new Date('2025-06-30T15:59:59Z')).ok).toBe(false);
  });

  it('idNumberCheckChar rejects malformed prefixes', () => {
    expect(() => idNumberCheckChar('1234')).toThrow(RangeError);
    expect(() => idNumberCheckChar('1101051949123100X')).toThrow(RangeError);
  });
});

describe('organization code (GB 11714)', () => {
  it('accepts the organization code inside the credit code example', () => {
    // M = 22, Y = 34: 22·3 + 1·5 + 34·2 = 139; 139 mod 11 = 7; 11 − 7 = 4.
    expect(checkOrgCode('M000100Y4')).toEqual({ ok: true });
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
  });

  it('maps a check value of 10 to X and 11 to 0', () => {
    expect(orgCodeCheckChar('00000000')).toBe('0'); // Σ = 0: 11 − 0 = 11 → '0'
    expect(orgCodeCheckChar('00000006')).toBe('X'); // Σ = 6·2 = 12 ≡ 1: 11 − 1 = 10 → 'X'
    expect(orgCodeCheckChar('00000001')).toBe('9'); // Σ = 2: 11 − 2 = 9
    expect(checkOrgCode('00000006X').ok).toBe(true);
  });

  it('rejects malformed codes', () => {
    expectFailure(checkOrgCode('M000100Y'), 'org_code.length');
    expectFailure(checkOrgCode('M000100-Y4'), 'org_code.length');
    expectFailure(checkOrgCode('m000100Y4'), 'org_code.charset');
    expectFailure(checkOrgCode('M000100YA'), 'org_code.charset');
    expectFailure(checkOrgCode('M000100Y5'), 'org_code.checksum');
  });

  it('cannot see substitutions whose values differ by a multiple of 11 (a property of MOD 11)', () => {
    // '0' (0) → 'B' (11) changes the sum by 11·7: the MOD 11 check passes. The credit code's
    // MOD 31 check catches the same change (see below).
    expect(checkOrgCode('MB00100Y4').ok).toBe(true);
    expect(checkCreditCode('91350100MB00100Y43').rule).toBe('credit_code.checksum');
  });

  it('accepts random codes built with orgCodeCheckChar', () => {
    const body = fc.string({
      unit: fc.constantFrom(...`${DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZ`),
      minLength: 8,
      maxLength: 8,
    });
    fc.assert(fc.property(body, (b) => checkOrgCode(b + orgCodeCheckChar(b)).ok));
  });
});

describe('unified social credit code (GB 32100)', () => {
  it('accepts the example from the standard', () => {
    expect(checkCreditCode(CREDIT_EXAMPLE)).toEqual({ ok: true });
    expect(creditCodeCheckChar(CREDIT_EXAMPLE.slice(0, 17))).toBe('3');
  });

  it('rejects every single-character change of the example (exhaustive)', () => {
    const alphabet = `${CREDIT_ALPHABET}IOZSVa-`;
    const changes = singleChanges(CREDIT_EXAMPLE, alphabet);
    expect(changes).toHaveLength(18 * (alphabet.length - 1));
    for (const changed of changes) {
      const result = checkCreditCode(changed);
      expect(result.ok, changed).toBe(false);
      expect(result.rule, changed).toMatch(/^credit_code\./);
    }
  });

  it('rejects lowercase input', () => {
    expectFailure(checkCreditCode(CREDIT_EXAMPLE.toLowerCase()), 'credit_code.charset');
  });

  it('accepts random valid codes built with creditCodeCheckChar and orgCodeCheckChar', () => {
    fc.assert(fc.property(validCreditCode, (code) => checkCreditCode(code).ok));
  });

  it('rejects random valid prefixes with a wrong check character', () => {
    const wrong = fc.tuple(validCreditCode, creditChar).filter(([code, c]) => code.charAt(17) !== c);
    fc.assert(
      fc.property(
        wrong,
        ([code, c]) => checkCreditCode(code.slice(0, 17) + c).rule === 'credit_code.checksum',
      ),
    );
  });

  it('detects every adjacent transposition of distinct characters', () => {
    fc.assert(
      fc.property(validCreditCode, fc.integer({ min: 0, max: 15 }), (code, i) => {
        fc.pre(code.charAt(i) !== code.charAt(i + 1));
        const swapped = code.slice(0, i) + code.charAt(i + 1) + code.charAt(i) + code.slice(i + 2);
        return !checkCreditCode(swapped).ok;
      }),
    );
  });

  it('rejects a consistent code whose positions 9–17 are not an organization code', () => {
    const first17 = '91350100M000100Y5';
    const code = first17 + creditCodeCheckChar(first17);
    expectFailure(checkCreditCode(code), 'credit_code.org_code');
    const letterCheck = '91350100M000100YA';
    expectFailure(checkCreditCode(letterCheck + creditCodeCheckChar(letterCheck)), 'credit_code.org_code');
  });

  it('rejects positions 3–8 that are not shaped like a division code', () => {
    for (const division of ['0A0100', '035010', 'A50100']) {
      const first17 = `91${division}M000100Y4`;
      expectFailure(checkCreditCode(first17 + creditCodeCheckChar(first17)), 'credit_code.division_code');
    }
  });

  it('accepts the central-level division code 100000', () => {
    const first17 = '11100000M000100Y4';
    expect(checkCreditCode(first17 + creditCodeCheckChar(first17)).ok).toBe(true);
  });

  it('warns about, but accepts, an unusual registration authority', () => {
    for (const authority of ['2', '3', 'A', 'N']) {
      const first17 = `${authority}1350100M000100Y4`;
      const result = checkCreditCode(first17 + creditCodeCheckChar(first17));
      expect(result.ok, authority).toBe(true);
      expect(result.rule).toBeUndefined();
      expect(result.warning?.zh).toContain(authority);
      expect(result.warning?.en).toContain(authority);
    }
    for (const authority of ['1', '5', '9', 'Y']) {
      const first17 = `${authority}1350100M000100Y4`;
      expect(checkCreditCode(first17 + creditCodeCheckChar(first17)).warning, authority).toBeUndefined();
    }
  });

  it('rejects wrong lengths', () => {
    for (const s of ['', CREDIT_EXAMPLE.slice(0, 17), `${CREDIT_EXAMPLE}0`, 'M000100Y4']) {
      expectFailure(checkCreditCode(s), 'credit_code.length');
    }
  });

  it('creditCodeCheckChar rejects malformed prefixes', () => {
    expect(() => creditCodeCheckChar('9135')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91350100M000100I4')).toThrow(RangeError);
  });
});

describe('administrative division code (GB/T 2260)', () => {
  it('accepts province, prefecture and county codes', () => {
    for (const code of [
      '420000',
      '421200',
      '421202',
      '421221',
      '421281',
      '429004',
      '110101',
      '659001',
      '810000',
    ]) {
      expect(checkDivisionCode(code), code).toEqual({ ok: true });
    }
  });

  it('rejects malformed codes', () => {
    for (const code of ['4212', '42120a', '4212000', '', ' 42120', '４２１２００']) {
      expectFailure(checkDivisionCode(code), 'division_code.format');
    }
  });

  it('rejects codes outside the province list', () => {
    for (const code of ['000000', '990000', '100000', '160000', '470000', '720000', '830000']) {
      expectFailure(checkDivisionCode(code), 'division_code.province');
    }
  });

  it('rejects a middle pair outside 00, 01–70 and 90', () => {
    for (const code of ['427100', '428901', '429100', '429900']) {
      expectFailure(checkDivisionCode(code), 'division_code.prefecture');
    }
  });

  it('rejects a non-zero last pair under a province-level middle pair', () => {
    expectFailure(checkDivisionCode('420001'), 'division_code.county');
    expectFailure(checkDivisionCode('420099'), 'division_code.county');
  });

  it('tells the level of a valid code', () => {
    expect(divisionLevel('420000')).toBe('province');
    expect(divisionLevel('421200')).toBe('city');
    expect(divisionLevel('421202')).toBe('county');
    expect(divisionLevel('421221')).toBe('county');
    expect(divisionLevel('421281')).toBe('county');
    expect(divisionLevel('429004')).toBe('county');
    expect(() => divisionLevel('420001')).toThrow(RangeError);
    expect(() => divisionLevel('4212')).toThrow(RangeError);
  });
});
