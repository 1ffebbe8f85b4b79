/** TypeBox schemas of the exchange: the console API for sources and mounts, and the gate for systems. */
import { Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });

export const SourceConfigSchema = Type.Object(
  {
    host: Type.Optional(Type.String({ maxLength: 255, examples: ['10.12.0.21'] })),
    port: Type.Optional(Type.Integer()),
    database: Type.Optional(Type.String({ maxLength: 128, examples: ['huji'] })),
    user: Type.Optional(Type.String({ maxLength: 128, examples: ['govshare_reader'] })),
    ssl: Type.Optional(Type.Boolean()),
    baseUrl: Type.Optional(Type.String({ maxLength: 1000 })),
    headerName: Type.Optional(Type.String({ maxLength: 100 })),
    columns: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ maxLength: 200, description: 'Column header (or its sanitised name)' }),
            type: Type.Union(
              [
                Type.Literal('text'),
                Type.Literal('integer'),
                Type.Literal('numeric'),
                Type.Literal('date'),
                Type.Literal('timestamp'),
                Type.Literal('boolean'),
              ],
              { description: 'text · integer · numeric · date · timestamp · boolean' },
            ),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 200,
          description:
            '文件型数据源：声明的列类型（未声明的列按数据推断） File sources: declared column types; the others are inferred',
          examples: [[{ name: '出生日期', type: 'date' }]],
        },
      ),
    ),
    sheet: Type.Optional(
      Type.String({
        maxLength: 100,
        description: '文件型数据源：要装载的工作表（默认第一个） File sources: the XLSX sheet',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SourceInputSchema = Type.Object(
  {
    orgId: Type.Optional(Uuid),
    name: Type.String({ maxLength: 200, examples: ['公安人口库（前置机）'] }),
    kind: Type.Union(
      [Type.Literal('postgres'), Type.Literal('mysql'), Type.Literal('http'), Type.Literal('file')],
      {
        description:
          'postgres · mysql · http · file (上传 CSV/XLSX，装载到平台管理的表 an uploaded CSV/XLSX loaded into a platform-managed table)',
      },
    ),
    config: SourceConfigSchema,
    secret: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 1000,
          description: 'Password or API token; stored SM4-encrypted and never returned',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const SourcePatchSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    config: Type.Optional(SourceConfigSchema),
    secret: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  },
  { additionalProperties: false },
);

export const SourceSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  config: SourceConfigSchema,
  hasSecret: Type.Boolean({ description: 'Whether a credential is stored (it is never shown)' }),
  status: Type.String({ description: 'unknown · up · down' }),
  lastCheckedAt: Nullable(Type.String()),
  lastLatencyMs: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
});

export const MountInputSchema = Type.Object(
  {
    entryId: Uuid,
    sourceId: Uuid,
    relation: Type.String({ maxLength: 200, examples: ['public.resident'] }),
    keyColumns: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1, examples: [['id_number']] }),
    mapping: Type.Record(Type.String(), Type.String(), {
      description: '{ 信息项名称: 源列名 }',
      examples: [{ 姓名: 'name', 公民身份号码: 'id_number' }],
    }),
    watermarkColumn: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 128,
          description: 'Column that grows with every change (for incremental sync and the change feed)',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const BackwardCatalogSchema = Type.Object(
  {
    sourceId: Uuid,
    relation: Type.String({ maxLength: 200 }),
    name: Type.String({ maxLength: 200 }),
    classCode: Type.String({ examples: ['301001'] }),
    className: Type.String({ examples: ['部门信息资源/公安/人口'] }),
    summary: Type.String({ maxLength: 4000 }),
    keyColumns: Type.Array(Type.String(), { minItems: 1 }),
  },
  { additionalProperties: false },
);

const ResourceParams = Type.Object({
  resource: Type.String({
    description: 'The resource code with "/" written as "-" (e.g. 101001-0001), or the catalog entry id',
    examples: ['101001-0001'],
  }),
});

export { ResourceParams };

export const GateHeaders = Type.Object({
  authorization: Type.Optional(Type.String({ description: 'Bearer gst_… (the consuming system’s token)' })),
  'x-purpose': Type.Optional(
    Type.String({
      description:
        "The purpose of this call; must match the grant's purpose category (e.g. data_verification or 数据校核)",
      examples: ['data_verification'],
    }),
  ),
});

export const QueryBody = Type.Object(
  {
    filters: Type.Record(Type.String(), Type.String({ maxLength: 1000 }), {
      description: 'Key items and their values; ID numbers and credit codes must pass their check',
      examples: [{ 公民身份号码: '11010519491231002X' }],
    }),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'At most 100' }),
    ),
  },
  { additionalProperties: false },
);

export const QueryResult = Type.Object(
  {
    resource: Type.String(),
    items: Type.Array(Type.String(), { description: 'The granted items, in the order of each record' }),
    page: Type.Integer(),
    pageSize: Type.Integer(),
    records: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  },
  {
    examples: [
      {
        resource: '101001/0001',
        items: ['姓名', '公民身份号码', '户籍地址'],
        page: 1,
        pageSize: 20,
        records: [{ 姓名: '张*', 公民身份号码: '110105********002X', 户籍地址: '湖北省咸宁市咸安区****' }],
      },
    ],
  },
);

export const VerifyBody = Type.Object(
  {
    values: Type.Record(Type.String(), Type.String({ maxLength: 1000 }), {
      description: 'Values of some granted items of one record, including a key item to find it',
      examples: [{ 姓名: '张三', 公民身份号码: '11010519491231002X' }],
    }),
  },
  { additionalProperties: false },
);

export const VerifyResult = Type.Object(
  {
    resource: Type.String(),
    found: Type.Boolean({ description: 'Whether one record has the key values' }),
    match: Type.Record(Type.String(), Type.Boolean(), {
      description: 'Per item: does the submitted value match',
    }),
  },
  { examples: [{ resource: '101001/0001', found: true, match: { 姓名: true, 公民身份号码: true } }] },
);

export const FileSourceSchema = Type.Object(
  {
    sourceId: Type.String(),
    version: Type.Integer({
      description: 'Increases with every upload; each upload replaces the content whole',
    }),
    relation: Type.String({ description: 'The table to mount (srcdata.s_…)', examples: ['srcdata.s_5f0c…'] }),
    fileName: Type.String(),
    format: Type.String({ description: 'csv · xlsx' }),
    size: Type.Integer(),
    sm3: Type.String({ description: 'SM3 of the uploaded file, hex' }),
    rows: Type.Integer(),
    columns: Type.Array(
      Type.Object({
        name: Type.String({ description: 'Column name in the table (sanitised header)' }),
        header: Type.String({ description: 'The header in the file' }),
        type: Type.String({ description: 'text · integer · numeric · date · timestamp · boolean' }),
      }),
    ),
    loadedBy: Nullable(Type.String()),
    loadedAt: Type.String(),
  },
  {
    examples: [
      {
        sourceId: '5f0c2f0e-2a4b-4c8e-9d1f-3b6a7c8d9e01',
        version: 2,
        relation: 'srcdata.s_5f0c2f0e2a4b4c8e9d1f3b6a7c8d9e01',
        fileName: '参保人员.csv',
        format: 'csv',
        size: 18342,
        sm3: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
        rows: 120,
        columns: [
          { name: '公民身份号码', header: '公民身份号码', type: 'text' },
          { name: '参保日期', header: '参保日期', type: 'date' },
        ],
        loadedBy: null,
        loadedAt: '2026-12-07T03:20:00.000Z',
      },
    ],
  },
);
