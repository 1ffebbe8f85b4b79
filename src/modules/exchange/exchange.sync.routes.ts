/**
 * The console API of batch exchange (库表交换), under /api/v1/exchange/sync-jobs. A job belongs to its
 * grant's consumer organization: its head or technical officer (or the platform office) sets it up and
 * runs it; the organization's officers, the platform office and auditors read it. Every route authorizes
 * explicitly against that organization; the service audits every change.
 */
import { Type } from '@fastify/type-provider-typebox';
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { DomainError } from '../../kernel/errors.js';
import { type Actor, authorize, listScope, requireUser, type SystemActor } from '../auth/auth.policy.js';
import { syncServiceOf } from './exchange.sync.js';

const TAGS = ['exchange (console)'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const IdParams = Type.Object({ id: Type.String({ format: 'uuid', description: '同步任务 ID Sync job id' }) });

const TargetConfigSchema = Type.Object(
  {
    host: Type.String({
      minLength: 1,
      maxLength: 255,
      description: '目标库主机 Target host',
      examples: ['10.20.0.8'],
    }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: '端口 Port (5432 / 3306)' })),
    database: Type.String({
      minLength: 1,
      maxLength: 128,
      description: '目标数据库 Target database',
      examples: ['mz_front'],
    }),
    user: Type.String({
      minLength: 1,
      maxLength: 128,
      description: '用户名 User',
      examples: ['govshare_writer'],
    }),
    ssl: Type.Optional(Type.Boolean({ description: '使用 TLS Use TLS' })),
  },
  {
    additionalProperties: false,
    description: '使用方目标库（前置机）连接 Where the consumer keeps its copy',
  },
);

const SyncJobInputSchema = Type.Object(
  {
    grantId: Type.String({
      format: 'uuid',
      description: '共享授权 The grant: the only permission for the copy',
    }),
    targetKind: Type.Union([Type.Literal('postgres'), Type.Literal('mysql'), Type.Literal('file')], {
      description:
        '目标类型：postgres、mysql 库表，或 file（CSV 文件分片，存于平台，由使用方下载） ' +
        'Target kind: a postgres or mysql table, or file (CSV parts kept on the platform for the consumer to download)',
    }),
    targetConfig: Type.Optional(TargetConfigSchema),
    targetSecret: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 1000,
          description:
            '目标库密码，SM4 加密保存，从不返回 Target password; stored SM4-sealed, never returned',
        }),
      ),
    ),
    targetTable: Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        '目标表（“表名”或“模式.表名”），不存在时按授权信息项自动建立，列名取源列名，主键为关键列 ' +
        'Target table (table or schema.table); created from the granted items when missing, columns named as the source columns, the key as primary key',
      examples: ['public.resident_copy'],
    }),
    mode: Type.Union([Type.Literal('full'), Type.Literal('incremental')], {
      description:
        'full 全量（每次按关键列重传全部行）· incremental 增量（按水印列与关键列续传变化的行；无水印列时只追加关键列更大的行） ' +
        'full: every run copies every row in key order; incremental: from the last position on (watermark, key), or key only when the mount has no watermark',
    }),
    scheduleMinutes: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 1,
          maximum: 525_600,
          description: '同步周期（分钟），空为仅手动 Run every n minutes; null: on demand only',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const SyncJobSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    grantId: Type.String({ format: 'uuid' }),
    entryId: Nullable(Type.String({ description: '共享资源 The shared resource' })),
    consumerOrgId: Type.String({ description: '使用方 The consumer organization (owner of the job)' }),
    targetKind: Type.String({ description: 'postgres · mysql · file' }),
    targetConfig: Type.Object({
      host: Type.Optional(Type.String()),
      port: Type.Optional(Type.Integer()),
      database: Type.Optional(Type.String()),
      user: Type.Optional(Type.String()),
      ssl: Type.Optional(Type.Boolean()),
    }),
    hasTargetSecret: Type.Boolean({
      description: '是否保存了目标库密码（从不显示） Whether a password is stored',
    }),
    targetTable: Type.String(),
    mode: Type.String({ description: 'full 全量 · incremental 增量' }),
    scheduleMinutes: Nullable(Type.Integer()),
    status: Type.String({
      description:
        'idle 未运行 · queued 待运行 · running 运行中 · succeeded 成功 · failed 失败 · interrupted 中断（将从最后提交的位置续传）',
    }),
    rowsDone: Type.Integer({ description: '本轮已传行数 Rows copied in the current pass' }),
    rowsTotal: Nullable(
      Type.Integer({ description: '本轮应传行数（估计） Rows of the current pass (estimate)' }),
    ),
    lastWatermark: Nullable(
      Type.String({ description: '最后提交的水印（或明文关键列位置） Last committed position' }),
    ),
    lastRunAt: Nullable(Type.String({ format: 'date-time' })),
    nextRunAt: Nullable(Type.String({ format: 'date-time' })),
    lastError: Nullable(Type.String()),
    leaseOwner: Nullable(Type.String({ description: '正在执行的执行者 The worker holding the job now' })),
    leaseUntil: Nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { description: '库表交换任务 Batch exchange job' },
);

