/** TypeBox schemas of the catalog API; they also document it in the OpenAPI output. */
import { Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });

export const ItemInputSchema = Type.Object(
  {
    name: Type.String({ description: '信息项名称', examples: ['公民身份号码'] }),
    dataType: Type.String({ description: '数据类型 C N Y D T L M G B I F', examples: ['C'] }),
    length: Type.Optional(Nullable(Type.Integer({ description: '长度（C/N/Y/B/F 必填）', examples: [18] }))),
    description: Type.Optional(Type.String()),
    collectingOrgId: Type.Optional(Nullable(Uuid)),
    sensitivity: Type.Optional(
      Type.String({ description: 'public · internal · sensitive · highly_sensitive' }),
    ),
    masking: Type.Optional(
      Type.String({ description: 'none · partial · hash · redact', examples: ['partial'] }),
    ),
    standardElement: Type.Optional(Nullable(Type.String({ examples: ['GB 11643'] }))),
  },
  { additionalProperties: false },
);

const Census = Type.Object(
  {
    storageGb: Type.Optional(Nullable(Type.Number())),
    recordCount: Type.Optional(Nullable(Type.Number())),
    sharedGb: Type.Optional(Nullable(Type.Number())),
    sharedRecords: Type.Optional(Nullable(Type.Number())),
    openedGb: Type.Optional(Nullable(Type.Number())),
    openedRecords: Type.Optional(Nullable(Type.Number())),
  },
  { additionalProperties: false },
);

export const EntryInputSchema = Type.Object(
  {
    classCode: Type.String({ description: '分类码：类(1)+项(2)+目(3)+细目', examples: ['101001'] }),
    className: Type.String({ examples: ['基础信息资源/人口/户籍'] }),
    name: Type.String({ examples: ['户籍人口基本信息'] }),
    providerOrgId: Uuid,
    providerUnit: Type.Optional(Type.String()),
    summary: Type.String(),
    formatCategory: Type.String({
      description: 'electronic_file · spreadsheet · database · image · streaming · self_describing · service',
    }),
    formatType: Type.String({ examples: ['PostgreSQL'] }),
    shareType: Type.String({ description: 'unconditional · conditional · not_shared' }),
    shareConditionScope: Type.Optional(Type.String()),
    shareConditionUse: Type.Optional(Type.String()),
    notSharedBasisKind: Type.Optional(Nullable(Type.String())),
    notSharedBasis: Type.Optional(Type.String()),
    shareModes: Type.Array(Type.String(), { description: 'database · api · file · email · media' }),
    openType: Type.String({ description: 'general · authorized · not_open' }),
    openCondition: Type.Optional(Type.String()),
    updateCycle: Type.String({
      description:
        'realtime · daily · weekly · monthly · quarterly · semiannual · annual · irregular · other',
    }),
    relatedCodes: Type.Optional(Type.Array(Type.String())),
    sourceSystem: Type.Optional(Type.String()),
    basicLibrary: Type.Optional(Nullable(Type.String())),
    classified: Type.Optional(Type.Boolean({ description: '涉密：true is always refused' })),
    dataCategory: Type.Optional(Type.String()),
    dataGrade: Type.String({ description: 'core · important · general' }),
    census: Type.Optional(Census),
    items: Type.Array(ItemInputSchema, { maxItems: 1000 }),
  },
  { additionalProperties: false },
);

export const ItemViewSchema = Type.Object({
  seq: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  dataType: Type.String(),
  length: Nullable(Type.Integer()),
  description: Type.String(),
  collectingOrgId: Nullable(Type.String()),
  collectingOrgName: Nullable(Type.String()),
  sensitivity: Type.String(),
  masking: Type.String(),
  standardElement: Nullable(Type.String()),
});

