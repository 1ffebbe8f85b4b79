/** Kysely table types of the information-system inventory (政务信息系统清查, R2). */
import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';

export interface InventorySystemTable {
  id: Generated<string>;
  org_id: string;
  internal_unit: string | null;
  name: string;
  function_description: string;
  scope_of_use: string;
  frequency_of_use: string;
  approving_department: string;
  approval_date: string | null;
  funding_source: string;
  network: string;
  builder: string;
  investment_wan: number;
  om_cost_wan: number;
  funding_channel: string;
  data_resources: string;
  catalog_entry_ids: string[];
  protection_level: number | null;
  protection_filing_no: string | null;
  classified: boolean;
  classified_filing_no: string | null;
  deployment: string;
  monthly_active_users: number;
  monthly_transactions: number;
  last_maintenance_on: string | null;
  utilization_pct: number;
  business_link: boolean;
  replaced_by_id: string | null;
  must_connect: boolean;
  connected: boolean;
  disposition: string | null;
  disposition_target_on: string | null;
  disposition_note: string | null;
  asset_write_off_note: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type InventorySystemRow = Selectable<InventorySystemTable>;

export interface FlagFacts {
  [key: string]: string | number | boolean | null | string[];
}

export interface InventoryFlagTable {
  /** Derived from the rule and the systems, so that detection finds the same flag again. */
  id: string;
  kind: string;
  rule: string;
  system_id: string;
  other_system_id: string | null;
  score: number | null;
  explanation_zh: string;
  explanation_en: string;
  facts: JSONColumnType<FlagFacts, string, string>;
  status: Generated<string>;
  resolution_reason: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  detected_at: ColumnType<Date, Date | undefined, Date>;
}
export type InventoryFlagRow = Selectable<InventoryFlagTable>;

/** A self-check campaign (自查, R2.2) opened by the platform office. */
export interface InventoryCampaignTable {
  id: Generated<string>;
  title: string;
  note: string;
  opened_on: string;
  deadline: string;
  /** The deadline was given as this many working days from opened_on (null: given as a date). */
  working_days: number | null;
  /** The finance bureau whose head verifies in the finance capacity (null: no finance verification). */
  finance_org_id: string | null;
  status: Generated<string>;
  opened_by: string | null;
  closed_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export type InventoryCampaignRow = Selectable<InventoryCampaignTable>;

export interface SelfcheckCounts {
  [key: string]: number;
}

/** One department's self-check report in a campaign. */
export interface InventorySelfcheckTable {
  id: Generated<string>;
  campaign_id: string;
  org_id: string;
  status: Generated<string>;
  round: Generated<number>;
  statement: string | null;
  counts: JSONColumnType<SelfcheckCounts, string, string>;
  first_submitted_at: Date | null;
  submitted_at: Date | null;
  submitted_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type InventorySelfcheckRow = Selectable<InventorySelfcheckTable>;

export interface SelfcheckCheck {
  [key: string]: string | number | null;
  capacity: string;
  outcome: string;
  reason: string | null;
  username: string;
  at: string;
  round: number;
}

/** One system of a report as the department submitted it, with its verifications (核查). */
export interface InventorySelfcheckItemTable {
  id: Generated<string>;
  report_id: string;
  system_id: string;
  system_name: string;
  snapshot: JSONColumnType<Record<string, unknown>, string, string>;
  status: Generated<string>;
  return_reason: string | null;
  checks: JSONColumnType<SelfcheckCheck[], string, string>;
}
export type InventorySelfcheckItemRow = Selectable<InventorySelfcheckItemTable>;