export const syncRoutes: RoutesPlugin = async (app, { services }) => {
  const sync = syncServiceOf(services);

  app.get(
    '/exchange/sync-jobs',
    {
      schema: {
        tags: TAGS,
        summary: '库表交换任务 Batch exchange jobs',
        description:
          '本单位作为使用方的任务；平台管理机构和审计员看全部 The own organization’s jobs; all for the platform office and auditors',
        response: { 200: Type.Array(SyncJobSchema) },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'exchange.read');
      return sync.list(listScope(actor, 'exchange.read'));
    },
  );

  app.post(
    '/exchange/sync-jobs',
    {
      schema: {
        tags: TAGS,
        summary: '建立库表交换任务 Set up a batch exchange job',
        description:
          '只传授权的信息项，按授权脱敏；授权须有效，资源须挂接在 PostgreSQL 或 MySQL 库表上 ' +
          'Copies only the granted items, masked as granted; the grant must be active and the resource mounted on a PostgreSQL or MySQL table',
        body: SyncJobInputSchema,
        response: { 201: SyncJobSchema },
      },
    },
    async (req, reply) => {
      requireUser(req.actor);
      const orgId = await sync.consumerOrgOfGrant(req.body.grantId);
      const user = authorize(req.actor, 'exchange.write', orgId);
      const job = await sync.createJob(metaOf(req), user, req.body);
      return reply.status(201).send(job);
    },
  );

  app.get(
    '/exchange/sync-jobs/:id',
    {
      schema: {
        tags: TAGS,
        summary: '库表交换任务进度 A batch exchange job and its progress',
        params: IdParams,
        response: { 200: SyncJobSchema },
      },
    },
    async (req) => {
      requireUser(req.actor);
      authorize(req.actor, 'exchange.read', await sync.consumerOrgOf(req.params.id));
      return sync.get(req.params.id);
    },
  );

  app.post(
    '/exchange/sync-jobs/:id/run',
    {
      schema: {
        tags: TAGS,
        summary: '立即运行 Run now',
        description:
          '任务立即到期并在本节点后台运行；正在运行时返回 409 The job becomes due and starts in the background on this node; 409 while it runs',
        params: IdParams,
        response: { 202: SyncJobSchema },
      },
    },
    async (req, reply) => {
      requireUser(req.actor);
      authorize(req.actor, 'exchange.write', await sync.consumerOrgOf(req.params.id));
      return reply.status(202).send(await sync.runNow(metaOf(req), req.params.id));
    },
  );

  await app.register(syncPartRoutes, { services });
};

const PartSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    jobId: Type.String({ format: 'uuid' }),
    partNo: Type.Integer({ description: '分片序号，从 1 起 Part number, from 1' }),
    pass: Type.Integer({ description: '第几轮同步 The run (pass) that published it' }),
    mode: Type.String({ description: 'full 全量快照 · incremental 增量（上次以来变化的行）' }),
    rows: Type.Integer(),
    size: Type.Integer({ description: '字节数 Bytes' }),
    sm3: Type.String({ description: 'CSV 字节的 SM3（十六进制） SM3 of the CSV bytes, hex' }),
    rangeFrom: Nullable(
      Type.String({
        description:
          '起点（不含）：上一分片的水印；空为从头 Starts after this watermark; null: from the beginning',
      }),
    ),
    rangeTo: Nullable(
      Type.String({ description: '终点（含）：本分片最后一行的水印 The watermark of its last row' }),
    ),
    fileName: Type.String({ examples: ['dibao_copy.part00003.csv'] }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { description: '同步文件分片 A published CSV part of a file-target sync job' },
);

