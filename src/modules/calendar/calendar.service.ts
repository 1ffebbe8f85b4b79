/**
 * The working-day calendar (R4.7): every statutory deadline counts working days on this table —
 * weekends off, public holidays off, adjusted working weekends (调休) on.
 *
 * Days come from three sources. `package`: seeded from the maintained holiday package
 * (chinese-days) for every year it really knows. `official`: a year's State Council schedule loaded
 * by the platform office in one step. `override`: one day set by hand. Seeding never overwrites an
 * official or override day; loading a schedule keeps override days unless told otherwise.
 *
 * Lookups run on an in-memory copy of the table (loaded once, dropped on every change), so deadline
 * arithmetic never queries per day. A date outside the known calendar is CALENDAR_UNKNOWN: the
 * platform office must load that year's official schedule.
 */
import { createRequire } from 'node:module';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError, Problems } from '../../kernel/errors.js';
import type { JsonObject } from '../../kernel/json.js';
import {
  addWorkdays,
  assertDay,
  badDayProblem,
  calendarUnknown,
  daysBetween,
  daysOfYear,
  eachDay,
  isValidDay,
  isWeekend,
  type WorkdayLookup,
  weekday,
  workdaysBetween,
  yearOf,
} from '../../kernel/workdays.js';
import type { AuditLog } from '../audit/audit.service.js';
import { type DayValues, calendarRepository as repo } from './calendar.repository.js';
import { STATUTORY_DOCUMENT, statutoryYear } from './calendar.statutory.js';
import type { CalendarDayRow, CalendarSource, YearSource } from './calendar.table.js';

/** One day as the API shows it; unknown days have known = false and null flag and source. */
export interface CalendarDay {
  day: string;
  weekday: number;
  known: boolean;
  isWorkday: boolean | null;
  name: string;
  source: CalendarSource | null;
  note: string;
}

export interface CalendarYear {
  year: number;
  source: YearSource;
  document: string;
  loadedAt: Date;
  days: number;
  workdays: number;
  overrides: number;
}

export interface DayOverride {
  isWorkday: boolean;
  name?: string | undefined;
  /** Why the day is set by hand; required. */
  note: string;
}

export interface HolidayPeriod {
  name: string;
  from: string;
  to: string;
}

/** A year's holiday schedule as the State Council publishes it. */
export interface OfficialSchedule {
  /** The notice, e.g. 国办发明电〔2026〕x号. */
  document: string;
  holidays: HolidayPeriod[];
  /** Adjusted working days: weekend days that are worked (调休上班). */
  workdays: string[];
  /** true: also replace the days the platform office set by hand in that year. */
  replaceOverrides?: boolean | undefined;
}

export interface YearLoadResult {
  year: CalendarYear;
  keptOverrides: string[];
  replacedOverrides: string[];
}

/** Longest range one calendar read returns, in days. */
export const MAX_RANGE_DAYS = 366;
export const MIN_YEAR = 1949;
export const MAX_YEAR = 2199;

/** Years probed in the package: it starts at 2004; a few years ahead catches updates. */
const PACKAGE_PROBE_FROM = 2000;
const PACKAGE_PROBE_AHEAD = 3;
/** Provisional statutory years are kept for this year and the next. */
const STATUTORY_AHEAD = 1;

const requirePackage = createRequire(import.meta.url);
const packageVersion = (requirePackage('chinese-days/package.json') as { version: string }).version;
const PACKAGE_DOCUMENT = `chinese-days ${packageVersion}`;

/** The package's published day lists: date → "English,中文,n". */
interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let packageData: PackageData | null = null;

/**
 * The package's data file (dist/chinese-days.json, documented in its README), read once. Its
 * functions (getDayDetail, isWorkday) give the same answers, but only where the process time zone is
 * UTC or east of it: west of UTC they shift every date by a day. The data file does not depend on
 * the time zone; weekends are computed here in UTC.
 */
function packageDays(): PackageData {
  if (!packageData) {
    const raw = requirePackage('chinese-days/dist/chinese-days.json') as Partial<PackageData>;
    packageData = { holidays: raw.holidays ?? {}, workdays: raw.workdays ?? {} };
  }
  return packageData;
}

