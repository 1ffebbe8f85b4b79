/** TypeBox schemas of the projects API; they also document it in the OpenAPI output. */
import { Type } from '@fastify/type-provider-typebox';
import {
  DEPARTMENT_ACTIONS,
  DOC_KINDS,
  EXPERT_FIELDS,
  GRADES,
  PLATFORM_ACTIONS,
  PROJECT_KINDS,
  STAGES,
} from './projects.machine.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const Enum = <T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], description });

const StageSchema = Enum(STAGES, '阶段');
const ActionSchema = Enum([...DEPARTMENT_ACTIONS, ...PLATFORM_ACTIONS], '步骤');
const DocKindSchema = Enum(DOC_KINDS, '文件类别');

export const IdParams = Type.Object({ id: Uuid });
export const LinkParams = Type.Object({ id: Uuid, entryId: Uuid });

const filing = {
  name: Type.String({
    minLength: 1,
    maxLength: 200,
    description: '项目名称',
    examples: ['咸宁市智慧养老服务平台'],
  }),
  kind: Enum(
    PROJECT_KINDS,
    '项目类型：new 新建 · continued 续建 · upgrade 改造升级 · om 运行维护 · service 购买服务',
  ),
  summary: Type.String({ maxLength: 4000, description: '建设内容摘要' }),
  needsBudgetYuan: Type.Number({ minimum: 0, description: '需求方案预算（投资额度，元）' }),
  omCostYuan: Type.Number({ minimum: 0, description: '年运维经费（元）' }),
  fundingChannel: Type.String({ maxLength: 200, description: '经费渠道' }),
  dataResources: Type.String({ maxLength: 4000, description: '数据资源' }),
  systemIds: Type.Array(Uuid, { maxItems: 50, description: '应用系统（信息系统清查登记的系统）' }),
  protectionLevel: Nullable(Type.Integer({ minimum: 1, maximum: 5, description: '等级保护级别' })),
  protectionFilingNo: Nullable(Type.String({ maxLength: 100, description: '等级保护备案编号' })),
  classifiedFilingNo: Nullable(Type.String({ maxLength: 100, description: '分级保护备案情况' })),
};

export const FilingSchema = Type.Object(filing, { additionalProperties: false });
export const ProjectInputSchema = Type.Object(
  { orgId: Type.String({ format: 'uuid', description: '建设单位' }), ...filing },
  { additionalProperties: false },
);

export const ProjectListQuery = Type.Object({
  orgId: Type.Optional(Uuid),
  stage: Type.Optional(Type.Array(StageSchema)),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const ProjectSummarySchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  orgId: Uuid,
  orgName: Type.String(),
  kind: Enum(PROJECT_KINDS, '项目类型'),
  stage: StageSchema,
  stageDueOn: Nullable(Type.String()),
  workdaysLeft: Nullable(Type.Integer()),
  needsBudgetYuan: Type.Number(),
  approvedBudgetYuan: Nullable(Type.Number()),
  evaluationGrade: Nullable(Enum(GRADES, '绩效等级')),
  caution: Type.Boolean({ description: '建设单位上一年度有项目绩效评估不合格' }),
  updatedAt: Type.String(),
});

export const ProjectPageSchema = Type.Object({
  items: Type.Array(ProjectSummarySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

const Details = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
);

export const ProjectViewSchema = Type.Object({
  ...ProjectSummarySchema.properties,
  summary: Type.String(),
  techBudgetYuan: Nullable(Type.Number()),
  omCostYuan: Type.Number(),
  fundingChannel: Type.String(),
  dataResources: Type.String(),
  systems: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  protectionLevel: Nullable(Type.Integer()),
  protectionFilingNo: Nullable(Type.String()),
  classifiedFilingNo: Nullable(Type.String()),
  planYear: Nullable(Type.Integer()),
  contractor: Nullable(Type.String()),
  contractAmountYuan: Nullable(Type.Number()),
  contractSignedOn: Nullable(Type.String()),
  noticeDueOn: Nullable(Type.String()),
  noticePublishedOn: Nullable(Type.String()),
  supervisor: Nullable(Type.String()),
  supervisionRequired: Type.Boolean(),
  trialStartedOn: Nullable(Type.String()),
  trialEndsOn: Nullable(Type.String()),
  acceptedOn: Nullable(Type.String()),
  auditedOn: Nullable(Type.String()),
  omUnit: Nullable(Type.String()),
  evaluationScore: Nullable(Type.Number()),
  evaluatedOn: Nullable(Type.String()),
  cautionProject: Nullable(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      score: Nullable(Type.Number()),
      evaluatedOn: Nullable(Type.String()),
    }),
  ),
  version: Type.Integer(),
  createdAt: Type.String(),
  stages: Type.Array(
    Type.Object({
      stage: StageSchema,
      enteredOn: Type.String(),
      dueOn: Nullable(Type.String()),
      leftOn: Nullable(Type.String()),
      outcome: Nullable(Type.String()),
    }),
  ),
  steps: Type.Array(
    Type.Object({
      id: Uuid,
      stage: StageSchema,
      action: ActionSchema,
      outcome: Type.String(),
      toStage: StageSchema,
      reason: Nullable(Type.String()),
      experts: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
      details: Details,
      actorName: Type.String(),
      at: Type.String(),
    }),
  ),
  documents: Type.Array(
    Type.Object({
      id: Uuid,
      stage: StageSchema,
      name: Type.String(),
      kind: DocKindSchema,
      sm3: Nullable(Type.String()),
      sizeBytes: Nullable(Type.Integer()),
      reference: Nullable(Type.String()),
      uploadedByName: Type.String(),
      createdAt: Type.String(),
    }),
  ),
  catalog: Type.Object({
    entries: Type.Array(
      Type.Object({
        entryId: Uuid,
        code: Nullable(Type.String()),
        name: Nullable(Type.String()),
        status: Nullable(Type.String()),
      }),
    ),
    reviewGate: Type.Boolean({ description: '已预编项目信息资源目录（评审要件）' }),
    acceptanceGate: Type.Boolean({ description: '项目目录已全部发布（验收要件）' }),
  }),
  next: Type.Array(
    Type.Object({
      action: ActionSchema,
      by: Enum(['department', 'platform'] as const, '由谁办理'),
      missingDocs: Type.Array(DocKindSchema),
      panel: Type.Boolean(),
    }),
  ),
});

