/** The console API for sources and mounts (/api/v1/exchange), and the gate for systems (/exchange/v1). */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { DomainError } from '../../kernel/errors.js';
import { authorize, listScope, requireUser } from '../auth/auth.policy.js';
import { decodeFileName } from './exchange.files.js';
import { fileSourcesFor, MAX_FILE_SOURCE_BYTES } from './exchange.filesource.js';
import {
  BackwardCatalogSchema,
  FileSourceSchema,
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
import { syncGateRoutes } from './exchange.sync.routes.js';
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

  // ── file sources: the file loaded now, and uploads ──
  const fileSources = fileSourcesFor(services);

  app.get(
    '/exchange/sources/:id/file',
    {
      schema: {
        tags: TAGS,
        summary: '文件型数据源的当前装载 What a file source holds now',
        description:
          'The file loaded last (name, SM3, rows) and the table it was loaded into with its columns and types: ' +
          'mount the resource on `relation`. 404 until a file has been uploaded.',
        params: IdParams,
        response: { 200: FileSourceSchema },
      },
    },
    async (req) => {
      // Which organization's source it is is checked by the service (its provider's own, or any).
      const actor = authorize(req.actor, 'exchange.read');
      return fileSources.current(actor, req.params.id);
    },
  );

  // Uploads arrive as the raw file (this scope only).
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_FILE_SOURCE_BYTES },
      (_req, body, done) => {
        done(null, body);
      },
    );
    scope.withTypeProvider<TypeBoxTypeProvider>().put(
      '/exchange/sources/:id/file',
      {
        bodyLimit: MAX_FILE_SOURCE_BYTES,
        schema: {
          tags: TAGS,
          summary: '上传文件型数据源的文件 Upload the CSV or XLSX of a file source',
          description:
            'The body is the file itself (CSV in UTF-8 or GB 18030 with a header row, or XLSX; at most 20 MB, an XLSX ' +
            'at most 100 MB uncompressed). Headers: `x-file-name` (percent-encoded UTF-8, `.csv` or `.xlsx`), ' +
            'optionally `x-content-sm3` (checked when sent). Column names are the headers made into identifiers; ' +
            "types are the source's declared `config.columns` or inferred. All or nothing: a bad cell refuses the " +
            'whole file with 400 and a problem per cell (`csv!C5`, `Sheet1!C5`). A new upload replaces the content in ' +
            'one transaction; 409 while another upload of the same source is loading. Example:\n\n' +
            '```\ncurl -X PUT "https://govshare.example/api/v1/exchange/sources/5f0c…/file" \\\n' +
            '  -H "content-type: text/csv" -H "x-file-name: %E5%8F%82%E4%BF%9D.csv" --data-binary @参保.csv …\n```',
          consumes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '*/*'],
          params: IdParams,
          headers: Type.Object({
            'x-file-name': Type.Optional(
              Type.String({ maxLength: 2000, description: 'File name, percent-encoded UTF-8' }),
            ),
            'x-content-sm3': Type.Optional(
              Type.String({ maxLength: 128, description: 'SM3 of the body, hex' }),
            ),
          }),
          response: { 200: FileSourceSchema },
        },
      },
      async (req) => {
        const actor = authorize(req.actor, 'exchange.write');
        const raw = req.headers['x-file-name'];
        const name = decodeFileName(raw);
        if (raw !== undefined && name === null) {
          throw DomainError.validation([
            {
              field: 'x-file-name',
              rule: 'encoding',
              zh: 'x-file-name 须为百分号编码的 UTF-8',
              en: 'x-file-name must be percent-encoded UTF-8',
            },
          ]);
        }
        const ct = req.headers['content-type'];
        return fileSources.upload(metaOf(req), actor, req.params.id, {
          name: name ?? undefined,
          contentType: typeof ct === 'string' ? ct : undefined,
          sm3: req.headers['x-content-sm3'],
          data: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        });
      },
    );
  });
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

  // The parts of file-target sync jobs, for the consumer's systems.
  await app.register(syncGateRoutes, { services });
};
