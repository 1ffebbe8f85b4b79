/** The only place that writes SQL for the catalog tables. */
import { type Insertable, type SelectQueryBuilder, sql, type Updateable } from 'kysely';
import type { Database, Executor } from '../../db/index.js';
import type { JsonObject } from '../../kernel/json.js';
import { offsetOf, type PageRequest } from '../../kernel/pagination.js';
import type {
  CatalogDemandRow,
  CatalogDemandTable,
  CatalogEntryRow,
  CatalogEntryTable,
  CatalogItemRow,
  CatalogItemTable,
} from './catalog.table.js';
import type { EntryStatus } from './catalog.values.js';

/** The text of an entry, already segmented, by weight: A name, B summary, C items, D provider. */
export interface SearchText {
  name: string;
  summary: string;
  items: string;
  provider: string;
}

function searchVector(t: SearchText) {
  return sql<string>`setweight(to_tsvector('simple', ${t.name}), 'A') || setweight(to_tsvector('simple', ${t.summary}), 'B') || setweight(to_tsvector('simple', ${t.items}), 'C') || setweight(to_tsvector('simple', ${t.provider}), 'D')`;
}

export type EntryRowInsert = Omit<Insertable<CatalogEntryTable>, 'search'>;
export type EntryRowUpdate = Omit<Updateable<CatalogEntryTable>, 'search'>;
export type ItemRowInsert = Omit<Insertable<CatalogItemTable>, 'entry_id'>;

export type EntryWithProvider = CatalogEntryRow & {
  provider_name: string;
  provider_credit_code: string;
  provider_division_code: string;
};

export const FACETS = [
  'category',
  'basicLibrary',
  'provider',
  'shareType',
  'openType',
  'formatCategory',
  'updateCycle',
  'region',
] as const;
export type Facet = (typeof FACETS)[number];

const FACET_COLUMN = {
  category: 'e.category',
  basicLibrary: 'e.basic_library',
  provider: 'e.provider_org_id',
  shareType: 'e.share_type',
  openType: 'e.open_type',
  formatCategory: 'e.format_category',
  updateCycle: 'e.update_cycle',
  region: 'o.division_code',
} as const;

