import type { ColumnType, Selectable } from 'kysely';

export type CalendarSource = 'package' | 'official' | 'override' | 'statutory';

/**
 * Where a year's days come from: the holiday package, the State Council's official schedule, or —
 * provisionally, until one of those knows the year — the statutory holidays of the law alone.
 */
export type YearSource = 'package' | 'official' | 'statutory';

export interface CalendarDayTable {
  /** YYYY-MM-DD */
  day: string;
  is_workday: boolean;
  name: string;
  source: CalendarSource;
  note: string;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface CalendarYearTable {
  year: number;
  source: YearSource;
  document: string;
  loaded_at: ColumnType<Date, Date | undefined, Date>;
}

export type CalendarDayRow = Selectable<CalendarDayTable>;
