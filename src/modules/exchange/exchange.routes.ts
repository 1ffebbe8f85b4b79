/** The console API for sources and mounts (/api/v1/exchange), and the gate for systems (/exchange/v1). */
import { Type } from '@fastify/type-provider-typebox';
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { DomainError } from '../../kernel/errors.js';
import { authorize, listScope, requireUser } from '../auth/auth.policy.js';
import {
  BackwardCatalogSchema,
  GateHeaders,
  MountInputSchema,
  QueryBody,
  QueryResult,
  ResourceParams,
  SourceInputSchema,
  SourcePatchSchema,
  SourceSchema,
  VerifyBody,
  VerifyResult,
} from './exchange.schema.js';
import type { SourceKind } from './exchange.table.js';

const TAGS = ['exchange (console)'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const exchangeConsoleRoutes: RoutesPlugin = async (app, { services }) => {
  const { exchange } = services;

  app.get(
    '/exchange/sources',
    {
      schema: {
        tags: TAGS,
        summary: '数据源 Sources',
        querystring: Type.Object({ orgId: Type.Optional(Type.String({ format: 'uuid' })) }),
        response: { 200: Type.Array(SourceSchema) },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'exchange.read', req.query.orgId ?? null);
      return exchange.listSources(listScope(actor, 'exchange.read') ?? req.query.orgId ?? null);
    },
  );

  app.post(
    '/exchange/sources',
    {
      schema: {
        tags: TAGS,
        summary: '登记数据源 Register a source',
        body: SourceInputSchema,
        response: { 201: SourceSchema },
      },
    },
    async (req, reply) => {
      const orgId = req.body.orgId ?? requireUser(req.actor).orgId;
      authorize(req.actor, 'exchange.write', orgId);
      const s = await exchange.createSource(metaOf(req), {
        ...req.body,
        orgId,
        kind: req.body.kind as SourceKind,
      });
      return reply.status(201).send(s);
    },
  );

  app.get(
    '/exchange/sources/:id',
    {
      schema: {
        tags: TAGS,
        summary: '数据源详情 A source',
        params: IdParams,
        response: { 200: SourceSchema },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const s = await exchange.getSource(req.params.id);
      authorize(req.actor, 'exchange.read', s.orgId);
      return s;
    },
  );

  app.patch(
    '/exchange/sources/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改数据源 Change a source',
        params: IdParams,
        body: SourcePatchSchema,
        response: { 200: SourceSchema },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const s = await exchange.getSource(req.params.id);
      authorize(req.actor, 'exchange.write', s.orgId);
      return exchange.updateSource(metaOf(req), req.params.id, req.body);
    },
  );

  app.post(
    '/exchange/sources/:id/test',
    {
      schema: {
        tags: TAGS,
        summary: '测试连接 Test the connection',
        params: IdParams,
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            latencyMs: Type.Integer(),
            error: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const s = await exchange.getSource(req.params.id);
      authorize(req.actor, 'exchange.write', s.orgId);
      return exchange.testSource(metaOf(req), req.params.id);
    },
  );

  app.get(
    '/exchange/sources/:id/relations',
    {
      schema: {
        tags: TAGS,
        summary: '表和视图 Tables and views of a source',
        params: IdParams,
        response: { 200: Type.Array(Type.String()) },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const s = await exchange.getSource(req.params.id);
      authorize(req.actor, 'exchange.write', s.orgId);
      return exchange.relations(req.params.id);
    },
  );

  app.get(
    '/exchange/sources/:id/columns',
    {
      schema: {
        tags: TAGS,
        summary: '列 Columns of a table',
        params: IdParams,
        querystring: Type.Object({ relation: Type.String({ maxLength: 200 }) }),
        response: {
          200: Type.Array(
            Type.Object({ name: Type.String(), type: Type.String(), nullable: Type.Boolean() }),
          ),
        },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const s = await exchange.getSource(req.params.id);
      authorize(req.actor, 'exchange.write', s.orgId);
      return exchange.columns(req.params.id, req.query.relation);
    },
  );

  app.get(
    '/exchange/connection-rates',
    { schema: { tags: TAGS, summary: '联通率 Connection rate per department' } },
    async (req) => {
      authorize(req.actor, 'exchange.read');
      return exchange.connectionRates();
    },
  );

  app.post(
    '/exchange/health-check',
    {
      schema: {
        tags: TAGS,
        summary: '检查全部数据源 Run the health check now (it also runs every 10 minutes)',
        response: { 200: Type.Object({ checked: Type.Integer(), up: Type.Integer() }) },
      },
    },
    async (req) => {
      authorize(req.actor, 'exchange.operate');
      return exchange.checkAll();
    },
  );

  app.get('/exchange/mounts', { schema: { tags: TAGS, summary: '挂接 Mounted resources' } }, async (req) => {
    const actor = authorize(req.actor, 'exchange.read');
    return exchange.mounts(listScope(actor, 'exchange.read'));
  });

  app.post(
    '/exchange/mounts',
    {
      schema: {
        tags: TAGS,
        summary: '挂接资源 Mount a catalog resource on a source',
        body: MountInputSchema,
      },
    },
    async (req, reply) => {
      requireUser(req.actor);
      const s = await exchange.getSource(req.body.sourceId);
      const actor = authorize(req.actor, 'exchange.write', s.orgId);
      return reply.status(201).send(await exchange.mount(metaOf(req), actor, req.body));
    },
  );

  app.post(
    '/exchange/backward-catalog',
    {
      schema: {
        tags: TAGS,
        summary: '反编目 Create a draft catalog entry from a table, mounted on it',
        body: BackwardCatalogSchema,
      },
    },
    async (req, reply) => {
      requireUser(req.actor);
      const s = await exchange.getSource(req.body.sourceId);
      const actor = authorize(req.actor, 'exchange.write', s.orgId);
      authorize(req.actor, 'catalog.write', s.orgId);
      return reply.status(201).send(await exchange.backwardCatalog(metaOf(req), actor, req.body));
    },
  );
};

const GATE_TAGS = ['exchange API'];

function system(req: { actor: import('../auth/auth.policy.js').Actor }) {
  if (req.actor.kind !== 'system') {
    throw new DomainError('UNAUTHENTICATED', {
      zh: '需要有效的 Bearer 令牌',
      en: 'A valid Bearer token is required',
    });
  }
  return req.actor;
}

/** The gate: consuming systems, with a bearer token and a purpose, read only what grants allow. */
export const exchangeGateRoutes: RoutesPlugin = async (app, { services }) => {
  const { exchange } = services;
  const security = [{ bearer: [] }];

  app.post(
    '/resources/:resource/query',
    {
      schema: {
        tags: GATE_TAGS,
        summary: '查询 Query records of a granted resource',
        description:
          'Send `Authorization: Bearer gst_…` and `X-Purpose` (the purpose category of your grant). Filter by key ' +
          'items; you receive only the granted items, masked as the grant says, at most 100 per page. Example:\n\n' +
          '```\ncurl -X POST https://govshare.example/exchange/v1/resources/101001-0001/query \\\n' +
          '  -H "Authorization: Bearer gst_…" -H "X-Purpose: data_verification" -H "content-type: application/json" \\\n' +
          '  -d \'{"filters":{"公民身份号码":"11010519491231002X"}}\'\n```\n\n' +
          '403 without a grant or with another purpose; 429 over the grant’s rate or daily quota; 400 for a filter ' +
          'that is not a key item or fails its check. Every call is audited.',
        security,
        params: ResourceParams,
        headers: GateHeaders,
        body: QueryBody,
        response: { 200: QueryResult },
      },
    },
    async (req) =>
      exchange.query(
        system(req),
        metaOf(req),
        req.params.resource,
        req.headers['x-purpose'],
        req.body.filters,
        req.body.page ?? 1,
        req.body.pageSize ?? 20,
      ),
  );

  app.get(
    '/resources/:resource/records',
    {
      schema: {
        tags: GATE_TAGS,
        summary: '查询（GET） Query with key items as query parameters',
        description:
          'As POST …/query, with the key items as query parameters, e.g. `?公民身份号码=11010519491231002X&page=1`.',
        security,
        params: ResourceParams,
        headers: GateHeaders,
        querystring: Type.Object(
          {
            page: Type.Optional(Type.Integer({ minimum: 1 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          },
          { additionalProperties: Type.String({ maxLength: 1000 }) },
        ),
        response: { 200: QueryResult },
      },
    },
    async (req) => {
      const { page, pageSize, ...rest } = req.query as Record<string, string | number | undefined>;
      const filters = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
      return exchange.query(
        system(req),
        metaOf(req),
        req.params.resource,
        req.headers['x-purpose'],
        filters,
        Number(page ?? 1),
        Number(pageSize ?? 20),
      );
    },
  );

  app.post(
    '/resources/:resource/verify',
    {
      schema: {
        tags: GATE_TAGS,
        summary: '核验 Verify values without receiving data',
        description:
          'Submit values of some granted items of one record (including a key item); the answer says, per item, ' +
          'whether the value matches — never the data. Example body: `{"values":{"姓名":"张三","公民身份号码":"11010519491231002X"}}`.',
        security,
        params: ResourceParams,
        headers: GateHeaders,
        body: VerifyBody,
        response: { 200: VerifyResult },
      },
    },
    async (req) =>
      exchange.verify(
        system(req),
        metaOf(req),
        req.params.resource,
        req.headers['x-purpose'],
        req.body.values,
      ),
  );
};
