/**
 * After a grant, under /api/v1/sharing/grants/:id: its confidentiality agreement (read, accept,
 * print) and its usage and disposal records (条例 Art. 29). Every route authorizes explicitly; the
 * services then check which party to the grant the caller is.
 */
import { Type } from '@fastify/type-provider-typebox';
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { authorize } from '../auth/auth.policy.js';
import { AgreementService, RECORD_TEXT_MAX, UsageService } from './sharing.records.js';

const TAGS = ['grants'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const GrantIdParams = Type.Object({ id: Type.String({ format: 'uuid', description: '授权 ID Grant id' }) });

const Digest = Type.String({
  pattern: '^[0-9a-fA-F]{64}$',
  description: 'SM3 杂凑值（64 位十六进制） SM3 digest of the UTF-8 agreement text, hex',
});

export const AgreementSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    grantId: Type.String({ format: 'uuid' }),
    text: Type.String({ description: '协议正文（确认的对象） The agreement text that is accepted' }),
    digest: Type.String({
      description: '正文的 SM3 杂凑值，创建授权时固定 SM3 of the text, fixed with the grant',
    }),
    digestValid: Type.Boolean({
      description: '保存的正文是否仍与杂凑值相符 Whether the stored text still matches',
    }),
    consumerOrgId: Type.String(),
    consumerOrgName: Type.String({ description: '乙方（数据使用方） The consumer' }),
    providerOrgId: Type.String(),
    providerOrgName: Type.String({ description: '甲方（数据提供方） The provider' }),
    consumerAcceptedAt: Nullable(Type.String({ format: 'date-time' })),
    consumerAcceptedBy: Nullable(Type.String()),
    consumerAcceptedByName: Nullable(Type.String()),
    providerAcceptedAt: Nullable(Type.String({ format: 'date-time' })),
    providerAcceptedBy: Nullable(Type.String()),
    providerAcceptedByName: Nullable(Type.String()),
    status: Type.Union([Type.Literal('pending'), Type.Literal('partly_accepted'), Type.Literal('accepted')], {
      description: 'pending 待确认 · partly_accepted 一方已确认 · accepted 双方已确认（生效）',
    }),
    canAccept: Nullable(
      Type.Union([Type.Literal('consumer'), Type.Literal('provider')], {
        description: '当前用户可代表确认的一方 The side the signed-in user may accept for now',
      }),
    ),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { description: '保密协议 Confidentiality agreement (seed 004 §18)' },
);

const AcceptBody = Type.Object(
  {
    digest: Digest,
  },
  {
    additionalProperties: false,
    description:
      '确认所阅读的协议正文：回传其 SM3 杂凑值 Accept the text you were shown by sending its digest',
  },
);

const RecordText = (description: string, examples: string[]) =>
  Type.String({ minLength: 1, maxLength: RECORD_TEXT_MAX, description, examples });
const Day = (description: string) => Type.String({ format: 'date', description });

const UsageBody = Type.Object(
  {
    scenario: RecordText('应用场景 Scenario of use', ['最低生活保障申请审核']),
    process: RecordText('使用过程 How the data was used', ['经办人通过低保审批系统逐件核对申请人户籍信息']),
    effect: RecordText('使用效果 Effect of the use', [
      '核对 132 件，发现户籍不符 3 件，群众免于提交户籍证明',
    ]),
    storage: RecordText('存储情况 Where and how the data is kept', [
      '仅存于低保审批系统业务库，按等保三级防护',
    ]),
    occurredOn: Day('使用发生日期（或期间的最后一天） Day of the use (or the last day of the period)'),
  },
  { additionalProperties: false, description: '使用记录（条例第二十九条） A usage record (Art. 29)' },
);

const DisposalBody = Type.Object(
  {
    disposal: RecordText('销毁情况：方式、范围、执行人 How the data was destroyed', [
      '按提供部门要求删除业务库中的共享数据及备份，并经两人复核',
    ]),
    occurredOn: Day('销毁日期 Day of the disposal'),
    noLongerNeeded: Type.Optional(
      Type.Boolean({
        description:
          '声明不再需要该数据：授权仍有效时销毁须声明 Declare the data is no longer needed (required while the grant is still in force)',
      }),
    ),
  },
  { additionalProperties: false, description: '销毁记录（条例第二十七条、第二十九条） A disposal record' },
);

export const UsageRecordSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    grantId: Type.String({ format: 'uuid' }),
    kind: Type.Union([Type.Literal('use'), Type.Literal('disposal')], {
      description: 'use 使用 · disposal 销毁',
    }),
    scenario: Type.String(),
    process: Type.String(),
    effect: Type.String(),
    storage: Type.String(),
    disposal: Type.String(),
    occurredOn: Type.String({ format: 'date' }),
    retainUntil: Type.String({ format: 'date', description: '保存至 Kept at least until' }),
    recordedBy: Nullable(Type.String()),
    recordedByName: Nullable(Type.String()),
    recordedAt: Type.String({ format: 'date-time' }),
  },
  { description: '使用或销毁记录（只增不改） A usage or disposal record (append-only)' },
);

