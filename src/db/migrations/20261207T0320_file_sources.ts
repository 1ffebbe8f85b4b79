/**
 * File sources and file targets of the exchange. Frozen once released.
 *
 * - `srcdata`: the schema of the platform-managed tables uploaded CSV/XLSX files are loaded into (one
 *   table per file source, swapped whole on every re-upload); never the platform's own tables' schema.
 * - `exchange_file_source`: what is loaded now for each file source (version, file, digest, columns).
 * - `exchange_sync_file_state` / `_chunk` / `_part`: a batch sync job delivering into CSV files: the
 *   job's position, the chunks of the pass being written, and the published parts (a part and the
 *   position after it commit in one transaction).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create schema if not exists srcdata`.execute(db);
  await db.schema
    .createTable('exchange_file_source')
    .addColumn('source_id', 'uuid', (c) =>
      c.primaryKey().references('exchange_source.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull().unique())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('csv','xlsx')`))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sm3', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('columns', 'jsonb', (c) => c.notNull())
    .addColumn('loaded_by', 'uuid')
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('exchange_sync_file_state')
    .addColumn('job_id', 'uuid', (c) => c.primaryKey().references('exchange_sync_job.id').onDelete('cascade'))
    .addColumn('order_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('watermark', 'text')
    .addColumn('key', 'text')
    .addColumn('rows', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('pass', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('complete', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    // Where the pass being written began (the previous pass's end), in clear when it may be shown.
    .addColumn('pass_from', 'text')
    .execute();
  await db.schema
    .createTable('exchange_sync_file_chunk')
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('exchange_sync_job.id').onDelete('cascade'))
    .addColumn('pass', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('exchange_sync_file_chunk_pk', ['job_id', 'pass', 'seq'])
    .execute();
  await db.schema
    .createTable('exchange_sync_file_part')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('exchange_sync_job.id').onDelete('cascade'))
    .addColumn('part_no', 'integer', (c) => c.notNull())
    .addColumn('pass', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sm3', 'text', (c) => c.notNull())
    .addColumn('range_from', 'text')
    .addColumn('range_to', 'text')
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('exchange_sync_file_part_uq', ['job_id', 'part_no'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'exchange_sync_file_part',
    'exchange_sync_file_chunk',
    'exchange_sync_file_state',
    'exchange_file_source',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await sql`drop schema if exists srcdata cascade`.execute(db);
}
