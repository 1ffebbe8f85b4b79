/**
 * E-government projects (R10, seed 004 《咸宁市电子政务项目建设管理办法》): the full-scope filing,
 * the lifecycle as the state machine of projects.machine.ts with its deadlines on the working-day
 * calendar (read from the policy table), the catalog gates, the expert pool and the performance
 * evaluation that flags the department's next applications.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database, Executor } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import { type Clock, FixedClock } from '../../kernel/clock.js';
import { DomainError, type FieldProblem, Problems } from '../../kernel/errors.js';
import { offsetOf, type Page, type PageRequest } from '../../kernel/pagination.js';
import { sm3Hex } from '../../kernel/sm3.js';
import {
  addWorkdays,
  chinaToday,
  isValidDay,
  type WorkdayLookup,
  workdaysBetween,
} from '../../kernel/workdays.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { UserActor } from '../auth/auth.policy.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { InventoryService } from '../inventory/inventory.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import {
  actionsFrom,
  allows,
  CATALOG_REVIEW_STAGES,
  DOC_KIND_NAMES,
  type DocKind,
  type ExpertField,
  type Grade,
  gradeOf,
  PANEL_MIN,
  PANEL_STAGES,
  PASS_TO,
  type Party,
  type ProjectAction,
  type ProjectKind,
  RETURN_TO,
  STAGE_NAMES,
  type Stage,
  TRANSITIONS,
} from './projects.machine.js';
import * as repo from './projects.repository.js';
import type { ProjectExpertRow, ProjectTable, StepDetails } from './projects.table.js';

const PROJECT = { zh: '项目', en: 'Project' };
/** Stages after acceptance. */
const CATALOG_FROZEN: readonly Stage[] = ['audit', 'om_filing', 'evaluation', 'completed'];
const EXPERT = { zh: '专家', en: 'Expert' };

/** The full-scope filing (全口径备案) of a project: what the department declares and keeps current. */
export interface ProjectInput {
  orgId: string;
  name: string;
  kind: ProjectKind;
  summary: string;
  needsBudgetYuan: number;
  omCostYuan: number;
  fundingChannel: string;
  dataResources: string;
  systemIds: string[];
  protectionLevel: number | null;
  protectionFilingNo: string | null;
  classifiedFilingNo: string | null;
}

/** One step of the lifecycle; which fields it needs depends on the action (the service says which). */
export interface StepInput {
  action: ProjectAction;
  reason?: string | null;
  expertIds?: string[];
  budgetYuan?: number | null;
  planYear?: number | null;
  signedOn?: string | null;
  noticePublishedOn?: string | null;
  counterparty?: string | null;
  amountYuan?: number | null;
  score?: number | null;
  note?: string | null;
}

export interface DocumentInput {
  name: string;
  kind: DocKind;
  /** The file itself, base64: only its SM3 fingerprint and size are kept. */
  contentBase64?: string | null;
  /** Or where the document is kept (文号, archive number, URL). */
  reference?: string | null;
}

export interface ExpertInput {
  name: string;
  field: ExpertField;
  title: string;
  orgName: string;
  orgId: string | null;
  active?: boolean;
}

export interface ProjectSummary {
  id: string;
  name: string;
  orgId: string;
  orgName: string;
  kind: ProjectKind;
  stage: Stage;
  stageDueOn: string | null;
  workdaysLeft: number | null;
  needsBudgetYuan: number;
  approvedBudgetYuan: number | null;
  evaluationGrade: Grade | null;
  caution: boolean;
  updatedAt: string;
}

export interface ExpertView {
  id: string;
  name: string;
  field: ExpertField;
  title: string;
  orgName: string;
  orgId: string | null;
  active: boolean;
}

export interface CatalogLinkView {
  entryId: string;
  code: string | null;
  name: string | null;
  status: string | null;
}

export interface ProjectView extends ProjectSummary {
  summary: string;
  techBudgetYuan: number | null;
  omCostYuan: number;
  fundingChannel: string;
  dataResources: string;
  systems: { id: string; name: string }[];
  protectionLevel: number | null;
  protectionFilingNo: string | null;
  classifiedFilingNo: string | null;
  planYear: number | null;
  contractor: string | null;
  contractAmountYuan: number | null;
  contractSignedOn: string | null;
  noticeDueOn: string | null;
  noticePublishedOn: string | null;
  supervisor: string | null;
  supervisionRequired: boolean;
  trialStartedOn: string | null;
  trialEndsOn: string | null;
  acceptedOn: string | null;
  auditedOn: string | null;
  omUnit: string | null;
  evaluationScore: number | null;
  evaluatedOn: string | null;
  cautionProject: { id: string; name: string; score: number | null; evaluatedOn: string | null } | null;
  version: number;
  createdAt: string;
  stages: {
    stage: Stage;
    enteredOn: string;
    dueOn: string | null;
    leftOn: string | null;
    outcome: string | null;
  }[];
  steps: {
    id: string;
    stage: Stage;
    action: ProjectAction;
    outcome: string;
    toStage: Stage;
    reason: string | null;
    experts: { id: string; name: string }[];
    details: StepDetails;
    actorName: string;
    at: string;
  }[];
  documents: {
    id: string;
    stage: Stage;
    name: string;
    kind: DocKind;
    sm3: string | null;
    sizeBytes: number | null;
    reference: string | null;
    uploadedByName: string;
    createdAt: string;
  }[];
  catalog: { entries: CatalogLinkView[]; reviewGate: boolean; acceptanceGate: boolean };
  /** What may be done now: the actions leaving the stage, with who takes them and the documents still missing. */
  next: { action: ProjectAction; by: Party; missingDocs: DocKind[]; panel: boolean }[];
}