export interface SearchParams {
  /** to_tsquery('simple', …) text; '' = no text condition. */
  tsquery: string;
  /** Non-published rows are visible only for this organization; null = all (platform office). */
  draftsVisibleTo: string | null | 'none';
  /** Restrict to these statuses (default: all visible). */
  statuses?: EntryStatus[];
  filters: Partial<Record<Facet, string[]>>;
  sort: 'relevance' | 'name' | 'published' | 'updated';
  page: PageRequest;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface ReviewLogInsert {
  entry_id: string;
  action: string;
  from_status: EntryStatus | null;
  to_status: EntryStatus;
  actor_user_id: string | null;
  actor_org_id: string | null;
  note: string;
}

/** Rows per multi-row INSERT (PostgreSQL allows 65,535 parameters per statement). */
const CHUNK = 250;

type EntryQuery = SelectQueryBuilder<
  Database & { e: CatalogEntryTable; o: Database['organization'] },
  'e' | 'o',
  object
>;

/** Entries with their provider's name, credit code and division code. */
function withProvider(db: Executor) {
  return db
    .selectFrom('catalog_entry as e')
    .innerJoin('organization as o', 'o.id', 'e.provider_org_id')
    .selectAll('e')
    .select([
      'o.name as provider_name',
      'o.credit_code as provider_credit_code',
      'o.division_code as provider_division_code',
    ]);
}

export const catalogRepository = {
  /** The next sequence number within a classification; never returns a number twice. */
  async nextSeq(tx: Executor, classCode: string): Promise<number> {
    const r = await tx
      .insertInto('catalog_code_seq')
      .values({ class_code: classCode, last_seq: 1 })
      .onConflict((oc) =>
        oc.column('class_code').doUpdateSet({ last_seq: sql`catalog_code_seq.last_seq + 1` }),
      )
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return r.last_seq;
  },

  /** Reserves `count` consecutive numbers in a class; returns the last one. */
  async reserveRange(tx: Executor, classCode: string, count: number): Promise<number> {
    const r = await tx
      .insertInto('catalog_code_seq')
      .values({ class_code: classCode, last_seq: count })
      .onConflict((oc) =>
        oc.column('class_code').doUpdateSet({ last_seq: sql`catalog_code_seq.last_seq + ${count}` }),
      )
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return r.last_seq;
  },

  /** Makes sure a code given from outside (an import) is never handed out again. */
  async reserveSeq(tx: Executor, classCode: string, seq: number): Promise<void> {
    await tx
      .insertInto('catalog_code_seq')
      .values({ class_code: classCode, last_seq: seq })
      .onConflict((oc) =>
        oc.column('class_code').doUpdateSet({ last_seq: sql`greatest(catalog_code_seq.last_seq, ${seq})` }),
      )
      .execute();
  },

  async codeTaken(db: Executor, code: string): Promise<boolean> {
    const r = await db
      .selectFrom('catalog_entry')
      .select('id')
      .where('code', '=', code)
      .where('revision_of', 'is', null)
      .executeTakeFirst();
    return r !== undefined;
  },

  async insertEntry(tx: Executor, row: EntryRowInsert, text: SearchText): Promise<CatalogEntryRow> {
    return tx
      .insertInto('catalog_entry')
      .values({ ...row, search: searchVector(text) } as Insertable<CatalogEntryTable>)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  /** Inserts many entries in chunked multi-row statements; returns them in input order. */
  async insertEntries(
    tx: Executor,
    entries: { row: EntryRowInsert; text: SearchText }[],
  ): Promise<{ id: string; code: string; name: string; provider_org_id: string }[]> {
    const out: { id: string; code: string; name: string; provider_org_id: string }[] = [];
    for (let i = 0; i < entries.length; i += CHUNK) {
      const chunk = entries.slice(i, i + CHUNK);
      const rows = await tx
        .insertInto('catalog_entry')
        .values(
          chunk.map((e) => ({ ...e.row, search: searchVector(e.text) }) as Insertable<CatalogEntryTable>),
        )
        .returning(['id', 'code', 'name', 'provider_org_id'])
        .execute();
      // RETURNING gives rows in VALUES order for a plain INSERT; map by code to be certain.
      const byCode = new Map(rows.map((r) => [r.code, r]));
      for (const e of chunk) {
        const r = byCode.get(e.row.code);
        if (!r) throw new Error(`insertEntries: no row returned for ${e.row.code}`);
        out.push(r);
      }
    }
    return out;
  },

  async insertItems(tx: Executor, items: Insertable<CatalogItemTable>[]): Promise<void> {
    for (let i = 0; i < items.length; i += CHUNK * 4) {
      await tx
        .insertInto('catalog_item')
        .values(items.slice(i, i + CHUNK * 4))
        .execute();
    }
  },

  async logReviews(tx: Executor, rows: ReviewLogInsert[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK * 4) {
      await tx
        .insertInto('catalog_review_log')
        .values(rows.slice(i, i + CHUNK * 4))
        .execute();
    }
  },

  async updateEntry(tx: Executor, id: string, patch: EntryRowUpdate, text?: SearchText): Promise<void> {
    await tx
      .updateTable('catalog_entry')
      .set({ ...patch, ...(text ? { search: searchVector(text) } : {}) } as Updateable<CatalogEntryTable>)
      .where('id', '=', id)
      .execute();
  },

  async deleteEntry(tx: Executor, id: string): Promise<void> {
    await tx.deleteFrom('catalog_entry').where('id', '=', id).execute();
  },

  async replaceItems(tx: Executor, entryId: string, items: ItemRowInsert[]): Promise<void> {
    await tx.deleteFrom('catalog_item').where('entry_id', '=', entryId).execute();
    if (items.length === 0) return;
    await tx
      .insertInto('catalog_item')
      .values(items.map((i) => ({ ...i, entry_id: entryId })))
      .execute();
  },

  async moveItems(tx: Executor, fromEntry: string, toEntry: string): Promise<void> {
    await tx.deleteFrom('catalog_item').where('entry_id', '=', toEntry).execute();
    await tx
      .updateTable('catalog_item')
      .set({ entry_id: toEntry })
      .where('entry_id', '=', fromEntry)
      .execute();
  },

  async entry(db: Executor, id: string): Promise<EntryWithProvider | undefined> {
    return withProvider(db).where('e.id', '=', id).executeTakeFirst();
  },

  async entryByCode(db: Executor, code: string): Promise<EntryWithProvider | undefined> {
    return withProvider(db).where('e.code', '=', code).where('e.revision_of', 'is', null).executeTakeFirst();
  },

  async revisionOf(db: Executor, entryId: string): Promise<CatalogEntryRow | undefined> {
    return db.selectFrom('catalog_entry').selectAll().where('revision_of', '=', entryId).executeTakeFirst();
  },

  async items(
    db: Executor,
    entryIds: string[],
  ): Promise<(CatalogItemRow & { collecting_org_name: string | null })[]> {
    if (entryIds.length === 0) return [];
    return db
      .selectFrom('catalog_item as i')
      .leftJoin('organization as o', 'o.id', 'i.collecting_org_id')
      .selectAll('i')
      .select('o.name as collecting_org_name')
      .where('i.entry_id', 'in', entryIds)
      .orderBy('i.entry_id')
      .orderBy('i.seq')
      .execute();
  },

  async entriesWithProvider(db: Executor, ids: string[]): Promise<EntryWithProvider[]> {
    if (ids.length === 0) return [];
    return withProvider(db).where('e.id', 'in', ids).execute();
  },

  /** Entries for export or DCAT: by provider (null = all), statuses, newest code order. */
  async entryIds(
    db: Executor,
    filter: { providerOrgId?: string | null; statuses?: EntryStatus[]; openOnly?: boolean },
  ): Promise<string[]> {
    let q = db.selectFrom('catalog_entry').select('id').where('revision_of', 'is', null);
    if (filter.providerOrgId) q = q.where('provider_org_id', '=', filter.providerOrgId);
    if (filter.statuses?.length) q = q.where('status', 'in', filter.statuses);
    if (filter.openOnly) q = q.where('open_type', 'in', ['general', 'authorized']);
    const rows = await q.orderBy('code').execute();
    return rows.map((r) => r.id);
  },

  async orgNames(db: Executor): Promise<
    {
      id: string;
      name: string;
      short_name: string;
      credit_code: string;
      division_code: string;
      kind: string;
    }[]
  > {
    return db
      .selectFrom('organization')
      .select(['id', 'name', 'short_name', 'credit_code', 'division_code', 'kind'])
      .execute();
  },

  // ── search ──────────────────────────────────────────────────────────────────────────────

  async search(
    db: Executor,
    p: SearchParams,
  ): Promise<{ ids: string[]; total: number; facets: Record<Facet, FacetCount[]> }> {
    const base = (except?: Facet): EntryQuery => {
      let q = db
        .selectFrom('catalog_entry as e')
        .innerJoin('organization as o', 'o.id', 'e.provider_org_id') as unknown as EntryQuery;
      q = q.where('e.revision_of', 'is', null);
      // Visibility: everyone sees the published catalog; drafts stay with their department and the platform office.
      if (p.draftsVisibleTo === 'none') {
        q = q.where('e.status', '=', 'published');
      } else if (p.draftsVisibleTo !== null) {
        const org = p.draftsVisibleTo;
        q = q.where((eb) => eb.or([eb('e.status', '=', 'published'), eb('e.provider_org_id', '=', org)]));
      }
      if (p.statuses?.length) q = q.where('e.status', 'in', p.statuses);
      if (p.tsquery) q = q.where(sql<boolean>`e.search @@ to_tsquery('simple', ${p.tsquery})`);
      for (const f of FACETS) {
        const values = p.filters[f];
        if (f === except || !values?.length) continue;
        q = q.where(sql.ref(FACET_COLUMN[f]), 'in', values);
      }
      return q;
    };

    const list = base();
    let ordered = list.select('e.id');
    if (p.sort === 'relevance' && p.tsquery) {
      ordered = ordered.orderBy(sql`ts_rank(e.search, to_tsquery('simple', ${p.tsquery}))`, 'desc');
    } else if (p.sort === 'published') {
      ordered = ordered.orderBy(sql`e.publish_date desc nulls last`);
    } else if (p.sort === 'updated') {
      ordered = ordered.orderBy('e.updated_at', 'desc');
    }
    ordered = ordered.orderBy('e.name').orderBy('e.code');
    const [rows, count] = await Promise.all([
      ordered.limit(p.page.pageSize).offset(offsetOf(p.page)).execute(),
      list.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    const facets = {} as Record<Facet, FacetCount[]>;
    for (const f of FACETS) {
      const col = sql.ref(FACET_COLUMN[f]);
      const r = await base(f)
        .select([sql<string | null>`${col}`.as('value'), sql<number>`count(*)`.as('n')])
        .groupBy(col)
        .orderBy(sql`count(*)`, 'desc')
        .orderBy(col)
        .execute();
      facets[f] = r
        .filter((x) => x.value !== null)
        .map((x) => ({ value: String(x.value), count: Number(x.n) }));
    }
    return { ids: rows.map((r) => r.id), total: Number(count.n), facets };
  },

  // ── versions and the review log ─────────────────────────────────────────────────────────

  async insertVersion(
    tx: Executor,
    v: {
      entry_id: string;
      version: number;
      snapshot: JsonObject;
      published_at: Date;
      published_by: string | null;
    },
  ): Promise<void> {
    await tx
      .insertInto('catalog_version')
      .values({ ...v, snapshot: JSON.stringify(v.snapshot) })
      .execute();
  },

  async versions(db: Executor, entryId: string) {
    return db
      .selectFrom('catalog_version')
      .selectAll()
      .where('entry_id', '=', entryId)
      .orderBy('version', 'desc')
      .execute();
  },

  async version(db: Executor, entryId: string, version: number) {
    return db
      .selectFrom('catalog_version')
      .selectAll()
      .where('entry_id', '=', entryId)
      .where('version', '=', version)
      .executeTakeFirst();
  },

  async logReview(tx: Executor, r: ReviewLogInsert): Promise<void> {
    await tx.insertInto('catalog_review_log').values(r).execute();
  },

  async moveReviewLog(tx: Executor, fromEntry: string, toEntry: string): Promise<void> {
    await tx
      .updateTable('catalog_review_log')
      .set({ entry_id: toEntry })
      .where('entry_id', '=', fromEntry)
      .execute();
  },

  async reviewLog(db: Executor, entryIds: string[]) {
    if (entryIds.length === 0) return [];
    return db
      .selectFrom('catalog_review_log')
      .selectAll()
      .where('entry_id', 'in', entryIds)
      .orderBy('id')
      .execute();
  },

  /** Submitted entries past their review limit. */
  /** Submitted entries awaiting the platform office, the earliest review limit first. */
  async reviewQueue(db: Executor, page: PageRequest): Promise<{ ids: string[]; total: number }> {
    const q = db.selectFrom('catalog_entry').where('status', '=', 'submitted');
    const [rows, count] = await Promise.all([
      q
        .select('id')
        .orderBy(sql`review_due asc nulls last`)
        .orderBy('submitted_at')
        .orderBy('id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
      q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { ids: rows.map((r) => r.id), total: Number(count.n) };
  },

  async overdueReviews(db: Executor, today: string): Promise<EntryWithProvider[]> {
    return withProvider(db)
      .where('e.status', '=', 'submitted')
      .where('e.review_due', '<', today)
      .orderBy('e.review_due')
      .execute();
  },

  // ── changes of law or function, and the updates they require ───────────────────────────

  async insertChange(
    tx: Executor,
    c: {
      kind: 'law' | 'function';
      org_id: string | null;
      title: string;
      document: string;
      effective_on: string;
      recorded_by: string | null;
    },
  ): Promise<string> {
    const r = await tx.insertInto('catalog_change').values(c).returning('id').executeTakeFirstOrThrow();
    return r.id;
  },

  async insertTasks(
    tx: Executor,
    tasks: { change_id: string; entry_id: string; due: string | null }[],
  ): Promise<void> {
    if (tasks.length === 0) return;
    await tx
      .insertInto('catalog_update_task')
      .values(tasks)
      .onConflict((oc) => oc.doNothing())
      .execute();
  },

  async task(db: Executor, id: string) {
    return db
      .selectFrom('catalog_update_task as t')
      .innerJoin('catalog_entry as e', 'e.id', 't.entry_id')
      .selectAll('t')
      .select(['e.provider_org_id'])
      .where('t.id', '=', id)
      .executeTakeFirst();
  },

  async extendTask(tx: Executor, id: string, extendedDue: string, reason: string): Promise<void> {
    await tx
      .updateTable('catalog_update_task')
      .set({ extended_due: extendedDue, extension_reason: reason })
      .where('id', '=', id)
      .execute();
  },

  async completeTasks(tx: Executor, entryId: string, at: Date): Promise<number> {
    const r = await tx
      .updateTable('catalog_update_task')
      .set({ done_at: at })
      .where('entry_id', '=', entryId)
      .where('done_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  /** Open update tasks (optionally only overdue ones, optionally of one provider). */
  async openTasks(db: Executor, f: { providerOrgId?: string | null; overdueOn?: string }) {
    let q = db
      .selectFrom('catalog_update_task as t')
      .innerJoin('catalog_entry as e', 'e.id', 't.entry_id')
      .innerJoin('catalog_change as c', 'c.id', 't.change_id')
      .innerJoin('organization as o', 'o.id', 'e.provider_org_id')
      .select([
        't.id',
        't.entry_id',
        't.due',
        't.extended_due',
        't.extension_reason',
        'e.code',
        'e.name',
        'e.provider_org_id',
        'o.name as provider_name',
        'c.id as change_id',
        'c.kind',
        'c.title',
        'c.document',
        'c.effective_on',
      ])
      .where('t.done_at', 'is', null);
    if (f.providerOrgId) q = q.where('e.provider_org_id', '=', f.providerOrgId);
    if (f.overdueOn) {
      const day = f.overdueOn;
      q = q.where(sql<boolean>`coalesce(t.extended_due, t.due) < ${day}::date`);
    }
    return q.orderBy(sql`coalesce(t.extended_due, t.due)`).execute();
  },

  /** Published entries of a provider (a change of its functions affects them all). */
  async publishedOf(db: Executor, orgId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('catalog_entry')
      .select('id')
      .where('provider_org_id', '=', orgId)
      .where('status', '=', 'published')
      .where('revision_of', 'is', null)
      .execute();
    return rows.map((r) => r.id);
  },

  // ── demand list ─────────────────────────────────────────────────────────────────────────

  async insertDemand(tx: Executor, d: Insertable<CatalogDemandTable>): Promise<CatalogDemandRow> {
    return tx.insertInto('catalog_demand').values(d).returningAll().executeTakeFirstOrThrow();
  },

  async demand(db: Executor, id: string): Promise<CatalogDemandRow | undefined> {
    return db.selectFrom('catalog_demand').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async updateDemand(
    tx: Executor,
    id: string,
    patch: Updateable<CatalogDemandTable>,
  ): Promise<CatalogDemandRow> {
    return tx
      .updateTable('catalog_demand')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  async demands(
    db: Executor,
    f: { orgId?: string | null; providerOrgId?: string | null; status?: string | null },
    page: PageRequest,
  ): Promise<{ rows: CatalogDemandRow[]; total: number }> {
    let q = db.selectFrom('catalog_demand');
    if (f.orgId && f.providerOrgId) {
      const a = f.orgId;
      const b = f.providerOrgId;
      q = q.where((eb) =>
        eb.or([eb('org_id', '=', a), eb('provider_org_id', '=', b), eb('handed_to_org_id', '=', b)]),
      );
    } else if (f.orgId) q = q.where('org_id', '=', f.orgId);
    if (f.status) q = q.where('status', '=', f.status as CatalogDemandRow['status']);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').limit(page.pageSize).offset(offsetOf(page)).execute(),
      q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** Published entries matching any of the query's tokens, best first: suggestions for a demand. */
  async suggest(db: Executor, tsqueryAny: string, limit: number): Promise<{ id: string; rank: number }[]> {
    if (!tsqueryAny) return [];
    const rows = await db
      .selectFrom('catalog_entry as e')
      .select(['e.id', sql<number>`ts_rank(e.search, to_tsquery('simple', ${tsqueryAny}))`.as('rank')])
      .where('e.status', '=', 'published')
      .where('e.revision_of', 'is', null)
      .where(sql<boolean>`e.search @@ to_tsquery('simple', ${tsqueryAny})`)
      .orderBy('rank', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, rank: Number(r.rank) }));
  },
};
