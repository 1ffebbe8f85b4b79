/**
 * Checks for Chinese national identifiers (see /work/shared/STANDARDS.md, "Identifier checks"):
 *
 * - 公民身份号码 citizen ID number, GB 11643-1999 (ISO 7064 MOD 11-2 check character);
 * - 统一社会信用代码 unified social credit code, GB 32100-2015 (MOD 31 check character);
 * - 组织机构代码 organization code, GB 11714 (MOD 11 check character);
 * - 行政区划代码 administrative division code, GB/T 2260.
 *
 * Every check returns a {@link CheckResult} with a stable rule id and a message in Chinese and
 * English instead of throwing, so that callers can collect all problems of an input at once.
 * The `…CheckChar` helpers compute check characters (for tests, demo data and generators) and
 * throw a RangeError on malformed input, which is a programming error.
 */
import { chinaToday } from './workdays.js';

export interface CheckResult {
  ok: boolean;
  /**
   * Stable rule id when not ok: 'id_number.length', 'id_number.charset',
   * 'id_number.division_code', 'id_number.birth_date', 'id_number.checksum',
   * 'credit_code.length', 'credit_code.charset', 'credit_code.division_code',
   * 'credit_code.checksum', 'credit_code.org_code', 'org_code.length', 'org_code.charset',
   * 'org_code.checksum', 'division_code.format', 'division_code.province',
   * 'division_code.prefecture', 'division_code.county'.
   */
  rule?: string;
  /** Chinese message when not ok. */
  zh?: string;
  /** English message when not ok. */
  en?: string;
  /** A non-fatal remark, e.g. an unusual registration-authority code in a credit code. */
  warning?: { zh: string; en: string };
}

const OK: CheckResult = Object.freeze({ ok: true });

function fail(rule: string, zh: string, en: string): CheckResult {
  return { ok: false, rule, zh, en };
}

/* ------------------------------------------------------------------------------------------ */
/* 公民身份号码 GB 11643-1999                                                                  */
/* ------------------------------------------------------------------------------------------ */

/** Weights of positions 1–17 (2^(18−i) mod 11). */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character by R = Σ aᵢWᵢ mod 11. */
const ID_CHECK_CHARS = '10X98765432';
const ID_PREFIX = /^\d{17}$/;
const ID_SHAPE = /^\d{17}[\dXx]$/;
/** A division code as it may appear in an identifier: six digits, the first 1–9. */
const DIVISION_SHAPE = /^[1-9]\d{5}$/;
/** Birth dates before this one are rejected. */
const MIN_BIRTH_DATE = '19000101';

/** The check character (0–9 or 'X') of a citizen ID number from its first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!ID_PREFIX.test(first17)) {
    throw new RangeError('idNumberCheckChar: expected exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS.charAt(sum % 11);
}

/** YYYYMMDD of the calendar date in China at the instant `d`. */
function chinaDate(d: Date): string {
  return chinaToday(d).replace(/-/g, '');
}

/** Whether an 8-digit YYYYMMDD string is a real Gregorian calendar date. */
function isCalendarDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= daysInMonth;
}

/**
 * Checks a citizen ID number (GB 11643-1999): 18 characters; a division code of the right shape
 * (historical, abolished codes are accepted, so only the format is checked); a real birth date
 * between 1900-01-01 and today (China's calendar date at `today`); the MOD 11-2 check character.
 * A lowercase 'x' check character is accepted as 'X'.
 */
export function checkIdNumber(s: string, today: Date = new Date()): CheckResult {
  if (s.length !== 18) {
    return fail(
      'id_number.length',
      '公民身份号码应为18位',
      'A citizen ID number must have exactly 18 characters (GB 11643)',
    );
  }
  if (!ID_SHAPE.test(s)) {
    return fail(
      'id_number.charset',
      '公民身份号码前17位应为数字，第18位应为数字或X',
      'A citizen ID number must be 17 digits followed by a digit or X (GB 11643)',
    );
  }
  if (!DIVISION_SHAPE.test(s.slice(0, 6))) {
    return fail(
      'id_number.division_code',
      '公民身份号码的地址码（前6位）格式错误',
      'The address code (first 6 digits) of the citizen ID number is malformed (GB 11643)',
    );
  }
  const birth = s.slice(6, 14);
  if (!isCalendarDate(birth) || birth < MIN_BIRTH_DATE || birth > chinaDate(today)) {
    return fail(
      'id_number.birth_date',
      '公民身份号码的出生日期码（第7至14位）不是有效日期',
      'The birth date (digits 7–14) of the citizen ID number is not a valid past date (GB 11643)',
    );
  }
  if (idNumberCheckChar(s.slice(0, 17)) !== s.charAt(17).toUpperCase()) {
    return fail(
      'id_number.checksum',
      '公民身份号码校验位错误',
      'The check character of the citizen ID number is wrong (GB 11643 MOD 11-2)',
    );
  }
  return OK;
}

