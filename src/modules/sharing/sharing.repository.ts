/** The only place that writes SQL for the sharing tables. */
import { type Insertable, sql, type Updateable } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { JsonObject } from '../../kernel/json.js';
import { offsetOf, type PageRequest } from '../../kernel/pagination.js';
import type { AppStatus } from './sharing.machine.js';
import type {
  ShareApplicationRow,
  ShareApplicationTable,
  ShareGrantRow,
  ShareGrantTable,
} from './sharing.table.js';

export interface AppFilter {
  applicantOrgId?: string;
  providerOrgId?: string;
  /** Either side: applications where this organization applies or provides. */
  partyOrgId?: string;
  statuses?: AppStatus[];
  dueBefore?: string;
}

export const sharingRepository = {
  async nextNumber(tx: Executor, year: number): Promise<number> {
    const r = await tx
      .insertInto('share_application_seq')
      .values({ year, last: 1 })
      .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql`share_application_seq.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return r.last;
  },

  async insert(tx: Executor, row: Insertable<ShareApplicationTable>): Promise<ShareApplicationRow> {
    return tx.insertInto('share_application').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async get(db: Executor, id: string): Promise<ShareApplicationRow | undefined> {
    return db.selectFrom('share_application').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Moves an application only if nobody moved it meanwhile (optimistic lock on version). */
  async update(
    tx: Executor,
    id: string,
    version: number,
    patch: Updateable<ShareApplicationTable>,
  ): Promise<ShareApplicationRow | undefined> {
    return tx
      .updateTable('share_application')
      .set({ ...patch, version: version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  async list(
    db: Executor,
    f: AppFilter,
    page: PageRequest,
  ): Promise<{ rows: ShareApplicationRow[]; total: number }> {
    let q = db.selectFrom('share_application');
    if (f.applicantOrgId) q = q.where('applicant_org_id', '=', f.applicantOrgId);
    if (f.providerOrgId) q = q.where('provider_org_id', '=', f.providerOrgId);
    if (f.partyOrgId) {
      const o = f.partyOrgId;
      q = q.where((eb) => eb.or([eb('applicant_org_id', '=', o), eb('provider_org_id', '=', o)]));
    }
    if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
    if (f.dueBefore) {
      const d = f.dueBefore;
      q = q.where((eb) => eb.or([eb('due_on', '<', d), eb('supply_due', '<', d)]));
    }
    const [rows, count] = await Promise.all([
      q
        .selectAll()
        .orderBy(sql`coalesce(due_on, supply_due) asc nulls last`)
        .orderBy('created_at', 'desc')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
      q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async logEvent(
    tx: Executor,
    e: {
      application_id: string;
      action: string;
      from_status: AppStatus | null;
      to_status: AppStatus;
      actor_user_id: string | null;
      actor_org_id: string | null;
      note: string;
      detail: JsonObject;
    },
  ): Promise<void> {
    await tx
      .insertInto('share_event')
      .values({ ...e, detail: JSON.stringify(e.detail) })
      .execute();
  },

  async events(db: Executor, applicationId: string) {
    return db
      .selectFrom('share_event')
      .selectAll()
      .where('application_id', '=', applicationId)
      .orderBy('id')
      .execute();
  },

  async addMessage(
    tx: Executor,
    m: {
      application_id: string;
      author_user_id: string | null;
      author_org_id: string;
      stage: AppStatus;
      body: string;
    },
  ): Promise<void> {
    await tx.insertInto('share_message').values(m).execute();
  },

  async messages(db: Executor, applicationId: string) {
    return db
      .selectFrom('share_message')
      .selectAll()
      .where('application_id', '=', applicationId)
      .orderBy('id')
      .execute();
  },

  // ── grants ──

  async insertGrant(tx: Executor, g: Insertable<ShareGrantTable>): Promise<ShareGrantRow> {
    const row = await tx.insertInto('share_grant').values(g).returningAll().executeTakeFirstOrThrow();
    await sql`select pg_notify('govshare_grant', ${row.id})`.execute(tx);
    return row;
  },

  async grant(db: Executor, id: string): Promise<ShareGrantRow | undefined> {
    return db.selectFrom('share_grant').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Changes a grant and tells every node (LISTEN govshare_grant) to drop what it cached. */
  async updateGrant(
    tx: Executor,
    id: string,
    version: number,
    patch: Updateable<ShareGrantTable>,
  ): Promise<ShareGrantRow | undefined> {
    const row = await tx
      .updateTable('share_grant')
      .set({ ...patch, version: version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
    if (row) await sql`select pg_notify('govshare_grant', ${id})`.execute(tx);
    return row;
  },

  async grants(
    db: Executor,
    f: {
      consumerOrgId?: string;
      providerOrgId?: string;
      partyOrgId?: string;
      status?: string;
      entryId?: string;
    },
    page: PageRequest,
  ): Promise<{ rows: ShareGrantRow[]; total: number }> {
    let q = db.selectFrom('share_grant');
    if (f.entryId) q = q.where('entry_id', '=', f.entryId);
    if (f.consumerOrgId) q = q.where('consumer_org_id', '=', f.consumerOrgId);
    if (f.providerOrgId) q = q.where('provider_org_id', '=', f.providerOrgId);
    if (f.partyOrgId) {
      const o = f.partyOrgId;
      q = q.where((eb) => eb.or([eb('consumer_org_id', '=', o), eb('provider_org_id', '=', o)]));
    }
    if (f.status) q = q.where('status', '=', f.status as ShareGrantRow['status']);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').limit(page.pageSize).offset(offsetOf(page)).execute(),
      q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** The active grant letting a system use a resource today, if any (what the exchange gate asks). */
  async activeGrant(
    db: Executor,
    systemId: string,
    entryId: string,
    today: string,
  ): Promise<ShareGrantRow | undefined> {
    return db
      .selectFrom('share_grant')
      .selectAll()
      .where('consumer_system_id', '=', systemId)
      .where('entry_id', '=', entryId)
      .where('status', '=', 'active')
      .where('valid_from', '<=', today)
      .where('valid_to', '>=', today)
      .orderBy('valid_to', 'desc')
      .executeTakeFirst();
  },

  async expireGrants(tx: Executor, today: string): Promise<string[]> {
    const rows = await tx
      .updateTable('share_grant')
      .set({
        status: 'expired',
        status_reason: 'valid_to passed',
        version: sql`version + 1`,
        updated_at: new Date(),
      })
      .where('status', 'in', ['active', 'suspended'])
      .where('valid_to', '<', today)
      .returning('id')
      .execute();
    for (const r of rows) await sql`select pg_notify('govshare_grant', ${r.id})`.execute(tx);
    return rows.map((r) => r.id);
  },

  async grantsExpiringBy(db: Executor, day: string): Promise<ShareGrantRow[]> {
    return db
      .selectFrom('share_grant')
      .selectAll()
      .where('status', '=', 'active')
      .where('valid_to', '<=', day)
      .execute();
  },

  // ── deadlines: reminders and the finance list ──

  async overdue(db: Executor, today: string): Promise<ShareApplicationRow[]> {
    return db
      .selectFrom('share_application')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'submitted'), eb('due_on', '<', today)]),
          eb.and([eb('status', 'in', ['approved', 'decided']), eb('supply_due', '<', today)]),
        ]),
      )
      .execute();
  },

  async dueSoon(db: Executor, from: string, to: string): Promise<ShareApplicationRow[]> {
    return db
      .selectFrom('share_application')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'submitted'), eb('due_on', '>=', from), eb('due_on', '<=', to)]),
          eb.and([
            eb('status', 'in', ['approved', 'decided']),
            eb('supply_due', '>=', from),
            eb('supply_due', '<=', to),
          ]),
        ]),
      )
      .execute();
  },

  async addReminder(
    tx: Executor,
    r: {
      org_id: string;
      kind: string;
      object_type: string;
      object_id: string;
      due_on: string | null;
      message_zh: string;
      message_en: string;
    },
  ): Promise<boolean> {
    const res = await tx
      .insertInto('reminder')
      .values(r)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  async reminders(db: Executor, orgId: string | null, unreadOnly: boolean) {
    let q = db.selectFrom('reminder').selectAll();
    if (orgId) q = q.where('org_id', '=', orgId);
    if (unreadOnly) q = q.where('read_at', 'is', null);
    return q.orderBy('created_at', 'desc').limit(200).execute();
  },

  async markReminderRead(tx: Executor, id: string, orgId: string | null): Promise<number> {
    let q = tx.updateTable('reminder').set({ read_at: new Date() }).where('id', '=', id);
    if (orgId) q = q.where('org_id', '=', orgId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async addViolation(
    tx: Executor,
    v: {
      application_id: string;
      org_id: string;
      kind: 'answer_late' | 'supply_late';
      due_on: string;
      detected_on: string;
      resolved_on?: string | null;
    },
  ): Promise<boolean> {
    const res = await tx
      .insertInto('share_violation')
      .values(v)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  async resolveViolations(
    tx: Executor,
    applicationId: string,
    kind: 'answer_late' | 'supply_late',
    on: string,
  ): Promise<void> {
    await tx
      .updateTable('share_violation')
      .set({ resolved_on: on })
      .where('application_id', '=', applicationId)
      .where('kind', '=', kind)
      .where('resolved_on', 'is', null)
      .execute();
  },

  async violations(db: Executor, orgId: string | null) {
    let q = db
      .selectFrom('share_violation as v')
      .innerJoin('share_application as a', 'a.id', 'v.application_id')
      .innerJoin('organization as o', 'o.id', 'v.org_id')
      .select([
        'v.id',
        'v.application_id',
        'a.number',
        'v.org_id',
        'o.name as org_name',
        'v.kind',
        'v.due_on',
        'v.detected_on',
        'v.resolved_on',
      ]);
    if (orgId) q = q.where('v.org_id', '=', orgId);
    return q.orderBy('v.detected_on', 'desc').execute();
  },

  async insertAgreement(
    tx: Executor,
    a: { grant_id: string; text: string; digest: string },
  ): Promise<string> {
    const r = await tx.insertInto('share_agreement').values(a).returning('id').executeTakeFirstOrThrow();
    return r.id;
  },
};
