/**
 * Reads a pasted or uploaded official holiday schedule, one entry a line:
 *
 *   元旦 2027-01-01 2027-01-03      a holiday period (name, first day off, last day off)
 *   清明节 2027-04-05               a one-day holiday
 *   上班 2027-02-20                 an adjusted working day (上班 / 调休上班 / 班 / workday)
 *
 * Separators may be spaces, tabs, commas, 至 or ~; dates may be written 2027/2/20 or 2027.2.20.
 * Blank lines and lines starting with # are skipped. A JSON object with `holidays` and `workdays`
 * (the API's own shape) is accepted as it is. Every unreadable line is reported with its number; the
 * server then checks the schedule itself (dates inside the year, overlaps …), and its problems are
 * traced back to the line they came from.
 */
export interface ParsedSchedule {
  body: { holidays: { name: string; from: string; to: string }[]; workdays: string[] };
  errors: { line: number; text: string }[];
  /** The line a server field such as `holidays.2.to` or `workdays.0` came from. */
  lineOf: (field: string) => number | undefined;
}

const WORK_WORDS = new Set(['上班', '调休上班', '班', '补班', 'workday', 'work']);

/** 2027/2/5 → 2027-02-05; anything that is not a date stays null. */
export function normalizeDate(s: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s.trim());
  if (!m) return null;
  return `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function parseSchedule(text: string): ParsedSchedule {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const raw: unknown = JSON.parse(trimmed);
      if (isRecord(raw) && Array.isArray(raw.holidays)) {
        const holidays = raw.holidays.filter(isRecord).map((h) => ({
          name: String(h.name ?? ''),
          from: String(h.from ?? ''),
          to: String(h.to ?? ''),
        }));
        const workdays = Array.isArray(raw.workdays) ? raw.workdays.map(String) : [];
        return { body: { holidays, workdays }, errors: [], lineOf: () => undefined };
      }
      return {
        body: { holidays: [], workdays: [] },
        errors: [{ line: 1, text: trimmed.slice(0, 40) }],
        lineOf: () => undefined,
      };
    } catch {
      return {
        body: { holidays: [], workdays: [] },
        errors: [{ line: 1, text: trimmed.slice(0, 40) }],
        lineOf: () => undefined,
      };
    }
  }
  const holidays: ParsedSchedule['body']['holidays'] = [];
  const workdays: string[] = [];
  const holidayLines: number[] = [];
  const workdayLines: number[] = [];
  const errors: ParsedSchedule['errors'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const tokens = line.split(/[\s,，、~～至]+/).filter(Boolean);
    const name = tokens[0] ?? '';
    const dates = tokens.slice(1).map(normalizeDate);
    if (dates.length === 0 || dates.length > 2 || dates.some((d) => d === null) || normalizeDate(name)) {
      errors.push({ line: i + 1, text: line });
      return;
    }
    const [from, to] = dates as string[];
    if (WORK_WORDS.has(name.toLowerCase())) {
      if (to !== undefined) {
        errors.push({ line: i + 1, text: line });
        return;
      }
      workdays.push(from as string);
      workdayLines.push(i + 1);
      return;
    }
    holidays.push({ name, from: from as string, to: to ?? (from as string) });
    holidayLines.push(i + 1);
  });
  return {
    body: { holidays, workdays },
    errors,
    lineOf: (field) => {
      const m = /^(holidays|workdays)[.[](\d+)/.exec(field);
      if (!m) return undefined;
      const list = m[1] === 'holidays' ? holidayLines : workdayLines;
      return list[Number(m[2])];
    },
  };
}
