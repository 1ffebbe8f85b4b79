/**
 * The information-system inventory (R2): the register of systems with their usage facts and
 * dispositions, and the zombie / shadow / single-unit flags detection keeps. Frozen once released.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inventory_system')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('internal_unit', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('function_description', 'text', (c) => c.notNull())
    .addColumn('scope_of_use', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('frequency_of_use', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('approving_department', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('approval_date', 'date')
    .addColumn('funding_source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('builder', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('investment_wan', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('om_cost_wan', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('funding_channel', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data_resources', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('catalog_entry_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('protection_level', 'integer')
    .addColumn('protection_filing_no', 'text')
    .addColumn('classified', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('classified_filing_no', 'text')
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('monthly_active_users', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('monthly_transactions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_maintenance_on', 'date')
    .addColumn('utilization_pct', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('business_link', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('replaced_by_id', 'uuid', (c) => c.references('inventory_system.id'))
    .addColumn('must_connect', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('connected', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('disposition', 'text')
    .addColumn('disposition_target_on', 'date')
    .addColumn('disposition_note', 'text')
    .addColumn('asset_write_off_note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('inventory_system_org_idx').on('inventory_system').column('org_id').execute();
  await db.schema
    .createTable('inventory_flag')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('system_id', 'uuid', (c) => c.notNull().references('inventory_system.id'))
    .addColumn('other_system_id', 'uuid', (c) => c.references('inventory_system.id'))
    .addColumn('score', 'double precision')
    .addColumn('explanation_zh', 'text', (c) => c.notNull())
    .addColumn('explanation_en', 'text', (c) => c.notNull())
    .addColumn('facts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('resolution_reason', 'text')
    .addColumn('resolved_by', 'uuid')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('detected_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('inventory_flag_system_idx').on('inventory_flag').column('system_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inventory_flag').execute();
  await db.schema.dropTable('inventory_system').execute();
}
