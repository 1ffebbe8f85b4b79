/**
 * A provisional year from the law alone, for a year that neither the holiday package nor a loaded
 * State Council schedule knows yet (the schedule for the next year is published late in the year, and
 * packages lag behind it). 《全国年节及纪念日放假办法》 (2024 revision, in force 1 January 2025),
 * article 2: 新年 1 day (1 January); 春节 4 days (除夕 and 正月初一 to 初三); 清明节 1 day (the day of
 * the 清明 solar term); 劳动节 2 days (1–2 May); 端午节 1 day (五月初五); 中秋节 1 day (八月十五);
 * 国庆节 3 days (1–3 October). Article 6: a holiday of all citizens that falls on a Saturday or Sunday
 * is made up on a working day — here the first working day after the holiday. What the law does not
 * fix, the State Council's adjusted working weekends (调休), is absent: that is why such a year is
 * provisional until the official schedule is loaded.
 */
import { createRequire } from 'node:module';
import { daysOfYear, eachDay, fromEpochDay, isWeekend, toEpochDay } from '../../kernel/workdays.js';
import type { DayValues } from './calendar.repository.js';

export const STATUTORY_DOCUMENT =
  '《全国年节及纪念日放假办法》（2024年修订）法定节假日推算，未含调休（暂定，待载入国务院办公厅通知）';

interface LunarTools {
  getSolarDateFromLunar(lunar: string): { date: string };
  getSolarTermsInRange(from: string, to: string): { date: string; term: string; index: number }[];
}

const lunar = createRequire(import.meta.url)('chinese-days') as LunarTools;

function shift(day: string, n: number): string {
  return fromEpochDay(toEpochDay(day) + n);
}

/** The statutory holidays of a year, each with its name and days. */
export function statutoryHolidays(year: number): { name: string; days: string[] }[] {
  const y = String(year).padStart(4, '0');
  const newYear = lunar.getSolarDateFromLunar(`${y}-01-01`).date;
  const qingming = lunar
    .getSolarTermsInRange(`${y}-04-01`, `${y}-04-10`)
    .find((t) => t.term === 'pure_brightness' && t.index === 1)?.date;
  if (!qingming) throw new Error(`no 清明 solar term found in April ${y}`);
  return [
    { name: '元旦', days: [`${y}-01-01`] },
    { name: '春节', days: eachDay(shift(newYear, -1), shift(newYear, 2)) },
    { name: '清明节', days: [qingming] },
    { name: '劳动节', days: [`${y}-05-01`, `${y}-05-02`] },
    { name: '端午节', days: [lunar.getSolarDateFromLunar(`${y}-05-05`).date] },
    { name: '中秋节', days: [lunar.getSolarDateFromLunar(`${y}-08-15`).date] },
    { name: '国庆节', days: [`${y}-10-01`, `${y}-10-02`, `${y}-10-03`] },
  ];
}

/** Every day of a year as the law alone makes it: weekends and statutory holidays off, make-up days off. */
export function statutoryYear(year: number): DayValues[] {
  const off = new Map<string, string>();
  const holidays = statutoryHolidays(year);
  for (const h of holidays) for (const d of h.days) off.set(d, h.name);
  for (const h of holidays) {
    let owed = h.days.filter(isWeekend).length;
    let d = h.days[h.days.length - 1] ?? `${year}-01-01`;
    while (owed > 0) {
      d = shift(d, 1);
      if (isWeekend(d) || off.has(d)) continue;
      off.set(d, `${h.name}补假`);
      owed -= 1;
    }
  }
  return daysOfYear(year).map((day) => {
    const name = off.get(day);
    return {
      day,
      is_workday: name === undefined && !isWeekend(day),
      name: name ?? '',
      source: 'statutory' as const,
      note: '暂定：依法定节假日推算，未含调休',
      updated_by: null,
    };
  });
}
