/** The only place that writes SQL for the project tables. */
import { type Insertable, sql, type Updateable } from 'kysely';
import type { Executor } from '../../db/index.js';
import type {
  ProjectDocumentRow,
  ProjectDocumentTable,
  ProjectExpertRow,
  ProjectExpertTable,
  ProjectRow,
  ProjectStageRow,
  ProjectStageTable,
  ProjectStepRow,
  ProjectStepTable,
  ProjectTable,
} from './projects.table.js';

export type ProjectRowWithOrg = ProjectRow & { org_name: string };

function projects(db: Executor) {
  return db
    .selectFrom('project as p')
    .innerJoin('organization as o', 'o.id', 'p.org_id')
    .selectAll('p')
    .select('o.name as org_name');
}

export interface ProjectFilter {
  orgId: string | null;
  stages: string[];
  q: string | null;
}

export async function listProjects(
  db: Executor,
  f: ProjectFilter,
  limit: number,
  offset: number,
): Promise<{ rows: ProjectRowWithOrg[]; total: number }> {
  let q = projects(db);
  if (f.orgId) q = q.where('p.org_id', '=', f.orgId);
  if (f.stages.length > 0) q = q.where('p.stage', 'in', f.stages);
  if (f.q) q = q.where('p.name', 'ilike', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const total = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .orderBy(sql`p.stage_due_on is null`)
    .orderBy('p.stage_due_on')
    .orderBy('p.updated_at', 'desc')
    .orderBy('p.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows, total: Number(total.n) };
}

export async function findProject(db: Executor, id: string): Promise<ProjectRowWithOrg | undefined> {
  return projects(db).where('p.id', '=', id).executeTakeFirst();
}

export async function insertProject(db: Executor, row: Insertable<ProjectTable>): Promise<string> {
  const r = await db.insertInto('project').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Updates a project only at the version the caller read; false when someone moved it meanwhile. */
export async function updateProject(
  db: Executor,
  id: string,
  version: number,
  values: Updateable<ProjectTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('project')
    .set({ ...values, version: version + 1, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function stages(db: Executor, projectId: string): Promise<ProjectStageRow[]> {
  return db
    .selectFrom('project_stage')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('seq')
    .execute();
}

export async function openStage(db: Executor, projectId: string): Promise<ProjectStageRow | undefined> {
  return db
    .selectFrom('project_stage')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('left_on', 'is', null)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
}

export async function insertStage(db: Executor, row: Insertable<ProjectStageTable>): Promise<void> {
  await db.insertInto('project_stage').values(row).execute();
}

export async function closeStage(db: Executor, id: string, leftOn: string, outcome: string): Promise<void> {
  await db.updateTable('project_stage').set({ left_on: leftOn, outcome }).where('id', '=', id).execute();
}

export async function steps(db: Executor, projectId: string): Promise<ProjectStepRow[]> {
  return db
    .selectFrom('project_step')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('seq')
    .execute();
}

export async function insertStep(db: Executor, row: Insertable<ProjectStepTable>): Promise<void> {
  await db.insertInto('project_step').values(row).execute();
}

export async function documents(db: Executor, projectId: string): Promise<ProjectDocumentRow[]> {
  return db
    .selectFrom('project_document')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('seq')
    .execute();
}

export async function insertDocument(db: Executor, row: Insertable<ProjectDocumentTable>): Promise<string> {
  const r = await db.insertInto('project_document').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function linkedEntryIds(db: Executor, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('project_catalog_link')
    .select('entry_id')
    .where('project_id', '=', projectId)
    .orderBy('linked_at')
    .execute();
  return rows.map((r) => r.entry_id);
}

export async function link(db: Executor, projectId: string, entryId: string): Promise<boolean> {
  const r = await db
    .insertInto('project_catalog_link')
    .values({ project_id: projectId, entry_id: entryId })
    .onConflict((oc) => oc.doNothing())
    .returning('entry_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function unlink(db: Executor, projectId: string, entryId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('project_catalog_link')
    .where('project_id', '=', projectId)
    .where('entry_id', '=', entryId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** A department's projects graded poor, evaluated on or after a day (004 §22, §24). */
export async function poorEvaluations(
  db: Executor,
  orgId: string,
  since: string,
): Promise<{ id: string; name: string; evaluation_score: number | null; evaluated_on: string | null }[]> {
  return db
    .selectFrom('project')
    .select(['id', 'name', 'evaluation_score', 'evaluated_on'])
    .where('org_id', '=', orgId)
    .where('evaluation_grade', '=', 'poor')
    .where('evaluated_on', '>=', since)
    .orderBy('evaluated_on', 'desc')
    .execute();
}

export async function projectNames(db: Executor, ids: string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('project').select(['id', 'name']).where('id', 'in', ids).execute();
}

export async function orgExists(db: Executor, id: string): Promise<boolean> {
  return !!(await db.selectFrom('organization').select('id').where('id', '=', id).executeTakeFirst());
}

/** The catalog entries of a department by name (the demo links its projects' catalogs by name). */
export async function entryIdsByName(db: Executor, orgId: string, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('catalog_entry')
    .select(['id', 'name'])
    .where('provider_org_id', '=', orgId)
    .where('name', 'in', names)
    .where('revision_of', 'is', null)
    .execute();
  return names.flatMap((n) => rows.filter((r) => r.name === n).map((r) => r.id));
}

export async function isEmpty(db: Executor): Promise<boolean> {
  return !(await db.selectFrom('project').select('id').limit(1).executeTakeFirst());
}

// ── the expert pool ──

export interface ExpertFilter {
  field: string | null;
  activeOnly: boolean;
  q: string | null;
}

export async function listExperts(
  db: Executor,
  f: ExpertFilter,
  limit: number,
  offset: number,
): Promise<{ rows: ProjectExpertRow[]; total: number }> {
  let q = db.selectFrom('project_expert');
  if (f.field) q = q.where('field', '=', f.field);
  if (f.activeOnly) q = q.where('active', '=', true);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('org_name', 'ilike', like)]));
  }
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('field').orderBy('name').limit(limit).offset(offset).execute();
  return { rows, total: Number(total.n) };
}

export async function experts(db: Executor, ids: string[]): Promise<ProjectExpertRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('project_expert').selectAll().where('id', 'in', ids).execute();
}

export async function insertExpert(db: Executor, row: Insertable<ProjectExpertTable>): Promise<string> {
  const r = await db.insertInto('project_expert').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateExpert(
  db: Executor,
  id: string,
  values: Updateable<ProjectExpertTable>,
): Promise<boolean> {
  const r = await db.updateTable('project_expert').set(values).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
