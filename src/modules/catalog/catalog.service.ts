/**
 * The resource catalog (R3): entries with the national guide's elements, the rules every write
 * obeys (API, import, demo alike), the review workflow with frozen versions and diffs, search with
 * facets, update deadlines after a change of law or function, and the demand list.
 *
 * Workflow: draft → (assessments recorded, department head approves) → submitted → published, or
 * returned with a reason; published → withdrawn. Changing a published entry opens a revision (its own
 * row, revision_of = the entry) that goes through the same workflow; publishing it folds it back into
 * the entry as the next version, so the city catalog keeps showing the published version meanwhile.
 */
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError, type FieldProblem, type Message } from '../../kernel/errors.js';
import type { Json, JsonObject } from '../../kernel/json.js';
import type { PageRequest } from '../../kernel/pagination.js';
import { searchTokens, toTsQuery, toTsQueryAny } from '../../kernel/segmenter.js';
import { chinaToday, workdaysBetween } from '../../kernel/workdays.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { UserActor } from '../auth/auth.policy.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { EntryInput, EntryView, ItemView } from './catalog.model.js';
import {
  type EntryWithProvider,
  FACETS,
  type Facet,
  type ItemRowInsert,
  catalogRepository as repo,
  type SearchText,
} from './catalog.repository.js';
import type { CatalogDemandRow, CatalogItemRow, DemandStatus } from './catalog.table.js';
import {
  BASIC_LIBRARIES,
  BASIS_KINDS,
  CATEGORIES,
  DATA_GRADES,
  DATA_TYPES,
  type EntryStatus,
  FORMAT_CATEGORIES,
  FORMAT_TYPES,
  FORMATS_REQUIRING_ITEMS,
  MASKINGS,
  MODES_FOR_FORMAT,
  OPEN_TYPES,
  SENSITIVITIES,
  SHARE_MODES,
  SHARE_TYPES,
  UPDATE_CYCLES,
} from './catalog.values.js';

const ENTRY: Message = { zh: '目录', en: 'Catalog entry' };
const MAX_ITEMS = 1000;
const MAX_ITEM_LENGTH = 2_147_483_647;
const LENGTH_TYPES = new Set(['C', 'N', 'Y', 'B', 'F']);
const CODE_PATTERN = /^([123]\d{5,})\/(\d{3,})$/;

/** What validation needs to know beyond the input itself. */
export interface ValidationContext {
  orgIds: ReadonlySet<string>;
  acceptedBasisKinds: readonly string[];
}

function has<T extends object>(set: T, key: unknown): key is keyof T {
  return typeof key === 'string' && Object.hasOwn(set, key);
}

function labels(set: Record<string, string>): string {
  return Object.entries(set)
    .map(([k, v]) => `${k}(${v})`)
    .join(', ');
}

/**
 * Every rule of a catalog entry, reported at once, each naming its field (items as items[i].field).
 * The same function guards the API, the spreadsheet import and the demo loader.
 */
export function validateEntry(input: EntryInput, ctx: ValidationContext): FieldProblem[] {
  const p: FieldProblem[] = [];
  const add = (field: string, rule: string, zh: string, en: string) => p.push({ field, rule, zh, en });
  const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

  if (input.classified === true) {
    add(
      'classified',
      'classified.refused',
      '涉密信息资源不得进入共享平台',
      'Classified (涉密) resources may not enter the sharing platform',
    );
  }
  if (!/^[123]\d{5,}$/.test(input.classCode ?? '')) {
    add(
      'classCode',
      'class_code.format',
      '分类码应为：类（1 位，1 基础、2 主题、3 部门）+ 项（2 位）+ 目（3 位）+ 细目（可选数字）',
      'classCode must be 类 (1 digit: 1, 2 or 3) + 项 (2 digits) + 目 (3 digits) + optional 细目 digits',
    );
  }
  if (!text(input.className)) add('className', 'required', '分类名称必填', 'className is required');
  if (!text(input.name)) add('name', 'required', '信息资源名称必填', 'name is required');
  else if (input.name.length > 200)
    add('name', 'max_length', '信息资源名称不超过 200 字', 'name: at most 200 characters');
  if (!ctx.orgIds.has(input.providerOrgId)) {
    add('providerOrgId', 'org.exists', '信息资源提供方不存在', 'providerOrgId: no such organization');
  }
  if (!text(input.summary)) add('summary', 'required', '信息资源摘要必填', 'summary is required');

  const formatOk = has(FORMAT_CATEGORIES, input.formatCategory);
  if (!formatOk) {
    add(
      'formatCategory',
      'enum',
      `格式分类应为：${labels(FORMAT_CATEGORIES)}`,
      `formatCategory must be one of ${labels(FORMAT_CATEGORIES)}`,
    );
  } else if (!FORMAT_TYPES[input.formatCategory].includes(input.formatType)) {
    const allowed = FORMAT_TYPES[input.formatCategory].join(', ');
    add(
      'formatType',
      'format_type.enum',
      `“${FORMAT_CATEGORIES[input.formatCategory]}”的格式类型应为：${allowed}`,
      `formatType for ${input.formatCategory} must be one of ${allowed}`,
    );
  }

  if (!has(SHARE_TYPES, input.shareType)) {
    add(
      'shareType',
      'enum',
      `共享类型应为：${labels(SHARE_TYPES)}`,
      `shareType must be one of ${labels(SHARE_TYPES)}`,
    );
  } else if (input.shareType === 'conditional') {
    if (!text(input.shareConditionScope)) {
      add(
        'shareConditionScope',
        'share.condition_required',
        '有条件共享须写明共享条件（范围）',
        'Conditional sharing needs its condition: the scope',
      );
    }
    if (!text(input.shareConditionUse)) {
      add(
        'shareConditionUse',
        'share.condition_required',
        '有条件共享须写明共享条件（用途）',
        'Conditional sharing needs its condition: the use',
      );
    }
  } else if (input.shareType === 'not_shared') {
    if (!input.notSharedBasisKind || !has(BASIS_KINDS, input.notSharedBasisKind)) {
      add(
        'notSharedBasisKind',
        'share.basis_required',
        '不予共享须注明依据类别（法律、行政法规或国务院决定等）',
        'Not shared needs the kind of its legal basis',
      );
    } else if (!ctx.acceptedBasisKinds.includes(input.notSharedBasisKind)) {
      const accepted = ctx.acceptedBasisKinds
        .map((k) => (has(BASIS_KINDS, k) ? BASIS_KINDS[k] : k))
        .join('、');
      add(
        'notSharedBasisKind',
        'share.basis_kind_not_accepted',
        `现行政策下，不予共享的依据须为：${accepted}；“${BASIS_KINDS[input.notSharedBasisKind]}”不足以作为依据`,
        `Under the active policy a not-shared entry must cite: ${ctx.acceptedBasisKinds.join(', ')}; "${input.notSharedBasisKind}" is not enough`,
      );
    }
    if (!text(input.notSharedBasis)) {
      add(
        'notSharedBasis',
        'share.basis_required',
        '不予共享须引用具体法律法规条款',
        'Not shared needs the citation of its legal basis',
      );
    }
  }

  const modes = Array.isArray(input.shareModes) ? input.shareModes : [];
  if (input.shareType !== 'not_shared' && modes.length === 0) {
    add(
      'shareModes',
      'share_modes.required',
      '须至少选择一种共享方式',
      'At least one share mode is required',
    );
  }
  modes.forEach((m, i) => {
    if (!has(SHARE_MODES, m)) {
      add(
        `shareModes[${i}]`,
        'enum',
        `共享方式应为：${labels(SHARE_MODES)}`,
        `share mode must be one of ${labels(SHARE_MODES)}`,
      );
    } else if (formatOk && !MODES_FOR_FORMAT[input.formatCategory].includes(m)) {
      const fit = MODES_FOR_FORMAT[input.formatCategory].map((x) => SHARE_MODES[x]).join('、');
      add(
        `shareModes[${i}]`,
        'share_modes.format_mismatch',
        `“${FORMAT_CATEGORIES[input.formatCategory]}”格式的资源不能以“${SHARE_MODES[m]}”方式共享，可选：${fit}`,
        `A ${input.formatCategory} resource cannot be shared by ${m}; use ${MODES_FOR_FORMAT[input.formatCategory].join(', ')}`,
      );
    }
  });

  if (!has(OPEN_TYPES, input.openType)) {
    add(
      'openType',
      'enum',
      `开放类型应为：${labels(OPEN_TYPES)}`,
      `openType must be one of ${labels(OPEN_TYPES)}`,
    );
  } else if (input.openType === 'authorized' && !text(input.openCondition)) {
    add(
      'openCondition',
      'open.condition_required',
      '有条件开放须写明开放条件',
      'Authorized opening needs its condition',
    );
  }
  if (!has(UPDATE_CYCLES, input.updateCycle)) {
    add(
      'updateCycle',
      'enum',
      `更新周期应为：${labels(UPDATE_CYCLES)}`,
      `updateCycle must be one of ${labels(UPDATE_CYCLES)}`,
    );
  }
  if (input.basicLibrary != null && !has(BASIC_LIBRARIES, input.basicLibrary)) {
    add(
      'basicLibrary',
      'enum',
      `基础库应为：${labels(BASIC_LIBRARIES)}`,
      `basicLibrary must be one of ${labels(BASIC_LIBRARIES)}`,
    );
  }
  if (input.classCode?.startsWith('1') && input.basicLibrary == null) {
    add(
      'basicLibrary',
      'basic_library.required',
      '基础信息资源须标明所属基础库',
      'A basic resource (类 1) must name its basic library',
    );
  }
  if (!has(DATA_GRADES, input.dataGrade)) {
    add(
      'dataGrade',
      'enum',
      `数据分级应为：${labels(DATA_GRADES)}`,
      `dataGrade must be one of ${labels(DATA_GRADES)}`,
    );
  }
  (input.relatedCodes ?? []).forEach((c, i) => {
    if (!CODE_PATTERN.test(c)) {
      add(
        `relatedCodes[${i}]`,
        'related_code.format',
        '关联资源代码格式应为“分类码/顺序码”',
        'A related code looks like 分类码/顺序码',
      );
    }
  });
  for (const [k, v] of Object.entries(input.census ?? {})) {
    if (v != null && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      add(`census.${k}`, 'non_negative', '普查数据须为非负数', `census.${k} must be a non-negative number`);
    } else if (v != null && /Records|Count/.test(k) && !Number.isSafeInteger(v)) {
      add(`census.${k}`, 'integer', '记录数须为整数', `census.${k} must be a whole number`);
    }
  }

  const items = Array.isArray(input.items) ? input.items : [];
  if (formatOk && FORMATS_REQUIRING_ITEMS.includes(input.formatCategory) && items.length === 0) {
    add(
      'items',
      'items.required',
      '数据库、电子表格类资源须列明信息项',
      'Database and spreadsheet resources must list their data items',
    );
  }
  if (items.length > MAX_ITEMS)
    add('items', 'items.max', `信息项不超过 ${MAX_ITEMS} 个`, `At most ${MAX_ITEMS} data items`);
  const seen = new Set<string>();
  items.forEach((it, i) => {
    const f = (x: string) => `items[${i}].${x}`;
    const name = text(it.name);
    if (!name) add(f('name'), 'required', '信息项名称必填', 'Item name is required');
    else if (seen.has(name))
      add(f('name'), 'items.name_unique', `信息项“${name}”重复`, `Item "${name}" appears twice`);
    seen.add(name);
    if (!has(DATA_TYPES, it.dataType)) {
      add(
        f('dataType'),
        'enum',
        `数据类型应为：${labels(DATA_TYPES)}`,
        `dataType must be one of ${Object.keys(DATA_TYPES).join(', ')}`,
      );
    } else if (
      LENGTH_TYPES.has(it.dataType) &&
      (it.length == null || !Number.isInteger(it.length) || it.length <= 0)
    ) {
      add(
        f('length'),
        'length.required',
        `“${DATA_TYPES[it.dataType]}”信息项须填写正整数长度`,
        `A ${it.dataType} item needs a positive integer length`,
      );
    }
    if (
      it.length != null &&
      (!Number.isInteger(it.length) || it.length <= 0 || it.length > MAX_ITEM_LENGTH)
    ) {
      add(
        f('length'),
        'length.positive',
        `长度须为 1 到 ${MAX_ITEM_LENGTH} 的整数`,
        `length must be an integer from 1 to ${MAX_ITEM_LENGTH}`,
      );
    }
    if (it.sensitivity !== undefined && !has(SENSITIVITIES, it.sensitivity)) {
      add(
        f('sensitivity'),
        'enum',
        `敏感级别应为：${labels(SENSITIVITIES)}`,
        `sensitivity must be one of ${labels(SENSITIVITIES)}`,
      );
    }
    if (it.masking !== undefined && !has(MASKINGS, it.masking)) {
      add(
        f('masking'),
        'enum',
        `脱敏规则应为：${labels(MASKINGS)}`,
        `masking must be one of ${labels(MASKINGS)}`,
      );
    }
    if (it.collectingOrgId != null && !ctx.orgIds.has(it.collectingOrgId)) {
      add(f('collectingOrgId'), 'org.exists', '责任采集部门不存在', 'collectingOrgId: no such organization');
    }
  });
  return p;
}

