import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  addDays,
  addWorkdays,
  calendarUnknown,
  chinaDay,
  chinaToday,
  daysBetween,
  daysOfYear,
  eachDay,
  fromEpochDay,
  isValidDay,
  toEpochDay,
  weekday,
  workdaysBetween,
} from './workdays.js';

/** A small calendar: October 2026 as the State Council set it (Oct 1–7 off, Sat Oct 10 worked). */
const OFF = new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']);
const ON = new Set(['2026-09-20', '2026-10-10']);
function lookup(day: string): boolean {
  if (day < '2026-09-01' || day > '2026-12-31') throw calendarUnknown(day);
  if (ON.has(day)) return true;
  if (OFF.has(day)) return false;
  return weekday(day) <= 5;
}

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'not a DomainError';
  }
}

describe('date helpers (UTC on YYYY-MM-DD)', () => {
  it('validates real dates only', () => {
    expect(isValidDay('2026-02-28')).toBe(true);
    expect(isValidDay('2028-02-29')).toBe(true);
    expect(isValidDay('2026-02-29')).toBe(false);
    expect(isValidDay('2026-13-01')).toBe(false);
    expect(isValidDay('2026-1-5')).toBe(false);
    expect(isValidDay('20260105')).toBe(false);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysOfYear(2028)).toHaveLength(366);
    expect(eachDay('2026-10-30', '2026-11-02')).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
    ]);
  });

  it('gives ISO weekdays', () => {
    expect(weekday('2026-11-25')).toBe(3); // Wednesday
    expect(weekday('2026-09-20')).toBe(7); // Sunday
    expect(weekday('2026-10-10')).toBe(6); // Saturday
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('1969-12-29')).toBe(1);
  });

  it('round-trips day numbers (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        expect(toEpochDay(fromEpochDay(n))).toBe(n);
        expect(addDays(fromEpochDay(n), 1)).toBe(fromEpochDay(n + 1));
      }),
    );
  });
});

describe('addWorkdays', () => {
  it('skips the National Day holiday and counts the adjusted working Saturday', () => {
    expect(addWorkdays('2026-09-30', 0, lookup)).toBe('2026-09-30');
    expect(addWorkdays('2026-09-30', 1, lookup)).toBe('2026-10-08');
    expect(addWorkdays('2026-09-30', 3, lookup)).toBe('2026-10-10');
    expect(addWorkdays('2026-09-30', 5, lookup)).toBe('2026-10-13');
  });

  it('counts backwards for a negative n', () => {
    expect(addWorkdays('2026-10-13', -5, lookup)).toBe('2026-09-30');
  });

  it('throws CALENDAR_UNKNOWN when it runs past the calendar', () => {
    expect(codeOf(() => addWorkdays('2026-12-30', 5, lookup))).toBe('CALENDAR_UNKNOWN');
    try {
      addWorkdays('2026-12-30', 5, lookup);
    } catch (e) {
      expect((e as DomainError).en).toContain('2027-01-01');
      expect((e as DomainError).zh).toContain('2027');
    }
  });

  it('refuses a bad date or count naming the field', () => {
    expect(codeOf(() => addWorkdays('2026-02-30', 1, lookup))).toBe('VALIDATION');
    expect(codeOf(() => addWorkdays('2026-10-01', 1.5, lookup))).toBe('VALIDATION');
  });

  it('stops on a calendar without working days instead of looping', () => {
    expect(codeOf(() => addWorkdays('2026-01-01', 1, () => false))).toBe('INTERNAL');
  });
});

describe('workdaysBetween', () => {
  it('counts working days d with from < d <= to', () => {
    expect(workdaysBetween('2026-09-30', '2026-10-13', lookup)).toBe(5);
    expect(workdaysBetween('2026-09-30', '2026-09-30', lookup)).toBe(0);
    expect(workdaysBetween('2026-10-01', '2026-10-07', lookup)).toBe(0);
    expect(workdaysBetween('2026-09-18', '2026-09-21', lookup)).toBe(2); // Sun 20th worked, Mon 21st
  });

  it('is negative when to is before from', () => {
    expect(workdaysBetween('2026-10-13', '2026-09-30', lookup)).toBe(-5);
  });

  it('is the inverse of addWorkdays (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 40 }), (offset, n) => {
        const from = addDays('2026-09-01', offset);
        const due = addWorkdays(from, n, lookup);
        expect(workdaysBetween(from, due, lookup)).toBe(n);
        if (n > 0) expect(lookup(due)).toBe(true);
      }),
    );
  });
});

describe('the China day of a moment', () => {
  it('turns at 16:00 UTC (midnight in China) and says where its day begins and ends', () => {
    const before = chinaDay(Date.parse('2026-12-07T15:59:59.999Z'));
    const after = chinaDay(Date.parse('2026-12-07T16:00:00.000Z'));
    expect(before).toEqual({
      day: '2026-12-07',
      from: Date.parse('2026-12-06T16:00:00Z'),
      to: Date.parse('2026-12-07T16:00:00Z'),
    });
    expect(after.day).toBe('2026-12-08');
    expect(after.from).toBe(before.to);
    // Every moment lies in its own day, across a year's turn as well.
    for (const iso of ['2026-12-31T16:00:00Z', '2027-01-01T00:00:00Z', '2026-12-31T15:59:59Z']) {
      const ms = Date.parse(iso);
      const d = chinaDay(ms);
      expect(ms >= d.from && ms < d.to).toBe(true);
      expect(d.day).toBe(chinaToday(new Date(ms)));
    }
  });
});
