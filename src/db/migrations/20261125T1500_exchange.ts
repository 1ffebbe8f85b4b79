/**
 * The exchange (data plane): sources and their health, mounts of catalog entries on sources, per-grant
 * call quotas, batch sync jobs, files, and subscriptions with their change feed and deliveries.
 * Frozen: never edit after release; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('exchange_source')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('postgres','mysql','http','file')`))
    .addColumn('config', 'jsonb', (c) => c.notNull())
    // SM4-encrypted credentials (password or API token); never returned by the API.
    .addColumn('secret', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('unknown').check(sql`status in ('unknown','up','down')`),
    )
    .addColumn('last_checked_at', 'timestamptz')
    .addColumn('last_latency_ms', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('exchange_source_org_idx').on('exchange_source').column('org_id').execute();

  await db.schema
    .createTable('exchange_source_check')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('source_id', 'uuid', (c) => c.notNull().references('exchange_source.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ok', 'boolean', (c) => c.notNull())
    .addColumn('latency_ms', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('exchange_source_check_idx')
    .on('exchange_source_check')
    .columns(['source_id', 'at'])
    .execute();

  await db.schema
    .createTable('exchange_mount')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('entry_id', 'uuid', (c) => c.notNull().unique().references('catalog_entry.id'))
    .addColumn('source_id', 'uuid', (c) => c.notNull().references('exchange_source.id'))
    // Table or view (schema.table) for databases; path for HTTP sources; table for file sources.
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('key_columns', sql`text[]`, (c) => c.notNull())
    // { data item name: column (or JSON field) }
    .addColumn('mapping', 'jsonb', (c) => c.notNull())
    .addColumn('watermark_column', 'text')
    .addColumn('feed_watermark', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('exchange_quota')
    .addColumn('grant_id', 'uuid', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('exchange_quota_pk', ['grant_id', 'day'])
    .execute();

  await db.schema
    .createTable('exchange_sync_job')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('grant_id', 'uuid', (c) => c.notNull().references('share_grant.id'))
    .addColumn('target_kind', 'text', (c) =>
      c.notNull().check(sql`target_kind in ('postgres','mysql','file')`),
    )
    .addColumn('target_config', 'jsonb', (c) => c.notNull())
    .addColumn('target_secret', 'text')
    .addColumn('target_table', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('full','incremental')`))
    .addColumn('schedule_minutes', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('idle'))
    .addColumn('rows_done', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_total', 'bigint')
    .addColumn('last_watermark', 'text')
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('next_run_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('exchange_file')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('entry_id', 'uuid', (c) => c.notNull().references('catalog_entry.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sm3', 'text', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid')
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('exchange_file_entry_idx').on('exchange_file').column('entry_id').execute();

  await db.schema
    .createTable('exchange_subscription')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('grant_id', 'uuid', (c) => c.notNull().references('share_grant.id'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('webhook','pull')`))
    .addColumn('url', 'text')
    .addColumn('secret', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active','paused')`),
    )
    .addColumn('cursor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The change feed of each mounted resource.
  await db.schema
    .createTable('exchange_change')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('entry_id', 'uuid', (c) => c.notNull().references('catalog_entry.id'))
    .addColumn('op', 'text', (c) => c.notNull().check(sql`op in ('upsert','delete')`))
    .addColumn('record_key', 'jsonb', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('exchange_change_entry_idx')
    .on('exchange_change')
    .columns(['entry_id', 'seq'])
    .execute();

  await db.schema
    .createTable('exchange_delivery')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('subscription_id', 'uuid', (c) =>
      c.notNull().references('exchange_subscription.id').onDelete('cascade'),
    )
    .addColumn('change_seq', 'bigint', (c) => c.notNull().references('exchange_change.seq'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','delivered','dead')`),
    )
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addUniqueConstraint('exchange_delivery_uq', ['subscription_id', 'change_seq'])
    .execute();
  await db.schema
    .createIndex('exchange_delivery_due_idx')
    .on('exchange_delivery')
    .columns(['status', 'next_attempt_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'exchange_delivery',
    'exchange_change',
    'exchange_subscription',
    'exchange_file',
    'exchange_sync_job',
    'exchange_quota',
    'exchange_mount',
    'exchange_source_check',
    'exchange_source',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
