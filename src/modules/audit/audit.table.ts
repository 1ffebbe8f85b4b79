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

/** The events of one group-commit flush (see migration 20261207T0400_audit_blocks). */
export interface AuditBlockTable {
  first_seq: number;
  last_seq: number;
  first_at: Date;
  last_at: Date;
  keys: string[];
  key_counts: JSONColumnType<Record<string, number>, string, never>;
  events: string;
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
