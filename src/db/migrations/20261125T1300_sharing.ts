/**
 * The sharing workflow (共享申请): applications and their message threads, grants (the one source of
 * access), confidentiality agreements, usage records, reminders and the list of missed limits that
 * finance reads. Frozen: never edit after release; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('share_application')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('applicant_org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('applicant_user_id', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('consumer_system_id', 'uuid', (c) => c.references('consumer_system.id'))
    .addColumn('provider_org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('entry_id', 'uuid', (c) => c.references('catalog_entry.id'))
    .addColumn('out_of_catalog', 'text')
    .addColumn('requested_items', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('basis', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('scenario', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('purpose_category', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('access_mode', 'text')
    .addColumn('period_from', 'date')
    .addColumn('period_to', 'date')
    .addColumn('attested_at', 'timestamptz')
    .addColumn('demand_id', 'uuid', (c) => c.references('catalog_demand.id'))
    .addColumn('share_type', 'text')
    .addColumn('policy_preset', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_on', 'date')
    .addColumn('due_kind', 'text')
    .addColumn('extension_requested_days', 'integer')
    .addColumn('extension_reason', 'text')
    .addColumn('extended_days', 'integer')
    .addColumn('missing_items', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('refusal_reason', 'text')
    .addColumn('decision_document', 'text')
    .addColumn('supply_due', 'date')
    .addColumn('supplied_at', 'timestamptz')
    .addColumn('supplied_late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('grant_id', 'uuid')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('share_application_applicant_idx')
    .on('share_application')
    .column('applicant_org_id')
    .execute();
  await db.schema
    .createIndex('share_application_provider_idx')
    .on('share_application')
    .column('provider_org_id')
    .execute();
  await db.schema
    .createIndex('share_application_status_idx')
    .on('share_application')
    .columns(['status', 'due_on'])
    .execute();
  await db.schema
    .createTable('share_application_seq')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  // Every transition, in order: the application's own history (the audit chain has it too).
  await db.schema
    .createTable('share_event')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('application_id', 'uuid', (c) =>
      c.notNull().references('share_application.id').onDelete('cascade'),
    )
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_org_id', 'uuid')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('share_event_application_idx')
    .on('share_event')
    .column('application_id')
    .execute();

  // The negotiation / coordination thread.
  await db.schema
    .createTable('share_message')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('application_id', 'uuid', (c) =>
      c.notNull().references('share_application.id').onDelete('cascade'),
    )
    .addColumn('author_user_id', 'uuid')
    .addColumn('author_org_id', 'uuid', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('share_grant')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('application_id', 'uuid', (c) => c.notNull().unique().references('share_application.id'))
    .addColumn('consumer_org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('consumer_system_id', 'uuid', (c) => c.references('consumer_system.id'))
    .addColumn('provider_org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('entry_id', 'uuid', (c) => c.references('catalog_entry.id'))
    .addColumn('items', 'jsonb', (c) => c.notNull())
    .addColumn('row_filter', 'jsonb')
    .addColumn('purpose_category', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('access_mode', 'text')
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('valid_to', 'date', (c) => c.notNull())
    .addColumn('daily_quota', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active','suspended','revoked','expired')`),
    )
    .addColumn('status_reason', 'text')
    .addColumn('consultation', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('share_grant_consumer_idx')
    .on('share_grant')
    .columns(['consumer_system_id', 'entry_id'])
    .execute();
  await db.schema
    .createIndex('share_grant_provider_idx')
    .on('share_grant')
    .column('provider_org_id')
    .execute();

  // Confidentiality agreements (保密协议): the text both sides accept, with its SM3 digest.
  await db.schema
    .createTable('share_agreement')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('grant_id', 'uuid', (c) => c.notNull().unique().references('share_grant.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('consumer_accepted_by', 'uuid')
    .addColumn('consumer_accepted_at', 'timestamptz')
    .addColumn('provider_accepted_by', 'uuid')
    .addColumn('provider_accepted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Usage records (条例 Art. 29): kept at least the policy's retention period.
  await db.schema
    .createTable('share_usage_record')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('grant_id', 'uuid', (c) => c.notNull().references('share_grant.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('use','disposal')`))
    .addColumn('scenario', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('process', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('effect', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('storage', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('disposal', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('retain_until', 'date', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('share_usage_record_grant_idx')
    .on('share_usage_record')
    .column('grant_id')
    .execute();

  // Reminders for the responsible officers (deadlines close or missed, grants expiring).
  await db.schema
    .createTable('reminder')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'uuid', (c) => c.notNull())
    .addColumn('due_on', 'date')
    .addColumn('message_zh', 'text', (c) => c.notNull())
    .addColumn('message_en', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .addUniqueConstraint('reminder_once_uq', ['org_id', 'kind', 'object_id', 'due_on'])
    .execute();

  // Missed limits: the list finance reads (a provider that did not answer or supply in time).
  await db.schema
    .createTable('share_violation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('application_id', 'uuid', (c) => c.notNull().references('share_application.id'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('answer_late','supply_late')`))
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('detected_on', 'date', (c) => c.notNull())
    .addColumn('resolved_on', 'date')
    .addUniqueConstraint('share_violation_uq', ['application_id', 'kind', 'due_on'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'share_violation',
    'reminder',
    'share_usage_record',
    'share_agreement',
    'share_grant',
    'share_message',
    'share_event',
    'share_application_seq',
    'share_application',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
