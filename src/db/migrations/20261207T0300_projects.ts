/**
 * E-government projects (R10): the project with its full-scope filing fields, the stages it went
 * through with their deadlines, every step and decision, the documents filed by SM3 fingerprint or
 * reference, the links to its pre-compiled catalog entries, and the expert pool. Frozen once released.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('project_expert')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('org_name', 'text', (c) => c.notNull())
    .addColumn('org_id', 'uuid', (c) => c.references('organization.id'))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('project')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organization.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('needs'))
    .addColumn('stage_due_on', 'date')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('needs_budget_yuan', 'double precision', (c) => c.notNull())
    .addColumn('tech_budget_yuan', 'double precision')
    .addColumn('approved_budget_yuan', 'double precision')
    .addColumn('om_cost_yuan', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('funding_channel', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data_resources', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('system_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('protection_level', 'integer')
    .addColumn('protection_filing_no', 'text')
    .addColumn('classified_filing_no', 'text')
    .addColumn('plan_year', 'integer')
    .addColumn('contractor', 'text')
    .addColumn('contract_amount_yuan', 'double precision')
    .addColumn('contract_signed_on', 'date')
    .addColumn('notice_due_on', 'date')
    .addColumn('notice_published_on', 'date')
    .addColumn('supervisor', 'text')
    .addColumn('trial_started_on', 'date')
    .addColumn('trial_ends_on', 'date')
    .addColumn('accepted_on', 'date')
    .addColumn('audited_on', 'date')
    .addColumn('om_unit', 'text')
    .addColumn('evaluation_score', 'double precision')
    .addColumn('evaluation_grade', 'text')
    .addColumn('evaluated_on', 'date')
    .addColumn('caution_project_id', 'uuid', (c) => c.references('project.id'))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('project_org_idx').on('project').columns(['org_id', 'stage']).execute();
  await db.schema
    .createTable('project_stage')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // The order of events (several can share a day, and a replayed history shares its timestamps).
    .addColumn('seq', 'serial', (c) => c.notNull())
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('project.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('entered_on', 'date', (c) => c.notNull())
    .addColumn('due_on', 'date')
    .addColumn('left_on', 'date')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema.createIndex('project_stage_project_idx').on('project_stage').column('project_id').execute();
  await db.schema
    .createTable('project_step')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('seq', 'serial', (c) => c.notNull())
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('project.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('expert_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('project_step_project_idx').on('project_step').column('project_id').execute();
  await db.schema
    .createTable('project_document')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('seq', 'serial', (c) => c.notNull())
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('project.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    // The stage entry it was filed in: a step counts only what was filed since the stage was (re)entered.
    .addColumn('stage_entry_id', 'uuid', (c) => c.references('project_stage.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sm3', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('reference', 'text')
    .addColumn('uploaded_by', 'uuid')
    .addColumn('uploaded_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('project_document_project_idx')
    .on('project_document')
    .column('project_id')
    .execute();
  // No foreign key to catalog_entry: a linked draft the department deletes shows as gone, not blocked.
  await db.schema
    .createTable('project_catalog_link')
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('project.id'))
    .addColumn('entry_id', 'uuid', (c) => c.notNull())
    .addColumn('linked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('project_catalog_link_pk', ['project_id', 'entry_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'project_catalog_link',
    'project_document',
    'project_step',
    'project_stage',
    'project',
    'project_expert',
  ])
    await db.schema.dropTable(t).execute();
}
