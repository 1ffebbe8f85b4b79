import type { ColumnType, Selectable } from 'kysely';

export type CalendarSource = 'package' | 'official' | 'override';

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
  source: 'package' | 'official';
  document: string;
  loaded_at: ColumnType<Date, Date | undefined, Date>;
}

export type CalendarDayRow = Selectable<CalendarDayTable>;
