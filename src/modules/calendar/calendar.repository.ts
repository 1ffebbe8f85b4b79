/** The only place that writes SQL for the working-day calendar (calendar_day, calendar_year). */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { CalendarDayRow, CalendarSource, YearSource } from './calendar.table.js';

export interface DayValues {
  day: string;
  is_workday: boolean;
  name: string;
  source: CalendarSource;
  note: string;
  updated_by: string | null;
}

export interface YearRow {
  year: number;
  source: YearSource;
  document: string;
  loaded_at: Date;
  days: number;
  workdays: number;
  overrides: number;
}

/** Rows per INSERT statement: 6 parameters each, far below PostgreSQL's 65,535. */
const CHUNK = 1000;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export const calendarRepository = {
  /** Every known day with its flag: what the in-memory lookup is built from. */
  async allFlags(db: Executor): Promise<{ day: string; is_workday: boolean }[]> {
    return db.selectFrom('calendar_day').select(['day', 'is_workday']).orderBy('day').execute();
  },

  async range(db: Executor, from: string, to: string): Promise<CalendarDayRow[]> {
    return db
      .selectFrom('calendar_day')
      .selectAll()
      .where('day', '>=', from)
      .where('day', '<=', to)
      .orderBy('day')
      .execute();
  },

  async findDay(db: Executor, day: string): Promise<CalendarDayRow | undefined> {
    return db.selectFrom('calendar_day').selectAll().where('day', '=', day).executeTakeFirst();
  },

  /** Days of a year that the platform office set one by one. */
  async overridesInYear(db: Executor, year: number): Promise<CalendarDayRow[]> {
    return db
      .selectFrom('calendar_day')
      .selectAll()
      .where('source', '=', 'override')
      .where('day', '>=', `${year}-01-01`)
      .where('day', '<=', `${year}-12-31`)
      .orderBy('day')
      .execute();
  },

  async findYear(
    db: Executor,
    year: number,
  ): Promise<{ year: number; source: YearSource; document: string } | undefined> {
    return db
      .selectFrom('calendar_year')
      .select(['year', 'source', 'document'])
      .where('year', '=', year)
      .executeTakeFirst();
  },

  async yearNumbers(db: Executor): Promise<number[]> {
    const rows = await db.selectFrom('calendar_year').select('year').execute();
    return rows.map((r) => Number(r.year));
  },

  /** Known years (or just `onlyYear`) with how many days, working days and overrides each holds. */
  async years(db: Executor, onlyYear?: number): Promise<YearRow[]> {
    let q = db.selectFrom('calendar_year as y');
    if (onlyYear !== undefined) q = q.where('y.year', '=', onlyYear);
    const rows = await q
      .leftJoin('calendar_day as d', (j) =>
        j.on(sql<boolean>`d.day >= make_date(y.year, 1, 1) and d.day <= make_date(y.year, 12, 31)`),
      )
      .select([
        'y.year',
        'y.source',
        'y.document',
        'y.loaded_at',
        sql<number>`count(d.day)::int`.as('days'),
        sql<number>`count(d.day) filter (where d.is_workday)::int`.as('workdays'),
        sql<number>`count(d.day) filter (where d.source = 'override')::int`.as('overrides'),
      ])
      .groupBy(['y.year', 'y.source', 'y.document', 'y.loaded_at'])
      .orderBy('y.year')
      .execute();
    return rows.map((r) => ({
      ...r,
      year: Number(r.year),
      days: Number(r.days),
      workdays: Number(r.workdays),
      overrides: Number(r.overrides),
    }));
  },

  /** Inserts days that are not in the table yet; never touches an existing day. */
  async insertMissingDays(tx: Executor, rows: DayValues[]): Promise<number> {
    let inserted = 0;
    for (const chunk of chunks(rows)) {
      const result = await tx
        .insertInto('calendar_day')
        .values(chunk)
        .onConflict((oc) => oc.column('day').doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return inserted;
  },

  /** Writes days over what is there, except days set by override unless `replaceOverrides`. */
  async upsertDays(tx: Executor, rows: DayValues[], replaceOverrides: boolean): Promise<number> {
    let written = 0;
    for (const chunk of chunks(rows)) {
      const result = await tx
        .insertInto('calendar_day')
        .values(chunk)
        .onConflict((oc) => {
          const update = oc.column('day').doUpdateSet((eb) => ({
            is_workday: eb.ref('excluded.is_workday'),
            name: eb.ref('excluded.name'),
            source: eb.ref('excluded.source'),
            note: eb.ref('excluded.note'),
            updated_by: eb.ref('excluded.updated_by'),
            updated_at: sql<Date>`now()`,
          }));
          return replaceOverrides ? update : update.where('calendar_day.source', '<>', 'override');
        })
        .executeTakeFirst();
      written += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return written;
  },

  async upsertDay(tx: Executor, row: DayValues): Promise<CalendarDayRow> {
    return tx
      .insertInto('calendar_day')
      .values(row)
      .onConflict((oc) =>
        oc.column('day').doUpdateSet({
          is_workday: row.is_workday,
          name: row.name,
          source: row.source,
          note: row.note,
          updated_by: row.updated_by,
          updated_at: sql<Date>`now()`,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  /**
   * Records a year seeded from the package or from the statutory holidays unless the year is already
   * known; a provisional (statutory) year gives way to the package.
   */
  async insertSeededYear(
    tx: Executor,
    year: number,
    source: 'package' | 'statutory',
    document: string,
  ): Promise<boolean> {
    const result = await tx
      .insertInto('calendar_year')
      .values({ year, source, document })
      .onConflict((oc) =>
        source === 'package'
          ? oc
              .column('year')
              .doUpdateSet({ source, document, loaded_at: sql<Date>`now()` })
              .where('calendar_year.source', '=', 'statutory')
          : oc.column('year').doNothing(),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  /** Years held provisionally, from the statutory holidays alone. */
  async statutoryYears(db: Executor): Promise<number[]> {
    const rows = await db
      .selectFrom('calendar_year')
      .select('year')
      .where('source', '=', 'statutory')
      .execute();
    return rows.map((r) => Number(r.year));
  },

  /** Replaces a provisional year's statutory days (never an override) by the given ones. */
  async replaceStatutoryDays(tx: Executor, rows: DayValues[]): Promise<number> {
    let written = 0;
    for (const chunk of chunks(rows)) {
      const result = await tx
        .insertInto('calendar_day')
        .values(chunk)
        .onConflict((oc) =>
          oc
            .column('day')
            .doUpdateSet((eb) => ({
              is_workday: eb.ref('excluded.is_workday'),
              name: eb.ref('excluded.name'),
              source: eb.ref('excluded.source'),
              updated_at: sql<Date>`now()`,
            }))
            .where('calendar_day.source', '=', 'statutory'),
        )
        .executeTakeFirst();
      written += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return written;
  },

  async upsertOfficialYear(tx: Executor, year: number, document: string): Promise<void> {
    await tx
      .insertInto('calendar_year')
      .values({ year, source: 'official', document })
      .onConflict((oc) =>
        oc.column('year').doUpdateSet({ source: 'official', document, loaded_at: sql<Date>`now()` }),
      )
      .execute();
  },
};
