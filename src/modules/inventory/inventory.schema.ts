/** TypeBox schemas of the inventory API; they also document it in the OpenAPI output. */
import { Type } from '@fastify/type-provider-typebox';
import { DEPLOYMENTS, DISPOSITIONS, FLAG_KINDS, FLAG_STATUSES, NETWORKS } from './inventory.model.js';
import { CAMPAIGN_STATUSES, CAPACITIES, ITEM_STATUSES, REPORT_STATUSES } from './selfcheck.model.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const Day = Type.String({ format: 'date', examples: ['2026-06-30'] });
const Enum = <T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], description });

export const IdParams = Type.Object({ id: Uuid });

export const SystemInputSchema = Type.Object(
  {
    orgId: Type.String({ format: 'uuid', description: '所属单位' }),
    internalUnit: Type.Optional(
      Nullable(Type.String({ description: '内设科室（以科室名义存在的系统将被标记）' })),
    ),
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      description: '系统名称',
      examples: ['婚姻登记信息系统'],
    }),
    functionDescription: Type.String({ minLength: 1, maxLength: 4000, description: '功能描述' }),
    scopeOfUse: Type.String({ description: '使用范围' }),
    frequencyOfUse: Type.String({ description: '使用频度' }),
    approvingDepartment: Type.String({ description: '审批部门' }),
    approvalDate: Nullable(Day),
    fundingSource: Type.String({ description: '经费来源' }),
    network: Enum(NETWORKS, '承载网络：extranet 外网 · intranet 内网 · private 专网 · internet 互联网'),
    builder: Type.String({ description: '建设单位' }),
    investmentWan: Type.Number({ minimum: 0, description: '投资金额（万元）' }),
    omCostWan: Type.Number({ minimum: 0, description: '年运维费用（万元）' }),
    fundingChannel: Type.String({ description: '经费渠道' }),
    dataResources: Type.String({ description: '数据资源（以顿号分隔）' }),
    catalogEntryIds: Type.Array(Uuid, { maxItems: 200, description: '对应的目录条目' }),
    protectionLevel: Nullable(Type.Integer({ minimum: 1, maximum: 5, description: '等级保护级别' })),
    protectionFilingNo: Nullable(Type.String({ description: '等级保护备案编号' })),
    classified: Type.Boolean({ description: '是否涉密' }),
    classifiedFilingNo: Nullable(Type.String({ description: '分级保护备案编号' })),
    deployment: Enum(DEPLOYMENTS, '部署：gov_cloud 政务云 · own_room 自有机房'),
    monthlyActiveUsers: Type.Integer({ minimum: 0, description: '月活跃用户数' }),
    monthlyTransactions: Type.Integer({ minimum: 0, description: '月业务量' }),
    lastMaintenanceOn: Nullable(Day),
    utilizationPct: Type.Number({ minimum: 0, maximum: 100, description: '资源利用率（%）' }),
    businessLink: Type.Boolean({ description: '所支撑的业务是否仍然存在' }),
    replacedById: Nullable(Uuid),
    mustConnect: Type.Boolean({ description: '是否应接入共享平台' }),
    connected: Type.Boolean({ description: '是否已接入共享平台' }),
  },
  { additionalProperties: false },
);

export const SystemViewSchema = Type.Object({
  ...SystemInputSchema.properties,
  internalUnit: Nullable(Type.String()),
  id: Uuid,
  orgName: Type.String(),
  disposition: Nullable(Enum(DISPOSITIONS, '处置方式')),
  dispositionTargetOn: Nullable(Type.String()),
  dispositionNote: Nullable(Type.String()),
  assetWriteOffNote: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const SystemListQuery = Type.Object({ orgId: Type.Optional(Uuid) });

export const DispositionBody = Type.Object(
  {
    kind: Enum(
      DISPOSITIONS,
      'integrate 整合 · retire 清理 · standardize 规范 · connect 接入 · migrate_cloud 迁移上云',
    ),
    targetOn: Day,
    note: Type.String({ minLength: 1, maxLength: 2000 }),
    assetWriteOffNote: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);

export const FlagSchema = Type.Object({
  id: Uuid,
  kind: Enum(FLAG_KINDS, 'zombie 僵尸 · shadow 影子 · single_unit 科室独立系统'),
  rule: Type.String(),
  systemId: Uuid,
  systemName: Type.String(),
  systemOrgId: Uuid,
  otherSystemId: Nullable(Uuid),
  otherSystemName: Nullable(Type.String()),
  otherOrgId: Nullable(Uuid),
  score: Nullable(Type.Number()),
  explanation: Type.Object({ zh: Type.String(), en: Type.String() }),
  facts: Type.Record(Type.String(), Type.Unknown()),
  status: Enum(FLAG_STATUSES, 'open · confirmed · dismissed'),
  resolutionReason: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  detectedAt: Type.String(),
});

export const FlagListQuery = Type.Object({
  orgId: Type.Optional(Uuid),
  systemId: Type.Optional(Uuid),
  kind: Type.Optional(Enum(FLAG_KINDS, 'kind')),
  status: Type.Optional(Enum(FLAG_STATUSES, 'status')),
});

export const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};

export const RegisterQuery = Type.Object({
  orgId: Type.Optional(Uuid),
  status: Type.Optional(
    Enum(
      ['connected', 'not_connected', 'not_required'] as const,
      'connected 已接入 · not_connected 应接未接 · not_required 无需接入',
    ),
  ),
  flag: Type.Optional(Enum([...FLAG_KINDS, 'any'] as const, '带有该类标记（未排除）的系统')),
  disposition: Type.Optional(Enum([...DISPOSITIONS, 'none'] as const, '处置方式；none 未定')),
  q: Type.Optional(Type.String({ maxLength: 100, description: '系统名称包含' })),
  ...PageQuery,
});

export const RegisterItemSchema = Type.Object({
  ...SystemViewSchema.properties,
  flagKinds: Type.Array(Enum(FLAG_KINDS, 'kind')),
  openFlags: Type.Integer(),
});

export const RegisterPageSchema = Type.Object({
  items: Type.Array(RegisterItemSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const StatsSchema = Type.Array(
  Type.Object({
    orgId: Uuid,
    orgName: Type.String(),
    systems: Type.Integer(),
    connected: Type.Integer(),
    notConnected: Type.Integer(),
    notRequired: Type.Integer(),
    dispositions: Type.Object({
      integrate: Type.Integer(),
      retire: Type.Integer(),
      standardize: Type.Integer(),
      connect: Type.Integer(),
      migrate_cloud: Type.Integer(),
      none: Type.Integer(),
    }),
  }),
);

// ── the self-check campaign (R2.2) ──

export const CampaignInputSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200, examples: ['2026年度政务信息系统自查'] }),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
    deadline: Type.Optional(Nullable(Day)),
    workingDays: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, maximum: 120, description: '自今日起的工作日数（按工作日历）' })),
    ),
    financeOrgId: Type.Optional(Nullable(Type.String({ format: 'uuid', description: '参与核查的财政部门' }))),
  },
  { additionalProperties: false },
);