const stepFields = {
  reason: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: '理由 / 意见' }))),
  expertIds: Type.Optional(Type.Array(Uuid, { maxItems: 30, description: '评审专家（专家库）' })),
  budgetYuan: Type.Optional(Nullable(Type.Number({ minimum: 0, description: '技术方案预算（元）' }))),
  planYear: Type.Optional(Nullable(Type.Integer({ description: '列入年度建设计划的年度' }))),
  signedOn: Type.Optional(Nullable(Type.String({ description: '签订日期 YYYY-MM-DD' }))),
  noticePublishedOn: Type.Optional(Nullable(Type.String({ description: '合同信息公告发布日期' }))),
  counterparty: Type.Optional(Nullable(Type.String({ maxLength: 200, description: '中标/监理/运维单位' }))),
  amountYuan: Type.Optional(Nullable(Type.Number({ minimum: 0, description: '合同金额 / 运维费用（元）' }))),
  score: Type.Optional(Nullable(Type.Number({ description: '绩效评估得分 0–100' }))),
  note: Type.Optional(
    Nullable(Type.String({ maxLength: 4000, description: '说明（采购方式、审计结论、运行情况、评估意见）' })),
  ),
};

export const StepBody = Type.Object(
  { action: Enum(DEPARTMENT_ACTIONS, '建设单位办理的步骤'), ...stepFields },
  { additionalProperties: false },
);
export const DecisionBody = Type.Object(
  {
    action: Enum(PLATFORM_ACTIONS, '市政务办的决定：pass 通过 · return 退回 · evaluate 绩效评估'),
    ...stepFields,
  },
  { additionalProperties: false },
);

export const DocumentBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: '文件名称' }),
    kind: DocKindSchema,
    contentBase64: Type.Optional(
      Nullable(
        Type.String({ maxLength: 28_000_000, description: '文件内容（Base64，仅保存 SM3 摘要和大小）' }),
      ),
    ),
    reference: Type.Optional(Nullable(Type.String({ maxLength: 500, description: '文号或存档位置' }))),
  },
  { additionalProperties: false },
);

export const LinkBody = Type.Object({ entryId: Uuid }, { additionalProperties: false });

export const ExpertSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  field: Enum(EXPERT_FIELDS, '专业领域'),
  title: Type.String(),
  orgName: Type.String(),
  orgId: Nullable(Uuid),
  active: Type.Boolean(),
});

export const ExpertInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50, description: '姓名' }),
    field: Enum(
      EXPERT_FIELDS,
      '专业领域：software 软件工程 · network 网络与基础设施 · security 网络安全与密码 · data 数据资源 · finance 财务预算 · law 法律 · management 工程管理',
    ),
    title: Type.String({ maxLength: 50, description: '职称' }),
    orgName: Type.String({ minLength: 1, maxLength: 200, description: '工作单位' }),
    orgId: Nullable(Type.String({ format: 'uuid', description: '平台上的所属单位（评审本单位项目时回避）' })),
    active: Type.Optional(Type.Boolean({ description: '在库（可选入评审组）' })),
  },
  { additionalProperties: false },
);

export const ExpertListQuery = Type.Object({
  field: Type.Optional(Enum(EXPERT_FIELDS, '专业领域')),
  activeOnly: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const ExpertPageSchema = Type.Object({
  items: Type.Array(ExpertSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
