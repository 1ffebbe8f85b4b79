/** The catalog API under /api/v1/catalog: entries, workflow, versions, search, updates, demands. */
import { type Static, Type } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { metaOf, type RequestMeta } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { DomainError } from '../../kernel/errors.js';
import { pageRequest } from '../../kernel/pagination.js';
import { authorize, requireUser, type UserActor } from '../auth/auth.policy.js';
import { catalogJsonLd } from './catalog.dcat.js';
import type { EntryInput, EntryView } from './catalog.model.js';
import { FACETS, type Facet } from './catalog.repository.js';
import {
  AssessmentsBody,
  ChangeBody,
  ConsumerPageSchema,
  DemandInputSchema,
  DemandListQuery,
  DemandSchema,
  DiffQuery,
  DiffSchema,
  EntryInputSchema,
  EntryViewSchema,
  HandOverBody,
  HistorySchema,
  IdParams,
  MatchBody,
  PageOnlyQuery,
  ReasonBody,
  ReviewQueueSchema,
  SearchQuery,
  SearchResultSchema,
  UpdateTaskSchema,
  VersionParams,
} from './catalog.schema.js';
import { CatalogSpreadsheet, MAX_FILE_BYTES } from './catalog.spreadsheet.js';
import type { EntryStatus } from './catalog.values.js';
import * as values from './catalog.values.js';

const TAGS = ['catalog'];

function bodyBuffer(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  throw DomainError.validation([
    {
      field: 'file',
      rule: 'file.format',
      zh: '请以 .xlsx 文件作为请求体上传',
      en: 'Send the .xlsx file as the request body',
    },
  ]);
}

