import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';
import type { Json, JsonObject } from '../../kernel/json.js';
import type { AccessMode, AppStatus, GrantStatus, PurposeCategory } from './sharing.machine.js';

export interface MissingItem {
  field: string;
  note: string;
}

export interface GrantItem {
  name: string;
  masking: 'none' | 'partial' | 'hash' | 'redact';
}

export interface ShareApplicationTable {
  id: Generated<string>;
  number: string;
  applicant_org_id: string;
  applicant_user_id: string | null;
  consumer_system_id: string | null;
  provider_org_id: string;
  entry_id: string | null;
  out_of_catalog: string | null;
  requested_items: string[];
  basis: string;
  scenario: string;
  purpose_category: PurposeCategory | null;
  purpose: string;
  scope: string;
  access_mode: AccessMode | null;
  period_from: string | null;
  period_to: string | null;
  attested_at: Date | null;
  demand_id: string | null;
  share_type: string | null;
  policy_preset: string;
  status: AppStatus;
  due_on: string | null;
  due_kind: string | null;
  extension_requested_days: number | null;
  extension_reason: string | null;
  extended_days: number | null;
  missing_items: JSONColumnType<MissingItem[], string, string>;
  refusal_reason: string | null;
  decision_document: string | null;
  supply_due: string | null;
  supplied_at: Date | null;
  supplied_late: Generated<boolean>;
  grant_id: string | null;
  version: Generated<number>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ShareApplicationSeqTable {
  year: number;
  last: number;
}

export interface ShareEventTable {
  id: Generated<number>;
  application_id: string;
  action: string;
  from_status: AppStatus | null;
  to_status: AppStatus;
  actor_user_id: string | null;
  actor_org_id: string | null;
  note: string;
  detail: JSONColumnType<JsonObject, string, never>;
  at: ColumnType<Date, Date | undefined, never>;
}

export interface ShareMessageTable {
  id: Generated<number>;
  application_id: string;
  author_user_id: string | null;
  author_org_id: string;
  stage: AppStatus;
  body: string;
  at: ColumnType<Date, Date | undefined, never>;
}

export interface ShareGrantTable {
  id: Generated<string>;
  application_id: string;
  consumer_org_id: string;
  consumer_system_id: string | null;
  provider_org_id: string;
  entry_id: string | null;
  items: JSONColumnType<GrantItem[], string, string>;
  row_filter: ColumnType<Json | null, string | null, string | null>;
  purpose_category: PurposeCategory | null;
  purpose: string;
  access_mode: AccessMode | null;
  valid_from: string;
  valid_to: string;
  daily_quota: number;
  status: GrantStatus;
  status_reason: string | null;
  consultation: string | null;
  version: Generated<number>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ShareAgreementTable {
  id: Generated<string>;
  grant_id: string;
  text: string;
  digest: string;
  consumer_accepted_by: string | null;
  consumer_accepted_at: Date | null;
  provider_accepted_by: string | null;
  provider_accepted_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface ShareUsageRecordTable {
  id: Generated<string>;
  grant_id: string;
  kind: 'use' | 'disposal';
  scenario: string;
  process: string;
  effect: string;
  storage: string;
  disposal: string;
  occurred_on: string;
  retain_until: string;
  recorded_by: string | null;
  recorded_at: ColumnType<Date, Date | undefined, never>;
}

export interface ReminderTable {
  id: Generated<string>;
  org_id: string;
  kind: string;
  object_type: string;
  object_id: string;
  due_on: string | null;
  message_zh: string;
  message_en: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  read_at: Date | null;
}

export interface ShareViolationTable {
  id: Generated<string>;
  application_id: string;
  org_id: string;
  kind: 'answer_late' | 'supply_late';
  due_on: string;
  detected_on: string;
  resolved_on: string | null;
}

export type ShareApplicationRow = Selectable<ShareApplicationTable>;
export type ShareGrantRow = Selectable<ShareGrantTable>;
