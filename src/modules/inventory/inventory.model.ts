/** The inventory's domain types, values and the pure detection of zombie, shadow and single-unit systems. */
import { createHash } from 'node:crypto';
import type { FieldProblem } from '../../kernel/errors.js';
import { searchTokens, words } from '../../kernel/segmenter.js';

export const NETWORKS = ['extranet', 'intranet', 'private', 'internet'] as const;
export type Network = (typeof NETWORKS)[number];
export const NETWORK_ZH: Record<Network, string> = {
  extranet: '电子政务外网',
  intranet: '电子政务内网',
  private: '业务专网',
  internet: '互联网',
};
export const DEPLOYMENTS = ['gov_cloud', 'own_room'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];
export const DEPLOYMENT_ZH: Record<Deployment, string> = { gov_cloud: '政务云', own_room: '自有机房' };
export const DISPOSITIONS = ['integrate', 'retire', 'standardize', 'connect', 'migrate_cloud'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const DISPOSITION_ZH: Record<Disposition, string> = {
  integrate: '整合',
  retire: '清理',
  standardize: '规范',
  connect: '接入',
  migrate_cloud: '迁移上云',
};
export const FLAG_KINDS = ['zombie', 'shadow', 'single_unit'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];
export const FLAG_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/** Every field of R2.1 plus the usage facts detection reads. */
export interface SystemInput {
  orgId: string;
  internalUnit: string | null;
  name: string;
  functionDescription: string;
  scopeOfUse: string;
  frequencyOfUse: string;
  approvingDepartment: string;
  approvalDate: string | null;
  fundingSource: string;
  network: Network;
  builder: string;
  investmentWan: number;
  omCostWan: number;
  fundingChannel: string;
  dataResources: string;
  catalogEntryIds: string[];
  protectionLevel: number | null;
  protectionFilingNo: string | null;
  classified: boolean;
  classifiedFilingNo: string | null;
  deployment: Deployment;
  monthlyActiveUsers: number;
  monthlyTransactions: number;
  lastMaintenanceOn: string | null;
  utilizationPct: number;
  businessLink: boolean;
  replacedById: string | null;
  mustConnect: boolean;
  connected: boolean;
}

export interface SystemView extends SystemInput {
  id: string;
  orgName: string;
  disposition: Disposition | null;
  dispositionTargetOn: string | null;
  dispositionNote: string | null;
  assetWriteOffNote: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DispositionInput {
  kind: Disposition;
  targetOn: string;
  note: string;
  assetWriteOffNote?: string | null;
}

export interface Thresholds {
  /** Below this resource utilization (%), resources are idle. */
  idleUtilizationPct: number;
  /** No maintenance for more than this many months: maintenance stopped. */
  maintenanceMonths: number;
  /** Fewer monthly active users than this … */
  minMonthlyUsers: number;
  /** … and fewer monthly transactions than this: small scope and low frequency. */
  minMonthlyTransactions: number;
  /** Function descriptions at least this similar (Jaccard over Chinese terms, 0–1) are shadows. */
  shadowSimilarity: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  idleUtilizationPct: 10,
  maintenanceMonths: 12,
  minMonthlyUsers: 10,
  minMonthlyTransactions: 100,
  shadowSimilarity: 0.45,
};

export interface DetectedFlag {
  id: string;
  kind: FlagKind;
  rule: string;
  systemId: string;
  otherSystemId: string | null;
  score: number | null;
  zh: string;
  en: string;
  facts: Record<string, string | number | boolean | null | string[]>;
}

/** What detection reads of a system. */
export type DetectInput = Pick<
  SystemView,
  | 'id'
  | 'name'
  | 'orgName'
  | 'internalUnit'
  | 'functionDescription'
  | 'dataResources'
  | 'catalogEntryIds'
  | 'monthlyActiveUsers'
  | 'monthlyTransactions'
  | 'lastMaintenanceOn'
  | 'utilizationPct'
  | 'businessLink'
  | 'replacedById'
>;

/** A stable id for a flag: the same rule on the same systems is the same flag (keeps its resolution). */
export function flagId(rule: string, systemIds: string[]): string {
  return stableUuid(`inventory-flag|${rule}|${[...systemIds].sort().join('|')}`);
}

/** A UUID derived from a key (the same key, the same id). */
export function stableUuid(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Terms that every system description shares; they say nothing about duplicated functions. */
const GENERIC = new Set([
  '系统',
  '信息',
  '管理',
  '业务',
  '办理',
  '平台',
  '数据',
  '工作',
  '实现',
  '提供',
  '支持',
  '用于',
  '功能',
  '全市',
  '统一',
  '服务',
  '相关',
  '进行',
  '以及',
  '包括',
]);

/** The terms of a function description: its words and Han bigrams of two characters or more. */
export function terms(text: string): Set<string> {
  const out = new Set<string>();
  for (const t of searchTokens(text)) if ([...t].length >= 2 && !GENERIC.has(t)) out.add(t);
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The named data resources of a system's free text (split at 、，,；; and whitespace). */
export function resourceNames(text: string): Set<string> {
  return new Set(
    text
      .split(/[、，,；;\s]+/u)
      .map((s) => s.trim())
      .filter((s) => s.length >= 2),
  );
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  let months = ((ty ?? 0) - (fy ?? 0)) * 12 + ((tm ?? 0) - (fm ?? 0));
  if ((td ?? 0) < (fd ?? 0)) months--;
  return months;
}

/** The shared words (as the segmenter cuts them) of two texts, for the explanation. */
function sharedWords(a: string, b: string, both: Set<string>): string[] {
  const wb = new Set(words(b));
  const list = words(a).filter((w) => wb.has(w) && [...w].length >= 2 && !GENERIC.has(w));
  const rest = [...both].filter((t) => !list.some((w) => w.includes(t)));
  return [...list, ...rest].slice(0, 12);
}

/**
 * Every flag the facts support (R2.3, R2.4), each with its explanation in Chinese and English:
 * five zombie rules per system, the single-unit rule, and shadow pairs by function or data resources.
 */
export function detectFlags(
  systems: DetectInput[],
  today: string,
  t: Thresholds = DEFAULT_THRESHOLDS,
): DetectedFlag[] {
  const out: DetectedFlag[] = [];
  const byId = new Map(systems.map((s) => [s.id, s]));
  const one = (
    kind: FlagKind,
    rule: string,
    s: DetectInput,
    zh: string,
    en: string,
    facts: DetectedFlag['facts'],
  ) =>
    out.push({
      id: flagId(rule, [s.id]),
      kind,
      rule,
      systemId: s.id,
      otherSystemId: null,
      score: null,
      zh,
      en,
      facts,
    });
  for (const s of systems) {
    if (!s.businessLink) {
      one(
        'zombie',
        'zombie.detached',
        s,
        `“${s.name}”已脱离业务：登记为所支撑的业务已不存在（业务关联=否）`,
        `"${s.name}" is detached from business: the business it served is recorded as gone (business link = no)`,
        { businessLink: false },
      );
    }
    if (s.replacedById) {
      const by = byId.get(s.replacedById);
      const byName = by?.name ?? s.replacedById;
      one(
        'zombie',
        'zombie.replaceable',
        s,
        `“${s.name}”可被替代：其功能已由“${byName}”承担`,
        `"${s.name}" is replaceable: its function is carried by "${byName}"`,
        { replacedById: s.replacedById, replacedByName: byName },
      );
    }
    if (s.utilizationPct < t.idleUtilizationPct) {
      one(
        'zombie',
        'zombie.idle',
        s,
        `“${s.name}”资源闲置：资源利用率 ${s.utilizationPct}%，低于 ${t.idleUtilizationPct}%`,
        `"${s.name}" has idle resources: utilization ${s.utilizationPct}% is below ${t.idleUtilizationPct}%`,
        { utilizationPct: s.utilizationPct, threshold: t.idleUtilizationPct },
      );
    }
    const months = s.lastMaintenanceOn ? monthsBetween(s.lastMaintenanceOn, today) : null;
    if (months === null || months > t.maintenanceMonths) {
      one(
        'zombie',
        'zombie.unmaintained',
        s,
        months === null
          ? `“${s.name}”运维停止：没有任何运维记录`
          : `“${s.name}”运维停止：最近一次运维在 ${s.lastMaintenanceOn}，已 ${months} 个月无运维（超过 ${t.maintenanceMonths} 个月）`,
        months === null
          ? `"${s.name}" is no longer maintained: no maintenance is recorded`
          : `"${s.name}" is no longer maintained: last maintained on ${s.lastMaintenanceOn}, ${months} months ago (more than ${t.maintenanceMonths})`,
        { lastMaintenanceOn: s.lastMaintenanceOn, monthsSince: months, threshold: t.maintenanceMonths },
      );
    }
    if (s.monthlyActiveUsers < t.minMonthlyUsers && s.monthlyTransactions < t.minMonthlyTransactions) {
      one(
        'zombie',
        'zombie.low_use',
        s,
        `“${s.name}”使用范围小、频度低：月活跃用户 ${s.monthlyActiveUsers}（少于 ${t.minMonthlyUsers}），月业务量 ${s.monthlyTransactions}（少于 ${t.minMonthlyTransactions}）`,
        `"${s.name}" has a small scope and low frequency: ${s.monthlyActiveUsers} monthly users (under ${t.minMonthlyUsers}) and ${s.monthlyTransactions} monthly transactions (under ${t.minMonthlyTransactions})`,
        {
          monthlyActiveUsers: s.monthlyActiveUsers,
          monthlyTransactions: s.monthlyTransactions,
          minMonthlyUsers: t.minMonthlyUsers,
          minMonthlyTransactions: t.minMonthlyTransactions,
        },
      );
    }
    if (s.internalUnit && s.internalUnit.trim() !== '') {
      one(
        'single_unit',
        'single_unit',
        s,
        `“${s.name}”以单个科室“${s.internalUnit}”名义独立存在，应并入${s.orgName}统一的业务系统`,
        `"${s.name}" exists in the name of a single internal unit ("${s.internalUnit}"); it belongs in ${s.orgName}'s one system`,
        { internalUnit: s.internalUnit },
      );
    }
  }
  // Shadows: every pair once.
  const prepared = systems.map((s) => ({
    s,
    terms: terms(s.functionDescription),
    resources: resourceNames(s.dataResources),
    entries: new Set(s.catalogEntryIds),
  }));
  for (let i = 0; i < prepared.length; i++) {
    for (let j = i + 1; j < prepared.length; j++) {
      const a = prepared[i];
      const b = prepared[j];
      if (!a || !b) continue;
      const pair = [a.s.id, b.s.id];
      const where = a.s.orgName === b.s.orgName ? '同一部门内' : '跨部门';
      const whereEn = a.s.orgName === b.s.orgName ? 'within one department' : 'across departments';
      const score = jaccard(a.terms, b.terms);
      if (score >= t.shadowSimilarity) {
        const both = new Set([...a.terms].filter((x) => b.terms.has(x)));
        const shared = sharedWords(a.s.functionDescription, b.s.functionDescription, both);
        const pct = Math.round(score * 100);
        out.push({
          id: flagId('shadow.function', pair),
          kind: 'shadow',
          rule: 'shadow.function',
          systemId: a.s.id,
          otherSystemId: b.s.id,
          score: Math.round(score * 1000) / 1000,
          zh: `影子系统（${where}）：“${a.s.name}”（${a.s.orgName}）与“${b.s.name}”（${b.s.orgName}）功能描述相似度 ${pct}%（阈值 ${Math.round(t.shadowSimilarity * 100)}%），共同词：${shared.join('、')}`,
          en: `Shadow system (${whereEn}): "${a.s.name}" (${a.s.orgName}) and "${b.s.name}" (${b.s.orgName}) have function descriptions ${pct}% alike (threshold ${Math.round(t.shadowSimilarity * 100)}%); shared terms: ${shared.join(', ')}`,
          facts: { similarity: score, threshold: t.shadowSimilarity, sharedTerms: shared },
        });
      }
      const sharedResources = [...a.resources].filter((r) => b.resources.has(r));
      const sharedEntries = [...a.entries].filter((e) => b.entries.has(e));
      if (sharedResources.length > 0 || sharedEntries.length > 0) {
        const list = [...sharedResources, ...sharedEntries.map((e) => `目录 ${e}`)];
        out.push({
          id: flagId('shadow.data', pair),
          kind: 'shadow',
          rule: 'shadow.data',
          systemId: a.s.id,
          otherSystemId: b.s.id,
          score: list.length,
          zh: `影子系统（${where}）：“${a.s.name}”（${a.s.orgName}）与“${b.s.name}”（${b.s.orgName}）重复建设相同数据资源：${list.join('、')}`,
          en: `Shadow system (${whereEn}): "${a.s.name}" (${a.s.orgName}) and "${b.s.name}" (${b.s.orgName}) keep the same data resources: ${list.join(', ')}`,
          facts: { sharedResources, sharedCatalogEntries: sharedEntries },
        });
      }
    }
  }
  return out;
}

/** The rules of an input that need no database (the service adds the organization and replaced-by checks). */
export function checkInput(input: SystemInput): FieldProblem[] {
  const p: FieldProblem[] = [];
  const add = (field: string, rule: string, zh: string, en: string) => p.push({ field, rule, zh, en });
  if (!input.name.trim()) add('name', 'required', '请填写系统名称', 'Name the system');
  if (!input.functionDescription.trim())
    add('functionDescription', 'required', '请填写功能描述', 'Describe the function');
  if (input.classified && !input.classifiedFilingNo?.trim())
    add(
      'classifiedFilingNo',
      'required_if_classified',
      '涉密系统须填写分级保护备案编号',
      'A classified system needs its classified-protection filing number',
    );
  if (input.protectionLevel !== null && input.protectionLevel >= 2 && !input.protectionFilingNo?.trim())
    add(
      'protectionFilingNo',
      'required_for_level',
      '等级保护二级及以上须填写备案编号',
      'Protection level 2 and above needs its filing number',
    );
  return p;
}
