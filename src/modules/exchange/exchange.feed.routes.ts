/**
 * Routes of the change feed, subscriptions and file exchange: `feedConsoleRoutes` under /api/v1 (the
 * console, signed-in users) and `feedGateRoutes` under /exchange/v1 (consuming systems with a bearer
 * token). Every route authorizes explicitly before it touches a service.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { DomainError } from '../../kernel/errors.js';
import { type Actor, authorize, type SystemActor } from '../auth/auth.policy.js';
import { feedFor } from './exchange.feed.js';
import { decodeFileName, filesFor, MAX_EXCHANGE_FILE_BYTES } from './exchange.files.js';
import { GateHeaders, ResourceParams } from './exchange.schema.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const TAGS = ['exchange feed and files (console)'];
const GATE_TAGS = ['exchange API'];

const SubscriptionSchema = Type.Object(
  {
    id: Type.String(),
    grantId: Type.String(),
    entryId: Nullable(Type.String()),
    resource: Nullable(Type.String({ description: 'The resource code' })),
    mode: Type.String({ description: 'webhook (pushed to url) · pull (read by cursor)' }),
    url: Nullable(Type.String()),
    status: Type.String({ description: 'active · paused (deliveries held until resumed)' }),
    cursor: Type.Integer({
      description: 'Webhook: the last change handed to the dispatcher; pull: the last position acknowledged',
    }),
    hasSecret: Type.Boolean({ description: 'Whether a signing secret is stored (it is shown only once)' }),
    createdAt: Type.String(),
  },
  {
    examples: [
      {
        id: '5b0c2c52-3a8e-4d7e-9d51-0f6f4c1c2a10',
        grantId: 'b1c7e3f0-8a3b-4a53-9a55-6e0b0b7a1f21',
        entryId: '8e8f1a52-6f4f-4c0d-a3a8-2f3c5b1d9e77',
        resource: '301900/0001',
        mode: 'webhook',
        url: 'https://jiuzhu.mz.example/hooks/govshare',
        status: 'active',
        cursor: 1042,
        hasSecret: true,
        createdAt: '2026-11-26T02:00:00.000Z',
      },
    ],
  },
);

const SubscriptionCreated = Type.Object(
  {
    ...SubscriptionSchema.properties,
    secret: Nullable(
      Type.String({
        description:
          'Webhook only: the signing secret, shown this once. Verify X-GovShare-Signature = "sm3=" + hex ' +
          'HMAC-SM3(secret, X-GovShare-Timestamp + "." + raw body).',
      }),
    ),
  },
  {
    examples: [
      {
        id: '5b0c2c52-3a8e-4d7e-9d51-0f6f4c1c2a10',
        grantId: 'b1c7e3f0-8a3b-4a53-9a55-6e0b0b7a1f21',
        entryId: '8e8f1a52-6f4f-4c0d-a3a8-2f3c5b1d9e77',
        resource: '301900/0001',
        mode: 'webhook',
        url: 'https://jiuzhu.mz.example/hooks/govshare',
        status: 'active',
        cursor: 1042,
        hasSecret: true,
        createdAt: '2026-11-26T02:00:00.000Z',
        secret: 'whsec_3q2-7wEXAMPLEj1cE1x0Q7sZk3W4l0m9n8b7v6c5x4z',
      },
    ],
  },
);

const SubscribeBody = Type.Object(
  {
    grantId: Uuid,
    mode: Type.Union([Type.Literal('webhook'), Type.Literal('pull')]),
    url: Type.Optional(
      Nullable(
        Type.String({ maxLength: 2000, description: 'The http(s) address changes are POSTed to (webhook)' }),
      ),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        grantId: 'b1c7e3f0-8a3b-4a53-9a55-6e0b0b7a1f21',
        mode: 'webhook',
        url: 'https://jiuzhu.mz.example/hooks/govshare',
      },
    ],
  },
);

const DeliverySchema = Type.Object(
  {
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
  },
  {
    examples: [
      {
        id: 77,
        subscriptionId: '5b0c2c52-3a8e-4d7e-9d51-0f6f4c1c2a10',
        grantId: 'b1c7e3f0-8a3b-4a53-9a55-6e0b0b7a1f21',
        resource: '301900/0001',
        url: 'https://jiuzhu.mz.example/hooks/govshare',
        changeSeq: 1043,
        attempts: 6,
        status: 'dead',
        lastError: 'HTTP 503 after 6 attempts',
        nextAttemptAt: '2026-11-26T03:02:00.000Z',
        deliveredAt: null,
      },
    ],
  },
);

const ChangeSchema = Type.Object({
  seq: Type.Integer({ description: 'Position in the feed; pass the last one as `after` next time' }),
  resource: Type.String(),
  op: Type.String({ description: 'upsert · delete' }),
  key: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The changed record’s key items, as far as granted, masked as the grant says',
  }),
  changedAt: Type.String(),
});

const IdParams = Type.Object({ id: Uuid });
const DeliveryParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'The delivery id' }) });

const FileSchema = Type.Object(
  {
    id: Type.String(),
    entryId: Type.String(),
    resource: Type.String(),
    name: Type.String(),
    contentType: Type.String(),
    size: Type.Integer(),
    sm3: Type.String({
      description: 'SM3 of the bytes (lowercase hex), checked on upload and sent on download',
    }),
    uploadedBy: Nullable(Type.String()),
    uploadedAt: Type.String(),
  },
  {
    examples: [
      {
        id: 'c3d4e5f6-0718-4a2b-9c3d-4e5f60718293',
        entryId: '8e8f1a52-6f4f-4c0d-a3a8-2f3c5b1d9e77',
        resource: '301901/0002',
        name: '2026年11月低保名册.pdf',
        contentType: 'application/pdf',
        size: 183204,
        sm3: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
        uploadedBy: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
        uploadedAt: '2026-11-26T02:00:00.000Z',
      },
    ],
  },
);

function gateSystem(actor: Actor): SystemActor {
  if (actor.kind !== 'system') {
    throw new DomainError('UNAUTHENTICATED', {
      zh: '需要有效的 Bearer 令牌',
      en: 'A valid Bearer token is required',
    });
  }
  return actor;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The console (/api/v1): subscriptions, dead letters, the feed job, provider pushes and file uploads. */
