/** The inventory API under /api/v1/inventory: the register, dispositions, flags and the funding list. */
import { Type } from '@fastify/type-provider-typebox';
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { DomainError } from '../../kernel/errors.js';
import { authorize, listScope } from '../auth/auth.policy.js';
import type { SystemInput } from './inventory.model.js';
import {
  DispositionBody,
  FlagListQuery,
  FlagSchema,
  IdParams,
  ReasonBody,
  RegisterPageSchema,
  RegisterQuery,
  StatsSchema,
  SystemInputSchema,
  SystemListQuery,
  SystemViewSchema,
} from './inventory.schema.js';
import { InventorySpreadsheet, MAX_FILE_BYTES } from './inventory.spreadsheet.js';
import { selfcheckRoutes } from './selfcheck.routes.js';

const TAGS = ['inventory'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function input(b: Omit<SystemInput, 'internalUnit'> & { internalUnit?: string | null }): SystemInput {
  return {
    ...b,
    internalUnit: b.internalUnit ?? null,
  };
}

export const inventoryRoutes: RoutesPlugin = async (app, { services }) => {
  const { inventory } = services;
  const sheets = new InventorySpreadsheet(inventory);

  // Spreadsheets arrive as the raw file (this scope only).
  app.addContentTypeParser(
    [XLSX, 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES + 1024 },
    (_req, body, done) => {
      done(null, body);
    },
  );

  app.get(
    '/inventory/export.xlsx',
    {
      schema: {
        tags: TAGS,
        summary: '导出四张清查表 Export the four standard tables (.xlsx)',
        description: '表1 现有信息系统, 表2 整合后信息系统, 表3 接入共享平台的信息系统, 表4 主管部门.',
        querystring: SystemListQuery,
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'inventory.read', req.query.orgId ?? null);
      const orgId = req.query.orgId ?? listScope(actor, 'inventory.read');
      const file = await sheets.exportWorkbook(orgId);
      await services.audit.record({
        ...metaOf(req),
        action: 'inventory.export',
        objectType: 'inventory_system',
        detail: { orgId, bytes: file.length },
      });
      return reply
        .type(XLSX)
        .header(
          'content-disposition',
          `attachment; filename="inventory.xlsx"; filename*=UTF-8''${encodeURIComponent('政务信息系统清查表.xlsx')}`,
        )
        .send(file);
    },
  );

  app.post(
    '/inventory/import',
    {
      schema: {
        tags: TAGS,
        summary: '导入现有信息系统 Import 表1 (existing systems), all or nothing',
        description:
          'Send the .xlsx as the request body. Every row is checked; if any is wrong nothing is written and the ' +
          'answer lists every problem at its cell. The systems are registered for orgId.',
        consumes: [XLSX],
        querystring: Type.Object({ orgId: Type.String({ format: 'uuid' }) }),
        response: { 201: Type.Object({ created: Type.Integer(), ids: Type.Array(Type.String()) }) },
      },
    },
    async (req, reply) => {
      authorize(req.actor, 'inventory.write', req.query.orgId);
      if (!Buffer.isBuffer(req.body))
        throw DomainError.validation([
          {
            field: 'file',
            rule: 'file.format',
            zh: '请以 .xlsx 文件作为请求体上传',
            en: 'Send the .xlsx file as the request body',
          },
        ]);
      return reply.status(201).send(await sheets.importWorkbook(metaOf(req), req.body, req.query.orgId));
    },
  );

  app.get(
    '/inventory/systems',
    {
      schema: {
        tags: TAGS,
        summary: '信息系统清单 The register of information systems',
        description:
          "A department sees its own systems; the platform office and auditors see every department's.",
        querystring: SystemListQuery,
        response: { 200: Type.Array(SystemViewSchema) },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'inventory.read', req.query.orgId ?? null);
      return inventory.list(req.query.orgId ?? listScope(actor, 'inventory.read'));
    },
  );

  app.get(
    '/inventory/register',
    {
      schema: {
        tags: TAGS,
        summary: '信息系统清单（分页、筛选） One page of the register, filtered',
        description:
          'Filters: department, connection status, flag kind (open or confirmed), disposition, name. Each ' +
          'system carries the kinds of its flags and how many are still open.',
        querystring: RegisterQuery,
        response: { 200: RegisterPageSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const actor = authorize(req.actor, 'inventory.read', q.orgId ?? null);
      const filter = {
        orgId: q.orgId ?? listScope(actor, 'inventory.read'),
        ...(q.status ? { status: q.status } : {}),
        ...(q.flag ? { flag: q.flag } : {}),
        ...(q.disposition ? { disposition: q.disposition } : {}),
        ...(q.q ? { q: q.q } : {}),
      };
      const page = await inventory.registerPage(filter, q.page ?? 1, q.pageSize ?? 20);
      await services.audit.record({
        ...metaOf(req),
        action: 'inventory.register.read',
        objectType: 'inventory_system',
        detail: { ...filter, page: page.page, total: page.total },
      });
      return page;
    },
  );

  app.get(
    '/inventory/stats',
    {
      schema: {
        tags: TAGS,
        summary: '按单位统计 Systems by connection status and disposition, per department',
        querystring: SystemListQuery,
        response: { 200: StatsSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'inventory.read', req.query.orgId ?? null);
      return inventory.stats(req.query.orgId ?? listScope(actor, 'inventory.read'));
    },
  );

  app.delete(
    '/inventory/systems/:id',
    {
      schema: {
        tags: TAGS,
        summary: '删除信息系统 Delete a system from the register',
        description: 'Its flags go with it; refused while another system is recorded as replaced by it.',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const system = await inventory.get(req.params.id);
      authorize(req.actor, 'inventory.write', system.orgId);
      await inventory.remove(metaOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/inventory/systems',
    {
      schema: {
        tags: TAGS,
        summary: '登记信息系统 Register an information system (R2.1)',
        body: SystemInputSchema,
        response: { 201: SystemViewSchema },
      },
    },
    async (req, reply) => {
      authorize(req.actor, 'inventory.write', req.body.orgId);
      return reply.status(201).send(await inventory.create(metaOf(req), input(req.body)));
    },
  );

  app.get(
    '/inventory/systems/:id',
    {
      schema: {
        tags: TAGS,
        summary: '信息系统详情 One system',
        params: IdParams,
        response: { 200: SystemViewSchema },
      },
    },
    async (req) => {
      const system = await inventory.get(req.params.id);
      authorize(req.actor, 'inventory.read', system.orgId);
      return system;
    },
  );

  app.put(
    '/inventory/systems/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改登记信息 Replace a system’s register entry',
        description:
          'Flags are detected again at once; a confirmed or dismissed flag found again keeps its resolution.',
        params: IdParams,
        body: SystemInputSchema,
        response: { 200: SystemViewSchema },
      },
    },
    async (req) => {
      const system = await inventory.get(req.params.id);
      authorize(req.actor, 'inventory.write', system.orgId);
      return inventory.update(metaOf(req), req.params.id, input(req.body));
    },
  );

  app.put(
    '/inventory/systems/:id/disposition',
    {
      schema: {
        tags: TAGS,
        summary: '处置方式 Set the disposition (整合 清理 规范 接入 迁移上云) and its target date (R2.4)',
        params: IdParams,
        body: DispositionBody,
        response: { 200: SystemViewSchema },
      },
    },
    async (req) => {
      const system = await inventory.get(req.params.id);
      authorize(req.actor, 'inventory.dispose', system.orgId);
      return inventory.dispose(metaOf(req), req.params.id, {
        kind: req.body.kind,
        targetOn: req.body.targetOn,
        note: req.body.note,
        assetWriteOffNote: req.body.assetWriteOffNote ?? null,
      });
    },
  );

  app.get(
    '/inventory/flags',
    {
      schema: {
        tags: TAGS,
        summary:
          '僵尸、影子和科室独立系统标记 Zombie, shadow and single-unit flags, each with its explanation',
        querystring: FlagListQuery,
        response: { 200: Type.Array(FlagSchema) },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'inventory.read', req.query.orgId ?? null);
      return inventory.listFlags({
        orgId: req.query.orgId ?? listScope(actor, 'inventory.read'),
        ...(req.query.systemId ? { systemId: req.query.systemId } : {}),
        ...(req.query.kind ? { kind: req.query.kind } : {}),
        ...(req.query.status ? { status: req.query.status } : {}),
      });
    },
  );

  for (const [verb, outcome] of [
    ['confirm', 'confirmed'],
    ['dismiss', 'dismissed'],
  ] as const) {
    app.post(
      `/inventory/flags/:id/${verb}`,
      {
        schema: {
          tags: TAGS,
          summary:
            verb === 'confirm'
              ? '确认标记 Confirm a flag, with a reason'
              : '排除标记 Dismiss a flag, with a reason',
          description:
            'Officers of a department the flag concerns (either side of a shadow pair) or the platform office.',
          params: IdParams,
          body: ReasonBody,
          response: { 200: FlagSchema },
        },
      },
      async (req) => {
        const actor = authorize(req.actor, 'inventory.review');
        return inventory.resolveFlag(
          metaOf(req),
          actor,
          req.params.id,
          outcome,
          req.body.reason,
          listScope(actor, 'inventory.review') === null,
        );
      },
    );
  }

  app.get(
    '/inventory/funding-list',
    {
      schema: {
        tags: TAGS,
        summary: '不予安排运维经费清单 Systems that must connect and have not (R2.6)',
        response: { 200: Type.Array(SystemViewSchema) },
      },
    },
    async (req) => {
      authorize(req.actor, 'finance.read');
      return inventory.fundingList();
    },
  );

  await selfcheckRoutes(app, { services });
};
