import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';
import type { JsonObject } from '../../kernel/json.js';

export type SourceKind = 'postgres' | 'mysql' | 'http' | 'file';
export type SourceStatus = 'unknown' | 'up' | 'down';

/** Connection settings without the secret: host, port, database, user, ssl; or baseUrl for HTTP. */
export interface SourceConfig {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  ssl?: boolean;
  baseUrl?: string;
  headerName?: string;
  /** File sources: declared column types by (sanitised) column name; others are inferred from the data. */
  columns?: FileColumnDeclaration[];
  /** File sources: the XLSX worksheet to load (default the first). */
  sheet?: string;
}

/** The column types a file source's table may have. */
export type FileColumnType = 'text' | 'integer' | 'numeric' | 'date' | 'timestamp' | 'boolean';

export interface FileColumnDeclaration {
  name: string;
  type: FileColumnType;
}

/** A loaded file source's column: its name in the table, its header in the file, its type. */
export interface FileSourceColumn {
  name: string;
  header: string;
  type: FileColumnType;
}

export interface ExchangeSourceTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  kind: SourceKind;
  config: JSONColumnType<SourceConfig, string, string>;
  secret: string | null;
  status: Generated<SourceStatus>;
  last_checked_at: Date | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ExchangeSourceCheckTable {
  id: Generated<number>;
  source_id: string;
  at: ColumnType<Date, Date | undefined, never>;
  ok: boolean;
  latency_ms: number | null;
  error: string | null;
}

export interface ExchangeMountTable {
  id: Generated<string>;
  entry_id: string;
  source_id: string;
  relation: string;
  key_columns: string[];
  mapping: JSONColumnType<Record<string, string>, string, string>;
  watermark_column: string | null;
  feed_watermark: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ExchangeQuotaTable {
  grant_id: string;
  day: string;
  count: number;
}

export interface ExchangeSyncJobTable {
  id: Generated<string>;
  grant_id: string;
  target_kind: 'postgres' | 'mysql' | 'file';
  target_config: JSONColumnType<SourceConfig & { path?: string }, string, string>;
  target_secret: string | null;
  target_table: string;
  mode: 'full' | 'incremental';
  schedule_minutes: number | null;
  status: Generated<string>;
  rows_done: Generated<number>;
  rows_total: number | null;
  last_watermark: string | null;
  last_run_at: Date | null;
  next_run_at: Date | null;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: Date | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ExchangeFileTable {
  id: Generated<string>;
  entry_id: string;
  name: string;
  content_type: string;
  size: number;
  sm3: string;
  data: Buffer;
  uploaded_by: string | null;
  uploaded_at: ColumnType<Date, Date | undefined, never>;
}

export interface ExchangeSubscriptionTable {
  id: Generated<string>;
  grant_id: string;
  mode: 'webhook' | 'pull';
  url: string | null;
  secret: string | null;
  status: Generated<'active' | 'paused'>;
  cursor: Generated<number>;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface ExchangeChangeTable {
  seq: Generated<number>;
  entry_id: string;
  op: 'upsert' | 'delete';
  record_key: JSONColumnType<JsonObject, string, never>;
  changed_at: ColumnType<Date, Date | undefined, never>;
}

export interface ExchangeDeliveryTable {
  id: Generated<number>;
  subscription_id: string;
  change_seq: number;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  status: Generated<'pending' | 'delivered' | 'dead'>;
  last_error: string | null;
  delivered_at: Date | null;
}

export interface ExchangeFileSourceTable {
  source_id: string;
  version: number;
  relation: string;
  file_name: string;
  format: 'csv' | 'xlsx';
  size: number;
  sm3: string;
  row_count: number;
  columns: JSONColumnType<FileSourceColumn[], string, string>;
  loaded_by: string | null;
  loaded_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ExchangeSyncFileStateTable {
  job_id: string;
  order_by: string;
  watermark: string | null;
  key: string | null;
  rows: number;
  pass: number;
  complete: boolean;
  seq: number;
  pass_from: string | null;
}

export interface ExchangeSyncFileChunkTable {
  job_id: string;
  pass: number;
  seq: number;
  rows: number;
  data: Buffer;
}

export interface ExchangeSyncFilePartTable {
  id: Generated<string>;
  job_id: string;
  part_no: number;
  pass: number;
  mode: 'full' | 'incremental';
  rows: number;
  size: number;
  sm3: string;
  range_from: string | null;
  range_to: string | null;
  data: Buffer;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type ExchangeSourceRow = Selectable<ExchangeSourceTable>;
export type ExchangeMountRow = Selectable<ExchangeMountTable>;