/** The fields a version freezes and a diff compares: the content, not the workflow state. */
function snapshotOf(v: EntryView): JsonObject {
  return {
    code: v.code,
    classCode: v.classCode,
    className: v.className,
    name: v.name,
    providerOrgId: v.providerOrgId,
    providerName: v.providerName,
    providerUnit: v.providerUnit,
    summary: v.summary,
    formatCategory: v.formatCategory,
    formatType: v.formatType,
    shareType: v.shareType,
    shareConditionScope: v.shareConditionScope,
    shareConditionUse: v.shareConditionUse,
    notSharedBasisKind: v.notSharedBasisKind,
    notSharedBasis: v.notSharedBasis,
    shareModes: v.shareModes,
    openType: v.openType,
    openCondition: v.openCondition,
    updateCycle: v.updateCycle,
    publishDate: v.publishDate,
    relatedCodes: v.relatedCodes,
    sourceSystem: v.sourceSystem,
    basicLibrary: v.basicLibrary,
    dataCategory: v.dataCategory,
    dataGrade: v.dataGrade,
    census: v.census,
    items: v.items.map((i) => ({
      seq: i.seq,
      code: i.code,
      name: i.name,
      dataType: i.dataType,
      length: i.length,
      description: i.description,
      collectingOrgId: i.collectingOrgId,
      sensitivity: i.sensitivity,
      masking: i.masking,
      standardElement: i.standardElement,
    })),
  } as unknown as JsonObject;
}

/** Flattens a snapshot to path → value; items are keyed by name so that reordering is no change. */
function flatten(s: JsonObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(s)) {
    if (k === 'items' && Array.isArray(v)) {
      for (const it of v as JsonObject[]) {
        for (const [ik, iv] of Object.entries(it)) {
          if (ik !== 'name') out.set(`items[${String(it.name)}].${ik}`, JSON.stringify(iv));
        }
      }
    } else if (k === 'census' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [ck, cv] of Object.entries(v)) out.set(`census.${ck}`, JSON.stringify(cv));
    } else {
      out.set(k, JSON.stringify(v));
    }
  }
  return out;
}

export interface FieldChange {
  field: string;
  before: Json;
  after: Json;
}

export function diffSnapshots(a: JsonObject, b: JsonObject): FieldChange[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const keys = [...new Set([...fa.keys(), ...fb.keys()])];
  const changes: FieldChange[] = [];
  for (const k of keys) {
    const x = fa.get(k);
    const y = fb.get(k);
    if (x !== y) {
      changes.push({
        field: k,
        before: x === undefined ? null : (JSON.parse(x) as Json),
        after: y === undefined ? null : (JSON.parse(y) as Json),
      });
    }
  }
  return changes;
}

function num(v: string | number | null): number | null {
  return v === null ? null : Number(v);
}