function zhName(listed: string): string {
  return listed.split(',')[1] ?? listed;
}

function adjustedName(holiday: string): string {
  return holiday ? `调休上班（${holiday}）` : '调休上班';
}

/**
 * The days of a year as the package has them, or null when the package does not really know the
 * year (it lists no holiday in it and merely treats every weekday as a working day).
 */
export function packageYear(year: number): DayValues[] | null {
  const { holidays, workdays } = packageDays();
  const prefix = `${String(year).padStart(4, '0')}-`;
  if (!Object.keys(holidays).some((d) => d.startsWith(prefix))) return null;
  return daysOfYear(year).map((day) => {
    const worked = workdays[day];
    const off = holidays[day];
    const base = { day, source: 'package' as const, note: '', updated_by: null };
    if (worked !== undefined) return { ...base, is_workday: true, name: adjustedName(zhName(worked)) };
    if (off !== undefined) return { ...base, is_workday: false, name: zhName(off) };
    return { ...base, is_workday: !isWeekend(day), name: '' };
  });
}

function viewOf(day: string, row: CalendarDayRow | undefined): CalendarDay {
  if (!row)
    return { day, weekday: weekday(day), known: false, isWorkday: null, name: '', source: null, note: '' };
  return {
    day,
    weekday: weekday(day),
    known: true,
    isWorkday: row.is_workday,
    name: row.name,
    source: row.source,
    note: row.note,
  };
}

function dayDetail(row: CalendarDayRow | undefined): JsonObject | null {
  return row ? { isWorkday: row.is_workday, name: row.name, source: row.source, note: row.note } : null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks a schedule completely — it may come from a file (the CLI), so its shape is checked too —
 * and throws one VALIDATION error listing every problem. Returns the schedule with names trimmed.
 */
function validateSchedule(year: number, input: OfficialSchedule): OfficialSchedule {
  const raw: unknown = input;
  const p = new Problems();
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    p.add(
      'year',
      'range',
      `year：应为 ${MIN_YEAR}–${MAX_YEAR} 之间的年份`,
      `year: must be a year ${MIN_YEAR}–${MAX_YEAR}`,
    );
  }
  if (!isRecord(raw)) {
    throw DomainError.validation([
      ...p.items,
      { field: '(body)', rule: 'type', zh: '节假日安排应为一个对象', en: 'The schedule must be an object' },
    ]);
  }
  const document = typeof raw.document === 'string' ? raw.document.trim() : '';
  if (!document) {
    p.add(
      'document',
      'required',
      'document：请填写国务院办公厅通知文号',
      'document: name the State Council notice',
    );
  }
  const holidaysIn = Array.isArray(raw.holidays) ? raw.holidays : null;
  if (!holidaysIn || holidaysIn.length === 0) {
    p.add('holidays', 'min_items', 'holidays：至少应有一个假期', 'holidays: list at least one holiday');
  }
  const workdaysIn = raw.workdays === undefined ? [] : Array.isArray(raw.workdays) ? raw.workdays : null;
  if (!workdaysIn) p.add('workdays', 'type', 'workdays：应为日期数组', 'workdays: must be an array of dates');

  const dayOk = (value: unknown, field: string): value is string => {
    if (typeof value !== 'string' || !isValidDay(value)) {
      p.addAll([badDayProblem(typeof value === 'string' ? value : String(value), field)]);
      return false;
    }
    if (yearOf(value) !== year) {
      p.add(field, 'in_year', `${field}：${value} 不在 ${year} 年内`, `${field}: ${value} is not in ${year}`);
      return false;
    }
    return true;
  };

  const holidays: HolidayPeriod[] = [];
  const indexOf: number[] = [];
  (holidaysIn ?? []).forEach((h: unknown, i) => {
    const f = `holidays.${i}`;
    if (!isRecord(h)) {
      p.add(f, 'type', `${f}：应为 {name, from, to}`, `${f}: must be {name, from, to}`);
      return;
    }
    const name = typeof h.name === 'string' ? h.name.trim() : '';
    if (!name) p.add(`${f}.name`, 'required', `${f}.name：请填写假期名称`, `${f}.name: name the holiday`);
    const fromOk = dayOk(h.from, `${f}.from`);
    const toOk = dayOk(h.to, `${f}.to`);
    if (!fromOk || !toOk) return;
    const from = h.from as string;
    const to = h.to as string;
    if (from > to) {
      p.add(
        `${f}.to`,
        'after_from',
        `${f}.to：结束日 ${to} 早于开始日 ${from}`,
        `${f}.to: the last day ${to} is before the first day ${from}`,
      );
      return;
    }
    holidays.forEach((q, j) => {
      if (from <= q.to && q.from <= to) {
        const n = (indexOf[j] ?? 0) + 1;
        p.add(
          f,
          'overlap',
          `${f}：与第 ${n} 个假期（${q.name} ${q.from}～${q.to}）重叠`,
          `${f}: overlaps holiday ${n} (${q.name} ${q.from}–${q.to})`,
        );
      }
    });
    holidays.push({ name, from, to });
    indexOf.push(i);
  });

  const workdays: string[] = [];
  (workdaysIn ?? []).forEach((d: unknown, i) => {
    const f = `workdays.${i}`;
    if (!dayOk(d, f)) return;
    if (workdays.includes(d)) {
      p.add(f, 'duplicate', `${f}：${d} 重复列出`, `${f}: ${d} is listed twice`);
      return;
    }
    workdays.push(d);
    const inside = holidays.find((q) => q.from <= d && d <= q.to);
    if (inside) {
      p.add(
        f,
        'inside_holiday',
        `${f}：调休上班日 ${d} 落在假期“${inside.name}”（${inside.from}～${inside.to}）之内`,
        `${f}: the working day ${d} lies inside the holiday "${inside.name}" (${inside.from}–${inside.to})`,
      );
    } else if (!isWeekend(d)) {
      p.add(
        f,
        'weekend',
        `${f}：${d} 本来就是工作日，调休上班日应为周六或周日`,
        `${f}: ${d} is a weekday already; an adjusted working day is a Saturday or Sunday`,
      );
    }
  });
  if (raw.replaceOverrides !== undefined && typeof raw.replaceOverrides !== 'boolean') {
    p.add(
      'replaceOverrides',
      'type',
      'replaceOverrides：应为 true 或 false',
      'replaceOverrides: must be true or false',
    );
  }
  p.throwIfAny();
  return { document, holidays, workdays, replaceOverrides: raw.replaceOverrides === true };
}

