/**
 * Working-day arithmetic over 'YYYY-MM-DD' strings (R4.7). Pure: the calendar itself comes in as a
 * lookup `isWorkday(day)` that throws CALENDAR_UNKNOWN (see `calendarUnknown`) for a day it does not
 * know. Every date computation here is done in UTC on the day number, never on local-time Dates, so
 * the result does not depend on the server's time zone.
 */
import { DomainError, type FieldProblem } from './errors.js';

/** A calendar day as 'YYYY-MM-DD'. */
export type Day = string;

/** Whether a day is a working day; throws CALENDAR_UNKNOWN for a day outside the known calendar. */
export type WorkdayLookup = (day: Day) => boolean;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** No calendar has a whole year without a working day: past this many idle days a lookup is broken. */
const MAX_IDLE_DAYS = 366;

function dateOf(y: number, m: number, d: number): Date {
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date;
}

function parts(day: string): { y: number; m: number; d: number } | null {
  const match = DAY_RE.exec(day);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = dateOf(y, m, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return { y, m, d };
}

/** True for a real calendar date written 'YYYY-MM-DD' (no 02-30, no 2026-1-5). */
export function isValidDay(day: string): boolean {
  return parts(day) !== null;
}

/** The field problem for a value that is not a real 'YYYY-MM-DD' date. */
export function badDayProblem(day: string, field: string): FieldProblem {
  return {
    field,
    rule: 'date',
    zh: `${field}：应为真实存在的日期，格式 YYYY-MM-DD（收到“${day}”）`,
    en: `${field}: must be a real date written YYYY-MM-DD (got "${day}")`,
  };
}

/** Throws a VALIDATION error naming `field` unless `day` is a real 'YYYY-MM-DD' date. */
export function assertDay(day: string, field: string): Day {
  if (!isValidDay(day)) throw DomainError.validation([badDayProblem(day, field)]);
  return day;
}

/** Days since 1970-01-01 (negative before). */
export function toEpochDay(day: Day): number {
  const p = parts(day);
  if (!p) throw DomainError.validation([badDayProblem(day, 'date')]);
  return Math.round(dateOf(p.y, p.m, p.d).getTime() / MS_PER_DAY);
}

/** The 'YYYY-MM-DD' of a day number since 1970-01-01. */
export function fromEpochDay(n: number): Day {
  const date = new Date(n * MS_PER_DAY);
  const y = String(date.getUTCFullYear()).padStart(4, '0');
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** `day` plus n calendar days (n may be negative). */
export function addDays(day: Day, n: number): Day {
  return fromEpochDay(toEpochDay(day) + n);
}

/** Calendar days from `from` to `to` (negative when to is earlier). */
export function daysBetween(from: Day, to: Day): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekday(day: Day): number {
  // 1970-01-01 was a Thursday (ISO 4).
  const n = toEpochDay(day);
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(day: Day): boolean {
  return weekday(day) >= 6;
}

/** The year of a day. */
export function yearOf(day: Day): number {
  return Number(day.slice(0, 4));
}

/** Every day from `from` to `to`, both included (empty when to < from). */
export function eachDay(from: Day, to: Day): Day[] {
  const start = toEpochDay(from);
  const end = toEpochDay(to);
  const out: Day[] = [];
  for (let n = start; n <= end; n += 1) out.push(fromEpochDay(n));
  return out;
}

/** Every day of a year, in order. */
export function daysOfYear(year: number): Day[] {
  const y = String(year).padStart(4, '0');
  return eachDay(`${y}-01-01`, `${y}-12-31`);
}

/** The error a lookup throws for a day outside the known calendar. */
export function calendarUnknown(day: Day): DomainError {
  const year = yearOf(day);
  return new DomainError('CALENDAR_UNKNOWN', {
    zh: `工作日历中没有 ${day} 的数据，无法计算工作日期限：请平台主管部门载入 ${year} 年国务院办公厅公布的节假日安排。`,
    en:
      `The working-day calendar does not cover ${day}, so no working-day deadline can be computed: ` +
      `the platform office must load the official State Council holiday schedule for ${year}.`,
  });
}

function assertCount(n: number, field: string): void {
  if (!Number.isSafeInteger(n)) {
    throw DomainError.validation([
      { field, rule: 'integer', zh: `${field}：应为整数`, en: `${field}: must be an integer` },
    ]);
  }
}

function idle(from: Day): DomainError {
  return new DomainError('INTERNAL', {
    zh: `工作日历自 ${from} 起超过一年没有工作日，请检查日历数据`,
    en: `The working-day calendar has no working day for over a year after ${from}; check the calendar data`,
  });
}

/**
 * The n-th working day after `from` (`from` itself not counted); n = 0 gives `from`, a negative n
 * the n-th working day before it.
 */
export function addWorkdays(from: Day, n: number, isWorkday: WorkdayLookup): Day {
  assertDay(from, 'from');
  assertCount(n, 'days');
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let cursor = toEpochDay(from);
  let idleDays = 0;
  while (left > 0) {
    cursor += step;
    const day = fromEpochDay(cursor);
    if (isWorkday(day)) {
      left -= 1;
      idleDays = 0;
    } else if (++idleDays > MAX_IDLE_DAYS) {
      throw idle(from);
    }
  }
  return fromEpochDay(cursor);
}

/**
 * The number of working days d with from < d ≤ to; negative (the count of to < d ≤ from) when
 * to is earlier than from.
 */
export function workdaysBetween(from: Day, to: Day, isWorkday: WorkdayLookup): number {
  assertDay(from, 'from');
  assertDay(to, 'to');
  const a = toEpochDay(from);
  const b = toEpochDay(to);
  if (b < a) return -workdaysBetween(to, from, isWorkday);
  let count = 0;
  for (let n = a + 1; n <= b; n += 1) if (isWorkday(fromEpochDay(n))) count += 1;
  return count;
}

/** China Standard Time is UTC+8 with no daylight saving (since 1991): "today" is that date. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;

/** The China date of a moment, and the moments its day begins and ends (ms since the epoch, end exclusive). */
export function chinaDay(ms: number): { day: Day; from: number; to: number } {
  const from = Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
  return { day: chinaToday(new Date(ms)), from, to: from + DAY_MS };
}

/** Today's date in China ('YYYY-MM-DD'), whatever the server's time zone. */
export function chinaToday(now: Date = new Date()): Day {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10) as Day;
}
