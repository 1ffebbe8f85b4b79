/**
 * TypeBox schemas of the organizations and officers API (R1.1, R1.2). Request schemas check only
 * shapes and types: the rules (credit-code check characters, division codes, dates, phone and
 * e-mail formats) are checked by OrgsService, so that every problem of an input is reported at once.
 */
import { type Static, Type } from '@fastify/type-provider-typebox';

const Uuid = Type.String({ format: 'uuid', examples: ['0b9c2f4e-5d7a-4c1b-9e3f-2a6d8c0e4b71'] });

export const OrgKindSchema = Type.Union(
  [
    Type.Literal('platform_office'),
    Type.Literal('department'),
    Type.Literal('county_government'),
    Type.Literal('park'),
    Type.Literal('public_institution'),
  ],
  {
    description:
      'platform_office 共享主管部门（政务办/大数据中心） · department 政务部门 · county_government 县（市、区）政府 · ' +
      'park 园区管委会 · public_institution 事业单位/群团组织',
    examples: ['department'],
  },
);

export const OrgLevelSchema = Type.Union(
  [
    Type.Literal('national'),
    Type.Literal('province'),
    Type.Literal('city'),
    Type.Literal('county'),
    Type.Literal('park'),
  ],
  {
    description: 'national 国家 · province 省 · city 市 · county 县（市、区） · park 园区',
    examples: ['city'],
  },
);

export const OrgStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('dissolved')], {
  description: 'active 在用 · dissolved 已撤销',
});

export const DutySchema = Type.Union(
  [
    Type.Literal('leader_in_charge'),
    Type.Literal('sharing_officer'),
    Type.Literal('technical_officer'),
    Type.Literal('principal'),
  ],
  {
    description:
      'leader_in_charge 分管领导 · sharing_officer 信息共享责任人 · technical_officer 技术实施责任人 · principal 第一责任人',
    examples: ['sharing_officer'],
  },
);

const NullableString = (options: { description: string; examples?: string[] }) =>
  Type.Union([Type.String(), Type.Null()], options);

export const OrgSchema = Type.Object({
  id: Uuid,
  name: Type.String({ description: '全称 Full name', examples: ['咸宁市公安局'] }),
  shortName: Type.String({ description: '简称 Short name', examples: ['市公安局'] }),
  nameEn: NullableString({
    description: 'English name',
    examples: ['Xianning Municipal Public Security Bureau'],
  }),
  kind: OrgKindSchema,
  level: OrgLevelSchema,
  divisionCode: Type.String({ description: '行政区划代码 GB/T 2260', examples: ['421200'] }),
  creditCode: Type.String({ description: '统一社会信用代码 GB 32100', examples: ['11421200MB15000239'] }),
  parentId: Type.Union([Uuid, Type.Null()], { description: 'The parent organization; null for the root' }),
  status: OrgStatusSchema,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const WarningSchema = Type.Object({
  field: Type.String({ examples: ['creditCode'] }),
  zh: Type.String(),
  en: Type.String(),
});

export const OrgSavedSchema = Type.Object({
  ...OrgSchema.properties,
  warnings: Type.Array(WarningSchema, {
    description: 'Accepted but unusual input, e.g. a credit code from an uncommon registration authority',
  }),
});

/** One node of the organization tree: the organization and its children, nested. */
export const OrgTreeSchema = Type.Cyclic(
  {
    OrgTreeNode: Type.Object({
      ...OrgSchema.properties,
      children: Type.Array(Type.Ref('OrgTreeNode')),
    }),
  },
  'OrgTreeNode',
);

export const OrgTreeResponse = Type.Object({
  roots: Type.Array(OrgTreeSchema, {
    description: 'The organizations without a parent, each with its subtree',
  }),
  total: Type.Integer({ description: 'Organizations in the tree' }),
});

export const OrgListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  kind: Type.Optional(OrgKindSchema),
  parentId: Type.Optional(Uuid),
  divisionCode: Type.Optional(Type.String({ description: '行政区划代码, exact', examples: ['421202'] })),
  status: Type.Optional(OrgStatusSchema),
  q: Type.Optional(
    Type.String({
      maxLength: 100,
      description: 'Name search (full, short or English name)',
      examples: ['公安'],
    }),
  ),
});