export const EntryViewSchema = Type.Object({
  id: Type.String(),
  revisionOf: Nullable(Type.String()),
  code: Type.String(),
  classCode: Type.String(),
  category: Type.String(),
  className: Type.String(),
  name: Type.String(),
  providerOrgId: Type.String(),
  providerName: Type.String(),
  providerCreditCode: Type.String(),
  providerDivisionCode: Type.String(),
  providerUnit: Type.String(),
  summary: Type.String(),
  formatCategory: Type.String(),
  formatType: Type.String(),
  shareType: Type.String(),
  shareConditionScope: Type.String(),
  shareConditionUse: Type.String(),
  notSharedBasisKind: Nullable(Type.String()),
  notSharedBasis: Type.String(),
  shareModes: Type.Array(Type.String()),
  openType: Type.String(),
  openCondition: Type.String(),
  updateCycle: Type.String(),
  publishDate: Nullable(Type.String()),
  relatedCodes: Type.Array(Type.String()),
  sourceSystem: Type.String(),
  basicLibrary: Nullable(Type.String()),
  classified: Type.Boolean(),
  dataCategory: Type.String(),
  dataGrade: Type.String(),
  census: Type.Object({
    storageGb: Nullable(Type.Number()),
    recordCount: Nullable(Type.Number()),
    sharedGb: Nullable(Type.Number()),
    sharedRecords: Nullable(Type.Number()),
    openedGb: Nullable(Type.Number()),
    openedRecords: Nullable(Type.Number()),
  }),
  status: Type.String({ description: 'draft · submitted · returned · published · withdrawn' }),
  version: Type.Integer({
    description: 'The number of the last published version; 0 before the first publication',
  }),
  assessments: Type.Object({
    confidentiality: Nullable(Type.String()),
    personalInformation: Nullable(Type.String()),
    assessedAt: Nullable(Type.String()),
    headApprovedAt: Nullable(Type.String()),
  }),
  submittedAt: Nullable(Type.String()),
  reviewDue: Nullable(Type.String({ description: 'The day the platform office must have reviewed it by' })),
  returnedReason: Nullable(Type.String()),
  publishedAt: Nullable(Type.String()),
  withdrawnReason: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  items: Type.Array(ItemViewSchema),
});

const FacetValues = Type.Array(
  Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }),
);

export const SearchResultSchema = Type.Object({
  items: Type.Array(EntryViewSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  facets: Type.Object({
    category: FacetValues,
    basicLibrary: FacetValues,
    provider: FacetValues,
    shareType: FacetValues,
    openType: FacetValues,
    formatCategory: FacetValues,
    updateCycle: FacetValues,
    region: FacetValues,
  }),
});

const Multi = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

export const SearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 200,
      description: '中文全文检索：名称、摘要、信息项、提供方',
      examples: ['户籍'],
    }),
  ),
  category: Multi('类: 1 基础, 2 主题, 3 部门'),
  basicLibrary: Multi('population · legal_person · geo · credit · license'),
  provider: Multi('Provider organization ids'),
  shareType: Multi('unconditional · conditional · not_shared'),
  openType: Multi('general · authorized · not_open'),
  formatCategory: Multi('Format categories'),
  updateCycle: Multi('Update cycles'),
  region: Multi("The provider's GB/T 2260 division code"),
  status: Multi('draft · submitted · returned · published · withdrawn'),
  publishedOnly: Type.Optional(Type.Boolean({ description: 'Only the published catalog' })),
  sort: Type.Optional(
    Type.Union([
      Type.Literal('relevance'),
      Type.Literal('name'),
      Type.Literal('published'),
      Type.Literal('updated'),
    ]),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});

export const IdParams = Type.Object({ id: Uuid });
export const VersionParams = Type.Object({ id: Uuid, version: Type.Integer({ minimum: 1 }) });
export const DiffQuery = Type.Object({
  from: Type.Integer({ minimum: 1 }),
  to: Type.Integer({ minimum: 1 }),
});
export const ReasonBody = Type.Object(
  { reason: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false },
);
export const AssessmentsBody = Type.Object(
  {
    confidentiality: Type.String({ description: '保密风险评估结论', maxLength: 4000 }),
    personalInformation: Type.String({ description: '个人信息保护影响评估结论', maxLength: 4000 }),
  },
  { additionalProperties: false },
);

export const HistorySchema = Type.Object({
  versions: Type.Array(
    Type.Object({
      version: Type.Integer(),
      publishedAt: Type.String(),
      publishedBy: Nullable(Type.String()),
    }),
  ),
  log: Type.Array(
    Type.Object({
      action: Type.String(),
      fromStatus: Nullable(Type.String()),
      toStatus: Type.String(),
      actorUserId: Nullable(Type.String()),
      actorOrgId: Nullable(Type.String()),
      note: Type.String(),
      at: Type.String(),
    }),
  ),
});