/**
 * The policy values and the calendar a step needs, read before its transaction (on the embedded
 * database a read outside the transaction would wait for it).
 */
interface Limits {
  lookup: WorkdayLookup;
  jointReviewDays: number | null;
  techReviewDays: number | null;
  contractNoticeDays: number | null;
  trialMonths: number;
  supervisionThreshold: number;
  deviationMax: number;
  deviationSource: string;
}

type Patch = Partial<Omit<Insertable<ProjectTable>, 'id' | 'version' | 'created_at'>>;

function fieldProblems(): Problems {
  return new Problems();
}

function yuan(n: number): string {
  return n.toLocaleString('zh-CN');
}

function trimOrNull(s: string | null | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

/** The same day n calendar months later (the last day of the month when it has fewer days). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const ty = Math.floor(total / 12);
  const tm = (total % 12) + 1;
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  return `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function expertView(r: ProjectExpertRow): ExpertView {
  return {
    id: r.id,
    name: r.name,
    field: r.field as ExpertField,
    title: r.title,
    orgName: r.org_name,
    orgId: r.org_id,
    active: r.active,
  };
}

export class ProjectsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly calendar: CalendarService,
    private readonly policy: PolicyService,
    private readonly catalog: CatalogService,
    private readonly inventory: InventoryService,
    private readonly clock: Clock,
  ) {}

  private now(on?: string): Date {
    return on ? FixedClock.at(on) : this.clock.now();
  }

  // ── reading ──

  private async left(due: string | null, today: string): Promise<number | null> {
    if (!due) return null;
    try {
      return workdaysBetween(today, due, await this.calendar.lookup());
    } catch {
      // A deadline beyond the loaded calendar (the next year's audit): no working-day count yet.
      return null;
    }
  }

  private async summary(r: repo.ProjectRowWithOrg, today: string): Promise<ProjectSummary> {
    return {
      id: r.id,
      name: r.name,
      orgId: r.org_id,
      orgName: r.org_name,
      kind: r.kind as ProjectKind,
      stage: r.stage as Stage,
      stageDueOn: r.stage_due_on,
      workdaysLeft: await this.left(r.stage_due_on, today),
      needsBudgetYuan: r.needs_budget_yuan,
      approvedBudgetYuan: r.approved_budget_yuan,
      evaluationGrade: r.evaluation_grade as Grade | null,
      caution: r.caution_project_id !== null,
      updatedAt: r.updated_at.toISOString(),
    };
  }

  async list(filter: repo.ProjectFilter, page: PageRequest): Promise<Page<ProjectSummary>> {
    const { rows, total } = await repo.listProjects(this.db, filter, page.pageSize, offsetOf(page));
    const today = chinaToday(this.clock.now());
    const items: ProjectSummary[] = [];
    for (const r of rows) items.push(await this.summary(r, today));
    return { items, total, page: page.page, pageSize: page.pageSize };
  }

  private async row(db: Executor, id: string): Promise<repo.ProjectRowWithOrg> {
    const r = await repo.findProject(db, id);
    if (!r) throw DomainError.notFound(PROJECT);
    return r;
  }

  /** The owning department of a project (routes authorize against it before anything else). */
  async ownerOf(id: string): Promise<string> {
    return (await this.row(this.db, id)).org_id;
  }

  private async catalogLinks(db: Executor, projectId: string): Promise<CatalogLinkView[]> {
    const ids = await repo.linkedEntryIds(db, projectId);
    const views = new Map((await this.catalog.views(db, ids)).map((v) => [v.id, v]));
    return ids.map((id) => {
      const v = views.get(id);
      return { entryId: id, code: v?.code ?? null, name: v?.name ?? null, status: v?.status ?? null };
    });
  }

  /** 实施细则第二十五条: the pre-compiled catalog (≥ 1 live entry) for review; all of it published for acceptance. */
  private gates(entries: CatalogLinkView[]): { reviewGate: boolean; acceptanceGate: boolean } {
    const live = entries.filter((e) => e.status !== null && e.status !== 'withdrawn');
    return {
      reviewGate: live.length > 0,
      acceptanceGate: live.length > 0 && live.every((e) => e.status === 'published'),
    };
  }

  async get(id: string): Promise<ProjectView> {
    const r = await this.row(this.db, id);
    const today = chinaToday(this.clock.now());
    const [stages, steps, docs, entries] = [
      await repo.stages(this.db, id),
      await repo.steps(this.db, id),
      await repo.documents(this.db, id),
      await this.catalogLinks(this.db, id),
    ];
    const expertIds = [...new Set(steps.flatMap((s) => s.expert_ids))];
    const names = new Map((await repo.experts(this.db, expertIds)).map((e) => [e.id, e.name]));
    const systems: { id: string; name: string }[] = [];
    for (const sid of r.system_ids) {
      try {
        systems.push({ id: sid, name: (await this.inventory.get(sid)).name });
      } catch {
        systems.push({ id: sid, name: '' });
      }
    }
    let cautionProject: ProjectView['cautionProject'] = null;
    if (r.caution_project_id) {
      const c = await repo.findProject(this.db, r.caution_project_id);
      if (c)
        cautionProject = {
          id: c.id,
          name: c.name,
          score: c.evaluation_score,
          evaluatedOn: c.evaluated_on,
        };
    }
    const stage = r.stage as Stage;
    const open = stages.find((s) => s.left_on === null);
    const filed = new Set(docs.filter((d) => d.stage_entry_id === open?.id).map((d) => d.kind));
    const threshold = (await this.policy.quantity('project.supervision_threshold_yuan')) ?? 0;
    return {
      ...(await this.summary(r, today)),
      summary: r.summary,
      techBudgetYuan: r.tech_budget_yuan,
      omCostYuan: r.om_cost_yuan,
      fundingChannel: r.funding_channel,
      dataResources: r.data_resources,
      systems,
      protectionLevel: r.protection_level,
      protectionFilingNo: r.protection_filing_no,
      classifiedFilingNo: r.classified_filing_no,
      planYear: r.plan_year,
      contractor: r.contractor,
      contractAmountYuan: r.contract_amount_yuan,
      contractSignedOn: r.contract_signed_on,
      noticeDueOn: r.notice_due_on,
      noticePublishedOn: r.notice_published_on,
      supervisor: r.supervisor,
      supervisionRequired: (r.approved_budget_yuan ?? r.needs_budget_yuan) > threshold,
      trialStartedOn: r.trial_started_on,
      trialEndsOn: r.trial_ends_on,
      acceptedOn: r.accepted_on,
      auditedOn: r.audited_on,
      omUnit: r.om_unit,
      evaluationScore: r.evaluation_score,
      evaluatedOn: r.evaluated_on,
      cautionProject,
      version: r.version,
      createdAt: r.created_at.toISOString(),
      stages: stages.map((s) => ({
        stage: s.stage as Stage,
        enteredOn: s.entered_on,
        dueOn: s.due_on,
        leftOn: s.left_on,
        outcome: s.outcome,
      })),
      steps: steps.map((s) => ({
        id: s.id,
        stage: s.stage as Stage,
        action: s.action as ProjectAction,
        outcome: s.outcome,
        toStage: s.to_stage as Stage,
        reason: s.reason,
        experts: s.expert_ids.map((e) => ({ id: e, name: names.get(e) ?? '' })),
        details: s.details,
        actorName: s.actor_name,
        at: s.at.toISOString(),
      })),
      documents: docs.map((d) => ({
        id: d.id,
        stage: d.stage as Stage,
        name: d.name,
        kind: d.kind as DocKind,
        sm3: d.sm3,
        sizeBytes: d.size_bytes,
        reference: d.reference,
        uploadedByName: d.uploaded_by_name,
        createdAt: d.created_at.toISOString(),
      })),
      catalog: { entries, ...this.gates(entries) },
      next: actionsFrom(stage).map((a) => ({
        action: a,
        by: TRANSITIONS[a].by,
        missingDocs: TRANSITIONS[a].docs.filter((k) => !filed.has(k)),
        panel: PANEL_STAGES.includes(stage) && a !== 'evaluate',
      })),
    };
  }

  // ── the filing ──

  private async validate(tx: Executor, input: ProjectInput, systems: FieldProblem[]): Promise<void> {
    const p = fieldProblems();
    if (!input.name.trim()) p.add('name', 'required', '请填写项目名称', 'Give the project a name');
    if (!(input.needsBudgetYuan > 0))
      p.add('needsBudgetYuan', 'positive', '项目预算须大于 0', 'The budget must be above 0');
    if (!input.fundingChannel.trim())
      p.add('fundingChannel', 'required', '请填写经费渠道', 'Give the funding channel');
    if (!(await repo.orgExists(tx, input.orgId)))
      p.add('orgId', 'exists', '建设单位不存在', 'No such organization');
    if (input.protectionLevel !== null && input.protectionLevel >= 2 && !input.protectionFilingNo?.trim())
      p.add(
        'protectionFilingNo',
        'required_for_level',
        '二级及以上等级保护须填写备案编号',
        'Protection level 2 and above needs its filing number',
      );
    p.addAll(systems);
    p.throwIfAny();
  }

  /** The linked information systems must be the building department's (read outside any transaction). */
  private async systemProblems(input: Pick<ProjectInput, 'orgId' | 'systemIds'>) {
    const p = fieldProblems();
    for (const [i, sid] of input.systemIds.entries()) {
      try {
        const s = await this.inventory.get(sid);
        if (s.orgId !== input.orgId)
          p.add(
            `systemIds[${i}]`,
            'own_system',
            `“${s.name}”不是建设单位的信息系统`,
            `"${s.name}" is not a system of the building department`,
          );
      } catch {
        p.add(`systemIds[${i}]`, 'exists', '信息系统不存在', 'No such information system');
      }
    }
    return [...p.items];
  }

  private columns(input: Omit<ProjectInput, 'orgId'>) {
    return {
      name: input.name.trim(),
      kind: input.kind,
      summary: input.summary.trim(),
      needs_budget_yuan: input.needsBudgetYuan,
      om_cost_yuan: input.omCostYuan,
      funding_channel: input.fundingChannel.trim(),
      data_resources: input.dataResources.trim(),
      system_ids: [...new Set(input.systemIds)],
      protection_level: input.protectionLevel,
      protection_filing_no: trimOrNull(input.protectionFilingNo),
      classified_filing_no: trimOrNull(input.classifiedFilingNo),
    };
  }

  /** 004 §22, §24: a poor evaluation since the start of last year flags the department's new applications. */
  private async caution(tx: Executor, orgId: string, today: string): Promise<string | null> {
    const since = `${Number(today.slice(0, 4)) - 1}-01-01`;
    const [poor] = await repo.poorEvaluations(tx, orgId, since);
    return poor?.id ?? null;
  }

  /** Registers a project; `opts` (the demo's history) give its id and the day it was registered. */
  async create(
    meta: RequestMeta,
    actor: UserActor,
    input: ProjectInput,
    opts: { on?: string; id?: string } = {},
  ): Promise<ProjectView> {
    const now = this.now(opts.on);
    const today = chinaToday(now);
    const systems = await this.systemProblems(input);
    const id = await this.audit.transaction(async (tx) => {
      await this.validate(tx, input, systems);
      const cols = this.columns(input);
      const newId = await repo.insertProject(tx, {
        ...(opts.id ? { id: opts.id } : {}),
        ...cols,
        org_id: input.orgId,
        stage: 'needs',
        caution_project_id: await this.caution(tx, input.orgId, today),
        created_by: actor.userId || null,
        created_at: now,
        updated_at: now,
      });
      await repo.insertStage(tx, { project_id: newId, stage: 'needs', entered_at: now, entered_on: today });
      await this.audit.stage(tx, {
        ...meta,
        action: 'project.create',
        objectType: 'project',
        objectId: newId,
        outcome: 'ok',
        detail: { name: input.name, orgId: input.orgId, needsBudgetYuan: input.needsBudgetYuan },
      });
      return newId;
    });
    return this.get(id);
  }

  async updateFiling(
    meta: RequestMeta,
    id: string,
    input: Omit<ProjectInput, 'orgId'>,
  ): Promise<ProjectView> {
    const orgId = await this.ownerOf(id);
    const systems = await this.systemProblems({ orgId, systemIds: input.systemIds });
    await this.audit.transaction(async (tx) => {
      const r = await this.row(tx, id);
      await this.validate(tx, { ...input, orgId: r.org_id }, systems);
      if (input.needsBudgetYuan !== r.needs_budget_yuan && r.stage !== 'needs')
        throw DomainError.validation([
          {
            field: 'needsBudgetYuan',
            rule: 'needs_stage_only',
            zh: '需求方案预算只能在需求方案编制阶段修改（技术方案预算调整超过规定幅度的，项目将退回该阶段）',
            en: 'The needs budget can change only in the needs stage (a technical plan off by too much sends the project back there)',
          },
        ]);
      if (!(await repo.updateProject(tx, id, r.version, this.columns(input)))) throw this.conflict();
      await this.audit.stage(tx, {
        ...meta,
        action: 'project.filing.update',
        objectType: 'project',
        objectId: id,
        outcome: 'ok',
        detail: { name: input.name, needsBudgetYuan: input.needsBudgetYuan },
      });
    });
    return this.get(id);
  }

  // ── documents and the catalog ──

  async addDocument(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    input: DocumentInput,
  ): Promise<ProjectView> {
    await this.file(meta, actor, id, input);
    return this.get(id);
  }

  /** Files a document in the project's current stage; `on` dates it (the demo's history). */
  async file(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    input: DocumentInput,
    on?: string,
  ): Promise<void> {
    const p = fieldProblems();
    if (!input.name.trim()) p.add('name', 'required', '请填写文件名称', 'Name the document');
    const content = input.contentBase64?.trim() ?? '';
    const reference = trimOrNull(input.reference);
    if (!content && !reference)
      p.add(
        'contentBase64',
        'file_or_reference',
        '请上传文件或填写文号/存档位置',
        'Upload the file or give its reference (document number or archive location)',
      );
    if (content && !/^[A-Za-z0-9+/=\s]+$/.test(content))
      p.add('contentBase64', 'base64', '文件内容不是有效的 Base64', 'The file content is not valid base64');
    p.throwIfAny();
    const bytes = content ? Buffer.from(content, 'base64') : null;
    const now = this.now(on);
    await this.audit.transaction(async (tx) => {
      const r = await this.row(tx, id);
      const open = await repo.openStage(tx, id);
      const docId = await repo.insertDocument(tx, {
        project_id: id,
        stage: r.stage,
        stage_entry_id: open?.id ?? null,
        name: input.name.trim(),
        kind: input.kind,
        sm3: bytes ? sm3Hex(bytes) : null,
        size_bytes: bytes ? bytes.length : null,
        reference,
        uploaded_by: actor.userId || null,
        uploaded_by_name: actor.username,
        created_at: now,
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'project.document.add',
        objectType: 'project',
        objectId: id,
        outcome: 'ok',
        detail: { documentId: docId, kind: input.kind, name: input.name.trim(), stage: r.stage },
      });
    });
  }

  /** After acceptance the project's catalog is what acceptance checked: it no longer changes. */
  private assertCatalogOpen(stage: string): void {
    if (CATALOG_FROZEN.includes(stage as Stage))
      throw DomainError.invalidState({
        zh: '项目已通过竣工验收，其信息资源目录关联不再变更',
        en: 'The project has passed acceptance: its catalog links no longer change',
      });
  }

  async linkEntry(meta: RequestMeta, id: string, entryId: string): Promise<ProjectView> {
    await this.audit.transaction(async (tx) => {
      const r = await this.row(tx, id);
      this.assertCatalogOpen(r.stage);
      const [entry] = await this.catalog.views(tx, [entryId]);
      const p = fieldProblems();
      if (!entry) p.add('entryId', 'exists', '目录条目不存在', 'No such catalog entry');
      else if (entry.providerOrgId !== r.org_id)
        p.add(
          'entryId',
          'own_entry',
          '只能关联项目建设单位编制的目录条目',
          "Only the building department's own catalog entries can be linked",
        );
      else if (entry.revisionOf)
        p.add(
          'entryId',
          'not_revision',
          '请关联目录条目本身，而非其修订稿',
          'Link the entry, not a revision of it',
        );
      else if (entry.status === 'withdrawn')
        p.add('entryId', 'not_withdrawn', '已撤销的目录条目不能关联', 'A withdrawn entry cannot be linked');
      p.throwIfAny();
      if (!(await repo.link(tx, id, entryId)))
        throw DomainError.conflict({ zh: '该目录条目已关联本项目', en: 'The entry is already linked' });
      await this.audit.stage(tx, {
        ...meta,
        action: 'project.catalog.link',
        objectType: 'project',
        objectId: id,
        outcome: 'ok',
        detail: { entryId },
      });
    });
    return this.get(id);
  }

  async unlinkEntry(meta: RequestMeta, id: string, entryId: string): Promise<ProjectView> {
    await this.audit.transaction(async (tx) => {
      this.assertCatalogOpen((await this.row(tx, id)).stage);
      if (!(await repo.unlink(tx, id, entryId)))
        throw DomainError.notFound({ zh: '项目的该目录关联', en: 'Catalog link of the project' });
      await this.audit.stage(tx, {
        ...meta,
        action: 'project.catalog.unlink',
        objectType: 'project',
        objectId: id,
        outcome: 'ok',
        detail: { entryId },
      });
    });
    return this.get(id);
  }

  // ── the lifecycle ──

  private conflict(): DomainError {
    return DomainError.conflict({
      zh: '该项目已被他人处理，请刷新后重试',
      en: 'The project was changed meanwhile; reload and try again',
    });
  }

  private async limits(): Promise<Limits> {
    const deviation = await this.policy.rule('project.budget_deviation_max');
    return {
      lookup: await this.calendar.lookup(),
      jointReviewDays: await this.policy.workingDays('project.joint_review_days'),
      techReviewDays: await this.policy.workingDays('project.tech_review_days'),
      contractNoticeDays: await this.policy.workingDays('project.contract_notice_days'),
      trialMonths: (await this.policy.quantity('project.trial_months')) ?? 0,
      supervisionThreshold: (await this.policy.quantity('project.supervision_threshold_yuan')) ?? 0,
      deviationMax: typeof deviation.value === 'number' ? deviation.value : 0,
      deviationSource: deviation.legalSource,
    };
  }

  /** n working days after a day on the calendar; null when the policy sets no such limit. */
  private due(l: Limits, from: string, n: number | null): string | null {
    return n === null ? null : addWorkdays(from, n, l.lookup);
  }

  private async panel(tx: Executor, r: repo.ProjectRowWithOrg, ids: string[] | undefined, p: Problems) {
    const list = [...new Set(ids ?? [])];
    if (list.length < PANEL_MIN) {
      p.add(
        'expertIds',
        'panel_size',
        `请从专家库选定至少 ${PANEL_MIN} 名评审专家`,
        `Choose at least ${PANEL_MIN} experts from the pool`,
      );
      return list;
    }
    const found = await repo.experts(tx, list);
    if (found.length !== list.length)
      p.add('expertIds', 'exists', '所选专家不在专家库中', 'A chosen expert is not in the pool');
    for (const e of found) {
      if (!e.active) p.add('expertIds', 'active', `专家“${e.name}”已停用`, `Expert "${e.name}" is inactive`);
      if (e.org_id && e.org_id === r.org_id)
        p.add(
          'expertIds',
          'avoidance',
          `专家“${e.name}”来自项目建设单位，应当回避`,
          `Expert "${e.name}" works for the building department and must stand aside`,
        );
    }
    return list;
  }

  private async missingDocs(tx: Executor, r: repo.ProjectRowWithOrg, kinds: readonly DocKind[]) {
    if (kinds.length === 0) return [];
    const open = await repo.openStage(tx, r.id);
    const filed = new Set(
      (await repo.documents(tx, r.id)).filter((d) => d.stage_entry_id === open?.id).map((d) => d.kind),
    );
    return kinds.filter((k) => !filed.has(k));
  }

  /**
   * Takes one step of the lifecycle. `party` is the route's (department steps or platform decisions);
   * `on` replays a step on a past day (the demo's history), never given by a route.
   */
  async act(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    input: StepInput,
    party: Party,
  ): Promise<ProjectView> {
    await this.move(meta, actor, id, input, party);
    return this.get(id);
  }

  /** The step itself; returns the stage it leads to. `on` replays it on a past day (the demo's history). */
  async move(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    input: StepInput,
    party: Party,
    on?: string,
  ): Promise<Stage> {
    const t = TRANSITIONS[input.action];
    if (t.by !== party) throw DomainError.forbidden();
    const now = this.now(on);
    const today = chinaToday(now);
    const l = await this.limits();
    return this.audit.transaction(async (tx) => {
      const r = await this.row(tx, id);
      const stage = r.stage as Stage;
      if (!t.from.includes(stage))
        throw DomainError.invalidState({
          zh: `项目处于“${STAGE_NAMES[stage].zh}”阶段，不能“${t.zh}”`,
          en: `The project is at "${STAGE_NAMES[stage].en}": cannot ${t.en.toLowerCase()}`,
        });
      const p = fieldProblems();
      const missing = await this.missingDocs(tx, r, t.docs);
      if (missing.length > 0)
        p.add(
          'documents',
          'required_documents',
          `本阶段须先登记：${missing.map((k) => DOC_KIND_NAMES[k]).join('、')}`,
          `File first in this stage: ${missing.join(', ')}`,
        );
      const plan = await this.plan(tx, r, stage, input, today, p, l);
      p.throwIfAny();
      if (!allows(input.action, stage, plan.to))
        throw new DomainError('INTERNAL', {
          zh: `状态机不允许 ${stage} → ${plan.to}`,
          en: `The machine does not allow ${stage} → ${plan.to}`,
        });
      let patch: Patch = { ...plan.patch, stage: plan.to, stage_due_on: null };
      let due: string | null = null;
      if (plan.to === 'joint_review') due = this.due(l, today, l.jointReviewDays);
      else if (plan.to === 'tech_review') due = this.due(l, today, l.techReviewDays);
      else if (plan.to === 'trial') {
        due = addMonths(today, l.trialMonths);
        patch = { ...patch, trial_started_on: today, trial_ends_on: due };
      } else if (plan.to === 'audit') due = `${Number(today.slice(0, 4)) + 1}-12-31`;
      else if (plan.to === 'om_filing') due = `${today.slice(0, 4)}-12-31`;
      patch.stage_due_on = due;
      if (!(await repo.updateProject(tx, id, r.version, patch))) throw this.conflict();
      const open = await repo.openStage(tx, id);
      if (open) await repo.closeStage(tx, open.id, today, plan.outcome);
      await repo.insertStage(tx, {
        project_id: id,
        stage: plan.to,
        entered_at: now,
        entered_on: today,
        due_on: due,
      });
      await repo.insertStep(tx, {
        project_id: id,
        stage,
        action: input.action,
        outcome: plan.outcome,
        to_stage: plan.to,
        reason: plan.reason,
        expert_ids: plan.experts,
        details: JSON.stringify(plan.details),
        actor_id: actor.userId || null,
        actor_name: actor.username,
        at: now,
      });
      await this.audit.stage(tx, {
        ...meta,
        action: `project.${input.action}`,
        objectType: 'project',
        objectId: id,
        outcome: 'ok',
        detail: {
          from: stage,
          to: plan.to,
          outcome: plan.outcome,
          reason: plan.reason,
          experts: plan.experts,
          dueOn: due,
          ...plan.details,
        },
      });
      return plan.to;
    });
  }

  /** Where a step goes and what it writes; field problems are collected into p. */
  private async plan(
    tx: Executor,
    r: repo.ProjectRowWithOrg,
    stage: Stage,
    input: StepInput,
    today: string,
    p: Problems,
    l: Limits,
  ): Promise<{
    to: Stage;
    outcome: string;
    reason: string | null;
    experts: string[];
    details: StepDetails;
    patch: Patch;
  }> {
    const reason = trimOrNull(input.reason);
    const note = trimOrNull(input.note);
    const counterparty = trimOrNull(input.counterparty);
    const base = { reason, experts: [] as string[], details: {} as StepDetails, patch: {} as Patch };
    const pastDay = (field: 'signedOn' | 'noticePublishedOn', v: string | null | undefined) => {
      if (!v) p.add(field, 'required', '请填写日期', 'Give the date');
      else if (!isValidDay(v))
        p.add(field, 'date', '日期格式应为 YYYY-MM-DD', 'Write the date as YYYY-MM-DD');
      else if (v > today) p.add(field, 'not_future', '日期不能晚于今天', 'The date cannot be in the future');
    };
    switch (input.action) {
      case 'submit_needs':
        return {
          ...base,
          to: 'joint_review',
          outcome: 'submitted',
          details: { budgetYuan: r.needs_budget_yuan },
          patch: { caution_project_id: await this.caution(tx, r.org_id, today) },
        };
      case 'submit_tech_plan': {
        const budget = input.budgetYuan ?? 0;
        if (!(budget > 0))
          p.add(
            'budgetYuan',
            'positive',
            '请填写技术方案预算（大于 0）',
            'Give the technical plan budget (above 0)',
          );
        const approved = r.approved_budget_yuan ?? r.needs_budget_yuan;
        const max = l.deviationMax;
        const deviation = approved > 0 ? Math.abs(budget - approved) / approved : 0;
        const details = {
          budgetYuan: budget,
          approvedBudgetYuan: approved,
          deviation: Math.round(deviation * 1e4) / 1e4,
        };
        if (budget > 0 && deviation > max) {
          return {
            ...base,
            to: 'needs',
            outcome: 'returned_by_rule',
            reason:
              `技术方案预算 ${yuan(budget)} 元较需求审核通过的 ${yuan(approved)} 元调整 ${(deviation * 100).toFixed(1)}%，` +
              `超过 ${(max * 100).toFixed(0)}%，须重新申报项目建设需求方案（${l.deviationSource}）`,
            details,
            patch: { tech_budget_yuan: budget },
          };
        }
        return {
          ...base,
          to: 'tech_review',
          outcome: 'submitted',
          details,
          patch: { tech_budget_yuan: budget },
        };
      }
      case 'sign_agreement':
        pastDay('signedOn', input.signedOn);
        return { ...base, to: 'annual_plan', outcome: 'done', details: { signedOn: input.signedOn ?? null } };
      case 'complete_procurement':
        if (!note)
          p.add('note', 'required', '请填写采购方式及结果', 'Describe the procurement method and result');
        return { ...base, to: 'contract', outcome: 'done', details: { procurement: note } };
      case 'file_contract': {
        pastDay('signedOn', input.signedOn);
        pastDay('noticePublishedOn', input.noticePublishedOn);
        if (!counterparty) p.add('counterparty', 'required', '请填写中标单位', 'Give the contractor');
        if (!(input.amountYuan && input.amountYuan > 0))
          p.add('amountYuan', 'positive', '请填写中标金额（大于 0）', 'Give the contract amount (above 0)');
        const signed = input.signedOn ?? '';
        const published = input.noticePublishedOn ?? '';
        if (isValidDay(signed) && isValidDay(published) && published < signed)
          p.add(
            'noticePublishedOn',
            'after_signing',
            '公告日期不能早于合同签订日期',
            'The notice cannot precede the signing',
          );
        if (!p.empty || !isValidDay(signed)) return { ...base, to: 'trial', outcome: 'done' };
        const noticeDue = this.due(l, signed, l.contractNoticeDays);
        const threshold = l.supervisionThreshold;
        const budget = r.approved_budget_yuan ?? r.needs_budget_yuan;
        const supervision = budget > threshold;
        return {
          ...base,
          to: supervision ? 'supervision' : 'trial',
          outcome: 'done',
          details: {
            signedOn: signed,
            noticePublishedOn: published,
            noticeDueOn: noticeDue,
            noticeLate: noticeDue !== null && published > noticeDue,
            supervisionRequired: supervision,
            budgetYuan: budget,
            thresholdYuan: threshold,
          },
          patch: {
            contractor: counterparty,
            contract_amount_yuan: input.amountYuan ?? null,
            contract_signed_on: signed,
            notice_due_on: noticeDue,
            notice_published_on: published,
          },
        };
      }
      case 'complete_supervision':
        if (!counterparty) p.add('counterparty', 'required', '请填写监理单位', 'Give the supervising firm');
        return { ...base, to: 'trial', outcome: 'done', patch: { supervisor: counterparty } };
      case 'apply_acceptance':
        if (r.trial_ends_on && today < r.trial_ends_on)
          throw DomainError.invalidState({
            zh: `试运行至 ${r.trial_ends_on} 满期，届满后方可申请竣工验收（第十六条）`,
            en: `The trial runs until ${r.trial_ends_on}; acceptance can be applied for after it`,
          });
        return { ...base, to: 'acceptance', outcome: 'submitted' };
      case 'file_om':
        if (!counterparty) p.add('counterparty', 'required', '请填写运维单位', 'Give the O&M provider');
        if (input.amountYuan === undefined || input.amountYuan === null || input.amountYuan < 0)
          p.add('amountYuan', 'required', '请填写年度运维费用', "Give the year's O&M cost");
        if (!note) p.add('note', 'required', '请填写项目运行情况', 'Describe how the system runs');
        return {
          ...base,
          to: 'evaluation',
          outcome: 'done',
          details: { omUnit: counterparty, omCostYuan: input.amountYuan ?? null, operation: note },
          patch: { om_unit: counterparty, om_cost_yuan: input.amountYuan ?? 0 },
        };
      case 'evaluate': {
        const score = input.score;
        if (score === undefined || score === null || !(score >= 0 && score <= 100))
          p.add('score', 'range', '评估得分应在 0–100 之间', 'The score is between 0 and 100');
        const grade = gradeOf(score ?? 0);
        return {
          ...base,
          to: 'completed',
          outcome: grade,
          details: { score: score ?? null, grade, comment: note },
          patch: { evaluation_score: score ?? null, evaluation_grade: grade, evaluated_on: today },
        };
      }
      case 'return': {
        const to = RETURN_TO[stage];
        if (!to)
          throw DomainError.invalidState({ zh: '该阶段不能退回', en: 'This stage cannot be returned' });
        if (!reason) p.add('reason', 'required', '退回须说明理由', 'A return needs a reason');
        const experts = PANEL_STAGES.includes(stage) ? await this.panel(tx, r, input.expertIds, p) : [];
        return { ...base, to, outcome: 'returned', experts };
      }
      case 'pass': {
        const to = PASS_TO[stage];
        if (!to)
          throw DomainError.invalidState({
            zh: '该阶段不由审核通过',
            en: 'This stage is not passed by review',
          });
        const experts = PANEL_STAGES.includes(stage) ? await this.panel(tx, r, input.expertIds, p) : [];
        const entries = await this.catalogLinks(tx, r.id);
        const gates = this.gates(entries);
        let patch: Patch = {};
        if (CATALOG_REVIEW_STAGES.includes(stage) && !gates.reviewGate)
          throw DomainError.invalidState({
            zh: '项目尚未预编信息资源目录：请先在目录管理中编制目录条目并关联本项目（实施细则第二十五条）',
            en: 'The project has no pre-compiled resource catalog: compile catalog entries and link them first',
          });
        if (stage === 'joint_review') {
          if (r.caution_project_id && !reason)
            p.add(
              'reason',
              'caution',
              '该单位上一年度有项目绩效评估不合格，通过须说明理由（第二十四条）',
              'The department had a project evaluated poor last year: explain the pass',
            );
          patch = { approved_budget_yuan: r.needs_budget_yuan };
        }
        if (stage === 'annual_plan') {
          const year = input.planYear;
          if (!year || !Number.isInteger(year) || year < 2000 || year > 2100)
            p.add('planYear', 'year', '请填写列入的计划年度', 'Give the plan year');
          patch = { plan_year: year ?? null };
        }
        if (stage === 'acceptance') {
          if (!gates.acceptanceGate)
            throw DomainError.invalidState({
              zh: '项目信息资源目录尚未全部发布：验收须先将项目目录纳入共享平台目录管理（实施细则第二十五条）',
              en: "The project's catalog is not all published: acceptance needs it in the platform's catalog",
            });
          patch = { accepted_on: today };
        }
        if (stage === 'audit') {
          if (r.accepted_on && Number(today.slice(0, 4)) <= Number(r.accepted_on.slice(0, 4)))
            throw DomainError.invalidState({
              zh: `项目于 ${r.accepted_on} 验收，审计于次年进行（第十七条）`,
              en: `Accepted on ${r.accepted_on}: the audit takes place the following year`,
            });
          if (!note) p.add('note', 'required', '请填写审计结论', 'Give the audit conclusion');
          patch = { audited_on: today };
        }
        return {
          ...base,
          to,
          outcome: 'passed',
          experts,
          details:
            stage === 'audit'
              ? { conclusion: note }
              : stage === 'annual_plan'
                ? { planYear: input.planYear ?? null }
                : {},
          patch,
        };
      }
    }
  }

  // ── the expert pool ──

  async listExperts(filter: repo.ExpertFilter, page: PageRequest): Promise<Page<ExpertView>> {
    const { rows, total } = await repo.listExperts(this.db, filter, page.pageSize, offsetOf(page));
    return { items: rows.map(expertView), total, page: page.page, pageSize: page.pageSize };
  }

  private async checkExpert(tx: Executor, input: ExpertInput): Promise<void> {
    const p = fieldProblems();
    if (!input.name.trim()) p.add('name', 'required', '请填写专家姓名', "Give the expert's name");
    if (!input.orgName.trim())
      p.add('orgName', 'required', '请填写工作单位', "Give the expert's organization");
    if (input.orgId && !(await repo.orgExists(tx, input.orgId)))
      p.add('orgId', 'exists', '所属单位不存在', 'No such organization');
    p.throwIfAny();
  }

  async createExpert(meta: RequestMeta, input: ExpertInput): Promise<ExpertView> {
    const id = await this.audit.transaction(async (tx) => {
      await this.checkExpert(tx, input);
      const newId = await repo.insertExpert(tx, {
        name: input.name.trim(),
        field: input.field,
        title: input.title.trim(),
        org_name: input.orgName.trim(),
        org_id: input.orgId,
        active: input.active ?? true,
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'project.expert.create',
        objectType: 'project_expert',
        objectId: newId,
        outcome: 'ok',
        detail: { name: input.name.trim(), field: input.field },
      });
      return newId;
    });
    return this.expert(id);
  }

  async updateExpert(meta: RequestMeta, id: string, input: ExpertInput): Promise<ExpertView> {
    await this.audit.transaction(async (tx) => {
      await this.checkExpert(tx, input);
      const ok = await repo.updateExpert(tx, id, {
        name: input.name.trim(),
        field: input.field,
        title: input.title.trim(),
        org_name: input.orgName.trim(),
        org_id: input.orgId,
        active: input.active ?? true,
      });
      if (!ok) throw DomainError.notFound(EXPERT);
      await this.audit.stage(tx, {
        ...meta,
        action: 'project.expert.update',
        objectType: 'project_expert',
        objectId: id,
        outcome: 'ok',
        detail: { name: input.name.trim(), active: input.active ?? true },
      });
    });
    return this.expert(id);
  }

  async expert(id: string): Promise<ExpertView> {
    const [r] = await repo.experts(this.db, [id]);
    if (!r) throw DomainError.notFound(EXPERT);
    return expertView(r);
  }

  // ── the demo ──

  async isEmpty(): Promise<boolean> {
    return repo.isEmpty(this.db);
  }

  async entryIdsByName(orgId: string, names: string[]): Promise<string[]> {
    return repo.entryIdsByName(this.db, orgId, names);
  }
}