export const OrgPage = Type.Object({
  items: Type.Array(OrgSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const IdParams = Type.Object({ id: Uuid });

export const CreateOrgBody = Type.Object(
  {
    name: Type.String({ maxLength: 200, description: '全称', examples: ['咸宁市统计局'] }),
    shortName: Type.String({ maxLength: 60, description: '简称', examples: ['市统计局'] }),
    nameEn: Type.Optional(
      Type.Union([Type.String({ maxLength: 300 }), Type.Null()], {
        description: 'English name',
        examples: ['Xianning Municipal Statistics Bureau'],
      }),
    ),
    kind: OrgKindSchema,
    level: OrgLevelSchema,
    divisionCode: Type.String({
      maxLength: 20,
      description: '行政区划代码 GB/T 2260 (6 digits)',
      examples: ['421200'],
    }),
    creditCode: Type.String({
      maxLength: 40,
      description: '统一社会信用代码 GB 32100 (18 characters, check character last)',
      examples: ['11421200MB15900141'],
    }),
    parentId: Type.Union([Uuid, Type.Null()], { description: 'Parent organization (must exist)' }),
  },
  { additionalProperties: false },
);

export const UpdateOrgBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    shortName: Type.Optional(Type.String({ maxLength: 60 })),
    nameEn: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    creditCode: Type.Optional(Type.String({ maxLength: 40 })),
    kind: Type.Optional(OrgKindSchema),
    level: Type.Optional(OrgLevelSchema),
    divisionCode: Type.Optional(Type.String({ maxLength: 20 })),
    parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    status: Type.Optional(OrgStatusSchema),
  },
  {
    additionalProperties: false,
    description:
      'Only the fields given change. A department administrator may change the names and the credit code ' +
      'of its own organization; kind, level, division code, parent and status are the platform office’s.',
  },
);

const Day = (description: string, example: string) =>
  Type.String({ maxLength: 20, description: `${description} (YYYY-MM-DD)`, examples: [example] });

export const OfficerSchema = Type.Object({
  id: Uuid,
  orgId: Uuid,
  duty: DutySchema,
  name: Type.String({ description: '姓名', examples: ['张明'] }),
  title: Type.String({ description: '职务', examples: ['科长'] }),
  phone: Type.String({ description: '联系电话', examples: ['0715-8123456'] }),
  email: Type.String({ description: '电子邮箱', examples: ['zhangming@xianning.gov.cn'] }),
  effectiveFrom: Day('任职起始日 First day in the duty', '2026-03-02'),
  effectiveTo: Type.Union([Type.String(), Type.Null()], {
    description: '任职截止日 Last day in the duty; null while current',
  }),
  reportedOn: Day('报备日期 Day the change was reported to the platform office', '2026-03-04'),
  reportDue: Type.Union([Type.String(), Type.Null()], {
    description:
      '报备期限 Last day to report the change (working days per the active policy); null when none',
  }),
  late: Type.Boolean({ description: 'Reported after the due day (004 §14: within 5 working days)' }),
  recordedBy: Type.Union([Uuid, Type.Null()]),
  recordedAt: Type.String({ format: 'date-time' }),
});

export const OfficerChangeBody = Type.Object(
  {
    duty: DutySchema,
    name: Type.String({ maxLength: 60, examples: ['李娜'] }),
    title: Type.Optional(Type.String({ maxLength: 100, examples: ['信息科科长'] })),
    phone: Type.Optional(Type.String({ maxLength: 40, examples: ['0715-8234567'] })),
    email: Type.Optional(Type.String({ maxLength: 200, examples: ['lina@xianning.gov.cn'] })),
    effectiveFrom: Day('任职起始日', '2026-11-23'),
    reportedOn: Type.Optional(
      Day(
        '报备日期; platform office only, to enter paper reports after the fact (defaults to today)',
        '2026-11-24',
      ),
    ),
  },
  { additionalProperties: false },
);

const OrgRefSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  shortName: Type.String(),
  kind: OrgKindSchema,
  divisionCode: Type.String(),
});

export const OrgOfficersResponse = Type.Object({
  org: OrgRefSchema,
  current: Type.Array(OfficerSchema, { description: 'Who holds each duty today' }),
  missing: Type.Array(DutySchema, { description: 'Duties nobody holds today' }),
  history: Type.Array(OfficerSchema, { description: 'Every recorded assignment, newest first per duty' }),
});

export const PublishedOfficersResponse = Type.Object({
  asOf: Type.String({ description: 'The day the list describes (YYYY-MM-DD)' }),
  items: Type.Array(
    Type.Object({
      org: OrgRefSchema,
      officers: Type.Array(OfficerSchema, { description: 'The current holders, in duty order' }),
      missing: Type.Array(DutySchema),
    }),
  ),
});

export const LateQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  orgId: Type.Optional(Uuid),
});

export const LatePage = Type.Object({
  items: Type.Array(
    Type.Object({
      ...OfficerSchema.properties,
      org: OrgRefSchema,
    }),
  ),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export type CreateOrgBodyT = Static<typeof CreateOrgBody>;
export type UpdateOrgBodyT = Static<typeof UpdateOrgBody>;
export type OfficerChangeBodyT = Static<typeof OfficerChangeBody>;
