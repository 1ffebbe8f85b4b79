/** TypeBox schemas of the inventory API; they also document it in the OpenAPI output. */
import { Type } from '@fastify/type-provider-typebox';
import { DEPLOYMENTS, DISPOSITIONS, FLAG_KINDS, FLAG_STATUSES, NETWORKS } from './inventory.model.js';

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
