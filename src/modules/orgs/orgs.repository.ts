/** The only place that writes SQL for organizations and officer assignments. */
import { sql, type Updateable } from 'kysely';
import type { Executor } from '../../db/index.js';
import { offsetOf, type PageRequest } from '../../kernel/pagination.js';
import type {
  OfficerAssignmentRow,
  OfficerDuty,
  OrganizationRow,
  OrganizationTable,
  OrgKind,
  OrgLevel,
} from './orgs.table.js';

export interface OrgFilter {
  kind?: OrgKind;
  parentId?: string;
  divisionCode?: string;
  status?: 'active' | 'dissolved';
  /** Substring of the full, short or English name. */
  q?: string;
}

export interface NewOrg {
  name: string;
  short_name: string;
  name_en: string | null;
  kind: OrgKind;
  level: OrgLevel;
  division_code: string;
  credit_code: string;
  parent_id: string | null;
}

export interface NewAssignment {
  org_id: string;
  duty: OfficerDuty;
  name: string;
  title: string;
  phone: string;
  email: string;
  effective_from: string;
  reported_on: string;
  report_due: string | null;
  late: boolean;
  recorded_by: string | null;
}

/** An assignment with the few organization columns the published lists show. */
export interface AssignmentWithOrg extends OfficerAssignmentRow {
  org_name: string;
  org_short_name: string;
  org_kind: OrgKind;
  org_division_code: string;
}

/** Escapes LIKE wildcards so that a search for "50%" finds "50%", not everything. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Platform office first, then departments, institutions, counties, parks; then by code and name. */
const KIND_ORDER = sql<number>`case kind when 'platform_office' then 0 when 'department' then 1
  when 'public_institution' then 2 when 'county_government' then 3 when 'park' then 4 else 5 end`;

