/** Kysely table types of e-government projects (电子政务项目, R10). */
import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';

export interface ProjectTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  kind: string;
  summary: string;
  stage: Generated<string>;
  stage_due_on: string | null;
  version: Generated<number>;
  needs_budget_yuan: number;
  tech_budget_yuan: number | null;
  approved_budget_yuan: number | null;
  om_cost_yuan: number;
  funding_channel: string;
  data_resources: string;
  system_ids: string[];
  protection_level: number | null;
  protection_filing_no: string | null;
  classified_filing_no: string | null;
  plan_year: number | null;
  contractor: string | null;
  contract_amount_yuan: number | null;
  contract_signed_on: string | null;
  notice_due_on: string | null;
  notice_published_on: string | null;
  supervisor: string | null;
  trial_started_on: string | null;
  trial_ends_on: string | null;
  accepted_on: string | null;
  audited_on: string | null;
  om_unit: string | null;
  evaluation_score: number | null;
  evaluation_grade: string | null;
  evaluated_on: string | null;
  caution_project_id: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type ProjectRow = Selectable<ProjectTable>;

export interface ProjectStageTable {
  id: Generated<string>;
  seq: Generated<number>;
  project_id: string;
  stage: string;
  entered_at: ColumnType<Date, Date | undefined, never>;
  entered_on: string;
  due_on: string | null;
  left_on: string | null;
  outcome: string | null;
}
export type ProjectStageRow = Selectable<ProjectStageTable>;

export interface StepDetails {
  [key: string]: string | number | boolean | null;
}

export interface ProjectStepTable {
  id: Generated<string>;
  seq: Generated<number>;
  project_id: string;
  stage: string;
  action: string;
  outcome: string;
  to_stage: string;
  reason: string | null;
  expert_ids: string[];
  details: JSONColumnType<StepDetails, string, string>;
  actor_id: string | null;
  actor_name: string;
  at: ColumnType<Date, Date | undefined, never>;
}
export type ProjectStepRow = Selectable<ProjectStepTable>;

export interface ProjectDocumentTable {
  id: Generated<string>;
  seq: Generated<number>;
  project_id: string;
  stage: string;
  stage_entry_id: string | null;
  name: string;
  kind: string;
  sm3: string | null;
  size_bytes: number | null;
  reference: string | null;
  uploaded_by: string | null;
  uploaded_by_name: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export type ProjectDocumentRow = Selectable<ProjectDocumentTable>;

export interface ProjectCatalogLinkTable {
  project_id: string;
  entry_id: string;
  linked_at: ColumnType<Date, Date | undefined, never>;
}

export interface ProjectExpertTable {
  id: Generated<string>;
  name: string;
  field: string;
  title: string;
  org_name: string;
  /** The expert's own department on the platform, if any: never on a panel for its projects (回避). */
  org_id: string | null;
  active: Generated<boolean>;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export type ProjectExpertRow = Selectable<ProjectExpertTable>;
