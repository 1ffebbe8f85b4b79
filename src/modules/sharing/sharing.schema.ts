/** TypeBox schemas of the sharing API; they also document it in the OpenAPI output. */
import { Type } from '@fastify/type-provider-typebox';
import { TRANSITIONS } from './sharing.machine.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const Day = (description: string) => Type.String({ format: 'date', description });

export const ApplicationInputSchema = Type.Object(
  {
    entryId: Type.Optional(Nullable(Uuid)),
    outOfCatalog: Type.Optional(
      Nullable(Type.String({ maxLength: 2000, description: '目录外数据需求（R4.4）' })),
    ),
    providerOrgId: Type.Optional(Nullable(Uuid)),
    requestedItems: Type.Array(Type.String({ maxLength: 200 }), {
      maxItems: 1000,
      description: '所需信息项（最小必要）',
      examples: [['姓名', '公民身份号码']],
    }),
    basis: Type.String({
      maxLength: 2000,
      description: '法定职权依据 / 使用依据',
      examples: ['《社会救助暂行办法》第十一条'],
    }),
    scenario: Type.String({ maxLength: 2000, description: '使用场景', examples: ['最低生活保障申请审核'] }),
    purposeCategory: Type.Optional(
      Nullable(
        Type.String({
          description:
            'administrative_basis 行政依据 · work_reference 工作参考 · data_verification 数据校核 · business_collaboration 业务协同',
        }),
      ),
    ),
    purpose: Type.String({ maxLength: 2000, examples: ['核对申请人户籍信息'] }),
    scope: Type.String({ maxLength: 2000, description: '使用范围', examples: ['市民政局社会救助科'] }),
    accessMode: Type.Optional(
      Nullable(
        Type.String({
          description:
            'api 接口 · database 库表 · file 文件 · online_query 联机查询 · batch_download 批量下载',
        }),
      ),
    ),
    periodFrom: Type.Optional(Nullable(Day('使用期限开始'))),
    periodTo: Type.Optional(Nullable(Day('使用期限结束'))),
    consumerSystemId: Type.Optional(Nullable(Uuid)),
    attested: Type.Optional(Type.Boolean({ description: '承诺申请内容真实、合法、必要' })),
  },
  { additionalProperties: false },
);

export const ActionNames = Type.Union(
  (Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]).map((k) => Type.Literal(k)),
  {
    description: Object.entries(TRANSITIONS)
      .map(([k, t]) => `${k} ${t.zh}`)
      .join(' · '),
  },
);

