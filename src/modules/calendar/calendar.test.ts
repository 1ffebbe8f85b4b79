import chineseDays from 'chinese-days';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  json,
  login,
  type Session,
  type TestApp,
  type TestDb,
  testApp,
  testDb,
} from '../../../test/helpers.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError } from '../../kernel/errors.js';
import { createServices, type Services } from '../../services.js';
import { type OfficialSchedule, packageYear } from './calendar.service.js';
import { statutoryHolidays, statutoryYear } from './calendar.statutory.js';

/** The calendar knows this year and the next (provisionally when nothing else knows it), not the one after. */
const THIS_YEAR = new Date().getUTCFullYear();
const BEYOND = THIS_YEAR + 2;

const meta: RequestMeta = { actor: { userId: null, username: 'test' }, requestId: 't', ip: '127.0.0.1' };

/** A made-up schedule for 2027 (test data, not the State Council's): New Year and a spring break. */
const SCHEDULE_2027: OfficialSchedule = {
  document: '测试用节假日安排（非官方）',
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', from: '2027-02-06', to: '2027-02-13' },
  ],
  workdays: ['2027-02-20'],
};

/** The State Council schedule for 2026 (国办发明电〔2025〕7号), as the package also has it. */
const SCHEDULE_2026: OfficialSchedule = {
  document: '国办发明电〔2025〕7号',
  holidays: [
    { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
    { name: '春节', from: '2026-02-15', to: '2026-02-23' },
    { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
    { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
    { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
    { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
    { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
  ],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('package seed data', () => {
  it('knows 2004–2026 but not 2027, where the package lists no holiday', () => {
    expect(packageYear(2003)).toBeNull();
    expect(packageYear(2004)).toHaveLength(366);
    expect(packageYear(2026)).toHaveLength(365);
    expect(packageYear(2027)).toBeNull();
  });

  // The package's functions shift dates west of UTC; where they are right they must agree with us.
  it.skipIf(new Date().getTimezoneOffset() > 0)(
    'agrees with the package functions on every day it knows',
    () => {
      for (let year = 2004; year <= 2026; year += 1) {
        for (const row of packageYear(year) ?? []) {
          const detail = chineseDays.getDayDetail(row.day);
          expect([row.day, row.is_workday]).toEqual([row.day, detail.work]);
        }
      }
    },
  );
});

describe('provisional years from the statutory holidays', () => {
  it('computes 2027 from the law: holidays, and a holiday on a weekend made up on the next working day', () => {
    const off = (y: number) =>
      statutoryYear(y)
        .filter((d) => !d.is_workday && !isWeekendDay(d.day))
        .map((d) => `${d.day} ${d.name}`);
    expect(off(2027)).toEqual([
      '2027-01-01 元旦',
      '2027-02-05 春节',
      '2027-02-08 春节',
      '2027-02-09 春节补假',
      '2027-02-10 春节补假',
      '2027-04-05 清明节',
      '2027-05-03 劳动节补假',
      '2027-05-04 劳动节补假',
      '2027-06-09 端午节',
      '2027-09-15 中秋节',
      '2027-10-01 国庆节',
      '2027-10-04 国庆节补假',
      '2027-10-05 国庆节补假',
    ]);
    expect(statutoryYear(2027).every((d) => d.source === 'statutory')).toBe(true);
  });

  it('agrees with the official schedules the package knows: every statutory holiday is a day off', () => {
    for (const year of [2025, 2026]) {
      const official = new Map((packageYear(year) ?? []).map((d) => [d.day, d]));
      for (const h of statutoryHolidays(year)) {
        for (const day of h.days)
          expect({ day, off: official.get(day)?.is_workday }).toEqual({ day, off: false });
      }
    }
  });
});

function isWeekendDay(day: string): boolean {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay();
  return w === 0 || w === 6;
}

describe('CalendarService', () => {
  let t: TestDb;
  let s: Services;

  async function auditCount(action: string): Promise<number> {
    await s.audit.drain();
    const r = await t.db.kysely
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', action)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  beforeAll(async () => {
    t = await testDb();
    s = createServices(t.config, t.db);
  });
  afterAll(async () => {
    await s.audit.stop();
    await t.dispose();
  });

  it('seeds every year the package knows, next year provisionally from the law, and no further', async () => {
    const years = await s.calendar.years();
    const y2026 = years.find((y) => y.year === 2026);
    expect(y2026).toMatchObject({ source: 'package', days: 365 });
    const next = years.find((y) => y.year === THIS_YEAR + 1);
    expect(next?.source).toBe(packageYear(THIS_YEAR + 1) ? 'package' : 'statutory');
    if (next?.source === 'statutory') expect(next.document).toContain('全国年节及纪念日放假办法');
    expect(years.some((y) => y.year === BEYOND)).toBe(false);
    expect(years.every((y) => y.days >= 365)).toBe(true);
  });

  it('is idempotent: seeding again writes nothing and records nothing', async () => {
    const before = await auditCount('calendar.year.seed');
    await s.calendar.ensureLoaded();
    expect(await auditCount('calendar.year.seed')).toBe(before);
    expect((await s.calendar.years()).find((y) => y.year === 2026)?.days).toBe(365);
  });

  it('counts across the 2026 National Day holiday and its adjusted working weekend', async () => {
    expect(await s.calendar.isWorkday('2026-09-20')).toBe(true); // Sunday worked
    expect(await s.calendar.isWorkday('2026-10-10')).toBe(true); // Saturday worked
    for (const d of ['2026-10-01', '2026-10-04', '2026-10-07'])
      expect(await s.calendar.isWorkday(d)).toBe(false);
    expect(await s.calendar.addWorkdays('2026-09-30', 0)).toBe('2026-09-30');
    expect(await s.calendar.addWorkdays('2026-09-30', 1)).toBe('2026-10-08');
    expect(await s.calendar.addWorkdays('2026-09-30', 5)).toBe('2026-10-13');
    expect(await s.calendar.addWorkdays('2026-09-18', 1)).toBe('2026-09-20');
    expect(await s.calendar.workdaysBetween('2026-09-30', '2026-10-13')).toBe(5);
    expect(await s.calendar.workdaysBetween('2026-10-13', '2026-09-30')).toBe(-5);
  });

  it('counts across Spring Festival 2026 (Feb 15–23 off, Saturdays Feb 14 and 28 worked)', async () => {
    expect(await s.calendar.addWorkdays('2026-02-13', 1)).toBe('2026-02-14');
    expect(await s.calendar.addWorkdays('2026-02-14', 1)).toBe('2026-02-24');
    expect(await s.calendar.addWorkdays('2026-02-12', 10)).toBe('2026-03-04');
    expect(await s.calendar.workdaysBetween('2026-02-13', '2026-02-28')).toBe(6);
    const days = await s.calendar.days('2026-02-14', '2026-02-15');
    expect(days).toEqual([
      expect.objectContaining({
        day: '2026-02-14',
        weekday: 6,
        isWorkday: true,
        source: 'package',
        known: true,
      }),
      expect.objectContaining({ day: '2026-02-15', weekday: 7, isWorkday: false, name: '春节' }),
    ]);
  });

  it('computes from memory: the table is read once, until something changes', async () => {
    expect(await s.calendar.addWorkdays('2026-11-27', 1)).toBe('2026-11-30');
    // A change behind the service's back is not seen until the cache is dropped.
    await t.db.kysely
      .updateTable('calendar_day')
      .set({ is_workday: false })
      .where('day', '=', '2026-11-30')
      .execute();
    expect(await s.calendar.addWorkdays('2026-11-27', 1)).toBe('2026-11-30');
    s.calendar.invalidate();
    expect(await s.calendar.addWorkdays('2026-11-27', 1)).toBe('2026-12-01');
    await t.db.kysely
      .updateTable('calendar_day')
      .set({ is_workday: true })
      .where('day', '=', '2026-11-30')
      .execute();
    s.calendar.invalidate();
  });

  it('an override of one day changes the result, is audited, and survives seeding', async () => {
    const before = await auditCount('calendar.day.override');
    const day = await s.calendar.overrideDay(meta, '2026-10-09', {
      isWorkday: false,
      name: '临时休息',
      note: '测试：市政府临时决定休息一天',
    });
    expect(day).toMatchObject({ day: '2026-10-09', isWorkday: false, source: 'override', name: '临时休息' });
    expect(await s.calendar.addWorkdays('2026-09-30', 5)).toBe('2026-10-14');
    expect(await auditCount('calendar.day.override')).toBe(before + 1);
    const ev = await t.db.kysely
      .selectFrom('audit_event')
      .select(['object_type', 'object_id', 'detail', 'request_id'])
      .where('action', '=', 'calendar.day.override')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(ev).toMatchObject({ object_type: 'calendar_day', object_id: '2026-10-09', request_id: 't' });
    expect(ev.detail).toMatchObject({
      before: { isWorkday: true, source: 'package' },
      after: { isWorkday: false },
    });

    await s.calendar.ensureLoaded();
    expect((await s.calendar.days('2026-10-09', '2026-10-09'))[0]?.source).toBe('override');

    const missingNote = await failure(
      s.calendar.overrideDay(meta, '2026-10-09', { isWorkday: true, note: ' ' }),
    );
    expect(missingNote.fields.map((f) => f.field)).toEqual(['note']);
  });

  it('refuses a date beyond the known calendar until the year is loaded', async () => {
    const e = await failure(s.calendar.addWorkdays(`${BEYOND - 1}-12-28`, 5));
    expect(e.code).toBe('CALENDAR_UNKNOWN');
    expect(e.en).toContain(`${BEYOND}-01-01`);
    expect(e.zh).toContain(`${BEYOND}-01-01`);
    expect(e.zh).toContain('载入');
    expect((await failure(s.calendar.workdaysBetween(`${BEYOND - 1}-12-01`, `${BEYOND}-01-10`))).code).toBe(
      'CALENDAR_UNKNOWN',
    );
    expect((await s.calendar.days(`${BEYOND - 1}-12-31`, `${BEYOND}-01-01`))[1]).toMatchObject({
      known: false,
      isWorkday: null,
      source: null,
    });
  });

  it('refuses a bad schedule listing every problem at once, writing nothing', async () => {
    const before = await auditCount('calendar.year.load');
    const e = await failure(
      s.calendar.loadOfficialSchedule(meta, 2027, {
        document: ' ',
        holidays: [
          { name: '', from: '2027-13-01', to: '2027-01-02' },
          { name: '春节', from: '2027-02-10', to: '2027-02-05' },
          { name: '国庆节', from: '2026-10-01', to: '2027-10-07' },
          { name: '劳动节', from: '2027-05-01', to: '2027-05-05' },
          { name: '五一', from: '2027-05-05', to: '2027-05-06' },
        ],
        workdays: ['2027-2-20', '2027-05-02', '2027-01-04', '2028-01-08', '2027-04-25', '2027-04-25'],
      }),
    );
    expect(e.code).toBe('VALIDATION');
    const found = e.fields.map((f) => `${f.field}:${f.rule}`);
    expect(found).toEqual([
      'document:required',
      'holidays.0.name:required',
      'holidays.0.from:date',
      'holidays.1.to:after_from',
      'holidays.2.from:in_year',
      'holidays.4:overlap',
      'workdays.0:date',
      'workdays.1:inside_holiday',
      'workdays.2:weekend',
      'workdays.3:in_year',
      'workdays.5:duplicate',
    ]);
    for (const f of e.fields) {
      expect(f.zh.length).toBeGreaterThan(0);
      expect(f.en.length).toBeGreaterThan(0);
    }
    expect(await auditCount('calendar.year.load')).toBe(before);
    expect((await s.calendar.years()).find((y) => y.year === 2027)?.source).not.toBe('official');
  });

  it('loads the 2027 schedule in one step; then 2027 dates work', async () => {
    const before = await auditCount('calendar.year.load');
    const result = await s.calendar.loadOfficialSchedule(meta, 2027, SCHEDULE_2027);
    expect(result.year).toMatchObject({
      year: 2027,
      source: 'official',
      document: SCHEDULE_2027.document,
      days: 365,
    });
    expect(await auditCount('calendar.year.load')).toBe(before + 1);
    expect(await s.calendar.addWorkdays('2026-12-28', 5)).toBe('2027-01-05');
    expect(await s.calendar.addWorkdays('2027-02-05', 1)).toBe('2027-02-15');
    expect(await s.calendar.addWorkdays('2027-02-19', 1)).toBe('2027-02-20');
    const [sat] = await s.calendar.days('2027-02-20', '2027-02-20');
    expect(sat).toMatchObject({ isWorkday: true, source: 'official', name: '调休上班（春节）' });
  });

  it('loading an official year keeps overrides unless told to replace them', async () => {
    const kept = await s.calendar.loadOfficialSchedule(meta, 2026, SCHEDULE_2026);
    expect(kept.keptOverrides).toEqual(['2026-10-09']);
    expect(kept.year).toMatchObject({ year: 2026, source: 'official', overrides: 1 });
    expect(await s.calendar.addWorkdays('2026-09-30', 5)).toBe('2026-10-14');
    expect(await s.calendar.addWorkdays('2026-02-12', 10)).toBe('2026-03-04');

    const replaced = await s.calendar.loadOfficialSchedule(meta, 2026, {
      ...SCHEDULE_2026,
      replaceOverrides: true,
    });
    expect(replaced.replacedOverrides).toEqual(['2026-10-09']);
    expect(replaced.year.overrides).toBe(0);
    expect(await s.calendar.addWorkdays('2026-09-30', 5)).toBe('2026-10-13');
    const [day] = await s.calendar.days('2026-10-10', '2026-10-10');
    expect(day).toMatchObject({ isWorkday: true, source: 'official', name: '调休上班（国庆节）' });
  });

  it('limits a calendar read to 366 days', async () => {
    expect(await s.calendar.days('2026-01-01', '2026-12-31')).toHaveLength(365);
    expect(await s.calendar.days('2026-01-01', '2027-01-01')).toHaveLength(366);
    const e = await failure(s.calendar.days('2026-01-01', '2027-01-02'));
    expect(e.fields.map((f) => f.field)).toEqual(['to']);
  });
});

describe('calendar API', () => {
  let t: TestApp;
  let admin: Session;
  let officer: Session;

  beforeAll(async () => {
    t = await testApp();
    admin = await login(t.app, 'admin');
    officer = await login(t.app, 'ga_officer');
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets any signed-in user read days, deadlines and known years', async () => {
    const range = await t.app.inject({
      url: '/api/v1/calendar?from=2026-09-28&to=2026-10-11',
      headers: officer.headers,
    });
    expect(range.statusCode).toBe(200);
    const body = json<{ days: { day: string; isWorkday: boolean; source: string; name: string }[] }>(range);
    expect(body.days).toHaveLength(14);
    expect(body.days.find((d) => d.day === '2026-10-10')).toMatchObject({
      isWorkday: true,
      source: 'package',
    });
    expect(body.days.find((d) => d.day === '2026-10-01')).toMatchObject({ isWorkday: false, name: '国庆节' });

    const due = await t.app.inject({
      url: '/api/v1/calendar/add-workdays?from=2026-09-30&days=5',
      headers: officer.headers,
    });
    expect(json(due)).toEqual({ from: '2026-09-30', days: 5, due: '2026-10-13' });

    const between = await t.app.inject({
      url: '/api/v1/calendar/workdays-between?from=2026-02-13&to=2026-02-28',
      headers: officer.headers,
    });
    expect(json(between)).toEqual({ from: '2026-02-13', to: '2026-02-28', count: 6 });

    const years = await t.app.inject({ url: '/api/v1/calendar/years', headers: officer.headers });
    expect(json<{ items: { year: number; source: string }[] }>(years).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ year: 2026, source: 'package' })]),
    );

    expect((await t.app.inject({ url: '/api/v1/calendar/years' })).statusCode).toBe(401);
  });

  it('answers 422 CALENDAR_UNKNOWN beyond the calendar, and 400 for bad input', async () => {
    const res = await t.app.inject({
      url: `/api/v1/calendar/add-workdays?from=${BEYOND - 1}-12-28&days=5`,
      headers: officer.headers,
    });
    expect(res.statusCode).toBe(422);
    expect(json<{ code: string; message: { en: string } }>(res)).toMatchObject({
      code: 'CALENDAR_UNKNOWN',
      message: { en: expect.stringContaining(`${BEYOND}-01-01`) },
    });
    const long = await t.app.inject({
      url: '/api/v1/calendar?from=2026-01-01&to=2027-06-01',
      headers: officer.headers,
    });
    expect(long.statusCode).toBe(400);
    const bad = await t.app.inject({
      url: '/api/v1/calendar?from=2026-02-30&to=2026-03-01',
      headers: officer.headers,
    });
    expect(json<{ fields: { field: string }[] }>(bad).fields.map((f) => f.field)).toEqual(['from']);
  });

  it('lets only the platform office change the calendar, and audits it', async () => {
    const payload = { isWorkday: false, note: '测试：临时休息' };
    const denied = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/days/2026-12-31',
      headers: officer.headers,
      payload,
    });
    expect(denied.statusCode).toBe(403);

    const ok = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/days/2026-12-31',
      headers: admin.headers,
      payload,
    });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({
      day: '2026-12-31',
      isWorkday: false,
      source: 'override',
      note: '测试：临时休息',
    });

    const noNote = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/days/2026-12-30',
      headers: admin.headers,
      payload: { isWorkday: false },
    });
    expect(noNote.statusCode).toBe(400);
    expect(json<{ fields: { field: string }[] }>(noNote).fields.map((f) => f.field)).toContain('note');

    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/years/2027',
      headers: admin.headers,
      payload: {
        document: '测试',
        holidays: [{ name: '元旦', from: '2027-01-03', to: '2027-01-01' }],
        workdays: ['2027-01-02', 'x'],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(json<{ fields: { field: string }[] }>(bad).fields.map((f) => f.field)).toEqual([
      'holidays.0.to',
      'workdays.1',
    ]);

    const loaded = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/years/2027',
      headers: admin.headers,
      payload: SCHEDULE_2027,
    });
    expect(loaded.statusCode).toBe(200);
    expect(json(loaded)).toMatchObject({ year: { year: 2027, source: 'official' }, keptOverrides: [] });
    const due = await t.app.inject({
      url: '/api/v1/calendar/add-workdays?from=2026-12-28&days=5',
      headers: officer.headers,
    });
    // 2026-12-31 is now a day off: Dec 29, 30, then Jan 4, 5, 6.
    expect(json<{ due: string }>(due).due).toBe('2027-01-06');

    await t.services.audit.drain();
    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'object_id', 'actor_username'])
      .where('action', 'in', ['calendar.day.override', 'calendar.year.load'])
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'calendar.day.override', object_id: '2026-12-31', actor_username: 'admin' },
      { action: 'calendar.year.load', object_id: '2027', actor_username: 'admin' },
    ]);
  });
});