export const orgsRepository = {
  async countOrgs(db: Executor): Promise<number> {
    const row = await db
      .selectFrom('organization')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async findOrg(db: Executor, id: string): Promise<OrganizationRow | undefined> {
    return db.selectFrom('organization').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** The organization row, locked for the rest of the transaction (serializes changes to it). */
  async lockOrg(db: Executor, id: string): Promise<OrganizationRow | undefined> {
    return db.selectFrom('organization').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  async findByCreditCode(db: Executor, creditCode: string): Promise<OrganizationRow | undefined> {
    return db.selectFrom('organization').selectAll().where('credit_code', '=', creditCode).executeTakeFirst();
  },

  async findByCreditCodes(db: Executor, creditCodes: string[]): Promise<OrganizationRow[]> {
    if (creditCodes.length === 0) return [];
    return db.selectFrom('organization').selectAll().where('credit_code', 'in', creditCodes).execute();
  },

  async listOrgs(
    db: Executor,
    filter: OrgFilter,
    page: PageRequest,
  ): Promise<{ rows: OrganizationRow[]; total: number }> {
    let q = db.selectFrom('organization');
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.parentId) q = q.where('parent_id', '=', filter.parentId);
    if (filter.divisionCode) q = q.where('division_code', '=', filter.divisionCode);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.q) {
      const pattern = likePattern(filter.q);
      q = q.where((eb) =>
        eb.or([
          eb('name', 'ilike', pattern),
          eb('short_name', 'ilike', pattern),
          eb('name_en', 'ilike', pattern),
        ]),
      );
    }
    const [rows, count] = await Promise.all([
      q
        .selectAll()
        .orderBy(KIND_ORDER)
        .orderBy('division_code')
        .orderBy('name')
        .orderBy('id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async allOrgs(db: Executor): Promise<OrganizationRow[]> {
    return db
      .selectFrom('organization')
      .selectAll()
      .orderBy(KIND_ORDER)
      .orderBy('division_code')
      .orderBy('name')
      .execute();
  },

  async insertOrg(db: Executor, org: NewOrg): Promise<OrganizationRow> {
    return db.insertInto('organization').values(org).returningAll().executeTakeFirstOrThrow();
  },

  async updateOrg(db: Executor, id: string, patch: Updateable<OrganizationTable>): Promise<OrganizationRow> {
    return db
      .updateTable('organization')
      .set({ ...patch, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  /** The ids of `id` and all its ancestors (UNION stops on a cycle already in the data). */
  async selfAndAncestorIds(db: Executor, id: string): Promise<string[]> {
    const rows = await db
      .withRecursive('up(id, parent_id)', (qb) =>
        qb
          .selectFrom('organization')
          .select(['organization.id', 'organization.parent_id'])
          .where('organization.id', '=', id)
          .union(
            qb
              .selectFrom('organization')
              .innerJoin('up', 'up.parent_id', 'organization.id')
              .select(['organization.id', 'organization.parent_id']),
          ),
      )
      .selectFrom('up')
      .select('up.id')
      .execute();
    return rows.map((r) => r.id);
  },

  // ── officers ──

  /** The open assignment of a duty (no end day yet), if any. */
  async openAssignment(
    db: Executor,
    orgId: string,
    duty: OfficerDuty,
  ): Promise<OfficerAssignmentRow | undefined> {
    return db
      .selectFrom('officer_assignment')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('duty', '=', duty)
      .where('effective_to', 'is', null)
      .orderBy('effective_from', 'desc')
      .executeTakeFirst();
  },

  async closeAssignment(db: Executor, id: string, effectiveTo: string): Promise<void> {
    await db
      .updateTable('officer_assignment')
      .set({ effective_to: effectiveTo })
      .where('id', '=', id)
      .execute();
  },

  async insertAssignment(db: Executor, row: NewAssignment): Promise<OfficerAssignmentRow> {
    return db.insertInto('officer_assignment').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** Every assignment of an organization, by duty and newest first. */
  async assignmentsOf(db: Executor, orgId: string): Promise<OfficerAssignmentRow[]> {
    return db
      .selectFrom('officer_assignment')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('duty')
      .orderBy('effective_from', 'desc')
      .orderBy('recorded_at', 'desc')
      .execute();
  },

  /** Orgs that hold at least one assignment, among the given ones. */
  async orgsWithAssignments(db: Executor, orgIds: string[]): Promise<Set<string>> {
    if (orgIds.length === 0) return new Set();
    const rows = await db
      .selectFrom('officer_assignment')
      .select('org_id')
      .distinct()
      .where('org_id', 'in', orgIds)
      .execute();
    return new Set(rows.map((r) => r.org_id));
  },

  /** The assignments in force on `day` for every active organization. */
  async currentAssignments(db: Executor, day: string): Promise<OfficerAssignmentRow[]> {
    return db
      .selectFrom('officer_assignment as a')
      .innerJoin('organization as o', 'o.id', 'a.org_id')
      .selectAll('a')
      .where('o.status', '=', 'active')
      .where('a.effective_from', '<=', day)
      .where((eb) => eb.or([eb('a.effective_to', 'is', null), eb('a.effective_to', '>=', day)]))
      .orderBy('a.org_id')
      .orderBy('a.duty')
      .orderBy('a.effective_from', 'desc')
      .execute();
  },

  async lateAssignments(
    db: Executor,
    filter: { orgId?: string },
    page: PageRequest,
  ): Promise<{ rows: AssignmentWithOrg[]; total: number }> {
    let q = db
      .selectFrom('officer_assignment as a')
      .innerJoin('organization as o', 'o.id', 'a.org_id')
      .where('a.late', '=', true);
    if (filter.orgId) q = q.where('a.org_id', '=', filter.orgId);
    const [rows, count] = await Promise.all([
      q
        .selectAll('a')
        .select([
          'o.name as org_name',
          'o.short_name as org_short_name',
          'o.kind as org_kind',
          'o.division_code as org_division_code',
        ])
        .orderBy('a.reported_on', 'desc')
        .orderBy('a.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },
};