function itemView(entryCode: string, i: CatalogItemRow & { collecting_org_name: string | null }): ItemView {
  return {
    seq: i.seq,
    code: `${entryCode}/${String(i.seq).padStart(3, '0')}`,
    name: i.name,
    dataType: i.data_type,
    length: i.length,
    description: i.description,
    collectingOrgId: i.collecting_org_id,
    collectingOrgName: i.collecting_org_name,
    sensitivity: i.sensitivity,
    masking: i.masking,
    standardElement: i.standard_element,
  };
}

function entryView(e: EntryWithProvider, items: ItemView[]): EntryView {
  return {
    id: e.id,
    revisionOf: e.revision_of,
    code: e.code,
    classCode: e.class_code,
    category: e.category,
    className: e.class_name,
    name: e.name,
    providerOrgId: e.provider_org_id,
    providerName: e.provider_name,
    providerCreditCode: e.provider_credit_code,
    providerDivisionCode: e.provider_division_code,
    providerUnit: e.provider_unit,
    summary: e.summary,
    formatCategory: e.format_category,
    formatType: e.format_type,
    shareType: e.share_type,
    shareConditionScope: e.share_condition_scope,
    shareConditionUse: e.share_condition_use,
    notSharedBasisKind: e.not_shared_basis_kind,
    notSharedBasis: e.not_shared_basis,
    shareModes: e.share_modes,
    openType: e.open_type,
    openCondition: e.open_condition,
    updateCycle: e.update_cycle,
    publishDate: e.publish_date,
    relatedCodes: e.related_codes,
    sourceSystem: e.source_system,
    basicLibrary: e.basic_library,
    classified: e.classified,
    dataCategory: e.data_category,
    dataGrade: e.data_grade,
    census: {
      storageGb: num(e.storage_gb),
      recordCount: num(e.record_count),
      sharedGb: num(e.shared_gb),
      sharedRecords: num(e.shared_records),
      openedGb: num(e.opened_gb),
      openedRecords: num(e.opened_records),
    },
    status: e.status,
    version: e.version,
    assessments: {
      confidentiality: e.confidentiality_assessment,
      personalInformation: e.pi_impact_assessment,
      assessedAt: e.assessed_at?.toISOString() ?? null,
      headApprovedAt: e.head_approved_at?.toISOString() ?? null,
    },
    submittedAt: e.submitted_at?.toISOString() ?? null,
    reviewDue: e.review_due,
    returnedReason: e.returned_reason,
    publishedAt: e.published_at?.toISOString() ?? null,
    withdrawnReason: e.withdrawn_reason,
    createdAt: e.created_at.toISOString(),
    updatedAt: e.updated_at.toISOString(),
    items,
  };
}

/** The content columns of an entry row, from a validated input. */
function contentColumns(input: EntryInput) {
  const c = input.census ?? {};
  return {
    class_code: input.classCode,
    category: input.classCode.charAt(0) as '1' | '2' | '3',
    class_name: input.className.trim(),
    name: input.name.trim(),
    provider_org_id: input.providerOrgId,
    provider_unit: input.providerUnit?.trim() ?? '',
    summary: input.summary.trim(),
    format_category: input.formatCategory,
    format_type: input.formatType,
    share_type: input.shareType,
    share_condition_scope: input.shareType === 'conditional' ? (input.shareConditionScope?.trim() ?? '') : '',
    share_condition_use: input.shareType === 'conditional' ? (input.shareConditionUse?.trim() ?? '') : '',
    not_shared_basis_kind: input.shareType === 'not_shared' ? (input.notSharedBasisKind ?? null) : null,
    not_shared_basis: input.shareType === 'not_shared' ? (input.notSharedBasis?.trim() ?? '') : '',
    share_modes: [...new Set(input.shareModes)],
    open_type: input.openType,
    open_condition: input.openType === 'authorized' ? (input.openCondition?.trim() ?? '') : '',
    update_cycle: input.updateCycle,
    related_codes: [...new Set(input.relatedCodes ?? [])],
    source_system: input.sourceSystem?.trim() ?? '',
    basic_library: input.basicLibrary ?? null,
    data_category: input.dataCategory?.trim() ?? '',
    data_grade: input.dataGrade,
    storage_gb: c.storageGb ?? null,
    record_count: c.recordCount ?? null,
    shared_gb: c.sharedGb ?? null,
    shared_records: c.sharedRecords ?? null,
    opened_gb: c.openedGb ?? null,
    opened_records: c.openedRecords ?? null,
  };
}

function itemRows(input: EntryInput): ItemRowInsert[] {
  return input.items.map((it, i) => ({
    seq: i + 1,
    name: it.name.trim(),
    data_type: it.dataType,
    length: it.length ?? null,
    description: it.description?.trim() ?? '',
    collecting_org_id: it.collectingOrgId ?? input.providerOrgId,
    sensitivity: it.sensitivity ?? 'internal',
    masking: it.masking ?? 'none',
    standard_element: it.standardElement?.trim() || null,
  }));
}

type ProviderIndex = Map<string, { name: string; short_name: string }>;

async function providerIndex(db: Executor): Promise<ProviderIndex> {
  return new Map((await repo.orgNames(db)).map((o) => [o.id, o]));
}

/** The segmented text of an entry for the full-text index, by weight. */
function searchTextOf(input: EntryInput, providers: ProviderIndex): SearchText {
  const provider = providers.get(input.providerOrgId);
  return {
    name: searchTokens(input.name).join(' '),
    summary: searchTokens(`${input.summary} ${input.className} ${input.providerUnit ?? ''}`).join(' '),
    items: searchTokens(input.items.map((i) => i.name).join(' ')).join(' '),
    provider: searchTokens(provider ? `${provider.name} ${provider.short_name}` : '').join(' '),
  };
}

export interface SearchInput {
  q?: string;
  filters?: Partial<Record<Facet, string[]>>;
  statuses?: EntryStatus[];
  /** Only the published catalog, even for the entry's own department. */
  publishedOnly?: boolean;
  sort?: 'relevance' | 'name' | 'published' | 'updated';
  page: PageRequest;
}

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

export interface SearchResult {
  items: EntryView[];
  total: number;
  page: number;
  pageSize: number;
  facets: Record<Facet, FacetValue[]>;
}

export interface UpdateTaskView {
  id: string;
  entryId: string;
  code: string;
  name: string;
  providerOrgId: string;
  providerName: string;
  change: { id: string; kind: 'law' | 'function'; title: string; document: string; effectiveOn: string };
  due: string | null;
  extendedDue: string | null;
  extensionReason: string | null;
  overdue: boolean;
}

