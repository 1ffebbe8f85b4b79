/** The working-day calendar API: reads for every signed-in user, changes for the platform office. */

import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { authorize } from '../auth/auth.policy.js';
import {
  AddWorkdaysQuery,
  AddWorkdaysResponse,
  CalendarDaySchema,
  CalendarRangeQuery,
  CalendarRangeResponse,
  CalendarYearsResponse,
  DayOverrideBody,
  DayParams,
  OfficialScheduleBody,
  WorkdaysBetweenQuery,
  WorkdaysBetweenResponse,
  YearLoadResponse,
  YearParams,
  YearPreviewResponse,
} from './calendar.schema.js';
import type { CalendarYear } from './calendar.service.js';

const tags = ['calendar'];
const read = [{ session: [] }];
const write = [{ session: [], csrf: [] }];

function yearView(y: CalendarYear) {
  return { ...y, loadedAt: y.loadedAt.toISOString() };
}

export const calendarRoutes: RoutesPlugin = async (app, { services }) => {
  const { calendar } = services;

  app.get(
    '/calendar',
    {
      schema: {
        tags,
        security: read,
        summary: 'Days of the working-day calendar',
        description:
          'Every day from `from` to `to` (at most 366 days) with whether it is a working day and why.',
        querystring: CalendarRangeQuery,
        response: { 200: CalendarRangeResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'calendar.read');
      const { from, to } = req.query;
      return { from, to, days: await calendar.days(from, to) };
    },
  );

  app.get(
    '/calendar/years',
    {
      schema: {
        tags,
        security: read,
        summary: 'Years the calendar knows',
        description:
          'A year is known when it was seeded from the holiday package or its official schedule was loaded.',
        response: { 200: CalendarYearsResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'calendar.read');
      return { items: (await calendar.years()).map(yearView) };
    },
  );

  app.get(
    '/calendar/add-workdays',
    {
      schema: {
        tags,
        security: read,
        summary: 'A working-day deadline',
        description:
          'The `days`-th working day after `from` (from itself not counted). 422 CALENDAR_UNKNOWN when the ' +
          'count runs beyond the known calendar.',
        querystring: AddWorkdaysQuery,
        response: { 200: AddWorkdaysResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'calendar.read');
      const { from, days } = req.query;
      return { from, days, due: await calendar.addWorkdays(from, days) };
    },
  );

  app.get(
    '/calendar/workdays-between',
    {
      schema: {
        tags,
        security: read,
        summary: 'Working days between two dates',
        description: 'The number of working days d with from < d ≤ to; negative when to is before from.',
        querystring: WorkdaysBetweenQuery,
        response: { 200: WorkdaysBetweenResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'calendar.read');
      const { from, to } = req.query;
      return { from, to, count: await calendar.workdaysBetween(from, to) };
    },
  );

  app.put(
    '/calendar/days/:day',
    {
      schema: {
        tags,
        security: write,
        summary: 'Set one day by hand (platform office)',
        description: 'Makes the day a working day or a day off (source override), with the reason. Audited.',
        params: DayParams,
        body: DayOverrideBody,
        response: { 200: CalendarDaySchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'calendar.write');
      return calendar.overrideDay(metaOf(req), req.params.day, req.body);
    },
  );

  app.post(
    '/calendar/years/:year/preview',
    {
      schema: {
        tags,
        security: write,
        summary: "What loading a year's official schedule would change (platform office)",
        description:
          'Checks the schedule exactly as the load does and lists every day whose working flag or name would ' +
          'change, and the days set by hand that would be kept or replaced. Writes nothing but its audit event.',
        params: YearParams,
        body: OfficialScheduleBody,
        response: { 200: YearPreviewResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'calendar.write');
      return calendar.previewOfficialSchedule(metaOf(req), req.params.year, req.body);
    },
  );

  app.put(
    '/calendar/years/:year',
    {
      schema: {
        tags,
        security: write,
        summary: "Load a year's official holiday schedule (platform office)",
        description:
          'Writes every day of the year from the State Council schedule: weekends off, holidays off, the listed ' +
          'adjusted working days on (source official). Days set by hand are kept unless replaceOverrides. The ' +
          'schedule is checked first and every problem is listed at once. One transaction, one audit event.',
        params: YearParams,
        body: OfficialScheduleBody,
        response: { 200: YearLoadResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'calendar.write');
      const result = await calendar.loadOfficialSchedule(metaOf(req), req.params.year, req.body);
      return { ...result, year: yearView(result.year) };
    },
  );
};
