/**
 * Organizations and their named officers (R1.1, R1.2; seed 004 §7, §14).
 *
 * The organization tree: kinds, levels, GB/T 2260 division codes, GB 32100 credit codes (checked
 * and unique), parent links without cycles. Per organization, the four named duties — 分管领导,
 * 信息共享责任人, 技术实施责任人, 第一责任人 — as a history of assignments: recording a change closes
 * the current holder the day before the new one starts, and keeps when it was reported against the
 * working-day limit of the active policy ('officer.change_report_days', 5 working days in 004 §14).
 */
import type { Kysely, Updateable } from 'kysely';
import type { Database, Executor } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError, type FieldProblem, type Message, Problems } from '../../kernel/errors.js';
import type { JsonObject } from '../../kernel/json.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { checkCreditCode, checkDivisionCode, divisionLevel } from '../../kernel/validators.js';
import { addDays, badDayProblem, chinaToday, isValidDay } from '../../kernel/workdays.js';
import type { AuditInput, AuditLog } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import {
  type AssignmentWithOrg,
  type NewAssignment,
  type NewOrg,
  type OrgFilter,
  orgsRepository as repo,
} from './orgs.repository.js';
import type {
  OfficerAssignmentRow,
  OfficerDuty,
  OrganizationRow,
  OrganizationTable,
  OrgKind,
  OrgLevel,
} from './orgs.table.js';

export const ORG_KINDS: readonly OrgKind[] = [
  'platform_office',
  'department',
  'county_government',
  'park',
  'public_institution',
];
export const ORG_LEVELS: readonly OrgLevel[] = ['national', 'province', 'city', 'county', 'park'];
/** The four named duties, in the order the platform publishes them. */
export const DUTIES: readonly OfficerDuty[] = [
  'principal',
  'leader_in_charge',
  'sharing_officer',
  'technical_officer',
];
export const DUTY_NAMES: Record<OfficerDuty, Message> = {
  principal: { zh: '第一责任人', en: 'principal' },
  leader_in_charge: { zh: '分管领导', en: 'leader in charge' },
  sharing_officer: { zh: '信息共享责任人', en: 'sharing officer' },
  technical_officer: { zh: '技术实施责任人', en: 'technical officer' },
};
/** The policy key of the officer-change reporting limit (004 §14: 5 working days). */
export const OFFICER_REPORT_POLICY = 'officer.change_report_days';