export class CatalogService {
  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
    readonly calendar: CalendarService,
    readonly policy: PolicyService,
  ) {}

  async isEmpty(): Promise<boolean> {
    return (await repo.entryIds(this.db, {})).length === 0;
  }

  async validationContext(): Promise<ValidationContext> {
    const orgs = await repo.orgNames(this.db);
    return {
      orgIds: new Set(orgs.map((o) => o.id)),
      acceptedBasisKinds: await this.policy.list('catalog.not_shared.accepted_basis_kinds'),
    };
  }

  async validate(input: EntryInput, ctx?: ValidationContext): Promise<FieldProblem[]> {
    return validateEntry(input, ctx ?? (await this.validationContext()));
  }

  // ── reading ─────────────────────────────────────────────────────────────────────────────

  async views(db: Executor, ids: string[]): Promise<EntryView[]> {
    const rows = await repo.entriesWithProvider(db, ids);
    const items = await repo.items(db, ids);
    const byEntry = new Map<string, ItemView[]>();
    const codeOf = new Map(rows.map((r) => [r.id, r.code]));
    for (const it of items) {
      const list = byEntry.get(it.entry_id) ?? [];
      list.push(itemView(codeOf.get(it.entry_id) ?? '', it));
      byEntry.set(it.entry_id, list);
    }
    const byId = new Map(rows.map((r) => [r.id, entryView(r, byEntry.get(r.id) ?? [])]));
    return ids.flatMap((id) => {
      const v = byId.get(id);
      return v ? [v] : [];
    });
  }

  private async load(db: Executor, id: string): Promise<EntryView> {
    const [v] = await this.views(db, [id]);
    if (!v) throw DomainError.notFound(ENTRY);
    return v;
  }

  /** Drafts are visible only to their department and the platform office. */
  private canSee(actor: UserActor, v: EntryView): boolean {
    return (
      (v.status === 'published' && !v.revisionOf) ||
      actor.role === 'platform_admin' ||
      v.providerOrgId === actor.orgId
    );
  }

  async get(actor: UserActor, id: string): Promise<EntryView> {
    const v = await this.load(this.db, id);
    if (!this.canSee(actor, v)) throw DomainError.notFound(ENTRY);
    return v;
  }

  async getByCode(actor: UserActor, code: string): Promise<EntryView> {
    const row = await repo.entryByCode(this.db, code);
    if (!row) throw DomainError.notFound(ENTRY);
    return this.get(actor, row.id);
  }

  /** The open revision of a published entry, if any. */
  async revision(actor: UserActor, id: string): Promise<EntryView | null> {
    const r = await repo.revisionOf(this.db, id);
    if (!r) return null;
    const v = await this.load(this.db, r.id);
    return this.canSee(actor, v) ? v : null;
  }

  /** The ids a search finds (same visibility and order as search()), without views or facets. */
  async searchIds(actor: UserActor, s: SearchInput): Promise<{ ids: string[]; total: number }> {
    const tsquery = s.q ? toTsQuery(s.q) : '';
    const r = await repo.search(this.db, {
      tsquery,
      draftsVisibleTo: s.publishedOnly ? 'none' : actor.role === 'platform_admin' ? null : actor.orgId,
      ...(s.statuses ? { statuses: s.statuses } : {}),
      filters: s.filters ?? {},
      sort: s.sort ?? (tsquery ? 'relevance' : 'name'),
      page: s.page,
    });
    return { ids: r.ids, total: r.total };
  }

  async search(actor: UserActor | null, s: SearchInput): Promise<SearchResult> {
    const tsquery = s.q ? toTsQuery(s.q) : '';
    const draftsVisibleTo =
      s.publishedOnly || !actor ? 'none' : actor.role === 'platform_admin' ? null : actor.orgId;
    const r = await repo.search(this.db, {
      tsquery,
      draftsVisibleTo,
      ...(s.statuses ? { statuses: s.statuses } : {}),
      filters: s.filters ?? {},
      sort: s.sort ?? (tsquery ? 'relevance' : 'name'),
      page: s.page,
    });
    const items = await this.views(this.db, r.ids);
    return {
      items,
      total: r.total,
      page: s.page.page,
      pageSize: s.page.pageSize,
      facets: await this.labelFacets(r.facets),
    };
  }

  private async labelFacets(
    raw: Record<Facet, { value: string; count: number }[]>,
  ): Promise<Record<Facet, FacetValue[]>> {
    const orgs = await repo.orgNames(this.db);
    const orgName = new Map(orgs.map((o) => [o.id, o.short_name]));
    const region = new Map<string, string>();
    for (const o of orgs) {
      if (o.kind === 'county_government') region.set(o.division_code, o.short_name);
      else if (o.kind === 'platform_office' && !region.has(o.division_code))
        region.set(o.division_code, '市本级');
    }
    const sets: Partial<Record<Facet, Record<string, string>>> = {
      category: CATEGORIES,
      basicLibrary: BASIC_LIBRARIES,
      shareType: SHARE_TYPES,
      openType: OPEN_TYPES,
      formatCategory: FORMAT_CATEGORIES,
      updateCycle: UPDATE_CYCLES,
    };
    const out = {} as Record<Facet, FacetValue[]>;
    for (const f of FACETS) {
      out[f] = raw[f].map((x) => ({
        ...x,
        label:
          f === 'provider'
            ? (orgName.get(x.value) ?? x.value)
            : f === 'region'
              ? (region.get(x.value) ?? x.value)
              : (sets[f]?.[x.value] ?? x.value),
      }));
    }
    return out;
  }

  async history(actor: UserActor, id: string) {
    const v = await this.get(actor, id);
    const versions = await repo.versions(this.db, v.revisionOf ?? v.id);
    const log = await repo.reviewLog(this.db, [v.id, ...(v.revisionOf ? [v.revisionOf] : [])]);
    return {
      versions: versions.map((x) => ({
        version: x.version,
        publishedAt: x.published_at.toISOString(),
        publishedBy: x.published_by,
      })),
      log: log.map((l) => ({
        action: l.action,
        fromStatus: l.from_status,
        toStatus: l.to_status,
        actorUserId: l.actor_user_id,
        actorOrgId: l.actor_org_id,
        note: l.note,
        at: l.at.toISOString(),
      })),
    };
  }

  async version(actor: UserActor, id: string, version: number): Promise<JsonObject> {
    await this.get(actor, id);
    const v = await repo.version(this.db, id, version);
    if (!v) throw DomainError.notFound({ zh: `第 ${version} 版`, en: `Version ${version}` });
    return v.snapshot;
  }

  /** Field-by-field differences between two published versions of an entry. */
  async diff(actor: UserActor, id: string, from: number, to: number): Promise<FieldChange[]> {
    const a = await this.version(actor, id, from);
    const b = await this.version(actor, id, to);
    return diffSnapshots(a, b);
  }

  // ── writing ─────────────────────────────────────────────────────────────────────────────

  private async searchText(db: Executor, input: EntryInput): Promise<SearchText> {
    return searchTextOf(input, await providerIndex(db));
  }

  private assertOwn(actor: UserActor, providerOrgId: string): void {
    if (actor.role !== 'platform_admin' && providerOrgId !== actor.orgId) {
      throw DomainError.forbidden({
        zh: '只能编制本单位的目录',
        en: "You may catalogue only your own organization's resources",
      });
    }
  }

  /**
   * Creates draft entries in one transaction (the API passes one, an import many). A code given from
   * outside (an import moving a catalog between nodes) is kept if free; otherwise one is generated.
   */
  async createMany(
    meta: RequestMeta,
    actor: UserActor,
    inputs: { input: EntryInput; code?: string | null }[],
    options: { ctx?: ValidationContext; tx?: Executor; action?: string } = {},
  ): Promise<string[]> {
    const ctx = options.ctx ?? (await this.validationContext());
    const problems = inputs.flatMap(({ input }, i) =>
      validateEntry(input, ctx).map((p) => (inputs.length > 1 ? { ...p, field: `[${i}].${p.field}` } : p)),
    );
    if (problems.length) throw DomainError.validation(problems);
    for (const { input } of inputs) this.assertOwn(actor, input.providerOrgId);
    // Bulk writes: one multi-row statement per table and chunk, so an import of thousands of
    // entries is a handful of round trips, not several per entry.
    const run = async (tx: Executor): Promise<string[]> => {
      const providers = await providerIndex(tx);
      const codes = await this.assignCodes(
        tx,
        inputs.map(({ input, code }) => ({ classCode: input.classCode, given: code ?? null })),
      );
      const rows = await repo.insertEntries(
        tx,
        inputs.map(({ input }, i) => ({
          row: {
            ...contentColumns(input),
            code: codes[i] as string,
            revision_of: null,
            status: 'draft' as const,
            created_by: actor.userId,
            publish_date: null,
            confidentiality_assessment: null,
            pi_impact_assessment: null,
            assessed_by: null,
            assessed_at: null,
            head_approved_by: null,
            head_approved_at: null,
            submitted_at: null,
            review_due: null,
            returned_reason: null,
            published_at: null,
            withdrawn_reason: null,
          },
          text: searchTextOf(input, providers),
        })),
      );
      await repo.insertItems(
        tx,
        rows.flatMap((r, i) =>
          itemRows((inputs[i] as { input: EntryInput }).input).map((it) => ({ ...it, entry_id: r.id })),
        ),
      );
      await repo.logReviews(
        tx,
        rows.map((r) => ({
          entry_id: r.id,
          action: 'create',
          from_status: null,
          to_status: 'draft' as const,
          actor_user_id: actor.userId,
          actor_org_id: actor.orgId,
          note: '',
        })),
      );
      await this.audit.stageMany(
        tx,
        rows.map((r) => ({
          ...meta,
          action: options.action ?? 'catalog.entry.create',
          objectType: 'catalog_entry',
          objectId: r.id,
          detail: { code: r.code, name: r.name, providerOrgId: r.provider_org_id },
        })),
      );
      return rows.map((r) => r.id);
    };
    return options.tx ? run(options.tx) : this.audit.transaction(run);
  }

  /**
   * Codes for a batch, in order: a given code is kept when it is well-formed, of the same class and
   * free; every other entry gets the next numbers of its class, reserved in one statement per class.
   */
  private async assignCodes(
    tx: Executor,
    wanted: { classCode: string; given: string | null }[],
  ): Promise<string[]> {
    const out: (string | null)[] = wanted.map(() => null);
    const keep = new Set<string>();
    for (const [i, w] of wanted.entries()) {
      const m = w.given ? CODE_PATTERN.exec(w.given) : null;
      if (
        m &&
        m[1] === w.classCode &&
        w.given &&
        !keep.has(w.given) &&
        !(await repo.codeTaken(tx, w.given))
      ) {
        keep.add(w.given);
        out[i] = w.given;
      }
    }
    const maxKept = new Map<string, number>();
    for (const code of keep) {
      const [cls, seq] = code.split('/') as [string, string];
      maxKept.set(cls, Math.max(maxKept.get(cls) ?? 0, Number(seq)));
    }
    for (const [cls, seq] of maxKept) await repo.reserveSeq(tx, cls, seq);
    const need = new Map<string, number[]>();
    for (const [i, w] of wanted.entries()) {
      if (out[i] === null) need.set(w.classCode, [...(need.get(w.classCode) ?? []), i]);
    }
    for (const [cls, idx] of need) {
      const last = await repo.reserveRange(tx, cls, idx.length);
      idx.forEach((i, k) => {
        out[i] = `${cls}/${String(last - idx.length + 1 + k).padStart(4, '0')}`;
      });
    }
    return out as string[];
  }

  private async assignCode(tx: Executor, classCode: string, given: string | null): Promise<string> {
    if (given) {
      const m = CODE_PATTERN.exec(given);
      if (m && m[1] === classCode && !(await repo.codeTaken(tx, given))) {
        await repo.reserveSeq(tx, classCode, Number(m[2]));
        return given;
      }
    }
    const seq = await repo.nextSeq(tx, classCode);
    return `${classCode}/${String(seq).padStart(4, '0')}`;
  }

  async create(meta: RequestMeta, actor: UserActor, input: EntryInput): Promise<EntryView> {
    const [id] = await this.createMany(meta, actor, [{ input }]);
    return this.load(this.db, id as string);
  }

  /** Edits a draft or returned entry (or revision). Any edit voids earlier assessments and approval. */
  async update(meta: RequestMeta, actor: UserActor, id: string, input: EntryInput): Promise<EntryView> {
    const current = await this.get(actor, id);
    this.assertOwn(actor, current.providerOrgId);
    if (current.status !== 'draft' && current.status !== 'returned') {
      throw DomainError.invalidState({
        zh: `“${current.name}”当前状态为${current.status}，只有草稿或退回的目录可以修改；已发布的目录请先发起修订`,
        en: `Only draft or returned entries can be edited (this one is ${current.status}); revise a published entry instead`,
      });
    }
    if (input.providerOrgId !== current.providerOrgId) {
      throw DomainError.validation([
        {
          field: 'providerOrgId',
          rule: 'provider.immutable',
          zh: '提供方不可更改',
          en: 'The provider of an entry cannot change',
        },
      ]);
    }
    if (input.classCode !== current.classCode && current.version > 0) {
      throw DomainError.validation([
        {
          field: 'classCode',
          rule: 'class_code.immutable',
          zh: '已发布资源的分类码不可更改',
          en: 'The classification of a published resource cannot change',
        },
      ]);
    }
    const problems = await this.validate(input);
    if (problems.length) throw DomainError.validation(problems);
    const text = await this.searchText(this.db, input);
    await this.audit.transaction(async (tx) => {
      const code =
        input.classCode !== current.classCode
          ? await this.assignCode(tx, input.classCode, null)
          : current.code;
      await repo.updateEntry(
        tx,
        id,
        {
          ...contentColumns(input),
          code,
          status: 'draft',
          confidentiality_assessment: null,
          pi_impact_assessment: null,
          assessed_by: null,
          assessed_at: null,
          head_approved_by: null,
          head_approved_at: null,
          updated_at: new Date(),
        },
        text,
      );
      await repo.replaceItems(tx, id, itemRows(input));
      await repo.logReview(tx, {
        entry_id: id,
        action: 'edit',
        from_status: current.status,
        to_status: 'draft',
        actor_user_id: actor.userId,
        actor_org_id: actor.orgId,
        note: '',
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'catalog.entry.update',
        objectType: 'catalog_entry',
        objectId: id,
        detail: { code },
      });
    });
    return this.load(this.db, id);
  }

  /** Opens a revision of a published entry: a draft copy that replaces it when published. */
  async revise(meta: RequestMeta, actor: UserActor, id: string): Promise<EntryView> {
    const current = await this.get(actor, id);
    this.assertOwn(actor, current.providerOrgId);
    if (current.status !== 'published' || current.revisionOf) {
      throw DomainError.invalidState({
        zh: '只有已发布的目录可以发起修订',
        en: 'Only a published entry can be revised',
      });
    }
    const open = await repo.revisionOf(this.db, id);
    if (open) return this.load(this.db, open.id);
    const input = this.inputOf(current);
    const text = await this.searchText(this.db, input);
    const revId = await this.audit.transaction(async (tx) => {
      const row = await repo.insertEntry(
        tx,
        {
          ...contentColumns(input),
          code: current.code,
          revision_of: id,
          status: 'draft',
          version: current.version,
          created_by: actor.userId,
          publish_date: current.publishDate,
          confidentiality_assessment: null,
          pi_impact_assessment: null,
          assessed_by: null,
          assessed_at: null,
          head_approved_by: null,
          head_approved_at: null,
          submitted_at: null,
          review_due: null,
          returned_reason: null,
          published_at: null,
          withdrawn_reason: null,
        },
        text,
      );
      await repo.replaceItems(tx, row.id, itemRows(input));
      await repo.logReview(tx, {
        entry_id: row.id,
        action: 'revise',
        from_status: null,
        to_status: 'draft',
        actor_user_id: actor.userId,
        actor_org_id: actor.orgId,
        note: `revision of ${current.code}`,
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'catalog.entry.revise',
        objectType: 'catalog_entry',
        objectId: row.id,
        detail: { revisionOf: id, code: current.code },
      });
      return row.id;
    });
    return this.load(this.db, revId);
  }

  /** The writable input of an entry as it stands (to open a revision, or to export). */
  inputOf(v: EntryView): EntryInput {
    return {
      classCode: v.classCode,
      className: v.className,
      name: v.name,
      providerOrgId: v.providerOrgId,
      providerUnit: v.providerUnit,
      summary: v.summary,
      formatCategory: v.formatCategory,
      formatType: v.formatType,
      shareType: v.shareType,
      shareConditionScope: v.shareConditionScope,
      shareConditionUse: v.shareConditionUse,
      notSharedBasisKind: v.notSharedBasisKind,
      notSharedBasis: v.notSharedBasis,
      shareModes: v.shareModes,
      openType: v.openType,
      openCondition: v.openCondition,
      updateCycle: v.updateCycle,
      relatedCodes: v.relatedCodes,
      sourceSystem: v.sourceSystem,
      basicLibrary: v.basicLibrary,
      classified: false,
      dataCategory: v.dataCategory,
      dataGrade: v.dataGrade,
      census: v.census,
      items: v.items.map((i) => ({
        name: i.name,
        dataType: i.dataType,
        length: i.length,
        description: i.description,
        collectingOrgId: i.collectingOrgId,
        sensitivity: i.sensitivity,
        masking: i.masking,
        standardElement: i.standardElement,
      })),
    };
  }

  /** Deletes a draft that was never published (its code stays used). */
  async deleteDraft(meta: RequestMeta, actor: UserActor, id: string): Promise<void> {
    const v = await this.get(actor, id);
    this.assertOwn(actor, v.providerOrgId);
    if (v.version > 0 && !v.revisionOf) {
      throw DomainError.invalidState({
        zh: '已发布过的目录不能删除，只能撤销',
        en: 'A published entry cannot be deleted, only withdrawn',
      });
    }
    if (v.status !== 'draft' && v.status !== 'returned') {
      throw DomainError.invalidState({ zh: '只有草稿可以删除', en: 'Only drafts can be deleted' });
    }
    await this.audit.transaction(async (tx) => {
      await repo.deleteEntry(tx, id);
      await this.audit.stage(tx, {
        ...meta,
        action: 'catalog.entry.delete',
        objectType: 'catalog_entry',
        objectId: id,
        detail: { code: v.code, name: v.name },
      });
    });
  }

  private async transition(
    meta: RequestMeta,
    actor: UserActor,
    v: EntryView,
    action: string,
    to: EntryStatus,
    patch: Parameters<typeof repo.updateEntry>[2],
    note = '',
    after?: (tx: Executor) => Promise<void>,
  ): Promise<EntryView> {
    await this.audit.transaction(async (tx) => {
      await repo.updateEntry(tx, v.id, { ...patch, status: to, updated_at: new Date() });
      await repo.logReview(tx, {
        entry_id: v.id,
        action,
        from_status: v.status,
        to_status: to,
        actor_user_id: actor.userId,
        actor_org_id: actor.orgId,
        note,
      });
      await after?.(tx);
      await this.audit.stage(tx, {
        ...meta,
        action: `catalog.entry.${action}`,
        objectType: 'catalog_entry',
        objectId: v.id,
        detail: { code: v.code, from: v.status, to, ...(note ? { note } : {}) },
      });
    });
    return this.load(this.db, v.id);
  }

  private requireStatus(v: EntryView, allowed: EntryStatus[], doing: Message): void {
    if (!allowed.includes(v.status)) {
      throw DomainError.invalidState({
        zh: `“${v.name}”当前状态为“${v.status}”，不能${doing.zh}`,
        en: `Cannot ${doing.en} "${v.name}" in status ${v.status}`,
      });
    }
  }

  /** Records the pre-issue confidentiality-risk and personal-information impact assessments. */
  async recordAssessments(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    a: { confidentiality: string; personalInformation: string },
  ): Promise<EntryView> {
    const v = await this.get(actor, id);
    this.assertOwn(actor, v.providerOrgId);
    this.requireStatus(v, ['draft', 'returned'], { zh: '记录评估', en: 'record assessments of' });
    const problems: FieldProblem[] = [];
    if (!a.confidentiality.trim())
      problems.push({
        field: 'confidentiality',
        rule: 'required',
        zh: '须填写保密风险评估结论',
        en: 'The confidentiality-risk assessment is required',
      });
    if (!a.personalInformation.trim())
      problems.push({
        field: 'personalInformation',
        rule: 'required',
        zh: '须填写个人信息保护影响评估结论',
        en: 'The personal-information impact assessment is required',
      });
    if (problems.length) throw DomainError.validation(problems);
    return this.transition(meta, actor, v, 'assess', v.status, {
      confidentiality_assessment: a.confidentiality.trim(),
      pi_impact_assessment: a.personalInformation.trim(),
      assessed_by: actor.userId,
      assessed_at: new Date(),
    });
  }

  /** The department head approves the entry for submission (after the assessments, where required). */
  async approve(meta: RequestMeta, actor: UserActor, id: string): Promise<EntryView> {
    const v = await this.get(actor, id);
    this.assertOwn(actor, v.providerOrgId);
    this.requireStatus(v, ['draft', 'returned'], { zh: '审批', en: 'approve' });
    if ((await this.policy.flag('catalog.pre_issue_assessments_required')) && !v.assessments.assessedAt) {
      throw DomainError.invalidState({
        zh: '须先完成保密风险评估和个人信息保护影响评估，再由部门负责人审批',
        en: 'Record the confidentiality-risk and personal-information impact assessments before the head approves',
      });
    }
    return this.transition(meta, actor, v, 'approve', v.status, {
      head_approved_by: actor.userId,
      head_approved_at: new Date(),
    });
  }

  async submit(meta: RequestMeta, actor: UserActor, id: string): Promise<EntryView> {
    const v = await this.get(actor, id);
    this.assertOwn(actor, v.providerOrgId);
    this.requireStatus(v, ['draft', 'returned'], { zh: '提交', en: 'submit' });
    if ((await this.policy.flag('catalog.pre_issue_assessments_required')) && !v.assessments.headApprovedAt) {
      throw DomainError.invalidState({
        zh: '提交前须完成评估并经部门负责人审批',
        en: 'The assessments and the department head’s approval are required before submitting',
      });
    }
    // The content must still be valid under the policy in force now.
    const problems = await this.validate(this.inputOf(v));
    if (problems.length) throw DomainError.validation(problems);
    const days = await this.policy.workingDays('catalog.review_days');
    const due = days === null ? null : await this.calendar.addWorkdays(chinaToday(), days);
    return this.transition(meta, actor, v, 'submit', 'submitted', {
      submitted_at: new Date(),
      review_due: due,
      returned_reason: null,
    });
  }

  async returnEntry(meta: RequestMeta, actor: UserActor, id: string, reason: string): Promise<EntryView> {
    const v = await this.get(actor, id);
    this.requireStatus(v, ['submitted'], { zh: '退回', en: 'return' });
    if (!reason.trim()) {
      throw DomainError.validation([
        { field: 'reason', rule: 'required', zh: '退回须说明理由', en: 'A return needs a reason' },
      ]);
    }
    return this.transition(
      meta,
      actor,
      v,
      'return',
      'returned',
      { returned_reason: reason.trim(), head_approved_by: null, head_approved_at: null },
      reason.trim(),
    );
  }

  /** Publishes a submitted entry: freezes the next version; a revision replaces its entry. */
  async publish(meta: RequestMeta, actor: UserActor, id: string): Promise<EntryView> {
    const v = await this.get(actor, id);
    this.requireStatus(v, ['submitted'], { zh: '发布', en: 'publish' });
    const problems = await this.validate(this.inputOf(v));
    if (problems.length) throw DomainError.validation(problems);
    const now = new Date();
    const today = chinaToday(now);
    const targetId = v.revisionOf ?? v.id;
    const version = v.version + 1;
    const text = await this.searchText(this.db, this.inputOf(v));
    await this.audit.transaction(async (tx) => {
      if (v.revisionOf) {
        // Fold the revision into the entry, then drop the revision row.
        await repo.updateEntry(
          tx,
          targetId,
          {
            ...contentColumns(this.inputOf(v)),
            status: 'published',
            version,
            // 发布日期 stays the day the resource was first published; publishedAt tracks the latest version.
            publish_date: v.publishDate ?? today,
            published_at: now,
            submitted_at: v.submittedAt ? new Date(v.submittedAt) : null,
            review_due: v.reviewDue,
            confidentiality_assessment: v.assessments.confidentiality,
            pi_impact_assessment: v.assessments.personalInformation,
            returned_reason: null,
            updated_at: now,
          },
          text,
        );
        await repo.moveItems(tx, v.id, targetId);
        // The revision's own steps (revise, edit, assess, approve, submit) stay in the entry's history.
        await repo.moveReviewLog(tx, v.id, targetId);
        await repo.logReview(tx, {
          entry_id: targetId,
          action: 'publish',
          from_status: 'published',
          to_status: 'published',
          actor_user_id: actor.userId,
          actor_org_id: actor.orgId,
          note: `version ${version}`,
        });
        await repo.deleteEntry(tx, v.id);
      } else {
        await repo.updateEntry(tx, targetId, {
          status: 'published',
          version,
          publish_date: today,
          published_at: now,
          updated_at: now,
        });
        await repo.logReview(tx, {
          entry_id: targetId,
          action: 'publish',
          from_status: v.status,
          to_status: 'published',
          actor_user_id: actor.userId,
          actor_org_id: actor.orgId,
          note: `version ${version}`,
        });
      }
      const [published] = await this.views(tx, [targetId]);
      if (!published) throw DomainError.notFound(ENTRY);
      await repo.insertVersion(tx, {
        entry_id: targetId,
        version,
        snapshot: snapshotOf(published),
        published_at: now,
        published_by: actor.userId,
      });
      const done = await repo.completeTasks(tx, targetId, now);
      await this.audit.stage(tx, {
        ...meta,
        action: 'catalog.entry.publish',
        objectType: 'catalog_entry',
        objectId: targetId,
        detail: {
          code: v.code,
          version,
          ...(v.revisionOf ? { revision: v.id } : {}),
          updateTasksCompleted: done,
        },
      });
    });
    return this.load(this.db, targetId);
  }

  async withdraw(meta: RequestMeta, actor: UserActor, id: string, reason: string): Promise<EntryView> {
    const v = await this.get(actor, id);
    this.assertOwn(actor, v.providerOrgId);
    this.requireStatus(v, ['published'], { zh: '撤销', en: 'withdraw' });
    if (v.revisionOf)
      throw DomainError.invalidState({
        zh: '修订稿不能撤销，可直接删除',
        en: 'Delete a revision instead of withdrawing it',
      });
    if (!reason.trim()) {
      throw DomainError.validation([
        { field: 'reason', rule: 'required', zh: '撤销须说明理由', en: 'A withdrawal needs a reason' },
      ]);
    }
    return this.transition(
      meta,
      actor,
      v,
      'withdraw',
      'withdrawn',
      { withdrawn_reason: reason.trim() },
      reason.trim(),
    );
  }

  /** The platform office's review queue with the working days left to each review limit. */
  async reviewQueue(
    page: PageRequest,
  ): Promise<{ items: { entry: EntryView; workdaysLeft: number | null }[]; total: number } & PageRequest> {
    const r = await repo.reviewQueue(this.db, page);
    const entries = await this.views(this.db, r.ids);
    const lookup = await this.calendar.lookup();
    const today = chinaToday();
    const left = (due: string | null): number | null => {
      if (!due) return null;
      try {
        return workdaysBetween(today, due, lookup);
      } catch {
        return null; // beyond the known calendar
      }
    };
    return {
      items: entries.map((entry) => ({ entry, workdaysLeft: left(entry.reviewDue) })),
      total: r.total,
      page: page.page,
      pageSize: page.pageSize,
    };
  }

  /** Submitted entries the platform office has not reviewed within the policy's limit. */
  async overdueReviews(): Promise<EntryView[]> {
    const rows = await repo.overdueReviews(this.db, chinaToday());
    return this.views(
      this.db,
      rows.map((r) => r.id),
    );
  }

  // ── changes of law or function ──────────────────────────────────────────────────────────

  /**
   * Records a change of law or of a department's functions. Each affected published entry owes an
   * update within the policy's limit, counted in working days from the day the change took effect.
   */
  async recordChange(
    meta: RequestMeta,
    actor: UserActor,
    input: {
      kind: 'law' | 'function';
      orgId?: string | null;
      title: string;
      document?: string;
      effectiveOn: string;
      entryIds?: string[];
    },
  ): Promise<{ changeId: string; tasks: UpdateTaskView[] }> {
    const problems: FieldProblem[] = [];
    if (!input.title.trim())
      problems.push({ field: 'title', rule: 'required', zh: '须写明变化事项', en: 'title is required' });
    if (input.kind === 'function' && !input.orgId)
      problems.push({
        field: 'orgId',
        rule: 'required',
        zh: '职能变化须指明部门',
        en: 'A change of functions names the department',
      });
    if (input.kind === 'law' && !input.entryIds?.length && !input.orgId) {
      problems.push({
        field: 'entryIds',
        rule: 'required',
        zh: '须指明受影响的目录或部门',
        en: 'Name the affected entries or department',
      });
    }
    if (problems.length) throw DomainError.validation(problems);
    if (input.orgId && actor.role !== 'platform_admin' && input.orgId !== actor.orgId) {
      throw DomainError.forbidden({
        zh: '只能登记本单位的职能变化',
        en: 'You may record changes only for your own organization',
      });
    }
    let entryIds = input.entryIds?.length
      ? input.entryIds
      : await repo.publishedOf(this.db, input.orgId as string);
    const views = await this.views(this.db, entryIds);
    if (actor.role !== 'platform_admin') {
      const foreign = views.find((v) => v.providerOrgId !== actor.orgId);
      if (foreign)
        throw DomainError.forbidden({
          zh: '只能登记本单位目录的变化',
          en: 'You may record changes only for your own entries',
        });
    }
    entryIds = views.filter((v) => v.status === 'published' && !v.revisionOf).map((v) => v.id);
    const days = await this.policy.workingDays('catalog.update_after_change_days');
    const due = days === null ? null : await this.calendar.addWorkdays(input.effectiveOn, days);
    const changeId = await this.audit.transaction(async (tx) => {
      const id = await repo.insertChange(tx, {
        kind: input.kind,
        org_id: input.orgId ?? null,
        title: input.title.trim(),
        document: input.document?.trim() ?? '',
        effective_on: input.effectiveOn,
        recorded_by: actor.userId,
      });
      await repo.insertTasks(
        tx,
        entryIds.map((e) => ({ change_id: id, entry_id: e, due })),
      );
      await this.audit.stage(tx, {
        ...meta,
        action: 'catalog.change.record',
        objectType: 'catalog_change',
        objectId: id,
        detail: {
          kind: input.kind,
          title: input.title,
          effectiveOn: input.effectiveOn,
          entries: entryIds.length,
          due,
        },
      });
      return id;
    });
    const tasks = (await this.updateTasks(null, false)).filter((t) => t.change.id === changeId);
    return { changeId, tasks };
  }

  /** Extends an update deadline once, by the policy's extension, with the platform office's consent. */
  async extendTask(
    meta: RequestMeta,
    actor: UserActor,
    taskId: string,
    reason: string,
  ): Promise<UpdateTaskView> {
    const t = await repo.task(this.db, taskId);
    if (!t) throw DomainError.notFound({ zh: '更新任务', en: 'Update task' });
    if (t.done_at) throw DomainError.invalidState({ zh: '该更新已完成', en: 'The update is already done' });
    if (t.extended_due)
      throw DomainError.invalidState({
        zh: '更新时限只能延长一次',
        en: 'An update deadline can be extended only once',
      });
    const days = await this.policy.workingDays('catalog.update_extension_days');
    if (!days || !t.due) {
      throw DomainError.invalidState({
        zh: '现行政策不允许延长目录更新时限',
        en: 'The active policy allows no extension of catalog updates',
      });
    }
    if (!reason.trim())
      throw DomainError.validation([
        { field: 'reason', rule: 'required', zh: '须说明延期理由', en: 'A reason is required' },
      ]);
    const extended = await this.calendar.addWorkdays(t.due, days);
    await this.audit.transaction(async (tx) => {
      await repo.extendTask(tx, taskId, extended, reason.trim());
      await this.audit.stage(tx, {
        ...meta,
        action: 'catalog.update_task.extend',
        objectType: 'catalog_update_task',
        objectId: taskId,
        detail: { due: t.due, extendedDue: extended, consentedBy: actor.userId },
      });
    });
    const task = (await this.updateTasks(null, false)).find((x) => x.id === taskId);
    if (!task) throw DomainError.notFound({ zh: '更新任务', en: 'Update task' });
    return task;
  }

  /** Open update tasks, of one provider or all; only the overdue ones when asked. */
  async updateTasks(providerOrgId: string | null, overdueOnly: boolean): Promise<UpdateTaskView[]> {
    const today = chinaToday();
    const rows = await repo.openTasks(this.db, {
      providerOrgId,
      ...(overdueOnly ? { overdueOn: today } : {}),
    });
    return rows.map((r) => {
      const due = r.extended_due ?? r.due;
      return {
        id: r.id,
        entryId: r.entry_id,
        code: r.code,
        name: r.name,
        providerOrgId: r.provider_org_id,
        providerName: r.provider_name,
        change: {
          id: r.change_id,
          kind: r.kind,
          title: r.title,
          document: r.document,
          effectiveOn: r.effective_on,
        },
        due: r.due,
        extendedDue: r.extended_due,
        extensionReason: r.extension_reason,
        overdue: due !== null && due < today,
      };
    });
  }
}