export const ActBody = Type.Object(
  {
    reason: Type.Optional(
      Type.String({
        maxLength: 4000,
        description: 'refuse / internal_reject / request_extension / withdraw',
      }),
    ),
    missing: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), note: Type.String({ maxLength: 1000 }) }), {
        maxItems: 50,
        description: 'return_incomplete: every missing item, at once',
      }),
    ),
    days: Type.Optional(Type.Integer({ description: 'request_extension: working days' })),
    document: Type.Optional(
      Type.String({ maxLength: 300, description: 'decide: the government decision’s document number' }),
    ),
    outcome: Type.Optional(Type.Union([Type.Literal('share'), Type.Literal('not_share')])),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
    dailyQuota: Type.Optional(
      Type.Integer({ minimum: 1, description: 'approve/agree/supply: the grant’s daily call quota' }),
    ),
    rowFilter: Type.Optional(
      Nullable(
        Type.Record(Type.String(), Type.Unknown(), {
          description: 'approve/agree/supply: a row filter on the grant',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

const Missing = Type.Object({ field: Type.String(), note: Type.String() });

export const ApplicationSchema = Type.Object({
  id: Type.String(),
  number: Type.String({ description: '申请编号' }),
  applicantOrgId: Type.String(),
  applicantOrgName: Type.String(),
  providerOrgId: Type.String(),
  providerOrgName: Type.String(),
  entryId: Nullable(Type.String()),
  entryCode: Nullable(Type.String()),
  entryName: Nullable(Type.String()),
  outOfCatalog: Nullable(Type.String()),
  requestedItems: Type.Array(Type.String()),
  basis: Type.String(),
  scenario: Type.String(),
  purposeCategory: Nullable(Type.String()),
  purpose: Type.String(),
  scope: Type.String(),
  accessMode: Nullable(Type.String()),
  periodFrom: Nullable(Type.String()),
  periodTo: Nullable(Type.String()),
  consumerSystemId: Nullable(Type.String()),
  attestedAt: Nullable(Type.String()),
  demandId: Nullable(Type.String()),
  shareType: Nullable(Type.String()),
  policyPreset: Type.String(),
  status: Type.String(),
  dueOn: Nullable(Type.String()),
  dueKind: Nullable(Type.String()),
  workdaysLeft: Nullable(
    Type.Integer({ description: 'Working days left to the current deadline (negative: overdue)' }),
  ),
  extensionRequestedDays: Nullable(Type.Integer()),
  extensionReason: Nullable(Type.String()),
  extendedDays: Nullable(Type.Integer()),
  missingItems: Type.Array(Missing),
  refusalReason: Nullable(Type.String()),
  decisionDocument: Nullable(Type.String()),
  supplyDue: Nullable(Type.String()),
  suppliedAt: Nullable(Type.String()),
  suppliedLate: Type.Boolean(),
  grantId: Nullable(Type.String()),
  nextActions: Type.Array(Type.String(), { description: 'What the signed-in user may do next' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const ApplicationDetailSchema = Type.Object({
  application: ApplicationSchema,
  events: Type.Array(
    Type.Object({
      action: Type.String(),
      fromStatus: Nullable(Type.String()),
      toStatus: Type.String(),
      actorUserId: Nullable(Type.String()),
      actorOrgId: Nullable(Type.String()),
      note: Type.String(),
      detail: Type.Unknown(),
      at: Type.String(),
    }),
  ),
  messages: Type.Array(
    Type.Object({
      authorUserId: Nullable(Type.String()),
      authorOrgId: Type.String(),
      stage: Type.String(),
      body: Type.String(),
      at: Type.String(),
    }),
  ),
});

const page = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });

export const ApplicationPage = page(ApplicationSchema);

export const ListQuery = Type.Object({
  box: Type.Optional(
    Type.Union(
      [Type.Literal('inbox'), Type.Literal('outbox'), Type.Literal('all'), Type.Literal('overdue')],
      {
        description: 'inbox: awaiting my organization · outbox: my applications · overdue: past their limit',
      },
    ),
  ),
  status: Type.Optional(Type.Array(Type.String())),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});

export const GrantItemSchema = Type.Object({
  name: Type.String(),
  masking: Type.Union([
    Type.Literal('none'),
    Type.Literal('partial'),
    Type.Literal('hash'),
    Type.Literal('redact'),
  ]),
});

export const GrantSchema = Type.Object({
  id: Type.String(),
  applicationId: Type.String(),
  consumerOrgId: Type.String(),
  consumerSystemId: Nullable(Type.String()),
  providerOrgId: Type.String(),
  entryId: Nullable(Type.String()),
  items: Type.Array(GrantItemSchema),
  rowFilter: Type.Unknown(),
  purposeCategory: Nullable(Type.String()),
  purpose: Type.String(),
  accessMode: Nullable(Type.String()),
  validFrom: Type.String(),
  validTo: Type.String(),
  dailyQuota: Type.Integer(),
  status: Type.String({ description: 'active · suspended · revoked · expired' }),
  statusReason: Nullable(Type.String()),
  consultation: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const GrantPage = page(GrantSchema);

export const GrantListQuery = Type.Object({
  role: Type.Optional(Type.Union([Type.Literal('consumer'), Type.Literal('provider')])),
  status: Type.Optional(Type.String()),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});

export const GrantActBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ maxLength: 4000 })),
    consultation: Type.Optional(
      Type.String({
        maxLength: 4000,
        description: 'Record of consulting the consumer (provider ending or changing a grant)',
      }),
    ),
    validTo: Type.Optional(Day('renew: the new end')),
    dailyQuota: Type.Optional(Type.Integer({ minimum: 1 })),
    items: Type.Optional(Type.Array(GrantItemSchema)),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Uuid });