/** The parts of a file-target job: listed by its organization's officers, downloaded by the consumer. */
export const syncPartRoutes: RoutesPlugin = async (app, { services }) => {
  const sync = syncServiceOf(services);

  app.get(
    '/exchange/sync-jobs/:id/parts',
    {
      schema: {
        tags: TAGS,
        summary: '同步文件分片 The CSV parts of a file-target job',
        description:
          '最新的在前，分页 Newest first, a page at a time. Each full run publishes a complete snapshot; each incremental ' +
          'run a part with the rows changed since the last (`rangeFrom` → `rangeTo`). A part appears only whole, together ' +
          'with the position after it. Example: `GET /api/v1/exchange/sync-jobs/0d6f…/parts?page=1&pageSize=20`.',
        params: IdParams,
        querystring: Type.Object({
          page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(PartSchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      requireUser(req.actor);
      authorize(req.actor, 'exchange.read', await sync.consumerOrgOf(req.params.id));
      return sync.parts(metaOf(req), req.params.id, req.query.page ?? 1, req.query.pageSize ?? 20);
    },
  );

  app.get(
    '/exchange/sync-jobs/:id/parts/:partNo',
    {
      schema: {
        tags: TAGS,
        summary: '下载同步文件分片 Download a CSV part',
        description:
          '仅使用方在授权有效期内可下载；应答带 `x-content-sm3`，请对收到的字节计算 SM3 并比对 ' +
          'Only the consumer, while the grant is active. The answer carries `x-content-sm3`: compute SM3 over the bytes ' +
          'received and compare. CSV: UTF-8, a header row of the data items, an empty field is NULL and `""` the empty ' +
          'string. Example:\n\n```\ncurl -OJ "https://govshare.example/api/v1/exchange/sync-jobs/0d6f…/parts/3" -b … -D h.txt\n```',
        params: PartParams,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      requireUser(req.actor);
      const actor = authorize(req.actor, 'exchange.read', await sync.consumerOrgOf(req.params.id));
      return sendPart(reply, await sync.downloadPart(metaOf(req), actor, req.params.id, req.params.partNo));
    },
  );
};

function gateSystem(actor: Actor): SystemActor {
  if (actor.kind !== 'system') {
    throw new DomainError('UNAUTHENTICATED', {
      zh: '需要有效的 Bearer 令牌',
      en: 'A valid Bearer token is required',
    });
  }
  return actor;
}

const PartParams = Type.Object({
  id: IdParams.properties.id,
  partNo: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }),
});

function sendPart(
  reply: import('fastify').FastifyReply,
  found: { part: { sm3: string; fileName: string }; data: Buffer },
) {
  const { part, data } = found;
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-length', String(data.length))
    .header('x-content-sm3', part.sm3)
    .header(
      'content-disposition',
      `attachment; filename="${part.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(part.fileName)}`,
    )
    .send(data);
}

/** The same parts through the gate (/exchange/v1), for the consumer's systems with a bearer token. */
export const syncGateRoutes: RoutesPlugin = async (app, { services }) => {
  const sync = syncServiceOf(services);
  const security = [{ bearer: [] }];
  const tags = ['exchange API'];

  app.get(
    '/sync-jobs/:id/parts',
    {
      schema: {
        tags,
        summary: '同步文件分片 The CSV parts of your file-target sync job',
        description:
          'Send `Authorization: Bearer gst_…` of a system of the consumer (the grant’s own system when it names one). ' +
          'Newest first. Example: `GET /exchange/v1/sync-jobs/0d6f…/parts?page=1&pageSize=20`. 403 for anyone else or ' +
          'once the grant is no longer active.',
        security,
        params: IdParams,
        querystring: Type.Object({
          page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(PartSchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
        },
      },
    },
    async (req) =>
      sync.partsForSystem(
        metaOf(req),
        gateSystem(req.actor),
        req.params.id,
        req.query.page ?? 1,
        req.query.pageSize ?? 20,
      ),
  );

  app.get(
    '/sync-jobs/:id/parts/:partNo',
    {
      schema: {
        tags,
        summary: '下载同步文件分片 Download a CSV part',
        description:
          'Answers the CSV bytes with `x-content-sm3` (SM3 of the bytes, hex): compute it over what you received and ' +
          'compare. Example:\n\n```\ncurl -OJ "https://govshare.example/exchange/v1/sync-jobs/0d6f…/parts/3" \\\n' +
          '  -H "Authorization: Bearer gst_…" -D headers.txt\n```\n\nEvery download is audited.',
        security,
        params: PartParams,
        produces: ['text/csv'],
      },
    },
    async (req, reply) =>
      sendPart(
        reply,
        await sync.downloadPart(metaOf(req), gateSystem(req.actor), req.params.id, req.params.partNo),
      ),
  );
};
