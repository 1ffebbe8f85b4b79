/** Request and response schemas of the working-day calendar API (documented in the OpenAPI output). */
import { Type } from '@fastify/type-provider-typebox';

const DAY_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

const Day = (description: string, example: string) =>
  Type.String({ pattern: DAY_PATTERN, description, examples: [example] });

export const CalendarSourceSchema = Type.Union(
  [Type.Literal('package'), Type.Literal('official'), Type.Literal('override'), Type.Literal('statutory')],
  {
    description:
      'Where the day comes from: package = the maintained holiday package (chinese-days); official = the ' +
      'State Council schedule loaded by the platform office; override = one day set by the platform office; ' +
      'statutory = provisional, from the statutory holidays of 《全国年节及纪念日放假办法》 without adjusted ' +
      'working days, until the package or the official schedule knows the year',
  },
);

export const CalendarDaySchema = Type.Object(
  {
    day: Day('The date (YYYY-MM-DD)', '2026-10-10'),
    weekday: Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday' }),
    known: Type.Boolean({
      description: 'false when the calendar has no data for this day (year not loaded)',
    }),
    isWorkday: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'Whether it is a working day; null when the day is unknown',
    }),
    name: Type.String({
      description: 'Holiday or adjusted-working-day name, empty for ordinary days',
      examples: ['国庆节'],
    }),
    source: Type.Union([CalendarSourceSchema, Type.Null()], { description: 'null when the day is unknown' }),
    note: Type.String({ description: "The platform office's reason for an override", examples: [''] }),
  },
  { description: 'One day of the working-day calendar' },
);

export const CalendarRangeQuery = Type.Object({
  from: Day('First day of the range (included)', '2026-09-28'),
  to: Day('Last day of the range (included); at most 366 days after from', '2026-10-11'),
});

export const CalendarRangeResponse = Type.Object(
  {
    from: Type.String({ examples: ['2026-09-28'] }),
    to: Type.String({ examples: ['2026-10-11'] }),
    days: Type.Array(CalendarDaySchema),
  },
  { description: 'Every day of the range, unknown days included (known = false)' },
);

export const CalendarYearSchema = Type.Object(
  {
    year: Type.Integer({ examples: [2026] }),
    source: Type.Union([Type.Literal('package'), Type.Literal('official'), Type.Literal('statutory')], {
      description:
        'package = seeded from the holiday package; official = State Council schedule loaded; statutory = ' +
        'provisional, computed from the statutory holidays alone (no adjusted working days): load the official schedule',
    }),
    document: Type.String({
      description: 'The State Council notice the schedule comes from',
      examples: ['国办发明电〔2025〕7号'],
    }),
    loadedAt: Type.String({ format: 'date-time' }),
    days: Type.Integer({ description: 'Days of the year in the calendar' }),
    workdays: Type.Integer({ description: 'Working days of the year' }),
    overrides: Type.Integer({ description: 'Days set one by one by the platform office' }),
  },
  { description: 'A year the calendar knows' },
);

export const CalendarYearsResponse = Type.Object({ items: Type.Array(CalendarYearSchema) });

export const AddWorkdaysQuery = Type.Object({
  from: Day('The start date; itself not counted', '2026-09-30'),
  days: Type.Integer({
    minimum: -3660,
    maximum: 3660,
    description: 'How many working days to add (negative: count back)',
    examples: [5],
  }),
});

export const AddWorkdaysResponse = Type.Object(
  {
    from: Type.String({ examples: ['2026-09-30'] }),
    days: Type.Integer({ examples: [5] }),
    due: Type.String({ description: 'The days-th working day after from', examples: ['2026-10-13'] }),
  },
  { description: 'A working-day deadline' },
);

export const WorkdaysBetweenQuery = Type.Object({
  from: Day('Start date (not counted)', '2026-09-30'),
  to: Day('End date (counted)', '2026-10-13'),
});

export const WorkdaysBetweenResponse = Type.Object(
  {
    from: Type.String({ examples: ['2026-09-30'] }),
    to: Type.String({ examples: ['2026-10-13'] }),
    count: Type.Integer({
      description: 'Working days d with from < d ≤ to; negative when to is before from',
      examples: [5],
    }),
  },
  { description: 'Working days between two dates' },
);

export const DayParams = Type.Object({ day: Day('The day to set', '2026-12-31') });

export const DayOverrideBody = Type.Object(
  {
    isWorkday: Type.Boolean({ description: 'true = working day, false = day off', examples: [false] }),
    name: Type.Optional(
      Type.String({ maxLength: 100, description: 'A name shown in the calendar', examples: ['临时调休'] }),
    ),
    note: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'Why the day is set by hand (required)',
      examples: ['市政府通知：12月31日下午起放假，全天按休息日计'],
    }),
  },
  { additionalProperties: false, description: 'Sets one day by hand (source override)' },
);

export const YearParams = Type.Object({
  year: Type.Integer({
    minimum: 1949,
    maximum: 2199,
    description: 'The year of the schedule',
    examples: [2027],
  }),
});

// Dates in the schedule are checked by the service, not by pattern, so that one answer lists every
// problem of the schedule at once (bad formats, dates outside the year, workdays inside holidays …).
export const OfficialScheduleBody = Type.Object(
  {
    document: Type.String({
      maxLength: 200,
      description: 'The State Council notice (国务院办公厅关于某年部分节假日安排的通知)',
      examples: ['国办发明电〔2026〕x号'],
    }),
    holidays: Type.Array(
      Type.Object(
        {
          name: Type.String({ maxLength: 50, description: 'Holiday name', examples: ['元旦'] }),
          from: Type.String({ description: 'First day off (YYYY-MM-DD)', examples: ['2027-01-01'] }),
          to: Type.String({ description: 'Last day off (YYYY-MM-DD)', examples: ['2027-01-03'] }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50, description: 'Holiday periods; every day of each is a day off' },
    ),
    workdays: Type.Array(Type.String({ description: 'YYYY-MM-DD', examples: ['2027-02-20'] }), {
      maxItems: 50,
      description: 'Adjusted working days (weekend days worked, 调休上班)',
    }),
    replaceOverrides: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'true: the schedule also replaces days the platform office set by hand in that year',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "A year's official holiday schedule: weekends off, holidays off, listed working days on, everything else on",
  },
);

export const YearLoadResponse = Type.Object(
  {
    year: CalendarYearSchema,
    keptOverrides: Type.Array(Type.String(), {
      description: 'Days set by hand that the schedule left as they were',
    }),
    replacedOverrides: Type.Array(Type.String(), { description: 'Days set by hand the schedule replaced' }),
  },
  { description: 'The loaded year' },
);
