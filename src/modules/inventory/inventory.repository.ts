/** The only place that writes SQL for the inventory tables. */
import { type Insertable, sql, type Updateable } from 'kysely';
import type { Executor } from '../../db/index.js';
import type {
  InventoryFlagRow,
  InventoryFlagTable,
  InventorySystemRow,
  InventorySystemTable,
} from './inventory.table.js';

export type SystemRowWithOrg = InventorySystemRow & { org_name: string };

function systems(db: Executor) {
  return db
    .selectFrom('inventory_system as s')
    .innerJoin('organization as o', 'o.id', 's.org_id')
    .selectAll('s')
    .select('o.name as org_name');
}

export async function listSystems(db: Executor, orgId: string | null): Promise<SystemRowWithOrg[]> {
  let q = systems(db);
  if (orgId) q = q.where('s.org_id', '=', orgId);
  return q.orderBy('o.name').orderBy('s.name').execute();
}

export async function findSystem(db: Executor, id: string): Promise<SystemRowWithOrg | undefined> {
  return systems(db).where('s.id', '=', id).executeTakeFirst();
}

export async function isEmpty(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('inventory_system').select('id').limit(1).executeTakeFirst();
  return !row;
}

export async function insertSystems(
  db: Executor,
  rows: Insertable<InventorySystemTable>[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const out = await db.insertInto('inventory_system').values(rows).returning('id').execute();
  return out.map((r) => r.id);
}

export async function updateSystem(
  db: Executor,
  id: string,
  values: Updateable<InventorySystemTable>,
): Promise<void> {
  await db.updateTable('inventory_system').set(values).where('id', '=', id).execute();
}

export type FlagRowWithNames = InventoryFlagRow & {
  system_name: string;
  system_org_id: string;
  other_name: string | null;
  other_org_id: string | null;
};

function flags(db: Executor) {
  return db
    .selectFrom('inventory_flag as f')
    .innerJoin('inventory_system as s', 's.id', 'f.system_id')
    .leftJoin('inventory_system as t', 't.id', 'f.other_system_id')
    .selectAll('f')
    .select([
      's.name as system_name',
      's.org_id as system_org_id',
      't.name as other_name',
      't.org_id as other_org_id',
    ]);
}

export interface FlagFilter {
  orgId: string | null;
  systemId?: string;
  kind?: string;
  status?: string;
}

export async function listFlags(db: Executor, f: FlagFilter): Promise<FlagRowWithNames[]> {
  let q = flags(db);
  const { orgId, systemId, kind, status } = f;
  if (orgId) q = q.where((eb) => eb.or([eb('s.org_id', '=', orgId), eb('t.org_id', '=', orgId)]));
  if (systemId)
    q = q.where((eb) => eb.or([eb('f.system_id', '=', systemId), eb('f.other_system_id', '=', systemId)]));
  if (kind) q = q.where('f.kind', '=', kind);
  if (status) q = q.where('f.status', '=', status);
  return q.orderBy('f.kind').orderBy('f.rule').orderBy('s.name').execute();
}

export async function findFlag(db: Executor, id: string): Promise<FlagRowWithNames | undefined> {
  return flags(db).where('f.id', '=', id).executeTakeFirst();
}

export async function allFlagStatuses(db: Executor): Promise<{ id: string; status: string }[]> {
  return db.selectFrom('inventory_flag').select(['id', 'status']).execute();
}

export async function upsertFlags(db: Executor, rows: Insertable<InventoryFlagTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('inventory_flag')
      .values(rows.slice(i, i + 200))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          score: eb.ref('excluded.score'),
          explanation_zh: eb.ref('excluded.explanation_zh'),
          explanation_en: eb.ref('excluded.explanation_en'),
          facts: eb.ref('excluded.facts'),
          detected_at: eb.ref('excluded.detected_at'),
        })),
      )
      .execute();
  }
}

export async function deleteFlags(db: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('inventory_flag').where('id', 'in', ids).execute();
}

