/**
 * A third source of calendar days: `statutory` — a year the holiday package does not know yet and whose
 * official State Council schedule is not loaded, computed from the statutory holidays of
 * 《全国年节及纪念日放假办法》 (weekends and public holidays, no adjusted working days). Such a year is
 * provisional: the calendar says so, and loading the official schedule replaces it.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table calendar_day drop constraint calendar_day_source_check`.execute(db);
  await sql`alter table calendar_day add constraint calendar_day_source_check
    check (source in ('package','official','override','statutory'))`.execute(db);
  await sql`alter table calendar_year drop constraint calendar_year_source_check`.execute(db);
  await sql`alter table calendar_year add constraint calendar_year_source_check
    check (source in ('package','official','statutory'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from calendar_day where source = 'statutory'`.execute(db);
  await sql`delete from calendar_year where source = 'statutory'`.execute(db);
  await sql`alter table calendar_day drop constraint calendar_day_source_check`.execute(db);
  await sql`alter table calendar_day add constraint calendar_day_source_check
    check (source in ('package','official','override'))`.execute(db);
  await sql`alter table calendar_year drop constraint calendar_year_source_check`.execute(db);
  await sql`alter table calendar_year add constraint calendar_year_source_check
    check (source in ('package','official'))`.execute(db);
}