const CampaignProps = {
  id: Uuid,
  title: Type.String(),
  note: Type.String(),
  openedOn: Type.String(),
  deadline: Type.String(),
  workingDays: Nullable(Type.Integer()),
  financeOrgId: Nullable(Uuid),
  financeOrgName: Nullable(Type.String()),
  status: Enum(CAMPAIGN_STATUSES, 'open 进行中 · closed 已结束'),
  closedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  reports: Type.Integer(),
  submitted: Type.Integer(),
  verified: Type.Integer(),
};
export const CampaignSchema = Type.Object(CampaignProps);

export const CampaignPageSchema = Type.Object({
  items: Type.Array(CampaignSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export const CampaignListQuery = Type.Object(PageQuery);

const Capacity = Nullable(Enum(CAPACITIES, 'platform 政务办 · audit 审计 · finance 财政'));

const ReportSummaryProps = {
  id: Uuid,
  campaignId: Uuid,
  orgId: Uuid,
  orgName: Type.String(),
  status: Enum(REPORT_STATUSES, 'pending 未提交 · submitted 待核查 · returned 已退回 · verified 核查通过'),
  round: Type.Integer({ description: '提交次数' }),
  firstSubmittedAt: Nullable(Type.String()),
  submittedAt: Nullable(Type.String()),
  late: Type.Boolean({ description: '逾期：截止日后仍未提交，或首次提交晚于截止日' }),
  items: Type.Integer(),
  itemsVerified: Type.Integer(),
  itemsReturned: Type.Integer(),
};
export const ReportSummarySchema = Type.Object(ReportSummaryProps);

export const CampaignDetailSchema = Type.Object({
  ...CampaignProps,
  myCapacity: Capacity,
  reportList: Type.Array(ReportSummarySchema),
  late: Type.Array(ReportSummarySchema),
});

export const CheckSchema = Type.Object({
  capacity: Type.String({ description: 'platform 政务办 · audit 审计 · finance 财政' }),
  outcome: Type.String(),
  reason: Nullable(Type.String()),
  username: Type.String(),
  at: Type.String(),
  round: Type.Integer(),
});

export const ItemSchema = Type.Object({
  id: Uuid,
  systemId: Uuid,
  systemName: Type.String(),
  snapshot: Type.Record(Type.String(), Type.Unknown()),
  status: Enum(ITEM_STATUSES, 'pending 待核查 · verified 已核查 · returned 已退回'),
  returnReason: Nullable(Type.String()),
  checks: Type.Array(CheckSchema),
});

export const ReportDetailSchema = Type.Object({
  ...ReportSummaryProps,
  statement: Nullable(Type.String()),
  counts: Type.Record(Type.String(), Type.Number()),
  campaign: CampaignSchema,
  myCapacity: Capacity,
  itemList: Type.Array(ItemSchema),
});

export const CampaignParams = Type.Object({ id: Uuid });
export const ReportParams = Type.Object({ id: Uuid, orgId: Uuid });
export const ItemParams = Type.Object({ id: Uuid, orgId: Uuid, itemId: Uuid });

export const SubmitBody = Type.Object(
  { statement: Type.String({ minLength: 1, maxLength: 8000, description: '自查情况说明' }) },
  { additionalProperties: false },
);
