/**
 * The audit chain is written on every exchange call: keep its indexes few. Time ranges use a BRIN index
 * (events arrive in time order); an object's history keeps its B-tree; actor, organization and action
 * searches run within a time range. The event id stays unique through its SM3-chained content, not an index.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_event_actor_idx').execute();
  await db.schema.dropIndex('audit_event_org_idx').execute();
  await db.schema.dropIndex('audit_event_action_idx').execute();
  await db.schema.dropIndex('audit_event_time_idx').execute();
  await sql`alter table audit_event drop constraint audit_event_id_key`.execute(db);
  await sql`create index audit_event_time_brin on audit_event using brin (occurred_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index audit_event_time_brin`.execute(db);
  await sql`alter table audit_event add constraint audit_event_id_key unique (id)`.execute(db);
  await db.schema.createIndex('audit_event_time_idx').on('audit_event').column('occurred_at').execute();
  await db.schema.createIndex('audit_event_action_idx').on('audit_event').column('action').execute();
  await db.schema.createIndex('audit_event_org_idx').on('audit_event').column('actor_org_id').execute();
  await db.schema.createIndex('audit_event_actor_idx').on('audit_event').column('actor_user_id').execute();
}