/** The open part of the published catalog as DCAT-AP 3 JSON-LD, for anyone (registered at the root). */
export const dcatRoutes: RoutesPlugin = async (app, { services }) => {
  app.get(
    '/catalog.jsonld',
    {
      schema: {
        tags: ['open data'],
        summary: 'DCAT-AP 3 目录 The open catalog as JSON-LD',
        description: 'Published entries whose open type is general or authorized; no sign-in needed.',
      },
    },
    async (req, reply) => {
      const base = `${req.protocol}://${req.host}`;
      const doc = await catalogJsonLd(services.catalog, base);
      await services.audit.record({
        ...metaOf(req),
        action: 'catalog.dcat.read',
        objectType: 'catalog',
        outcome: 'ok',
      });
      return reply.type('application/ld+json; charset=utf-8').send(JSON.stringify(doc));
    },
  );
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const catalogRoutes: RoutesPlugin = async (app, { services }) => {
  const { catalog, demands } = services;
  const sheets = new CatalogSpreadsheet(catalog);

  // Spreadsheets arrive as the raw file (this scope only).
  app.addContentTypeParser(
    [XLSX, 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES + 1024 },
    (_req, body, done) => {
      done(null, body);
    },
  );

  const MAX_EXPORT = 10_000;
  const searchFilters = (q: Static<typeof SearchQuery>): Partial<Record<Facet, string[]>> => {
    const filters: Partial<Record<Facet, string[]>> = {};
    for (const f of FACETS) {
      const v = q[f];
      if (v?.length) filters[f] = v;
    }
    return filters;
  };
  const xlsxReply = (reply: FastifyReply, file: Buffer, ascii: string, zh: string) =>
    reply
      .type(XLSX)
      .header(
        'content-disposition',
        `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(zh)}`,
      )
      .send(file);

  app.get(
    '/catalog/export.xlsx',
    {
      schema: {
        tags: TAGS,
        summary: '导出目录 Export entries as the national fill-in template (.xlsx)',
        description:
          'Without search parameters: every entry the caller may see (optionally one provider and statuses). ' +
          'With q or any facet filter: exactly the entries that search finds (at most 10,000).',
        querystring: SearchQuery,
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'catalog.read');
      const q = req.query;
      const filters = searchFilters(q);
      const statuses = q.status?.length ? (q.status as EntryStatus[]) : undefined;
      // One provider (with statuses) is the plain export; anything more is exported as the search finds it.
      const bySearch =
        Boolean(q.q) ||
        q.publishedOnly === true ||
        Object.entries(filters).some(([f, v]) => f !== 'provider' || v.length > 1);
      let ids: string[] | undefined;
      if (bySearch) {
        ids = [];
        for (let page = 1; ids.length < MAX_EXPORT; page++) {
          const r = await catalog.searchIds(actor, {
            ...(q.q ? { q: q.q } : {}),
            filters,
            ...(statuses ? { statuses } : {}),
            ...(q.publishedOnly ? { publishedOnly: true } : {}),
            ...(q.sort ? { sort: q.sort } : {}),
            page: pageRequest(page, 200),
          });
          ids.push(...r.ids);
          if (r.ids.length < 200 || ids.length >= r.total) break;
        }
      }
      const provider = q.provider?.length === 1 ? (q.provider[0] ?? null) : null;
      const file = await sheets.exportWorkbook(actor, {
        ...(ids ? { ids } : { providerOrgId: provider, ...(statuses ? { statuses } : {}) }),
      });
      await services.audit.record({
        ...metaOf(req),
        action: 'catalog.export',
        objectType: 'catalog',
        detail: {
          q: q.q ?? null,
          filters,
          entries: ids ? ids.length : null,
          bytes: file.length,
        },
      });
      return xlsxReply(reply, file, 'catalog.xlsx', '政务信息资源目录.xlsx');
    },
  );

  app.get(
    '/catalog/import/template.xlsx',
    {
      schema: {
        tags: TAGS,
        summary: '导入模板 The empty fill-in template with its pick-lists and guide (.xlsx)',
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'catalog.write');
      const file = await sheets.exportWorkbook(actor, { ids: [] });
      await services.audit.record({
        ...metaOf(req),
        action: 'catalog.template.download',
        objectType: 'catalog',
        detail: { bytes: file.length },
      });
      return xlsxReply(reply, file, 'catalog-template.xlsx', '政务信息资源目录导入模板.xlsx');
    },
  );

  app.post(
    '/catalog/import/check',
    {
      schema: {
        tags: TAGS,
        summary: '导入预检 Check a spreadsheet without importing it',
        description:
          'Send the .xlsx as the request body. Answers every problem with its sheet, row and column.',
        consumes: [XLSX],
        response: {
          200: Type.Object({
            problems: Type.Array(
              Type.Object({
                sheet: Type.String(),
                row: Type.Integer(),
                column: Type.String(),
                field: Type.String(),
                rule: Type.String(),
                zh: Type.String(),
                en: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'catalog.write');
      return { problems: await sheets.checkWorkbook(actor, bodyBuffer(req.body)) };
    },
  );

  app.post(
    '/catalog/import',
    {
      schema: {
        tags: TAGS,
        summary: '导入目录 Import entries from a spreadsheet, all or nothing',
        description:
          'Send the .xlsx as the request body. Every row is checked; if any is wrong nothing is written and the ' +
          'answer lists every problem as sheet!cell with its rule. Otherwise all entries are created as drafts.',
        consumes: [XLSX],
        response: {
          201: Type.Object({
            created: Type.Integer(),
            entries: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), id: Type.String() })),
          }),
        },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'catalog.write');
      return reply.status(201).send(await sheets.importWorkbook(metaOf(req), actor, bodyBuffer(req.body)));
    },
  );

  app.get(
    '/catalog/entries',
    {
      schema: {
        tags: TAGS,
        summary: '目录检索 Search the catalog',
        description:
          'Chinese full-text search over name, summary, data items and provider, with facets and counts. ' +
          "A department's unpublished drafts are visible only to itself and the platform office.",
        querystring: SearchQuery,
        response: { 200: SearchResultSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'catalog.read');
      const q = req.query;
      const filters = searchFilters(q);
      return catalog.search(actor, {
        ...(q.q ? { q: q.q } : {}),
        filters,
        ...(q.status?.length ? { statuses: q.status as EntryStatus[] } : {}),
        ...(q.publishedOnly ? { publishedOnly: true } : {}),
        ...(q.sort ? { sort: q.sort } : {}),
        page: pageRequest(q.page, q.pageSize),
      });
    },
  );

  app.get(
    '/catalog/city',
    {
      schema: {
        tags: TAGS,
        summary: '全市目录 The city catalog',
        description:
          "Every department's and county's published entries; filter by region (division code) and provider.",
        querystring: SearchQuery,
        response: { 200: SearchResultSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'catalog.read');
      const q = req.query;
      return catalog.search(null, {
        ...(q.q ? { q: q.q } : {}),
        filters: {
          ...(q.region?.length ? { region: q.region } : {}),
          ...(q.provider?.length ? { provider: q.provider } : {}),
          ...(q.category?.length ? { category: q.category } : {}),
        },
        publishedOnly: true,
        sort: q.sort ?? 'name',
        page: pageRequest(q.page, q.pageSize),
      });
    },
  );

  app.get(
    '/catalog/value-sets',
    { schema: { tags: TAGS, summary: '目录取值表 Pick-lists of the catalog standard' } },
    async (req) => {
      authorize(req.actor, 'catalog.read');
      return {
        categories: values.CATEGORIES,
        formatCategories: values.FORMAT_CATEGORIES,
        formatTypes: values.FORMAT_TYPES,
        modesForFormat: values.MODES_FOR_FORMAT,
        formatsRequiringItems: values.FORMATS_REQUIRING_ITEMS,
        shareTypes: values.SHARE_TYPES,
        shareModes: values.SHARE_MODES,
        openTypes: values.OPEN_TYPES,
        updateCycles: values.UPDATE_CYCLES,
        basicLibraries: values.BASIC_LIBRARIES,
        basisKinds: values.BASIS_KINDS,
        acceptedBasisKinds: await services.policy.list('catalog.not_shared.accepted_basis_kinds'),
        dataGrades: values.DATA_GRADES,
        dataTypes: values.DATA_TYPES,
        sensitivities: values.SENSITIVITIES,
        maskings: values.MASKINGS,
        statuses: values.ENTRY_STATUSES,
      };
    },
  );

  app.post(
    '/catalog/entries',
    {
      schema: {
        tags: TAGS,
        summary: '新建目录（草稿） Create a draft entry',
        body: EntryInputSchema,
        response: { 201: EntryViewSchema },
      },
    },
    async (req, reply) => {
      const input = req.body as unknown as EntryInput;
      const actor = authorize(req.actor, 'catalog.write', input.providerOrgId);
      return reply.status(201).send(await catalog.create(metaOf(req), actor, input));
    },
  );

  app.get(
    '/catalog/entries/:id',
    {
      schema: {
        tags: TAGS,
        summary: '目录详情 An entry',
        params: IdParams,
        response: { 200: EntryViewSchema },
      },
    },
    async (req) => catalog.get(authorize(req.actor, 'catalog.read'), req.params.id),
  );

  app.put(
    '/catalog/entries/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改草稿 Edit a draft or returned entry',
        params: IdParams,
        body: EntryInputSchema,
        response: { 200: EntryViewSchema },
      },
    },
    async (req) => {
      const current = await catalog.get(requireUser(req.actor), req.params.id);
      const actor = authorize(req.actor, 'catalog.write', current.providerOrgId);
      return catalog.update(metaOf(req), actor, req.params.id, req.body as unknown as EntryInput);
    },
  );

  app.delete(
    '/catalog/entries/:id',
    {
      schema: {
        tags: TAGS,
        summary: '删除草稿 Delete a draft',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const current = await catalog.get(requireUser(req.actor), req.params.id);
      const actor = authorize(req.actor, 'catalog.write', current.providerOrgId);
      await catalog.deleteDraft(metaOf(req), actor, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/catalog/entries/:id/revisions',
    {
      schema: {
        tags: TAGS,
        summary: '发起修订 Open a revision of a published entry',
        params: IdParams,
        response: { 201: EntryViewSchema },
      },
    },
    async (req, reply) => {
      const current = await catalog.get(requireUser(req.actor), req.params.id);
      const actor = authorize(req.actor, 'catalog.write', current.providerOrgId);
      return reply.status(201).send(await catalog.revise(metaOf(req), actor, req.params.id));
    },
  );

  app.get(
    '/catalog/entries/:id/revision',
    {
      schema: {
        tags: TAGS,
        summary: '在修订稿 The open revision of an entry, if any',
        params: IdParams,
        response: { 200: Type.Union([EntryViewSchema, Type.Null()]) },
      },
    },
    async (req) => catalog.revision(authorize(req.actor, 'catalog.read'), req.params.id),
  );

  const step = (
    path: string,
    summary: string,
    action: 'catalog.write' | 'catalog.approve' | 'catalog.review' | 'catalog.withdraw',
    run: (meta: RequestMeta, actor: UserActor, id: string) => Promise<EntryView>,
  ) => {
    app.post(
      `/catalog/entries/:id/${path}`,
      { schema: { tags: TAGS, summary, params: IdParams, response: { 200: EntryViewSchema } } },
      async (req) => {
        const current = await catalog.get(requireUser(req.actor), req.params.id);
        const actor = authorize(req.actor, action, current.providerOrgId);
        return run(metaOf(req), actor, current.id);
      },
    );
  };

  app.post(
    '/catalog/entries/:id/assessments',
    {
      schema: {
        tags: TAGS,
        summary: '记录发布前评估 Record the pre-issue assessments',
        params: IdParams,
        body: AssessmentsBody,
        response: { 200: EntryViewSchema },
      },
    },
    async (req) => {
      const current = await catalog.get(requireUser(req.actor), req.params.id);
      const actor = authorize(req.actor, 'catalog.write', current.providerOrgId);
      return catalog.recordAssessments(metaOf(req), actor, req.params.id, req.body);
    },
  );
  step('approve', '部门负责人审批 The department head approves', 'catalog.approve', (m, a, id) =>
    catalog.approve(m, a, id),
  );
  step('submit', '提交审核 Submit for review', 'catalog.write', (m, a, id) => catalog.submit(m, a, id));
  step('publish', '审核发布 Publish (platform office)', 'catalog.review', (m, a, id) =>
    catalog.publish(m, a, id),
  );

  app.post(
    '/catalog/entries/:id/return',
    {
      schema: {
        tags: TAGS,
        summary: '退回 Return with a reason (platform office)',
        params: IdParams,
        body: ReasonBody,
        response: { 200: EntryViewSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'catalog.review');
      return catalog.returnEntry(metaOf(req), actor, req.params.id, req.body.reason);
    },
  );

  app.post(
    '/catalog/entries/:id/withdraw',
    {
      schema: {
        tags: TAGS,
        summary: '撤销 Withdraw a published entry',
        params: IdParams,
        body: ReasonBody,
        response: { 200: EntryViewSchema },
      },
    },
    async (req) => {
      const current = await catalog.get(requireUser(req.actor), req.params.id);
      const actor = authorize(req.actor, 'catalog.withdraw', current.providerOrgId);
      return catalog.withdraw(metaOf(req), actor, req.params.id, req.body.reason);
    },
  );

  app.get(
    '/catalog/entries/:id/history',
    {
      schema: {
        tags: TAGS,
        summary: '版本与审核记录 Versions and review log',
        params: IdParams,
        response: { 200: HistorySchema },
      },
    },
    async (req) => catalog.history(authorize(req.actor, 'catalog.read'), req.params.id),
  );

  app.get(
    '/catalog/entries/:id/versions/:version',
    { schema: { tags: TAGS, summary: '历史版本 A frozen version', params: VersionParams } },
    async (req) => catalog.version(authorize(req.actor, 'catalog.read'), req.params.id, req.params.version),
  );

  app.get(
    '/catalog/entries/:id/diff',
    {
      schema: {
        tags: TAGS,
        summary: '版本比对 Field-by-field differences between two versions',
        params: IdParams,
        querystring: DiffQuery,
        response: { 200: DiffSchema },
      },
    },
    async (req) =>
      catalog.diff(authorize(req.actor, 'catalog.read'), req.params.id, req.query.from, req.query.to),
  );

  app.get(
    '/catalog/entries/:id/consumers',
    {
      schema: {
        tags: TAGS,
        summary: '谁在使用 Who uses this resource: its grants (provider and platform office)',
        description:
          'Every grant on the entry, newest first: consumer organization and system, items with masking, ' +
          "validity and state. Visible to the provider's officers and the platform office.",
        params: IdParams,
        querystring: PageOnlyQuery,
        response: { 200: ConsumerPageSchema },
      },
    },
    async (req) => {
      const current = await catalog.get(requireUser(req.actor), req.params.id);
      authorize(req.actor, 'grants.read', current.providerOrgId);
      const grants = await services.grants.forEntry(
        current.id,
        pageRequest(req.query.page, req.query.pageSize),
      );
      const orgs = new Map<string, string>();
      const systems = new Map<string, string>();
      for (const g of grants.items) {
        if (!orgs.has(g.consumerOrgId)) {
          orgs.set(g.consumerOrgId, (await services.orgs.get(g.consumerOrgId)).name);
        }
        if (g.consumerSystemId && !systems.has(g.consumerSystemId)) {
          systems.set(g.consumerSystemId, (await services.auth.getSystem(g.consumerSystemId)).name);
        }
      }
      await services.audit.record({
        ...metaOf(req),
        action: 'catalog.consumers.read',
        objectType: 'catalog_entry',
        objectId: current.id,
        detail: { code: current.code, total: grants.total, page: grants.page },
      });
      return {
        items: grants.items.map((g) => ({
          grantId: g.id,
          applicationId: g.applicationId,
          consumerOrgId: g.consumerOrgId,
          consumerOrgName: orgs.get(g.consumerOrgId) ?? '',
          consumerSystemId: g.consumerSystemId,
          consumerSystemName: g.consumerSystemId ? (systems.get(g.consumerSystemId) ?? null) : null,
          items: g.items,
          purpose: g.purpose,
          accessMode: g.accessMode,
          validFrom: g.validFrom,
          validTo: g.validTo,
          dailyQuota: g.dailyQuota,
          status: g.status,
          statusReason: g.statusReason,
        })),
        total: grants.total,
        page: grants.page,
        pageSize: grants.pageSize,
      };
    },
  );

  app.get(
    '/catalog/reviews',
    {
      schema: {
        tags: TAGS,
        summary: '待审核目录 The review queue: submitted entries with working days left (platform office)',
        querystring: PageOnlyQuery,
        response: { 200: ReviewQueueSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'catalog.review');
      const queue = await catalog.reviewQueue(pageRequest(req.query.page, req.query.pageSize));
      await services.audit.record({
        ...metaOf(req),
        action: 'catalog.reviews.read',
        objectType: 'catalog',
        detail: { total: queue.total, page: queue.page },
      });
      return queue;
    },
  );

  app.get(
    '/catalog/reviews/overdue',
    {
      schema: {
        tags: TAGS,
        summary: '超期未审 Submitted entries past the review limit',
        response: { 200: Type.Array(EntryViewSchema) },
      },
    },
    async (req) => {
      authorize(req.actor, 'catalog.review');
      return catalog.overdueReviews();
    },
  );

  app.post(
    '/catalog/changes',
    {
      schema: {
        tags: TAGS,
        summary: '登记法律或职能变化 Record a change of law or functions',
        description:
          'Starts the update deadline (policy: catalog.update_after_change_days) for every affected published entry.',
        body: ChangeBody,
        response: { 201: Type.Object({ changeId: Type.String(), tasks: Type.Array(UpdateTaskSchema) }) },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'catalog.change', req.body.orgId ?? null);
      const r = await catalog.recordChange(metaOf(req), actor, {
        kind: req.body.kind,
        orgId: req.body.orgId ?? null,
        title: req.body.title,
        ...(req.body.document ? { document: req.body.document } : {}),
        effectiveOn: req.body.effectiveOn,
        ...(req.body.entryIds ? { entryIds: req.body.entryIds } : {}),
      });
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/catalog/update-tasks',
    {
      schema: {
        tags: TAGS,
        summary: '待更新目录 Entries owing an update; overdue=true for the overdue list',
        querystring: Type.Object({ overdue: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Array(UpdateTaskSchema) },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'catalog.read');
      const scope = actor.role === 'platform_admin' || actor.role === 'auditor' ? null : actor.orgId;
      return catalog.updateTasks(scope, req.query.overdue === true);
    },
  );

  app.post(
    '/catalog/update-tasks/:id/extend',
    {
      schema: {
        tags: TAGS,
        summary: '同意延期 Extend an update deadline once (platform office consent)',
        params: IdParams,
        body: ReasonBody,
        response: { 200: UpdateTaskSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'catalog.extend');
      return catalog.extendTask(metaOf(req), actor, req.params.id, req.body.reason);
    },
  );

  // ── demand list ──
  app.get(
    '/catalog/demands',
    {
      schema: {
        tags: ['demands'],
        summary: '需求清单 The demand list',
        querystring: DemandListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(DemandSchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'demand.read');
      return demands.list(
        actor,
        { status: req.query.status ?? null },
        pageRequest(req.query.page, req.query.pageSize),
      );
    },
  );

  app.post(
    '/catalog/demands',
    {
      schema: {
        tags: ['demands'],
        summary: '提出数据需求 Record a data need',
        body: DemandInputSchema,
        response: { 201: DemandSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'demand.write');
      return reply.status(201).send(await demands.create(metaOf(req), actor, req.body));
    },
  );

  app.get(
    '/catalog/demands/:id',
    {
      schema: {
        tags: ['demands'],
        summary: '需求详情 A demand',
        params: IdParams,
        response: { 200: DemandSchema },
      },
    },
    async (req) => demands.get(authorize(req.actor, 'demand.read'), req.params.id),
  );

  app.get(
    '/catalog/demands/:id/suggestions',
    {
      schema: {
        tags: ['demands'],
        summary: '匹配建议 Published entries that may meet the demand',
        params: IdParams,
        response: { 200: Type.Array(EntryViewSchema) },
      },
    },
    async (req) => demands.suggestions(authorize(req.actor, 'demand.read'), req.params.id),
  );

  app.post(
    '/catalog/demands/:id/match',
    {
      schema: {
        tags: ['demands'],
        summary: '匹配目录 Close with a catalog entry',
        params: IdParams,
        body: MatchBody,
        response: { 200: DemandSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'demand.write');
      return demands.match(metaOf(req), actor, req.params.id, req.body.entryId, req.body.note ?? '');
    },
  );

  app.post(
    '/catalog/demands/:id/hand-over',
    {
      schema: {
        tags: ['demands'],
        summary: '转交提供部门 Hand over to the providing department',
        params: IdParams,
        body: HandOverBody,
        response: { 200: DemandSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'demand.write');
      return demands.handOver(metaOf(req), actor, req.params.id, req.body.providerOrgId, req.body.note ?? '');
    },
  );

  app.post(
    '/catalog/demands/:id/cancel',
    {
      schema: {
        tags: ['demands'],
        summary: '撤回需求 Cancel a demand',
        params: IdParams,
        body: ReasonBody,
        response: { 200: DemandSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'demand.write');
      return demands.cancel(metaOf(req), actor, req.params.id, req.body.reason);
    },
  );
};