export const DiffSchema = Type.Array(
  Type.Object({
    field: Type.String({ description: 'e.g. summary, census.recordCount, items[公民身份号码].masking' }),
    before: Type.Unknown(),
    after: Type.Unknown(),
  }),
);

export const ChangeBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('law'), Type.Literal('function')], {
      description: '法律法规变化 · 部门职能变化',
    }),
    orgId: Type.Optional(Nullable(Uuid)),
    title: Type.String({ maxLength: 300, examples: ['《中华人民共和国户口登记条例》修订'] }),
    document: Type.Optional(Type.String({ maxLength: 300 })),
    effectiveOn: Type.String({ format: 'date', examples: ['2026-11-02'] }),
    entryIds: Type.Optional(Type.Array(Uuid)),
  },
  { additionalProperties: false },
);

export const UpdateTaskSchema = Type.Object({
  id: Type.String(),
  entryId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  providerOrgId: Type.String(),
  providerName: Type.String(),
  change: Type.Object({
    id: Type.String(),
    kind: Type.String(),
    title: Type.String(),
    document: Type.String(),
    effectiveOn: Type.String(),
  }),
  due: Nullable(Type.String()),
  extendedDue: Nullable(Type.String()),
  extensionReason: Nullable(Type.String()),
  overdue: Type.Boolean(),
});

export const DemandInputSchema = Type.Object(
  {
    title: Type.String({ maxLength: 300, examples: ['困难群众家庭成员户籍信息'] }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    wantedItems: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 })),
    providerOrgId: Type.Optional(Nullable(Uuid)),
    basis: Type.String({
      maxLength: 1000,
      description: '法定职权依据',
      examples: ['《社会救助暂行办法》第十一条'],
    }),
    purpose: Type.String({ maxLength: 1000, examples: ['最低生活保障家庭经济状况核对'] }),
  },
  { additionalProperties: false },
);

export const DemandSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  title: Type.String(),
  description: Type.String(),
  wantedItems: Type.Array(Type.String()),
  providerOrgId: Nullable(Type.String()),
  providerName: Nullable(Type.String()),
  basis: Type.String(),
  purpose: Type.String(),
  status: Type.String({ description: 'open · matched · handed_over · cancelled' }),
  matchedEntry: Nullable(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
  handedToOrgId: Nullable(Type.String()),
  handedToName: Nullable(Type.String()),
  resolutionNote: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const DemandListQuery = Type.Object({
  status: Type.Optional(
    Type.Union([
      Type.Literal('open'),
      Type.Literal('matched'),
      Type.Literal('handed_over'),
      Type.Literal('cancelled'),
    ]),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});

export const MatchBody = Type.Object(
  { entryId: Uuid, note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export const HandOverBody = Type.Object(
  { providerOrgId: Uuid, note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};
export const PageOnlyQuery = Type.Object(PageQuery);

/** One grant on an entry: who uses the resource, through which system, which items, until when. */
export const ConsumerSchema = Type.Object({
  grantId: Type.String(),
  applicationId: Type.String(),
  consumerOrgId: Type.String(),
  consumerOrgName: Type.String(),
  consumerSystemId: Nullable(Type.String()),
  consumerSystemName: Nullable(Type.String()),
  items: Type.Array(Type.Object({ name: Type.String(), masking: Type.String() })),
  purpose: Type.String(),
  accessMode: Nullable(Type.String()),
  validFrom: Type.String(),
  validTo: Type.String(),
  dailyQuota: Type.Integer(),
  status: Type.String({ description: 'active · suspended · revoked · expired' }),
  statusReason: Nullable(Type.String()),
});

export const ConsumerPageSchema = Type.Object({
  items: Type.Array(ConsumerSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

/** The platform office's review queue: submitted entries, the most urgent first. */
export const ReviewQueueSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      entry: EntryViewSchema,
      workdaysLeft: Nullable(
        Type.Integer({ description: 'Working days to reviewDue; negative when overdue; null: no limit' }),
      ),
    }),
  ),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
