/** Request and response schemas of the policy API (documented in the OpenAPI output). */
import { Type } from '@fastify/type-provider-typebox';

export const PolicyUnitSchema = Type.Union(
  [
    Type.Literal('working_days'),
    Type.Literal('years'),
    Type.Literal('months'),
    Type.Literal('yuan'),
    Type.Literal('ratio'),
    Type.Literal('boolean'),
    Type.Literal('list'),
    Type.Literal('mode'),
  ],
  {
    description:
      'What the value counts: working days, years, months, yuan, a ratio 0–1, a flag, a list or a mode',
  },
);

export const RuleValueSchema = Type.Union(
  [Type.Boolean(), Type.Number(), Type.String(), Type.Array(Type.String()), Type.Null()],
  {
    description: "The value in the rule's unit; null = no such limit",
    examples: [10, null, true, 'answer', ['negotiation', 'platform_office', 'government']],
  },
);

const RuleKey = Type.String({
  description: 'The rule key',
  examples: ['catalog.update_after_change_days'],
});

export const PresetRuleSchema = Type.Object(
  {
    key: RuleKey,
    value: RuleValueSchema,
    unit: PolicyUnitSchema,
    legalSource: Type.String({
      description: 'The article the value comes from',
      examples: ['《政务数据共享条例》（国务院令第809号）第十七条'],
    }),
    descriptionZh: Type.String({ examples: ['法律法规修订或职能变化后更新本部门目录的时限（工作日）'] }),
    descriptionEn: Type.String({
      examples: [
        "Working days after a change of law or of the department's functions within which its catalog is updated",
      ],
    }),
  },
  { description: 'A rule as a preset states it' },
);

export const EffectiveRuleSchema = Type.Object(
  {
    key: RuleKey,
    unit: PolicyUnitSchema,
    value: RuleValueSchema,
    presetValue: RuleValueSchema,
    override: Type.Union(
      [
        Type.Object({
          value: RuleValueSchema,
          reason: Type.String({ examples: ['市政务办决定：目录更新时限从严执行'] }),
          by: Type.Union([Type.String(), Type.Null()], { description: 'User who set it' }),
          at: Type.String({ format: 'date-time' }),
        }),
        Type.Null(),
      ],
      { description: "The platform office's override of the preset value, if any" },
    ),
    legalSource: Type.String(),
    descriptionZh: Type.String(),
    descriptionEn: Type.String(),
  },
  { description: 'A rule as it applies now: the override if any, else the active preset value' },
);

const PresetInfo = {
  code: Type.String({ examples: ['national_2025'] }),
  nameZh: Type.String({ examples: ['国家《政务数据共享条例》（2025）'] }),
  nameEn: Type.String({ examples: ['National Regulation on Government Data Sharing (2025)'] }),
  description: Type.String(),
};

export const PolicyViewResponse = Type.Object(
  {
    activePreset: Type.Object({
      ...PresetInfo,
      since: Type.String({ format: 'date-time', description: 'When it became active' }),
      by: Type.Union([Type.String(), Type.Null()], {
        description: 'Who chose it (null: installation default)',
      }),
    }),
    rules: Type.Array(EffectiveRuleSchema),
  },
  { description: 'The active preset and every effective rule' },
);

export const PresetsResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      ...PresetInfo,
      active: Type.Boolean(),
      rules: Type.Array(PresetRuleSchema),
    }),
  ),
});

export const SetActiveBody = Type.Object(
  {
    preset: Type.String({
      minLength: 1,
      description: 'The preset to make active',
      examples: ['national_2025', 'seed_xianning_2019'],
    }),
  },
  { additionalProperties: false },
);

export const RuleParams = Type.Object({ key: RuleKey });

// The value is checked by the service against the rule's unit, so the schema leaves its type open.
export const OverrideBody = Type.Object(
  {
    value: Type.Unknown({
      description:
        "The new value in the rule's unit: working_days an integer 0–365 or null; years 0–100 or null; months " +
        '0–1200 or null; yuan ≥ 0 or null; ratio 0–1 or null; boolean true/false; list an array of strings; ' +
        'mode one of the allowed strings',
      examples: [5],
    }),
    reason: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'Why the platform office departs from the preset (required)',
      examples: ['市政务办决定：目录更新时限从严执行'],
    }),
  },
  { additionalProperties: false },
);
