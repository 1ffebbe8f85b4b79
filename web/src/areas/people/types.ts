/** Response types of the people pages, taken from the server's TypeBox schemas (type-only imports). */
import type { Static } from '@fastify/type-provider-typebox';
import type { UserSchema } from '../../../../src/modules/auth/auth.schema.js';
import type {
  CalendarDaySchema,
  CalendarRangeResponse,
  CalendarYearsResponse,
  YearLoadResponse,
  YearPreviewResponse,
} from '../../../../src/modules/calendar/calendar.schema.js';
import type {
  DutySchema,
  OfficerSchema,
  OrgKindSchema,
  OrgOfficersResponse,
  OrgTreeResponse,
} from '../../../../src/modules/orgs/orgs.schema.js';
import type {
  EffectiveRuleSchema,
  PolicyViewResponse,
  PresetsResponse,
} from '../../../../src/modules/policy/policy.schema.js';

export type OrgTree = Static<typeof OrgTreeResponse>;
export type OrgKind = Static<typeof OrgKindSchema>;
export type Duty = Static<typeof DutySchema>;
export type Officer = Static<typeof OfficerSchema>;
export type OrgOfficers = Static<typeof OrgOfficersResponse>;
export type UserRow = Static<typeof UserSchema>;

/** One node of the organization tree (the schema is cyclic, so the type is spelled out). */
export interface OrgNode extends Omit<OrgTree['roots'][number], 'children'> {
  children: OrgNode[];
}

export type CalendarDay = Static<typeof CalendarDaySchema>;
export type CalendarRange = Static<typeof CalendarRangeResponse>;
export type CalendarYears = Static<typeof CalendarYearsResponse>;
export type YearPreview = Static<typeof YearPreviewResponse>;
export type YearLoad = Static<typeof YearLoadResponse>;

export type PolicyView = Static<typeof PolicyViewResponse>;
export type EffectiveRule = Static<typeof EffectiveRuleSchema>;
export type Presets = Static<typeof PresetsResponse>;

export const DUTIES: readonly Duty[] = [
  'principal',
  'leader_in_charge',
  'sharing_officer',
  'technical_officer',
];
export const ROLES = ['platform_admin', 'auditor', 'dept_admin', 'data_officer', 'tech_officer'] as const;
