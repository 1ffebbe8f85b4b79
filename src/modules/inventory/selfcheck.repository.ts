/** The only place that writes SQL for the self-check campaign tables. */
import { type Insertable, sql, type Updateable } from 'kysely';
import type { Executor } from '../../db/index.js';
import type {
  InventoryCampaignRow,
  InventoryCampaignTable,
  InventorySelfcheckItemRow,
  InventorySelfcheckItemTable,
  InventorySelfcheckRow,
  InventorySelfcheckTable,
} from './inventory.table.js';

export type CampaignRowWithCounts = InventoryCampaignRow & {
  finance_org_name: string | null;
  reports: number;
  submitted: number;
  verified: number;
};

function campaigns(db: Executor) {
  return db
    .selectFrom('inventory_campaign as c')
    .leftJoin('organization as f', 'f.id', 'c.finance_org_id')
    .selectAll('c')
    .select((eb) => [
      'f.name as finance_org_name',
      eb
        .selectFrom('inventory_selfcheck as r')
        .whereRef('r.campaign_id', '=', 'c.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('reports'),
      eb
        .selectFrom('inventory_selfcheck as r')
        .whereRef('r.campaign_id', '=', 'c.id')
        .where('r.status', '!=', 'pending')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('submitted'),
      eb
        .selectFrom('inventory_selfcheck as r')
        .whereRef('r.campaign_id', '=', 'c.id')
        .where('r.status', '=', 'verified')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('verified'),
    ]);
}

export async function insertCampaign(db: Executor, row: Insertable<InventoryCampaignTable>): Promise<string> {
  const out = await db.insertInto('inventory_campaign').values(row).returning('id').executeTakeFirstOrThrow();
  return out.id;
}

export async function findCampaign(db: Executor, id: string): Promise<CampaignRowWithCounts | undefined> {
  return (await campaigns(db).where('c.id', '=', id).executeTakeFirst()) as CampaignRowWithCounts | undefined;
}

export async function listCampaigns(
  db: Executor,
  offset: number,
  limit: number,
): Promise<{ rows: CampaignRowWithCounts[]; total: number }> {
  const rows = (await campaigns(db)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .offset(offset)
    .limit(limit)
    .execute()) as CampaignRowWithCounts[];
  const t = await db
    .selectFrom('inventory_campaign')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: t.n };
}

export async function updateCampaign(
  db: Executor,
  id: string,
  values: Updateable<InventoryCampaignTable>,
): Promise<void> {
  await db.updateTable('inventory_campaign').set(values).where('id', '=', id).execute();
}

/** The organizations that report: every active one but the platform office itself. */
export async function participants(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('organization')
    .select('id')
    .where('status', '=', 'active')
    .where('kind', '!=', 'platform_office')
    .orderBy('name')
    .execute();
  return rows.map((r) => r.id);
}

export async function orgExists(db: Executor, id: string): Promise<boolean> {
  return !!(await db.selectFrom('organization').select('id').where('id', '=', id).executeTakeFirst());
}

export async function insertReports(
  db: Executor,
  rows: Insertable<InventorySelfcheckTable>[],
): Promise<void> {
  if (rows.length > 0) await db.insertInto('inventory_selfcheck').values(rows).execute();
}

export type ReportRowWithOrg = InventorySelfcheckRow & {
  org_name: string;
  items: number;
  items_verified: number;
  items_returned: number;
};

function reports(db: Executor) {
  return db
    .selectFrom('inventory_selfcheck as r')
    .innerJoin('organization as o', 'o.id', 'r.org_id')
    .selectAll('r')
    .select((eb) => [
      'o.name as org_name',
      eb
        .selectFrom('inventory_selfcheck_item as i')
        .whereRef('i.report_id', '=', 'r.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('items'),
      eb
        .selectFrom('inventory_selfcheck_item as i')
        .whereRef('i.report_id', '=', 'r.id')
        .where('i.status', '=', 'verified')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('items_verified'),
      eb
        .selectFrom('inventory_selfcheck_item as i')
        .whereRef('i.report_id', '=', 'r.id')
        .where('i.status', '=', 'returned')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('items_returned'),
    ]);
}

export async function listReports(
  db: Executor,
  campaignId: string,
  orgId: string | null,
): Promise<ReportRowWithOrg[]> {
  let q = reports(db).where('r.campaign_id', '=', campaignId);
  if (orgId) q = q.where('r.org_id', '=', orgId);
  return (await q.orderBy('o.name').execute()) as ReportRowWithOrg[];
}

export async function findReport(
  db: Executor,
  campaignId: string,
  orgId: string,
): Promise<ReportRowWithOrg | undefined> {
  return (await reports(db)
    .where('r.campaign_id', '=', campaignId)
    .where('r.org_id', '=', orgId)
    .executeTakeFirst()) as ReportRowWithOrg | undefined;
}

/** Locks the report row for a state change (optimistic flows would lose a concurrent send-back). */
export async function lockReport(db: Executor, id: string): Promise<InventorySelfcheckRow | undefined> {
  return db.selectFrom('inventory_selfcheck').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateReport(
  db: Executor,
  id: string,
  values: Updateable<InventorySelfcheckTable>,
): Promise<void> {
  await db.updateTable('inventory_selfcheck').set(values).where('id', '=', id).execute();
}

export async function listItems(db: Executor, reportId: string): Promise<InventorySelfcheckItemRow[]> {
  return db
    .selectFrom('inventory_selfcheck_item')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('system_name')
    .orderBy('id')
    .execute();
}

export async function insertItems(
  db: Executor,
  rows: Insertable<InventorySelfcheckItemTable>[],
): Promise<void> {
  if (rows.length > 0) await db.insertInto('inventory_selfcheck_item').values(rows).execute();
}

export async function updateItem(
  db: Executor,
  id: string,
  values: Updateable<InventorySelfcheckItemTable>,
): Promise<void> {
  await db.updateTable('inventory_selfcheck_item').set(values).where('id', '=', id).execute();
}

export async function deleteItems(db: Executor, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('inventory_selfcheck_item').where('id', 'in', ids).execute();
}