/* ------------------------------------------------------------------------------------------ */
/* 组织机构代码 GB 11714                                                                       */
/* ------------------------------------------------------------------------------------------ */

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const ORG_BODY = /^[0-9A-Z]{8}$/;
const ORG_SHAPE = /^[0-9A-Z]{8}[0-9X]$/;

/** The check character (0–9 or 'X') of an organization code from its first 8 characters. */
export function orgCodeCheckChar(first8: string): string {
  if (!ORG_BODY.test(first8)) {
    throw new RangeError('orgCodeCheckChar: expected exactly 8 characters of [0-9A-Z]');
  }
  let sum = 0;
  // Character values: '0'–'9' = 0–9, 'A'–'Z' = 10–35, i.e. base 36.
  for (let i = 0; i < 8; i++) sum += Number.parseInt(first8.charAt(i), 36) * (ORG_WEIGHTS[i] ?? 0);
  const c9 = 11 - (sum % 11);
  if (c9 === 10) return 'X';
  if (c9 === 11) return '0';
  return String(c9);
}

/**
 * Checks an organization code (GB 11714): 8 characters of [0-9A-Z] and a check character
 * (0–9 or X), written without the hyphen. Note that the MOD 11 check cannot see a substitution
 * whose value difference is a multiple of 11 (e.g. '0' ↔ 'B', '1' ↔ 'C').
 */
export function checkOrgCode(s: string): CheckResult {
  if (s.length !== 9) {
    return fail(
      'org_code.length',
      '组织机构代码应为9位（不含连字符）',
      'An organization code must have exactly 9 characters, without the hyphen (GB 11714)',
    );
  }
  if (!ORG_SHAPE.test(s)) {
    return fail(
      'org_code.charset',
      '组织机构代码前8位应为数字或大写字母，第9位应为数字或X',
      'An organization code must be 8 digits or capital letters followed by a digit or X (GB 11714)',
    );
  }
  if (orgCodeCheckChar(s.slice(0, 8)) !== s.charAt(8)) {
    return fail(
      'org_code.checksum',
      '组织机构代码校验码错误',
      'The check character of the organization code is wrong (GB 11714)',
    );
  }
  return OK;
}

/* ------------------------------------------------------------------------------------------ */
/* 统一社会信用代码 GB 32100-2015                                                              */
/* ------------------------------------------------------------------------------------------ */

/** The 31 code characters, valued 0–30 (no I, O, S, V, Z). */
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights of positions 1–17 (3^(i−1) mod 31). */
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const CREDIT_PREFIX = /^[0-9A-HJ-NPQRTUWXY]{17}$/;
const CREDIT_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
/** Registration authorities of GB 32100 Table 1 that are common: 1 编制, 5 民政, 9 工商, Y 其他. */
const USUAL_AUTHORITIES = new Set(['1', '5', '9', 'Y']);