const ORG: Message = { zh: '单位', en: 'Organization' };
const PHONE = /^\+?[0-9][0-9 ()-]{4,28}[0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// ── domain views ──

export interface OrgView {
  id: string;
  name: string;
  shortName: string;
  nameEn: string | null;
  kind: OrgKind;
  level: OrgLevel;
  divisionCode: string;
  creditCode: string;
  parentId: string | null;
  status: 'active' | 'dissolved';
  createdAt: string;
  updatedAt: string;
}

export interface OrgWarning {
  field: string;
  zh: string;
  en: string;
}

export interface OrgSaved extends OrgView {
  warnings: OrgWarning[];
}

export interface OrgTreeNode extends OrgView {
  children: OrgTreeNode[];
}

export interface OrgRef {
  id: string;
  name: string;
  shortName: string;
  kind: OrgKind;
  divisionCode: string;
}

export interface OfficerView {
  id: string;
  orgId: string;
  duty: OfficerDuty;
  name: string;
  title: string;
  phone: string;
  email: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  reportedOn: string;
  reportDue: string | null;
  late: boolean;
  recordedBy: string | null;
  recordedAt: string;
}

export interface LateOfficerView extends OfficerView {
  org: OrgRef;
}

export interface OrgOfficers {
  org: OrgRef;
  current: OfficerView[];
  missing: OfficerDuty[];
  history: OfficerView[];
}

export interface PublishedOfficers {
  asOf: string;
  items: { org: OrgRef; officers: OfficerView[]; missing: OfficerDuty[] }[];
}

// ── inputs ──

export interface CreateOrgInput {
  name: string;
  shortName: string;
  nameEn?: string | null;
  kind: OrgKind;
  level: OrgLevel;
  divisionCode: string;
  creditCode: string;
  parentId: string | null;
}

export interface UpdateOrgInput {
  name?: string;
  shortName?: string;
  nameEn?: string | null;
  kind?: OrgKind;
  level?: OrgLevel;
  divisionCode?: string;
  creditCode?: string;
  parentId?: string | null;
  status?: 'active' | 'dissolved';
}

/** Fields of an organization that shape the tree: only the platform office changes them. */
export const STRUCTURAL_FIELDS = ['kind', 'level', 'divisionCode', 'parentId', 'status'] as const;

export interface OfficerChangeInput {
  duty: OfficerDuty;
  name: string;
  title?: string;
  phone?: string;
  email?: string;
  effectiveFrom: string;
  /** Defaults to today; set only when the platform office enters a paper report after the fact. */
  reportedOn?: string;
}

/** A validated officer change with its deadline computed, ready to be written. */
export interface OfficerChangePlan {
  orgId: string;
  duty: OfficerDuty;
  name: string;
  title: string;
  phone: string;
  email: string;
  effectiveFrom: string;
  reportedOn: string;
  reportDue: string | null;
  late: boolean;
  /** Why there is no due day: the policy sets no limit, or the calendar does not reach it. */
  dueNote: 'no_limit' | 'calendar_unknown' | null;
}

// ── presenters ──

function iso(d: Date | string): string {
  return d instanceof Date ? d.toISOString() : new Date(d).toISOString();
}

export function orgView(r: OrganizationRow): OrgView {
  return {
    id: r.id,
    name: r.name,
    shortName: r.short_name,
    nameEn: r.name_en,
    kind: r.kind,
    level: r.level,
    divisionCode: r.division_code.trim(),
    creditCode: r.credit_code.trim(),
    parentId: r.parent_id,
    status: r.status,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function orgRef(r: OrganizationRow): OrgRef {
  return {
    id: r.id,
    name: r.name,
    shortName: r.short_name,
    kind: r.kind,
    divisionCode: r.division_code.trim(),
  };
}

export function officerView(r: OfficerAssignmentRow): OfficerView {
  return {
    id: r.id,
    orgId: r.org_id,
    duty: r.duty,
    name: r.name,
    title: r.title,
    phone: r.phone,
    email: r.email,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    reportedOn: r.reported_on,
    reportDue: r.report_due,
    late: r.late,
    recordedBy: r.recorded_by,
    recordedAt: iso(r.recorded_at),
  };
}

function lateView(r: AssignmentWithOrg): LateOfficerView {
  return {
    ...officerView(r),
    org: {
      id: r.org_id,
      name: r.org_name,
      shortName: r.org_short_name,
      kind: r.org_kind,
      divisionCode: r.org_division_code.trim(),
    },
  };
}

function dutyOrder(d: OfficerDuty): number {
  return DUTIES.indexOf(d);
}

/** Among assignments, the one of each duty in force on `day` (newest start wins). */
function currentOf(rows: OfficerAssignmentRow[], day: string): Map<OfficerDuty, OfficerAssignmentRow> {
  const current = new Map<OfficerDuty, OfficerAssignmentRow>();
  for (const r of rows) {
    if (r.effective_from > day || (r.effective_to !== null && r.effective_to < day)) continue;
    const seen = current.get(r.duty);
    if (!seen || seen.effective_from < r.effective_from) current.set(r.duty, r);
  }
  return current;
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

function creditCodeTaken(code: string, holder?: OrganizationRow): DomainError {
  const who = holder ? `（${holder.name}）` : '';
  const whoEn = holder ? ` (${holder.name})` : '';
  return DomainError.conflict(
    {
      zh: `统一社会信用代码 ${code} 已被其他单位使用${who}`,
      en: `Credit code ${code} is already used by another organization${whoEn}`,
    },
    [
      {
        field: 'creditCode',
        rule: 'credit_code.unique',
        zh: `统一社会信用代码 ${code} 已登记${who}`,
        en: `Credit code ${code} is already registered${whoEn}`,
      },
    ],
  );
}

function auditInput(
  meta: RequestMeta | null,
  rest: Omit<AuditInput, 'actor' | 'requestId' | 'ip'>,
): AuditInput {
  return { actor: meta?.actor ?? {}, requestId: meta?.requestId ?? null, ip: meta?.ip ?? null, ...rest };
}

// ── the service ──

export class OrgsService {
  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
    readonly calendar: CalendarService,
    readonly policy: PolicyService,
  ) {}

  /** Today in China ('YYYY-MM-DD'): the day reports are stamped with and current officers are taken on. */
  today(): string {
    return chinaToday();
  }

  // ── organizations ──

  async count(): Promise<number> {
    return repo.countOrgs(this.db);
  }

  async list(filter: OrgFilter, page: PageRequest): Promise<Page<OrgView>> {
    const q = filter.q?.trim() || undefined;
    const { rows, total } = await repo.listOrgs(this.db, { ...filter, q }, page);
    return { items: rows.map(orgView), total, page: page.page, pageSize: page.pageSize };
  }

  /** The organizations holding any of these credit codes. */
  async findByCreditCodes(creditCodes: string[]): Promise<OrgView[]> {
    return (await repo.findByCreditCodes(this.db, creditCodes)).map(orgView);
  }

  async get(id: string): Promise<OrgView> {
    const row = await repo.findOrg(this.db, id);
    if (!row) throw DomainError.notFound(ORG);
    return orgView(row);
  }

  /** The whole tree, nested; organizations whose parent is missing count as roots. */
  async tree(): Promise<{ roots: OrgTreeNode[]; total: number }> {
    const rows = await repo.allOrgs(this.db);
    const nodes = new Map<string, OrgTreeNode>();
    for (const r of rows) nodes.set(r.id, { ...orgView(r), children: [] });
    const roots: OrgTreeNode[] = [];
    for (const r of rows) {
      const node = nodes.get(r.id);
      if (!node) continue;
      const parent = r.parent_id ? nodes.get(r.parent_id) : undefined;
      if (parent && parent !== node) parent.children.push(node);
      else roots.push(node);
    }
    return { roots, total: rows.length };
  }

  async create(meta: RequestMeta | null, input: CreateOrgInput): Promise<OrgSaved> {
    try {
      return await this.audit.transaction((tx) => this.createIn(tx, meta, input));
    } catch (e) {
      if (isUniqueViolation(e)) throw creditCodeTaken(input.creditCode.trim().toUpperCase());
      throw e;
    }
  }

  /**
   * Creates an organization inside the caller's transaction and stages its audit event
   * (`action` lets the demo loader mark its rows as 'demo.load').
   */
  async createIn(
    tx: Executor,
    meta: RequestMeta | null,
    input: CreateOrgInput,
    action = 'org.create',
  ): Promise<OrgSaved> {
    const p = new Problems();
    const warnings: OrgWarning[] = [];
    const org: NewOrg = {
      name: input.name.trim(),
      short_name: input.shortName.trim(),
      name_en: input.nameEn?.trim() ? input.nameEn.trim() : null,
      kind: input.kind,
      level: input.level,
      division_code: input.divisionCode.trim(),
      credit_code: input.creditCode.trim().toUpperCase(),
      parent_id: input.parentId,
    };
    if (!org.name) p.add('name', 'required', '单位全称必填', 'The full name is required');
    if (!org.short_name) p.add('shortName', 'required', '单位简称必填', 'The short name is required');
    this.checkShape(p, warnings, org, {
      kind: true,
      level: true,
      divisionCode: true,
      creditCode: true,
    });
    if (org.parent_id !== null) await this.checkParent(tx, p, org.parent_id);
    p.throwIfAny();
    const taken = await repo.findByCreditCode(tx, org.credit_code);
    if (taken) throw creditCodeTaken(org.credit_code, taken);
    const row = await repo.insertOrg(tx, org);
    await this.audit.stage(
      tx,
      auditInput(meta, {
        action,
        objectType: 'organization',
        objectId: row.id,
        detail: {
          name: row.name,
          shortName: row.short_name,
          kind: row.kind,
          level: row.level,
          divisionCode: row.division_code,
          creditCode: row.credit_code,
          parentId: row.parent_id,
        },
      }),
    );
    return { ...orgView(row), warnings };
  }

  async update(meta: RequestMeta | null, id: string, input: UpdateOrgInput): Promise<OrgSaved> {
    try {
      return await this.audit.transaction((tx) => this.updateIn(tx, meta, id, input));
    } catch (e) {
      if (isUniqueViolation(e) && input.creditCode !== undefined) {
        throw creditCodeTaken(input.creditCode.trim().toUpperCase());
      }
      throw e;
    }
  }

  private async updateIn(
    tx: Executor,
    meta: RequestMeta | null,
    id: string,
    input: UpdateOrgInput,
  ): Promise<OrgSaved> {
    const before = await repo.lockOrg(tx, id);
    if (!before) throw DomainError.notFound(ORG);
    const p = new Problems();
    const warnings: OrgWarning[] = [];
    const patch: Updateable<OrganizationTable> = {};
    if (input.name !== undefined) {
      patch.name = input.name.trim();
      if (!patch.name) p.add('name', 'required', '单位全称必填', 'The full name is required');
    }
    if (input.shortName !== undefined) {
      patch.short_name = input.shortName.trim();
      if (!patch.short_name) p.add('shortName', 'required', '单位简称必填', 'The short name is required');
    }
    if (input.nameEn !== undefined) patch.name_en = input.nameEn?.trim() ? input.nameEn.trim() : null;
    if (input.kind !== undefined) patch.kind = input.kind;
    if (input.level !== undefined) patch.level = input.level;
    if (input.divisionCode !== undefined) patch.division_code = input.divisionCode.trim();
    if (input.creditCode !== undefined) patch.credit_code = input.creditCode.trim().toUpperCase();
    if (input.parentId !== undefined) patch.parent_id = input.parentId;
    if (input.status !== undefined) patch.status = input.status;

    const merged: NewOrg = {
      name: patch.name ?? before.name,
      short_name: patch.short_name ?? before.short_name,
      name_en: patch.name_en === undefined ? before.name_en : patch.name_en,
      kind: patch.kind ?? before.kind,
      level: patch.level ?? before.level,
      division_code: patch.division_code ?? before.division_code.trim(),
      credit_code: patch.credit_code ?? before.credit_code.trim(),
      parent_id: patch.parent_id === undefined ? before.parent_id : patch.parent_id,
    };
    // Only what changes is checked field by field; the kind/level/division pairing is checked
    // whenever one of its parts changes, so a fix of one field is not blocked by an old record.
    this.checkShape(p, warnings, merged, {
      kind: input.kind !== undefined,
      level: input.level !== undefined,
      divisionCode: input.divisionCode !== undefined,
      creditCode: input.creditCode !== undefined,
      pairing: input.kind !== undefined || input.level !== undefined || input.divisionCode !== undefined,
    });
    if (patch.parent_id !== undefined && patch.parent_id !== null && patch.parent_id !== before.parent_id) {
      const parentOk = await this.checkParent(tx, p, patch.parent_id);
      if (parentOk) {
        const chain = await repo.selfAndAncestorIds(tx, patch.parent_id);
        if (chain.includes(id)) {
          p.add(
            'parentId',
            'parent.cycle',
            '上级单位不能是本单位或其下级单位',
            'The parent cannot be the organization itself or one of its descendants',
          );
        }
      }
    }
    p.throwIfAny();
    if (patch.status === 'dissolved' && before.status !== 'dissolved') {
      const children = await repo.listOrgs(tx, { parentId: id, status: 'active' }, { page: 1, pageSize: 1 });
      if (children.total > 0) {
        throw DomainError.invalidState({
          zh: `该单位还有 ${children.total} 个在用的下级单位，请先调整或撤销下级单位`,
          en: `The organization still has ${children.total} active child organization(s); move or dissolve them first`,
        });
      }
    }
    if (patch.credit_code !== undefined && patch.credit_code !== before.credit_code.trim()) {
      const taken = await repo.findByCreditCode(tx, patch.credit_code);
      if (taken && taken.id !== id) throw creditCodeTaken(patch.credit_code, taken);
    }

    const changes: JsonObject = {};
    const beforeView = orgView(before);
    const compare: [keyof OrgView, string | null][] = [
      ['name', merged.name],
      ['shortName', merged.short_name],
      ['nameEn', merged.name_en],
      ['kind', merged.kind],
      ['level', merged.level],
      ['divisionCode', merged.division_code],
      ['creditCode', merged.credit_code],
      ['parentId', merged.parent_id],
      ['status', patch.status ?? before.status],
    ];
    for (const [field, to] of compare) {
      const from = beforeView[field];
      if (from !== to) changes[field] = { from, to };
    }
    if (Object.keys(changes).length === 0) return { ...beforeView, warnings };
    const row = await repo.updateOrg(tx, id, patch);
    await this.audit.stage(
      tx,
      auditInput(meta, {
        action: 'org.update',
        objectType: 'organization',
        objectId: id,
        detail: { changes },
      }),
    );
    return { ...orgView(row), warnings };
  }

  /** Field rules that need no database: enums, identifiers, and how kind, level and division fit. */
  private checkShape(
    p: Problems,
    warnings: OrgWarning[],
    org: NewOrg,
    which: { kind: boolean; level: boolean; divisionCode: boolean; creditCode: boolean; pairing?: boolean },
  ): void {
    const kindOk = ORG_KINDS.includes(org.kind);
    const levelOk = ORG_LEVELS.includes(org.level);
    if (which.kind && !kindOk) {
      p.add(
        'kind',
        'kind.enum',
        `单位类型应为：${ORG_KINDS.join('、')}`,
        `kind must be one of ${ORG_KINDS.join(', ')}`,
      );
    }
    if (which.level && !levelOk) {
      p.add(
        'level',
        'level.enum',
        `层级应为：${ORG_LEVELS.join('、')}`,
        `level must be one of ${ORG_LEVELS.join(', ')}`,
      );
    }
    const division = checkDivisionCode(org.division_code);
    if (which.divisionCode && !division.ok) {
      p.add(
        'divisionCode',
        division.rule ?? 'division_code.invalid',
        division.zh ?? '行政区划代码无效',
        division.en ?? 'Invalid administrative division code',
      );
    }
    if (which.creditCode) {
      const credit = checkCreditCode(org.credit_code);
      if (!credit.ok) {
        p.add(
          'creditCode',
          credit.rule ?? 'credit_code.invalid',
          credit.zh ?? '统一社会信用代码无效',
          credit.en ?? 'Invalid unified social credit code',
        );
      } else if (credit.warning) {
        warnings.push({ field: 'creditCode', ...credit.warning });
      }
    }
    const pairing = which.pairing ?? true;
    if (!pairing || !kindOk || !levelOk) return;
    if (org.kind === 'county_government' && org.level !== 'county') {
      p.add(
        'level',
        'level.kind',
        '县（市、区）政府的层级应为 county',
        'A county government must have level county',
      );
    }
    if (org.kind === 'park' && org.level !== 'park') {
      p.add('level', 'level.kind', '园区的层级应为 park', 'A park must have level park');
    }
    // Province, city and county bodies carry a division code of their own level; a park has no
    // code of its own and carries the code of the city or county it lies in.
    if (division.ok && (org.level === 'province' || org.level === 'city' || org.level === 'county')) {
      const divLevel = divisionLevel(org.division_code);
      if (divLevel !== org.level) {
        const zhLevel = { province: '省级', city: '市级', county: '县级' } as const;
        p.add(
          'divisionCode',
          'division_code.level',
          `层级为 ${org.level} 的单位应使用${zhLevel[org.level]}行政区划代码，${org.division_code} 是${zhLevel[divLevel]}代码`,
          `An organization of level ${org.level} needs a ${org.level}-level division code; ${org.division_code} is ${divLevel}-level`,
        );
      }
    }
  }

  /** Adds a problem unless the parent exists and is active; returns whether it does. */
  private async checkParent(tx: Executor, p: Problems, parentId: string): Promise<boolean> {
    const parent = await repo.findOrg(tx, parentId);
    if (!parent) {
      p.add('parentId', 'parent.not_found', '上级单位不存在', 'The parent organization does not exist');
      return false;
    }
    if (parent.status !== 'active') {
      p.add('parentId', 'parent.dissolved', '上级单位已撤销', 'The parent organization is dissolved');
      return false;
    }
    return true;
  }

  // ── officers ──

  /** Which of these organizations have any officer recorded. */
  async withOfficers(orgIds: string[]): Promise<Set<string>> {
    return repo.orgsWithAssignments(this.db, orgIds);
  }

  async officersOf(orgId: string): Promise<OrgOfficers> {
    const org = await repo.findOrg(this.db, orgId);
    if (!org) throw DomainError.notFound(ORG);
    const rows = await repo.assignmentsOf(this.db, orgId);
    const current = currentOf(rows, this.today());
    const history = [...rows].sort(
      (a, b) =>
        dutyOrder(a.duty) - dutyOrder(b.duty) ||
        b.effective_from.localeCompare(a.effective_from) ||
        b.recorded_at.getTime() - a.recorded_at.getTime(),
    );
    return {
      org: orgRef(org),
      current: DUTIES.flatMap((d) => {
        const r = current.get(d);
        return r ? [officerView(r)] : [];
      }),
      missing: DUTIES.filter((d) => !current.has(d)),
      history: history.map(officerView),
    };
  }

  /** Records a change of one duty's holder (004 §14), audited as 'officer.change'. */
  async recordOfficerChange(
    meta: RequestMeta | null,
    orgId: string,
    input: OfficerChangeInput,
  ): Promise<OfficerView> {
    // The deadline is computed before the transaction: the calendar and the policy read on their
    // own connection, which an embedded database would otherwise hold for the transaction.
    const plan = await this.planOfficerChange(orgId, input);
    return this.audit.transaction((tx) => this.applyOfficerChange(tx, meta, plan));
  }

  /** Checks an officer change field by field and computes its report deadline; writes nothing. */
  async planOfficerChange(orgId: string, input: OfficerChangeInput): Promise<OfficerChangePlan> {
    const p = new Problems();
    const today = this.today();
    const name = input.name.trim();
    const title = (input.title ?? '').trim();
    const phone = (input.phone ?? '').trim();
    const email = (input.email ?? '').trim();
    const reportedOn = input.reportedOn ?? today;
    if (!DUTIES.includes(input.duty)) {
      p.add(
        'duty',
        'duty.enum',
        `职责应为：${DUTIES.join('、')}`,
        `duty must be one of ${DUTIES.join(', ')}`,
      );
    }
    if (!name) p.add('name', 'required', '姓名必填', 'The name is required');
    if (phone && !(PHONE.test(phone) && phone.replace(/\D/g, '').length >= 5)) {
      p.add(
        'phone',
        'phone.format',
        '联系电话格式不正确（如 0715-8123456 或 13912345678）',
        'The phone number is not valid (e.g. 0715-8123456 or 13912345678)',
      );
    }
    if (email && !EMAIL.test(email)) {
      p.add('email', 'email.format', '电子邮箱格式不正确', 'The e-mail address is not valid');
    }
    const fromOk = isValidDay(input.effectiveFrom);
    if (!fromOk) p.addAll([badDayProblem(input.effectiveFrom, 'effectiveFrom')]);
    const reportedOk = isValidDay(reportedOn);
    if (!reportedOk) p.addAll([badDayProblem(reportedOn, 'reportedOn')]);
    else if (reportedOn > today) {
      p.add(
        'reportedOn',
        'reported_on.future',
        `报备日期不能晚于今天（${today}）`,
        `reportedOn cannot be after today (${today})`,
      );
    }
    p.throwIfAny();

    const limit = await this.policy.workingDays(OFFICER_REPORT_POLICY);
    let reportDue: string | null = null;
    let dueNote: OfficerChangePlan['dueNote'] = null;
    if (limit === null) {
      dueNote = 'no_limit';
    } else {
      try {
        reportDue = await this.calendar.addWorkdays(input.effectiveFrom, limit);
      } catch (e) {
        // A change outside the known calendar is still recorded; it just has no computed deadline.
        if (!(e instanceof DomainError && e.code === 'CALENDAR_UNKNOWN')) throw e;
        dueNote = 'calendar_unknown';
      }
    }
    return {
      orgId,
      duty: input.duty,
      name,
      title,
      phone,
      email,
      effectiveFrom: input.effectiveFrom,
      reportedOn,
      reportDue,
      late: reportDue !== null && reportedOn > reportDue,
      dueNote,
    };
  }

  /** Writes a planned change inside the caller's transaction: closes the current holder, adds the new one. */
  async applyOfficerChange(
    tx: Executor,
    meta: RequestMeta | null,
    plan: OfficerChangePlan,
    action = 'officer.change',
  ): Promise<OfficerView> {
    const org = await repo.lockOrg(tx, plan.orgId);
    if (!org) throw DomainError.notFound(ORG);
    if (org.status !== 'active') {
      throw DomainError.invalidState({
        zh: `${org.name}已撤销，不能再登记责任人`,
        en: `${org.name} is dissolved; its officers can no longer change`,
      });
    }
    const open = await repo.openAssignment(tx, plan.orgId, plan.duty);
    if (open && open.effective_from >= plan.effectiveFrom) {
      const problem: FieldProblem = {
        field: 'effectiveFrom',
        rule: 'effective_from.after_current',
        zh: `任职起始日应晚于现任${DUTY_NAMES[plan.duty].zh}${open.name}的任职起始日（${open.effective_from}）`,
        en: `effectiveFrom must be after the current ${DUTY_NAMES[plan.duty].en} ${open.name} took office (${open.effective_from})`,
      };
      throw DomainError.validation([problem]);
    }
    if (open) await repo.closeAssignment(tx, open.id, addDays(plan.effectiveFrom, -1));
    const values: NewAssignment = {
      org_id: plan.orgId,
      duty: plan.duty,
      name: plan.name,
      title: plan.title,
      phone: plan.phone,
      email: plan.email,
      effective_from: plan.effectiveFrom,
      reported_on: plan.reportedOn,
      report_due: plan.reportDue,
      late: plan.late,
      recorded_by: meta?.actor.userId ?? null,
    };
    const row = await repo.insertAssignment(tx, values);
    await this.audit.stage(
      tx,
      auditInput(meta, {
        action,
        objectType: 'officer_assignment',
        objectId: row.id,
        detail: {
          orgId: plan.orgId,
          duty: plan.duty,
          name: plan.name,
          title: plan.title,
          effectiveFrom: plan.effectiveFrom,
          reportedOn: plan.reportedOn,
          reportDue: plan.reportDue,
          late: plan.late,
          dueNote: plan.dueNote,
          replaced: open
            ? { id: open.id, name: open.name, effectiveTo: addDays(plan.effectiveFrom, -1) }
            : null,
        },
      }),
    );
    return officerView(row);
  }

  /** The list the platform publishes (004 §14): every active organization's current officers. */
  async publishedOfficers(): Promise<PublishedOfficers> {
    const asOf = this.today();
    const [orgs, rows] = await Promise.all([repo.allOrgs(this.db), repo.currentAssignments(this.db, asOf)]);
    const byOrg = new Map<string, OfficerAssignmentRow[]>();
    for (const r of rows) {
      const list = byOrg.get(r.org_id);
      if (list) list.push(r);
      else byOrg.set(r.org_id, [r]);
    }
    return {
      asOf,
      items: orgs
        .filter((o) => o.status === 'active')
        .map((o) => {
          const current = currentOf(byOrg.get(o.id) ?? [], asOf);
          return {
            org: orgRef(o),
            officers: DUTIES.flatMap((d) => {
              const r = current.get(d);
              return r ? [officerView(r)] : [];
            }),
            missing: DUTIES.filter((d) => !current.has(d)),
          };
        }),
    };
  }

  /** Changes reported after their deadline, newest report first. */
  async lateReports(filter: { orgId?: string }, page: PageRequest): Promise<Page<LateOfficerView>> {
    const { rows, total } = await repo.lateAssignments(this.db, filter, page);
    return { items: rows.map(lateView), total, page: page.page, pageSize: page.pageSize };
  }
}