export const feedConsoleRoutes: RoutesPlugin = async (app, { services }) => {
  const feed = feedFor(services);
  const files = filesFor(services);

  app.get(
    '/exchange/subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: '订阅 Subscriptions',
        description:
          "The change subscriptions held by the caller's organization as consumer (all, for the platform office and auditors).",
        response: { 200: Type.Array(SubscriptionSchema) },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'exchange.read');
      return feed.listSubscriptions(actor);
    },
  );

  app.post(
    '/exchange/subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: '订阅变更 Subscribe to changes of a granted resource',
        description:
          'By the consumer of an active grant (department head or technical officer). `webhook`: each change is ' +
          'POSTed to `url` as `{"subscriptionId","deliveryId","change":{"seq","resource","op","key","changedAt"}}` ' +
          'with headers `X-GovShare-Delivery` (idempotency key), `X-GovShare-Timestamp` (Unix seconds) and ' +
          '`X-GovShare-Signature: sm3=<hex HMAC-SM3(secret, timestamp + "." + body)>`; answer 2xx, or it is retried ' +
          'with exponential backoff and dead-lettered after the last attempt. The secret is in this answer only. ' +
          '`pull`: read `GET /exchange/v1/resources/{resource}/changes?after=` instead. Changes after now are told.',
        body: SubscribeBody,
        response: { 201: SubscriptionCreated },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'exchange.write');
      const s = await feed.subscribe(metaOf(req), actor, {
        grantId: req.body.grantId,
        mode: req.body.mode,
        url: req.body.url ?? null,
      });
      return reply.status(201).send(s);
    },
  );

  app.post(
    '/exchange/subscriptions/:id/pause',
    {
      schema: {
        tags: TAGS,
        summary: '暂停订阅 Pause a subscription',
        description:
          'Holds deliveries; changes meanwhile are delivered after resume. Example: `POST …/pause` with no body.',
        params: IdParams,
        response: { 200: SubscriptionSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'exchange.write');
      return feed.pause(metaOf(req), actor, req.params.id);
    },
  );

  app.post(
    '/exchange/subscriptions/:id/resume',
    {
      schema: {
        tags: TAGS,
        summary: '恢复订阅 Resume a subscription',
        description:
          'Delivers what was held while paused, then keeps delivering. Example: `POST …/resume` with no body.',
        params: IdParams,
        response: { 200: SubscriptionSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'exchange.write');
      return feed.resume(metaOf(req), actor, req.params.id);
    },
  );

  app.get(
    '/exchange/dead-letters',
    {
      schema: {
        tags: TAGS,
        summary: '死信 Deliveries that gave up',
        description:
          "Dead deliveries of the caller's organization's subscriptions, newest first, with the last error " +
          '(e.g. `HTTP 503 after 6 attempts`, or `grant not active (revoked)`). Example: `GET /api/v1/exchange/dead-letters?limit=50`.',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
        }),
        response: { 200: Type.Array(DeliverySchema) },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'exchange.read');
      return feed.deadLetters(actor, req.query.limit ?? 200);
    },
  );

  app.post(
    '/exchange/deliveries/:id/redeliver',
    {
      schema: {
        tags: TAGS,
        summary: '重投 Retry a dead delivery',
        description:
          'Puts a dead delivery back in the queue with fresh attempts (the grant must be active). Example: ' +
          '`POST /api/v1/exchange/deliveries/77/redeliver`.',
        params: DeliveryParams,
        response: { 200: DeliverySchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'exchange.write');
      return feed.redeliver(metaOf(req), actor, req.params.id);
    },
  );

  app.post(
    '/exchange/feed/poll',
    {
      schema: {
        tags: TAGS,
        summary: '立即轮询并投递 Poll watermarks and dispatch deliveries now',
        description:
          'The platform office runs the feed job at once (it also runs periodically): polls every mount with a ' +
          'watermark column, then dispatches due deliveries. Example answer: ' +
          '`{"poll":{"mounts":3,"appended":12,"failed":[]},"dispatch":{"fannedOut":12,"claimed":12,"delivered":11,"retrying":1,"dead":0}}`.',
        response: {
          200: Type.Object({
            poll: Type.Object({
              mounts: Type.Integer(),
              appended: Type.Integer(),
              failed: Type.Array(Type.Object({ entryId: Type.String(), error: Type.String() })),
            }),
            dispatch: Type.Object({
              fannedOut: Type.Integer(),
              claimed: Type.Integer(),
              delivered: Type.Integer(),
              retrying: Type.Integer(),
              dead: Type.Integer(),
            }),
          }),
        },
      },
    },
    async (req) => {
      authorize(req.actor, 'exchange.operate');
      const poll = await feed.pollAll();
      const dispatch = await feed.dispatch();
      return { poll, dispatch };
    },
  );

  app.post(
    '/exchange/changes',
    {
      schema: {
        tags: TAGS,
        summary: '推送变更 Record a change of one of your resources',
        description:
          'For providers whose changes cannot be polled (deletes, sources without a watermark column). `key` names ' +
          'data items of the resource. Subscribers are told as of any other change.',
        body: Type.Object(
          {
            entryId: Uuid,
            op: Type.Union([Type.Literal('upsert'), Type.Literal('delete')]),
            key: Type.Record(
              Type.String({ maxLength: 100 }),
              Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean(), Type.Null()]),
            ),
          },
          {
            additionalProperties: false,
            examples: [
              {
                entryId: '8e8f1a52-6f4f-4c0d-a3a8-2f3c5b1d9e77',
                op: 'delete',
                key: { 公民身份号码: '11010519491231002X' },
              },
            ],
          },
        ),
        response: { 201: ChangeSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'exchange.write');
      const entry = await services.catalog.get(actor, req.body.entryId);
      authorize(req.actor, 'exchange.write', entry.providerOrgId);
      const change = await feed.recordChange(metaOf(req), entry.id, req.body.op, req.body.key);
      return reply.status(201).send(change);
    },
  );

  app.get(
    '/exchange/files',
    {
      schema: {
        tags: TAGS,
        summary: '资源文件 Files of a resource',
        description:
          'For the provider, the platform office, auditors, and organizations holding an active grant on the resource. ' +
          'Example: `GET /api/v1/exchange/files?entryId=8e8f1a52-6f4f-4c0d-a3a8-2f3c5b1d9e77`.',
        querystring: Type.Object({ entryId: Uuid }),
        response: { 200: Type.Array(FileSchema) },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'exchange.read');
      return files.list(actor, req.query.entryId);
    },
  );

  // Uploads arrive as the raw file, whatever its type (this scope only).
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_EXCHANGE_FILE_BYTES },
      (_req, body, done) => {
        done(null, body);
      },
    );
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/exchange/files',
      {
        bodyLimit: MAX_EXCHANGE_FILE_BYTES,
        schema: {
          tags: TAGS,
          summary: '上传文件 Upload a file of one of your resources',
          description:
            'The request body is the file itself (at most 50 MB). Headers: `content-type` (the file’s type), ' +
            '`x-file-name` (percent-encoded UTF-8), `x-content-sm3` (the SM3 digest you computed, hex). The platform ' +
            'recomputes the digest and refuses a mismatch with 400 naming `x-content-sm3`. Example:\n\n' +
            '```\ncurl -X POST "https://govshare.example/api/v1/exchange/files?entryId=8e8f1a52-…" \\\n' +
            '  -H "content-type: application/pdf" -H "x-file-name: %E4%BD%8E%E4%BF%9D.pdf" \\\n' +
            '  -H "x-content-sm3: $(gmssl sm3 < 低保.pdf)" --data-binary @低保.pdf …\n```',
          consumes: ['application/octet-stream', '*/*'],
          querystring: Type.Object({ entryId: Uuid }),
          headers: Type.Object({
            'x-file-name': Type.Optional(
              Type.String({
                maxLength: 2000,
                description: 'File name, percent-encoded UTF-8',
                examples: ['%E4%BD%8E%E4%BF%9D.pdf'],
              }),
            ),
            'x-content-sm3': Type.Optional(
              Type.String({
                maxLength: 128,
                description: 'SM3 of the body, hex',
                examples: ['66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'],
              }),
            ),
          }),
          response: { 201: FileSchema },
        },
      },
      async (req, reply) => {
        const actor = authorize(req.actor, 'exchange.write');
        const raw = headerValue(req.headers['x-file-name']);
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
        const body = req.body;
        const file = await files.upload(metaOf(req), actor, {
          entryId: req.query.entryId,
          name: name ?? undefined,
          contentType: headerValue(req.headers['content-type']),
          sm3: headerValue(req.headers['x-content-sm3']),
          data: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
        });
        return reply.status(201).send(file);
      },
    );
  });
};

