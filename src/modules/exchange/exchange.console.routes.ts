/**
 * Paged reads for the console's exchange pages (/api/v1/exchange/paged/…, …/deliveries, a job's runs).
 * Each route authorizes explicitly against the permission table; the service audits each read.
 */
import { Type } from '@fastify/type-provider-typebox';
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { pageRequest } from '../../kernel/pagination.js';
import { authorize, requireUser } from '../auth/auth.policy.js';
import { pageOf } from '../auth/auth.schema.js';
import { ExchangeConsole } from './exchange.console.js';
import { SourceSchema } from './exchange.schema.js';
import { syncServiceOf } from './exchange.sync.js';
import { SyncJobSchema } from './exchange.sync.routes.js';

const TAGS = ['exchange (console)'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Paging = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};

export const SyncRunSchema = Type.Object(
  {
    seq: Type.Integer({ description: 'The audit event of the pass' }),
    at: Type.String({ format: 'date-time' }),
    outcome: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
    rows: Nullable(Type.Integer({ description: '本次传输行数 Rows copied by this run' })),
    rowsDone: Nullable(Type.Integer({ description: '本轮累计 Rows of the pass so far' })),
    pass: Nullable(Type.Integer()),
    resumed: Type.Boolean({ description: '是否从中断处续传 Resumed from an interrupted pass' }),
    worker: Nullable(Type.String()),
    error: Nullable(Type.String()),
  },
  { description: '一次运行 One run of a batch job' },
);

export const SubscriptionRowSchema = Type.Object({
  id: Type.String(),
  grantId: Type.String(),
  entryId: Nullable(Type.String()),
  resource: Nullable(Type.String()),
  entryName: Nullable(Type.String()),
  mode: Type.String({ description: 'webhook · pull' }),
  url: Nullable(Type.String()),
  status: Type.String({ description: 'active · paused' }),
  cursor: Type.Integer(),
  hasSecret: Type.Boolean(),
  createdAt: Type.String(),
  pending: Type.Integer({ description: '待投递 Deliveries waiting' }),
  delivered: Type.Integer({ description: '已投递 Delivered' }),
  dead: Type.Integer({ description: '死信 Given up' }),
});

export const DeliveryRowSchema = Type.Object({
  id: Type.Integer(),
  subscriptionId: Type.String(),
  grantId: Type.String(),
  resource: Type.String(),
  url: Nullable(Type.String()),
  changeSeq: Type.Integer(),
  attempts: Type.Integer(),
  status: Type.String({ description: 'pending · delivered · dead' }),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Type.String(),
  deliveredAt: Nullable(Type.String()),
});

export const SourcePageSchema = pageOf(SourceSchema);
export const SyncJobPageSchema = pageOf(SyncJobSchema);
export const SyncRunPageSchema = pageOf(SyncRunSchema);
export const SubscriptionPageSchema = pageOf(SubscriptionRowSchema);
export const DeliveryPageSchema = pageOf(DeliveryRowSchema);

export const exchangeConsoleReadRoutes: RoutesPlugin = async (app, { services }) => {
  const sync = syncServiceOf(services);
  const reads = new ExchangeConsole({ db: services.db.kysely, audit: services.audit, sync });

  app.get(
    '/exchange/paged/sources',
    {
      schema: {
        tags: TAGS,
        summary: '数据源（分页） Sources, one page',
        description:
          'Own organization’s sources (any, or `orgId`, for the platform office and auditors). Example: ' +
          '`GET /api/v1/exchange/paged/sources?status=down&page=1&pageSize=20`.',
        querystring: Type.Object({
          ...Paging,
          orgId: Type.Optional(Type.String({ format: 'uuid' })),
          status: Type.Optional(
            Type.Union([Type.Literal('unknown'), Type.Literal('up'), Type.Literal('down')]),
          ),
          kind: Type.Optional(
            Type.Union([
              Type.Literal('postgres'),
              Type.Literal('mysql'),
              Type.Literal('http'),
              Type.Literal('file'),
            ]),
          ),
          q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the name' })),
        }),
        response: { 200: SourcePageSchema },
      },
    },
    async (req) => {
      const user = authorize(req.actor, 'exchange.read', req.query.orgId ?? null);
      const { page, pageSize, ...f } = req.query;
      return reads.sources(metaOf(req), user, f, pageRequest(page, pageSize));
    },
  );

  app.get(
    '/exchange/paged/sync-jobs',
    {
      schema: {
        tags: TAGS,
        summary: '库表交换任务（分页） Batch jobs, one page',
        description: 'Own organization’s jobs as consumer (all for the platform office and auditors).',
        querystring: Type.Object({ ...Paging, status: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: { 200: SyncJobPageSchema },
      },
    },
    async (req) => {
      const user = authorize(req.actor, 'exchange.read');
      return reads.syncJobs(
        metaOf(req),
        user,
        { status: req.query.status },
        pageRequest(req.query.page, req.query.pageSize),
      );
    },
  );

  app.get(
    '/exchange/sync-jobs/:id/runs',
    {
      schema: {
        tags: TAGS,
        summary: '运行记录 Runs of a batch job',
        description:
          'Each pass, newest first, as recorded on the audit chain (`exchange.sync.transfer`): rows copied, outcome, error.',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object(Paging),
        response: { 200: SyncRunPageSchema },
      },
    },
    async (req) => {
      requireUser(req.actor);
      authorize(req.actor, 'exchange.read', await sync.consumerOrgOf(req.params.id));
      return reads.runs(metaOf(req), req.params.id, pageRequest(req.query.page, req.query.pageSize));
    },
  );

  app.get(
    '/exchange/paged/subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: '订阅（分页） Subscriptions, one page, with delivery counts',
        querystring: Type.Object({
          ...Paging,
          status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('paused')])),
          mode: Type.Optional(Type.Union([Type.Literal('webhook'), Type.Literal('pull')])),
        }),
        response: { 200: SubscriptionPageSchema },
      },
    },
    async (req) => {
      const user = authorize(req.actor, 'exchange.read');
      const { page, pageSize, ...f } = req.query;
      return reads.subscriptions(metaOf(req), user, f, pageRequest(page, pageSize));
    },
  );

  app.get(
    '/exchange/subscriptions/:id',
    {
      schema: {
        tags: TAGS,
        summary: '订阅详情 A subscription with its delivery counts',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: SubscriptionRowSchema },
      },
    },
    async (req) => {
      const user = authorize(req.actor, 'exchange.read');
      return reads.subscription(metaOf(req), user, req.params.id);
    },
  );

  app.get(
    '/exchange/deliveries',
    {
      schema: {
        tags: TAGS,
        summary: '投递记录 Deliveries (the delivery log; status=dead: dead letters)',
        description:
          'Newest first, with attempts, status and the next retry. Example: ' +
          '`GET /api/v1/exchange/deliveries?subscriptionId=5b0c2c52-…&status=pending`.',
        querystring: Type.Object({
          ...Paging,
          subscriptionId: Type.Optional(Type.String({ format: 'uuid' })),
          status: Type.Optional(
            Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]),
          ),
        }),
        response: { 200: DeliveryPageSchema },
      },
    },
    async (req) => {
      const user = authorize(req.actor, 'exchange.read');
      const { page, pageSize, ...f } = req.query;
      return reads.deliveries(metaOf(req), user, f, pageRequest(page, pageSize));
    },
  );
};