export const UsageListSchema = Type.Object({
  grantId: Type.String({ format: 'uuid' }),
  retentionYears: Type.Integer({
    description: '记录保存年限（不少于三年） Years records are kept (at least 3)',
  }),
  disposedOn: Nullable(Type.String({ format: 'date', description: '销毁日期 Day the data was disposed of' })),
  items: Type.Array(UsageRecordSchema),
});

export const sharingRecordsRoutes: RoutesPlugin = async (app, { services }) => {
  const db = services.db.kysely;
  const agreements = new AgreementService(db, services.audit, services.clock);
  const usage = new UsageService(db, services.audit, services.policy, services.clock);

  app.get(
    '/sharing/grants/:id/agreement',
    {
      schema: {
        tags: TAGS,
        summary: '保密协议 The grant’s confidentiality agreement',
        description:
          'The text both sides accept, its SM3 digest and who accepted it when. Visible to the consumer, the ' +
          'provider, the platform office and auditors.',
        params: GrantIdParams,
        response: { 200: AgreementSchema },
      },
    },
    async (req) => agreements.forGrant(authorize(req.actor, 'grants.read'), req.params.id),
  );

  app.post(
    '/sharing/grants/:id/agreement/accept',
    {
      schema: {
        tags: TAGS,
        summary: '确认保密协议 Accept the agreement for your department',
        description:
          "Send the SM3 digest of the text you were shown (409 if it differs). The consumer's head (dept_admin) " +
          "accepts for the consumer, the provider's head for the provider; the platform office cannot accept " +
          'for a department (403); each side accepts once (409). Electronic confirmation equals a signature ' +
          '(seed 004 §4).',
        params: GrantIdParams,
        body: AcceptBody,
        response: { 200: AgreementSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'sharing.agreement.accept');
      return agreements.accept(metaOf(req), actor, req.params.id, req.body.digest);
    },
  );

  app.get(
    '/sharing/grants/:id/agreement/print',
    {
      schema: {
        tags: TAGS,
        summary: '打印保密协议 The agreement as a printable A4 HTML document',
        description:
          'A complete UTF-8 HTML document: the stored text with its headings, both parties, the SM3 digest and ' +
          'the acceptance block (names and times, or blank signature lines).',
        params: GrantIdParams,
        produces: ['text/html'],
        response: { 200: Type.String({ description: 'text/html; charset=utf-8' }) },
      },
    },
    async (req, reply) => {
      const html = await agreements.print(authorize(req.actor, 'grants.read'), req.params.id);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('content-disposition', `inline; filename="agreement-${req.params.id}.html"`)
        .send(html);
    },
  );

  app.get(
    '/sharing/grants/:id/usage',
    {
      schema: {
        tags: TAGS,
        summary: '使用与销毁记录 Usage and disposal records of a grant',
        description:
          'Oldest first. Records are never edited or deleted; each is kept until retainUntil. Visible to the ' +
          'consumer, the provider, the platform office and auditors.',
        params: GrantIdParams,
        response: { 200: UsageListSchema },
      },
    },
    async (req) => usage.list(authorize(req.actor, 'grants.read'), req.params.id),
  );

  app.post(
    '/sharing/grants/:id/usage',
    {
      schema: {
        tags: TAGS,
        summary: '登记使用记录 Record a use of the shared data',
        description:
          "By the consumer's dept_admin or data_officer. All of scenario, process, effect and storage are " +
          'required; occurredOn lies between the grant’s start and today. Kept at least three years (条例 Art. 29).',
        params: GrantIdParams,
        body: UsageBody,
        response: { 201: UsageRecordSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'sharing.usage.write');
      const b = req.body;
      return reply.status(201).send(
        await usage.record(metaOf(req), actor, req.params.id, {
          kind: 'use',
          scenario: b.scenario,
          process: b.process,
          effect: b.effect,
          storage: b.storage,
          occurredOn: b.occurredOn,
        }),
      );
    },
  );

  app.post(
    '/sharing/grants/:id/disposal',
    {
      schema: {
        tags: TAGS,
        summary: '登记销毁记录 Record the disposal of the shared data',
        description:
          'Once the grant is revoked or has ended, or earlier with noLongerNeeded: true (409 otherwise). The ' +
          'last record of a grant; the provider is told. 条例 Arts. 27, 29.',
        params: GrantIdParams,
        body: DisposalBody,
        response: { 201: UsageRecordSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'sharing.usage.write');
      const b = req.body;
      return reply.status(201).send(
        await usage.recordDisposal(metaOf(req), actor, req.params.id, {
          disposal: b.disposal,
          occurredOn: b.occurredOn,
          ...(b.noLongerNeeded !== undefined ? { noLongerNeeded: b.noLongerNeeded } : {}),
        }),
      );
    },
  );
};