// ── the demand list (需求清单, R3.8) ────────────────────────────────────────────────────────

export interface DemandInput {
  title: string;
  description?: string;
  wantedItems?: string[];
  /** The department thought to hold the data, if known. */
  providerOrgId?: string | null;
  /** The statutory basis for needing it (法定职权依据). */
  basis: string;
  purpose: string;
}

export interface DemandView {
  id: string;
  orgId: string;
  orgName: string;
  title: string;
  description: string;
  wantedItems: string[];
  providerOrgId: string | null;
  providerName: string | null;
  basis: string;
  purpose: string;
  status: DemandStatus;
  matchedEntry: { id: string; code: string; name: string } | null;
  handedToOrgId: string | null;
  handedToName: string | null;
  resolutionNote: string;
  createdAt: string;
  updatedAt: string;
}

const DEMAND: Message = { zh: '需求', en: 'Demand' };

export class DemandService {
  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
    readonly catalog: CatalogService,
  ) {}

  private async view(rows: CatalogDemandRow[]): Promise<DemandView[]> {
    const orgs = await providerIndex(this.db);
    const entryIds = rows.flatMap((r) => (r.matched_entry_id ? [r.matched_entry_id] : []));
    const entries = new Map((await repo.entriesWithProvider(this.db, entryIds)).map((e) => [e.id, e]));
    const name = (id: string | null) => (id ? (orgs.get(id)?.name ?? null) : null);
    return rows.map((r) => {
      const e = r.matched_entry_id ? entries.get(r.matched_entry_id) : undefined;
      return {
        id: r.id,
        orgId: r.org_id,
        orgName: name(r.org_id) ?? '',
        title: r.title,
        description: r.description,
        wantedItems: r.wanted_items,
        providerOrgId: r.provider_org_id,
        providerName: name(r.provider_org_id),
        basis: r.basis,
        purpose: r.purpose,
        status: r.status,
        matchedEntry: e ? { id: e.id, code: e.code, name: e.name } : null,
        handedToOrgId: r.handed_to_org_id,
        handedToName: name(r.handed_to_org_id),
        resolutionNote: r.resolution_note,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      };
    });
  }

  async get(actor: UserActor, id: string): Promise<DemandView> {
    const r = await repo.demand(this.db, id);
    if (!r || !this.canSee(actor, r)) throw DomainError.notFound(DEMAND);
    const [v] = await this.view([r]);
    return v as DemandView;
  }

  /** A demand is seen by the department that has it, the department asked to supply it, and the platform office. */
  private canSee(actor: UserActor, r: CatalogDemandRow): boolean {
    return (
      actor.role === 'platform_admin' ||
      r.org_id === actor.orgId ||
      r.provider_org_id === actor.orgId ||
      r.handed_to_org_id === actor.orgId
    );
  }

  async list(actor: UserActor, f: { status?: DemandStatus | null }, page: PageRequest) {
    const scope = actor.role === 'platform_admin' ? null : actor.orgId;
    const { rows, total } = await repo.demands(
      this.db,
      { orgId: scope, providerOrgId: scope, status: f.status ?? null },
      page,
    );
    return { items: await this.view(rows), total, page: page.page, pageSize: page.pageSize };
  }

  async create(meta: RequestMeta, actor: UserActor, input: DemandInput, orgId?: string): Promise<DemandView> {
    const owner = orgId ?? actor.orgId;
    const problems: FieldProblem[] = [];
    if (!input.title?.trim())
      problems.push({ field: 'title', rule: 'required', zh: '须写明需要的数据', en: 'title is required' });
    if (!input.basis?.trim())
      problems.push({
        field: 'basis',
        rule: 'required',
        zh: '须写明法定职权依据',
        en: 'basis (the statutory ground) is required',
      });
    if (!input.purpose?.trim())
      problems.push({ field: 'purpose', rule: 'required', zh: '须写明用途', en: 'purpose is required' });
    const orgs = await providerIndex(this.db);
    if (input.providerOrgId && !orgs.has(input.providerOrgId)) {
      problems.push({
        field: 'providerOrgId',
        rule: 'org.exists',
        zh: '提供部门不存在',
        en: 'providerOrgId: no such organization',
      });
    }
    if (input.providerOrgId === owner) {
      problems.push({
        field: 'providerOrgId',
        rule: 'provider.other',
        zh: '需求应向其他部门提出',
        en: 'A demand is addressed to another department',
      });
    }
    if (problems.length) throw DomainError.validation(problems);
    const row = await this.audit.transaction(async (tx) => {
      const r = await repo.insertDemand(tx, {
        org_id: owner,
        title: input.title.trim(),
        description: input.description?.trim() ?? '',
        wanted_items: (input.wantedItems ?? []).map((w) => w.trim()).filter(Boolean),
        provider_org_id: input.providerOrgId ?? null,
        basis: input.basis.trim(),
        purpose: input.purpose.trim(),
        status: 'open',
        matched_entry_id: null,
        handed_to_org_id: null,
        resolution_note: '',
        created_by: actor.userId,
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'catalog.demand.create',
        objectType: 'catalog_demand',
        objectId: r.id,
        detail: { title: r.title, providerOrgId: r.provider_org_id },
      });
      return r;
    });
    const [v] = await this.view([row]);
    return v as DemandView;
  }

  /** Published entries that may meet the demand, best first (供需对接). */
  async suggestions(actor: UserActor, id: string, limit = 5): Promise<EntryView[]> {
    const d = await this.get(actor, id);
    const text = [d.title, d.description, ...d.wantedItems].join(' ');
    const hits = await repo.suggest(this.db, toTsQueryAny(text), limit);
    return this.catalog.views(
      this.db,
      hits.map((h) => h.id),
    );
  }

  private async close(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    to: DemandStatus,
    patch: { matched_entry_id?: string; handed_to_org_id?: string },
    note: string,
  ): Promise<DemandView> {
    const r = await repo.demand(this.db, id);
    if (!r || !this.canSee(actor, r)) throw DomainError.notFound(DEMAND);
    if (actor.role !== 'platform_admin' && r.org_id !== actor.orgId) {
      throw DomainError.forbidden({
        zh: '只有提出需求的部门或平台管理部门可以处理需求',
        en: 'Only the requesting department or the platform office can settle a demand',
      });
    }
    if (r.status !== 'open') {
      throw DomainError.invalidState({
        zh: `需求已处于“${r.status}”状态`,
        en: `The demand is already ${r.status}`,
      });
    }
    const row = await this.audit.transaction(async (tx) => {
      const u = await repo.updateDemand(tx, id, {
        ...patch,
        status: to,
        resolution_note: note,
        updated_at: new Date(),
      });
      await this.audit.stage(tx, {
        ...meta,
        action: `catalog.demand.${to}`,
        objectType: 'catalog_demand',
        objectId: id,
        detail: { ...patch, note },
      });
      return u;
    });
    const [v] = await this.view([row]);
    return v as DemandView;
  }

  /** Closes the demand with a published catalog entry that meets it. */
  async match(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    entryId: string,
    note = '',
  ): Promise<DemandView> {
    const [e] = await this.catalog.views(this.db, [entryId]);
    if (e?.status !== 'published' || e.revisionOf) {
      throw DomainError.validation([
        {
          field: 'entryId',
          rule: 'entry.published',
          zh: '只能匹配已发布的目录',
          en: 'Match a published catalog entry',
        },
      ]);
    }
    return this.close(meta, actor, id, 'matched', { matched_entry_id: entryId }, note);
  }

  /** Hands the demand to the department that should provide (and catalog) the data. */
  async handOver(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    providerOrgId: string,
    note = '',
  ): Promise<DemandView> {
    if (!(await providerIndex(this.db)).has(providerOrgId)) {
      throw DomainError.validation([
        {
          field: 'providerOrgId',
          rule: 'org.exists',
          zh: '提供部门不存在',
          en: 'providerOrgId: no such organization',
        },
      ]);
    }
    return this.close(meta, actor, id, 'handed_over', { handed_to_org_id: providerOrgId }, note);
  }

  async cancel(meta: RequestMeta, actor: UserActor, id: string, reason: string): Promise<DemandView> {
    if (!reason.trim())
      throw DomainError.validation([
        { field: 'reason', rule: 'required', zh: '须说明撤回理由', en: 'A reason is required' },
      ]);
    return this.close(meta, actor, id, 'cancelled', {}, reason.trim());
  }
}
