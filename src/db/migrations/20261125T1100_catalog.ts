/**
 * The resource catalog (政务信息资源目录): entries with their data items, published versions,
 * the review log, update tasks after a change of law or function, and the demand list.
 * Frozen: never edit after release; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Sequence numbers per classification code: codes are never reused, even after deletion.
  await db.schema
    .createTable('catalog_code_seq')
    .addColumn('class_code', 'text', (c) => c.primaryKey())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('catalog_entry')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // A revision of a published entry is its own row until published; then it is folded back.
    .addColumn('revision_of', 'uuid', (c) => c.references('catalog_entry.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('class_code', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('1','2','3')`))
    .addColumn('class_name', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('provider_org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('provider_unit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('format_category', 'text', (c) => c.notNull())
    .addColumn('format_type', 'text', (c) => c.notNull())
    .addColumn('share_type', 'text', (c) =>
      c.notNull().check(sql`share_type in ('unconditional','conditional','not_shared')`),
    )
    .addColumn('share_condition_scope', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('share_condition_use', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('not_shared_basis_kind', 'text')
    .addColumn('not_shared_basis', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('share_modes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('open_type', 'text', (c) =>
      c.notNull().check(sql`open_type in ('general','authorized','not_open')`),
    )
    .addColumn('open_condition', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('update_cycle', 'text', (c) => c.notNull())
    .addColumn('publish_date', 'date')
    .addColumn('related_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('source_system', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('basic_library', 'text')
    .addColumn('classified', 'boolean', (c) => c.notNull().defaultTo(false).check(sql`classified = false`))
    .addColumn('data_category', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data_grade', 'text', (c) =>
      c.notNull().check(sql`data_grade in ('core','important','general')`),
    )
    .addColumn('storage_gb', 'numeric')
    .addColumn('record_count', 'bigint')
    .addColumn('shared_gb', 'numeric')
    .addColumn('shared_records', 'bigint')
    .addColumn('opened_gb', 'numeric')
    .addColumn('opened_records', 'bigint')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft','submitted','returned','published','withdrawn')`),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confidentiality_assessment', 'text')
    .addColumn('pi_impact_assessment', 'text')
    .addColumn('assessed_by', 'uuid')
    .addColumn('assessed_at', 'timestamptz')
    .addColumn('head_approved_by', 'uuid')
    .addColumn('head_approved_at', 'timestamptz')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('review_due', 'date')
    .addColumn('returned_reason', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('withdrawn_reason', 'text')
    .addColumn('search', sql`tsvector`, (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index catalog_entry_code_uq on catalog_entry (code) where revision_of is null`.execute(
    db,
  );
  await sql`create unique index catalog_entry_revision_uq on catalog_entry (revision_of) where revision_of is not null`.execute(
    db,
  );
  await sql`create index catalog_entry_search_idx on catalog_entry using gin (search)`.execute(db);
  await db.schema
    .createIndex('catalog_entry_provider_idx')
    .on('catalog_entry')
    .column('provider_org_id')
    .execute();
  await db.schema.createIndex('catalog_entry_status_idx').on('catalog_entry').column('status').execute();

  await db.schema
    .createTable('catalog_item')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('entry_id', 'uuid', (c) => c.notNull().references('catalog_entry.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq between 0 and 999`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data_type', 'char(1)', (c) => c.notNull())
    .addColumn('length', 'integer')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('collecting_org_id', 'uuid', (c) => c.references('organization.id'))
    .addColumn('sensitivity', 'text', (c) =>
      c.notNull().check(sql`sensitivity in ('public','internal','sensitive','highly_sensitive')`),
    )
    .addColumn('masking', 'text', (c) =>
      c.notNull().check(sql`masking in ('none','partial','hash','redact')`),
    )
    .addColumn('standard_element', 'text')
    .addUniqueConstraint('catalog_item_entry_seq_uq', ['entry_id', 'seq'])
    .addUniqueConstraint('catalog_item_entry_name_uq', ['entry_id', 'name'])
    .execute();

  await db.schema
    .createTable('catalog_version')
    .addColumn('entry_id', 'uuid', (c) => c.notNull().references('catalog_entry.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('published_by', 'uuid')
    .addPrimaryKeyConstraint('catalog_version_pk', ['entry_id', 'version'])
    .execute();

  await db.schema
    .createTable('catalog_review_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('entry_id', 'uuid', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_org_id', 'uuid')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('catalog_review_log_entry_idx')
    .on('catalog_review_log')
    .column('entry_id')
    .execute();

  // A change of law or of a department's functions, and the update each affected entry then owes.
  await db.schema
    .createTable('catalog_change')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('law','function')`))
    .addColumn('org_id', 'uuid', (c) => c.references('organization.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('effective_on', 'date', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('catalog_update_task')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('change_id', 'uuid', (c) => c.notNull().references('catalog_change.id'))
    .addColumn('entry_id', 'uuid', (c) => c.notNull().references('catalog_entry.id').onDelete('cascade'))
    .addColumn('due', 'date')
    .addColumn('extended_due', 'date')
    .addColumn('extension_reason', 'text')
    .addColumn('done_at', 'timestamptz')
    .addUniqueConstraint('catalog_update_task_uq', ['change_id', 'entry_id'])
    .execute();

  // The demand list (需求清单): what a department needs, and how the need was met.
  await db.schema
    .createTable('catalog_demand')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('wanted_items', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('provider_org_id', 'uuid', (c) => c.references('organization.id'))
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('open','matched','handed_over','cancelled')`),
    )
    .addColumn('matched_entry_id', 'uuid', (c) => c.references('catalog_entry.id'))
    .addColumn('handed_to_org_id', 'uuid', (c) => c.references('organization.id'))
    .addColumn('resolution_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('catalog_demand_org_idx').on('catalog_demand').column('org_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'catalog_demand',
    'catalog_update_task',
    'catalog_change',
    'catalog_review_log',
    'catalog_version',
    'catalog_item',
    'catalog_entry',
    'catalog_code_seq',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
