import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';
import type { JsonObject } from '../../kernel/json.js';
import type {
  BasicLibrary,
  BasisKind,
  Category,
  DataGrade,
  DataType,
  EntryStatus,
  FormatCategory,
  Masking,
  OpenType,
  Sensitivity,
  ShareMode,
  ShareType,
  UpdateCycle,
} from './catalog.values.js';

type Numeric = ColumnType<string | null, string | number | null | undefined, string | number | null>;
type Tsvector = ColumnType<string, never, never>;

export interface CatalogCodeSeqTable {
  class_code: string;
  last_seq: number;
}

export interface CatalogEntryTable {
  id: Generated<string>;
  revision_of: string | null;
  code: string;
  class_code: string;
  category: Category;
  class_name: string;
  name: string;
  provider_org_id: string;
  provider_unit: string;
  summary: string;
  format_category: FormatCategory;
  format_type: string;
  share_type: ShareType;
  share_condition_scope: string;
  share_condition_use: string;
  not_shared_basis_kind: BasisKind | null;
  not_shared_basis: string;
  share_modes: ShareMode[];
  open_type: OpenType;
  open_condition: string;
  update_cycle: UpdateCycle;
  publish_date: string | null;
  related_codes: string[];
  source_system: string;
  basic_library: BasicLibrary | null;
  classified: Generated<boolean>;
  data_category: string;
  data_grade: DataGrade;
  storage_gb: Numeric;
  record_count: number | null;
  shared_gb: Numeric;
  shared_records: number | null;
  opened_gb: Numeric;
  opened_records: number | null;
  status: EntryStatus;
  version: Generated<number>;
  confidentiality_assessment: string | null;
  pi_impact_assessment: string | null;
  assessed_by: string | null;
  assessed_at: Date | null;
  head_approved_by: string | null;
  head_approved_at: Date | null;
  submitted_at: Date | null;
  review_due: string | null;
  returned_reason: string | null;
  published_at: Date | null;
  withdrawn_reason: string | null;
  /** Set with sql`to_tsvector(...)` by the repository only. */
  search: Tsvector;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface CatalogItemTable {
  id: Generated<string>;
  entry_id: string;
  seq: number;
  name: string;
  data_type: DataType;
  length: number | null;
  description: string;
  collecting_org_id: string | null;
  sensitivity: Sensitivity;
  masking: Masking;
  standard_element: string | null;
}

export interface CatalogVersionTable {
  entry_id: string;
  version: number;
  snapshot: JSONColumnType<JsonObject, string, never>;
  published_at: Date;
  published_by: string | null;
}

export interface CatalogReviewLogTable {
  id: Generated<number>;
  entry_id: string;
  action: string;
  from_status: EntryStatus | null;
  to_status: EntryStatus;
  actor_user_id: string | null;
  actor_org_id: string | null;
  note: string;
  at: ColumnType<Date, Date | undefined, never>;
}

export interface CatalogChangeTable {
  id: Generated<string>;
  kind: 'law' | 'function';
  org_id: string | null;
  title: string;
  document: string;
  effective_on: string;
  recorded_by: string | null;
  recorded_at: ColumnType<Date, Date | undefined, never>;
}

export interface CatalogUpdateTaskTable {
  id: Generated<string>;
  change_id: string;
  entry_id: string;
  due: string | null;
  extended_due: string | null;
  extension_reason: string | null;
  done_at: Date | null;
}

export type DemandStatus = 'open' | 'matched' | 'handed_over' | 'cancelled';

export interface CatalogDemandTable {
  id: Generated<string>;
  org_id: string;
  title: string;
  description: string;
  wanted_items: string[];
  provider_org_id: string | null;
  basis: string;
  purpose: string;
  status: DemandStatus;
  matched_entry_id: string | null;
  handed_to_org_id: string | null;
  resolution_note: string;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type CatalogEntryRow = Selectable<CatalogEntryTable>;
export type CatalogItemRow = Selectable<CatalogItemTable>;
export type CatalogDemandRow = Selectable<CatalogDemandTable>;
