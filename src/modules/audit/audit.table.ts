import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';
import type { JsonObject } from '../../kernel/json.js';

export type AuditOutcome = 'ok' | 'denied' | 'error';

export interface AuditEventTable {
  seq: ColumnType<number, number, never>;
  id: string;
  occurred_at: ColumnType<Date, Date, never>;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_org_id: string | null;
  actor_system_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  outcome: AuditOutcome;
  detail: JSONColumnType<JsonObject, string, never>;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditOutboxTable {
  id: Generated<number>;
  event: JSONColumnType<JsonObject, string, never>;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export type AuditEventRow = Selectable<AuditEventTable>;