/** The name of the holiday nearest to a day (an adjusted working day belongs to it). */
function nearestHoliday(day: string, periods: HolidayPeriod[]): string {
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const h of periods) {
    const distance = Math.min(Math.abs(daysBetween(day, h.from)), Math.abs(daysBetween(day, h.to)));
    if (distance < bestDistance) {
      best = h.name.trim();
      bestDistance = distance;
    }
  }
  return best;
}

function officialDays(year: number, schedule: OfficialSchedule, userId: string | null): DayValues[] {
  const workdays = new Set(schedule.workdays);
  return daysOfYear(year).map((day) => {
    const holiday = schedule.holidays.find((h) => h.from <= day && day <= h.to);
    let isWorkday = !isWeekend(day);
    let name = '';
    if (holiday) {
      isWorkday = false;
      name = holiday.name.trim();
    } else if (workdays.has(day)) {
      isWorkday = true;
      name = adjustedName(nearestHoliday(day, schedule.holidays));
    }
    return { day, is_workday: isWorkday, name, source: 'official', note: '', updated_by: userId };
  });
}

export class CalendarService {
  /** day → is working day, for every known day; null until first needed. */
  private flags: Map<string, boolean> | null = null;
  private loading: Promise<Map<string, boolean>> | null = null;
  private generation = 0;

  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
  ) {}

  /**
   * Seeds calendar_day for every year the holiday package knows and the table does not, replacing a
   * provisional year the package has come to know; then, for this year and the next when neither the
   * package nor an official schedule knows them, a provisional year from the statutory holidays (so a
   * deadline that runs into next year is computed, and the calendar says it is provisional, instead of
   * every workflow stopping in December). Idempotent.
   */
  async ensureLoaded(now: Date = new Date()): Promise<void> {
    const known = new Set(await repo.yearNumbers(this.db));
    const provisional = new Set(await repo.statutoryYears(this.db));
    const thisYear = now.getUTCFullYear();
    const last = thisYear + PACKAGE_PROBE_AHEAD;
    const candidates: { year: number; source: 'package' | 'statutory'; days: DayValues[] }[] = [];
    for (let year = PACKAGE_PROBE_FROM; year <= last; year += 1) {
      if (known.has(year) && !provisional.has(year)) continue;
      const days = packageYear(year);
      if (days) candidates.push({ year, source: 'package', days });
      else if (!known.has(year) && year <= thisYear + STATUTORY_AHEAD && year >= thisYear)
        candidates.push({ year, source: 'statutory', days: statutoryYear(year) });
    }
    if (candidates.length === 0) return;
    const seeded = await this.audit.transaction(async (tx) => {
      const years: JsonObject[] = [];
      for (const c of candidates) {
        const document = c.source === 'package' ? PACKAGE_DOCUMENT : STATUTORY_DOCUMENT;
        // Another node may have seeded the year meanwhile: then leave it.
        if (!(await repo.insertSeededYear(tx, c.year, c.source, document))) continue;
        const inserted = provisional.has(c.year)
          ? await repo.replaceStatutoryDays(tx, c.days)
          : await repo.insertMissingDays(tx, c.days);
        years.push({ year: c.year, source: c.source, days: inserted });
      }
      if (years.length > 0) {
        await this.audit.stage(tx, {
          actor: {},
          action: 'calendar.year.seed',
          objectType: 'calendar_year',
          objectId: years.map((y) => String(y.year)).join(','),
          detail: { years },
        });
      }
      return years.length;
    });
    if (seeded > 0) this.invalidate();
  }

  /** Drops the in-memory copy of the table; the next lookup reloads it. */
  invalidate(): void {
    this.generation += 1;
    this.flags = null;
    this.loading = null;
  }

  private async table(): Promise<Map<string, boolean>> {
    if (this.flags) return this.flags;
    if (!this.loading) {
      const generation = this.generation;
      const loading = repo.allFlags(this.db).then((rows) => {
        const map = new Map<string, boolean>();
        for (const r of rows) map.set(r.day, r.is_workday);
        if (generation === this.generation) this.flags = map;
        return map;
      });
      this.loading = loading;
      loading.then(
        () => {
          if (this.loading === loading) this.loading = null;
        },
        () => {
          if (this.loading === loading) this.loading = null;
        },
      );
    }
    return this.loading;
  }

  /** A synchronous lookup over the current table, for computing many deadlines at once. */
  async lookup(): Promise<WorkdayLookup> {
    const table = await this.table();
    return (day: string): boolean => {
      const flag = table.get(day);
      if (flag === undefined) throw calendarUnknown(day);
      return flag;
    };
  }

  async isWorkday(day: string): Promise<boolean> {
    assertDay(day, 'day');
    return (await this.lookup())(day);
  }

  /** The date N working days after `from` (from itself not counted). Throws CALENDAR_UNKNOWN beyond the known calendar. */
  async addWorkdays(from: string, n: number): Promise<string> {
    assertDay(from, 'from');
    return addWorkdays(from, n, await this.lookup());
  }

  /** Working days after `from` up to and including `to`. */
  async workdaysBetween(from: string, to: string): Promise<number> {
    assertDay(from, 'from');
    assertDay(to, 'to');
    return workdaysBetween(from, to, await this.lookup());
  }

  /** Every day from `from` to `to` (both included, at most 366), unknown days marked as such. */
  async days(from: string, to: string): Promise<CalendarDay[]> {
    const p = new Problems();
    if (!isValidDay(from)) p.addAll([badDayProblem(from, 'from')]);
    if (!isValidDay(to)) p.addAll([badDayProblem(to, 'to')]);
    p.throwIfAny();
    if (to < from) {
      p.add('to', 'after_from', 'to：结束日期不能早于开始日期', 'to: must not be before from');
    } else if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
      p.add(
        'to',
        'max_range',
        `to：一次最多查询 ${MAX_RANGE_DAYS} 天`,
        `to: at most ${MAX_RANGE_DAYS} days can be read at once`,
      );
    }
    p.throwIfAny();
    const rows = new Map((await repo.range(this.db, from, to)).map((r) => [r.day, r]));
    return eachDay(from, to).map((day) => viewOf(day, rows.get(day)));
  }

  /** Known years (or just `onlyYear`) with their source and counts. */
  async years(onlyYear?: number): Promise<CalendarYear[]> {
    const rows = await repo.years(this.db, onlyYear);
    return rows.map((r) => ({
      year: r.year,
      source: r.source,
      document: r.document,
      loadedAt: r.loaded_at,
      days: r.days,
      workdays: r.workdays,
      overrides: r.overrides,
    }));
  }

  /** The platform office sets one day by hand (source override). */
  async overrideDay(meta: RequestMeta, day: string, input: DayOverride): Promise<CalendarDay> {
    const p = new Problems();
    if (!isValidDay(day)) p.addAll([badDayProblem(day, 'day')]);
    const note = input.note.trim();
    if (!note) p.add('note', 'required', 'note：请说明调整原因', 'note: give the reason for the change');
    const name = (input.name ?? '').trim();
    if (name.length > 100) p.add('name', 'max_length', 'name：至多 100 个字', 'name: at most 100 characters');
    p.throwIfAny();
    const row = await this.audit.transaction(async (tx) => {
      const before = await repo.findDay(tx, day);
      const after = await repo.upsertDay(tx, {
        day,
        is_workday: input.isWorkday,
        name,
        source: 'override',
        note,
        updated_by: meta.actor.userId ?? null,
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'calendar.day.override',
        objectType: 'calendar_day',
        objectId: day,
        detail: { before: dayDetail(before), after: dayDetail(after) },
      });
      return after;
    });
    this.invalidate();
    return viewOf(day, row);
  }

  /**
   * Loads a year's official State Council schedule in one step: weekends off, holidays off, listed
   * working days on, source 'official'. Days set by hand stay unless `replaceOverrides`. The whole
   * schedule is checked first and every problem reported at once; one transaction, one audit event.
   */
  async loadOfficialSchedule(
    meta: RequestMeta,
    year: number,
    input: OfficialSchedule,
  ): Promise<YearLoadResult> {
    const schedule = validateSchedule(year, input);
    const replace = schedule.replaceOverrides === true;
    const document = schedule.document;
    const rows = officialDays(year, schedule, meta.actor.userId ?? null);
    const overrides = await this.audit.transaction(async (tx) => {
      const existing = (await repo.overridesInYear(tx, year)).map((r) => r.day);
      const previous = await repo.findYear(tx, year);
      await repo.upsertDays(tx, rows, replace);
      await repo.upsertOfficialYear(tx, year, document);
      await this.audit.stage(tx, {
        ...meta,
        action: 'calendar.year.load',
        objectType: 'calendar_year',
        objectId: String(year),
        detail: {
          year,
          document,
          previous: previous ? { source: previous.source, document: previous.document } : null,
          holidays: schedule.holidays.map((h) => ({ name: h.name, from: h.from, to: h.to })),
          workdays: [...schedule.workdays].sort(),
          replaceOverrides: replace,
          keptOverrides: replace ? [] : existing,
          replacedOverrides: replace ? existing : [],
          workdaysInYear: rows.filter((r) => r.is_workday).length,
        },
      });
      return existing;
    });
    this.invalidate();
    const [loaded] = await this.years(year);
    if (!loaded) {
      throw new DomainError('INTERNAL', {
        zh: `${year} 年日历载入后未找到`,
        en: `Year ${year} missing after load`,
      });
    }
    return {
      year: loaded,
      keptOverrides: replace ? [] : overrides,
      replacedOverrides: replace ? overrides : [],
    };
  }
}
