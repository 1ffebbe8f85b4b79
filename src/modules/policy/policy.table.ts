import type { ColumnType, Selectable } from 'kysely';
import type { Json } from '../../kernel/json.js';

export interface PolicyPresetTable {
  code: string;
  name_zh: string;
  name_en: string;
  description: string;
}

export interface PolicyRuleTable {
  preset_code: string;
  key: string;
  value: ColumnType<Json, string, string>;
  unit: string;
  legal_source: string;
  description_zh: string;
  description_en: string;
}

export interface PolicySettingTable {
  id: number;
  active_preset: string;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface PolicyOverrideTable {
  key: string;
  value: ColumnType<Json, string, string>;
  reason: string;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type PolicyRuleRow = Selectable<PolicyRuleTable>;