export async function resolveFlag(
  db: Executor,
  id: string,
  values: Updateable<InventoryFlagTable>,
): Promise<void> {
  await db.updateTable('inventory_flag').set(values).where('id', '=', id).execute();
}

export async function orgExists(db: Executor, id: string): Promise<boolean> {
  const row = await db.selectFrom('organization').select('id').where('id', '=', id).executeTakeFirst();
  return !!row;
}

export interface RegisterFilter {
  orgId: string | null;
  /** connected · not_connected (must connect and has not) · not_required */
  status?: string;
  /** A kind of flag the system carries (open or confirmed), or 'any'. */
  flag?: string;
  /** A disposition, or 'none'. */
  disposition?: string;
  q?: string;
}

export type RegisterRow = SystemRowWithOrg & { flag_kinds: string[] | null; open_flags: number };

/** One page of the register, filtered in SQL, with each system's flag kinds and open flags. */
export async function registerPage(
  db: Executor,
  f: RegisterFilter,
  offset: number,
  limit: number,
): Promise<{ rows: RegisterRow[]; total: number }> {
  let q = db.selectFrom('inventory_system as s').innerJoin('organization as o', 'o.id', 's.org_id');
  if (f.orgId) q = q.where('s.org_id', '=', f.orgId);
  if (f.status === 'connected') q = q.where('s.connected', '=', true);
  else if (f.status === 'not_connected')
    q = q.where('s.must_connect', '=', true).where('s.connected', '=', false);
  else if (f.status === 'not_required')
    q = q.where('s.must_connect', '=', false).where('s.connected', '=', false);
  if (f.disposition === 'none') q = q.where('s.disposition', 'is', null);
  else if (f.disposition) q = q.where('s.disposition', '=', f.disposition);
  if (f.q?.trim()) q = q.where('s.name', 'like', `%${f.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const flag = f.flag;
  if (flag)
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('inventory_flag as f')
          .select('f.id')
          .where('f.status', '!=', 'dismissed')
          .where((eb) =>
            eb.or([eb('f.system_id', '=', eb.ref('s.id')), eb('f.other_system_id', '=', eb.ref('s.id'))]),
          )
          .$if(flag !== 'any', (w) => w.where('f.kind', '=', flag)),
      ),
    );
  const total = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('s')
    .select((eb) => [
      'o.name as org_name',
      eb
        .selectFrom('inventory_flag as f')
        .where('f.status', '!=', 'dismissed')
        .where((w) =>
          w.or([w('f.system_id', '=', w.ref('s.id')), w('f.other_system_id', '=', w.ref('s.id'))]),
        )
        .select(sql<string[]>`array_agg(distinct f.kind order by f.kind)`.as('k'))
        .as('flag_kinds'),
      eb
        .selectFrom('inventory_flag as f')
        .where('f.status', '=', 'open')
        .where((w) =>
          w.or([w('f.system_id', '=', w.ref('s.id')), w('f.other_system_id', '=', w.ref('s.id'))]),
        )
        .select(sql<number>`count(*)::int`.as('n'))
        .as('open_flags'),
    ])
    .orderBy('o.name')
    .orderBy('s.name')
    .orderBy('s.id')
    .offset(offset)
    .limit(limit)
    .execute();
  return { rows: rows as RegisterRow[], total: total.n };
}

export async function replacedBy(db: Executor, id: string): Promise<string[]> {
  const rows = await db
    .selectFrom('inventory_system')
    .select('name')
    .where('replaced_by_id', '=', id)
    .execute();
  return rows.map((r) => r.name);
}

export async function deleteSystem(db: Executor, id: string): Promise<void> {
  await db
    .deleteFrom('inventory_flag')
    .where((eb) => eb.or([eb('system_id', '=', id), eb('other_system_id', '=', id)]))
    .execute();
  await db.deleteFrom('inventory_system').where('id', '=', id).execute();
}