/** The gate (/exchange/v1): changes by cursor and file downloads, for systems holding a grant. */
export const feedGateRoutes: RoutesPlugin = async (app, { services }) => {
  const feed = feedFor(services);
  const files = filesFor(services);
  const security = [{ bearer: [] }];

  app.get(
    '/resources/:resource/changes',
    {
      schema: {
        tags: GATE_TAGS,
        summary: '变更（拉取） Changes of a granted resource after a cursor',
        description:
          'Send `Authorization: Bearer gst_…` and `X-Purpose` (your grant’s purpose category). Returns the changes ' +
          'with `seq` greater than `after`, oldest first (keys masked as your grant says), and `next`: the cursor ' +
          'to pass as `after` next time. Example:\n\n```\ncurl "https://govshare.example/exchange/v1/resources/301900-0001/changes?after=1042&limit=100" \\\n' +
          '  -H "Authorization: Bearer gst_…" -H "X-Purpose: data_verification"\n```\n\n' +
          '403 without an active grant or with another purpose. Every pull is audited.',
        security,
        params: ResourceParams,
        headers: GateHeaders,
        querystring: Type.Object({
          after: Type.Optional(
            Type.Integer({ minimum: 0, default: 0, description: 'The last seq you have' }),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        }),
        response: {
          200: Type.Object(
            {
              resource: Type.String(),
              changes: Type.Array(ChangeSchema),
              next: Type.Integer({ description: 'Pass as `after` on the next call' }),
            },
            {
              examples: [
                {
                  resource: '301900/0001',
                  changes: [
                    {
                      seq: 1043,
                      resource: '301900/0001',
                      op: 'upsert',
                      key: { 公民身份号码: '421202********1234' },
                      changedAt: '2026-11-26T02:00:00.000Z',
                    },
                  ],
                  next: 1043,
                },
              ],
            },
          ),
        },
      },
    },
    async (req) =>
      feed.pullChanges(
        gateSystem(req.actor),
        metaOf(req),
        req.params.resource,
        req.headers['x-purpose'],
        req.query.after ?? 0,
        req.query.limit ?? 100,
      ),
  );

  app.get(
    '/resources/:resource/files',
    {
      schema: {
        tags: GATE_TAGS,
        summary: '文件列表 Files of a granted resource',
        description:
          'Bearer token and X-Purpose as for every gate call. Example: `GET /exchange/v1/resources/301901-0002/files`.',
        security,
        params: ResourceParams,
        headers: GateHeaders,
        response: { 200: Type.Array(FileSchema) },
      },
    },
    async (req) =>
      files.listForSystem(gateSystem(req.actor), metaOf(req), req.params.resource, req.headers['x-purpose']),
  );

  app.get(
    '/resources/:resource/files/:fileId',
    {
      schema: {
        tags: GATE_TAGS,
        summary: '下载文件 Download a file of a granted resource',
        description:
          'Answers the bytes, with `x-content-sm3` (SM3 of the bytes, hex): compute it over what you received and ' +
          'compare. Example:\n\n```\ncurl -OJ "https://govshare.example/exchange/v1/resources/301901-0002/files/c3d4e5f6-…" \\\n' +
          '  -H "Authorization: Bearer gst_…" -H "X-Purpose: business_collaboration" -D headers.txt\n```\n\n' +
          '403 without an active grant. Every download is audited.',
        security,
        params: Type.Object({
          resource: ResourceParams.properties.resource,
          fileId: Type.String({ maxLength: 64 }),
        }),
        headers: GateHeaders,
        produces: ['application/octet-stream'],
      },
    },
    async (req, reply) => {
      const { file, data } = await files.download(
        gateSystem(req.actor),
        metaOf(req),
        req.params.resource,
        req.headers['x-purpose'],
        req.params.fileId,
      );
      const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
      return reply
        .type(file.contentType)
        .header('content-length', String(data.length))
        .header('x-content-sm3', file.sm3)
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        )
        .send(data);
    },
  );
};
