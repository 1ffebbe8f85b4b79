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

export type ExchangeSourceRow = Selectable<ExchangeSourceTable>;
export type ExchangeMountRow = Selectable<ExchangeMountTable>;
