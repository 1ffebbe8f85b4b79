import type { ColumnType, Generated, Selectable } from 'kysely';

export type OrgKind = 'platform_office' | 'department' | 'county_government' | 'park' | 'public_institution';
export type OrgLevel = 'national' | 'province' | 'city' | 'county' | 'park';
export type OfficerDuty = 'leader_in_charge' | 'sharing_officer' | 'technical_officer' | 'principal';

export interface OrganizationTable {
  id: Generated<string>;
  name: string;
  short_name: string;
  name_en: string | null;
  kind: OrgKind;
  level: OrgLevel;
  division_code: string;
  credit_code: string;
  parent_id: string | null;
  status: Generated<'active' | 'dissolved'>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface OfficerAssignmentTable {
  id: Generated<string>;
  org_id: string;
  duty: OfficerDuty;
  name: string;
  title: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  /** YYYY-MM-DD */
  effective_from: string;
  effective_to: string | null;
  reported_on: string;
  report_due: string | null;
  late: Generated<boolean>;
  recorded_by: string | null;
  recorded_at: ColumnType<Date, Date | undefined, never>;
}

export type OrganizationRow = Selectable<OrganizationTable>;
export type OfficerAssignmentRow = Selectable<OfficerAssignmentTable>;