/** The check character of a unified social credit code from its first 17 characters. */
export function creditCodeCheckChar(first17: string): string {
  if (!CREDIT_PREFIX.test(first17)) {
    throw new RangeError(`creditCodeCheckChar: expected exactly 17 characters of ${CREDIT_ALPHABET}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += CREDIT_ALPHABET.indexOf(first17.charAt(i)) * (CREDIT_WEIGHTS[i] ?? 0);
  }
  return CREDIT_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * Checks a unified social credit code (GB 32100-2015): 18 characters of the 31-character code
 * alphabet (uppercase only); positions 3–8 six digits shaped like a division code; positions 9–17
 * a valid organization code (GB 11714, with its own check character); position 18 the MOD 31 check
 * character. A registration authority (position 1) other than 1, 5, 9 or Y is accepted with a
 * warning: GB 32100 defines more authorities (外交, 司法行政, 文化, 旅游, 宗教, 工会, 中央军委, 农业…).
 */
export function checkCreditCode(s: string): CheckResult {
  if (s.length !== 18) {
    return fail(
      'credit_code.length',
      '统一社会信用代码应为18位',
      'A unified social credit code must have exactly 18 characters (GB 32100)',
    );
  }
  if (!CREDIT_SHAPE.test(s)) {
    return fail(
      'credit_code.charset',
      '统一社会信用代码只能包含数字和大写字母（不含I、O、S、V、Z）',
      'A unified social credit code may only contain digits and capital letters other than I, O, S, V, Z (GB 32100)',
    );
  }
  if (!DIVISION_SHAPE.test(s.slice(2, 8))) {
    return fail(
      'credit_code.division_code',
      '统一社会信用代码第3至8位应为行政区划代码',
      'Positions 3–8 of a unified social credit code must be an administrative division code (GB 32100)',
    );
  }
  if (creditCodeCheckChar(s.slice(0, 17)) !== s.charAt(17)) {
    return fail(
      'credit_code.checksum',
      '统一社会信用代码校验码错误',
      'The check character of the unified social credit code is wrong (GB 32100)',
    );
  }
  if (!checkOrgCode(s.slice(8, 17)).ok) {
    return fail(
      'credit_code.org_code',
      '统一社会信用代码第9至17位不是有效的组织机构代码',
      'Positions 9–17 of the unified social credit code are not a valid organization code (GB 11714)',
    );
  }
  const authority = s.charAt(0);
  if (!USUAL_AUTHORITIES.has(authority)) {
    return {
      ok: true,
      warning: {
        zh: `统一社会信用代码的登记管理部门代码“${authority}”不常见（常见为1、5、9、Y），请核实`,
        en: `The registration authority code '${authority}' of the unified social credit code is unusual (usually 1, 5, 9 or Y); please verify it`,
      },
    };
  }
  return OK;
}

/* ------------------------------------------------------------------------------------------ */
/* 行政区划代码 GB/T 2260                                                                       */
/* ------------------------------------------------------------------------------------------ */

/** Province-level codes: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82. */
const PROVINCES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(
    ' ',
  ),
);

/**
 * Checks an administrative division code (GB/T 2260) by its structure (not against the code
 * table): six digits; a province-level code; a middle pair 00 (the province itself), 01–70
 * (cities, prefectures, leagues) or 90 (counties directly under the province); a last pair 00
 * (the prefecture itself) or 01–99 (districts, counties, banners, county-level cities), and 00
 * when the middle pair is 00.
 */
export function checkDivisionCode(s: string): CheckResult {
  if (!/^\d{6}$/.test(s)) {
    return fail(
      'division_code.format',
      '行政区划代码应为6位数字',
      'An administrative division code must be exactly 6 digits (GB/T 2260)',
    );
  }
  if (!PROVINCES.has(s.slice(0, 2))) {
    return fail(
      'division_code.province',
      '行政区划代码前2位不是省级行政区代码',
      'The first 2 digits of the administrative division code are not a province-level code (GB/T 2260)',
    );
  }
  const middle = Number(s.slice(2, 4));
  if (!(middle <= 70 || middle === 90)) {
    return fail(
      'division_code.prefecture',
      '行政区划代码第3至4位应为00、01至70或90',
      'Digits 3–4 of the administrative division code must be 00, 01–70 or 90 (GB/T 2260)',
    );
  }
  if (middle === 0 && s.slice(4, 6) !== '00') {
    return fail(
      'division_code.county',
      '省级行政区划代码（第3至4位为00）的第5至6位应为00',
      'Digits 5–6 of the administrative division code must be 00 when digits 3–4 are 00 (GB/T 2260)',
    );
  }
  return OK;
}

/**
 * The level of a valid division code: xx0000 province, xxyy00 prefecture ('city'), else county.
 * Throws a RangeError for an invalid code; check it with {@link checkDivisionCode} first.
 */
export function divisionLevel(code: string): 'province' | 'city' | 'county' {
  const check = checkDivisionCode(code);
  if (!check.ok) throw new RangeError(`divisionLevel: invalid division code (${check.rule ?? ''})`);
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}
