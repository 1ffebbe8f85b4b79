/**
 * The self-check campaign (自查 + 核查, R2.2): the platform office opens a campaign with a deadline (a date,
 * or working days on the calendar); every department submits its report (its systems as of then, a
 * statement, the counts); the platform office, audit and finance verify each item or send it back with a
 * reason; the department corrects its register and resubmits. Departments past the deadline are listed.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import type { Clock } from '../../kernel/clock.js';
import { DomainError, type FieldProblem } from '../../kernel/errors.js';
import { canonicalJson, type Json } from '../../kernel/json.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { UserActor } from '../auth/auth.policy.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { SystemView } from './inventory.model.js';
import type { InventoryService } from './inventory.service.js';
import type { InventorySelfcheckItemRow, SelfcheckCheck } from './inventory.table.js';
import {
  CAPACITY_ZH,
  type CampaignStatus,
  type Capacity,
  canCheck,
  canReturnItem,
  canSubmit,
  canVerifyItem,
  capacityOf,
  chinaDay,
  type ItemStatus,
  isLate,
  type ReportStatus,
  reportStatusOf,
} from './selfcheck.model.js';
import * as repo from './selfcheck.repository.js';

export interface CampaignView {
  id: string;
  title: string;
  note: string;
  openedOn: string;
  deadline: string;
  workingDays: number | null;
  financeOrgId: string | null;
  financeOrgName: string | null;
  status: CampaignStatus;
  closedAt: string | null;
  createdAt: string;
  reports: number;
  submitted: number;
  verified: number;
}

export interface ReportSummary {
  id: string;
  campaignId: string;
  orgId: string;
  orgName: string;
  status: ReportStatus;
  round: number;
  firstSubmittedAt: string | null;
  submittedAt: string | null;
  late: boolean;
  items: number;
  itemsVerified: number;
  itemsReturned: number;
}

export interface CampaignDetail extends CampaignView {
  /** The caller's capacity as a verifier, if any. */
  myCapacity: Capacity | null;
  reportList: ReportSummary[];
  /** Departments past the deadline: not submitted yet, or first submitted after it. */
  late: ReportSummary[];
}

export interface ItemView {
  id: string;
  systemId: string;
  systemName: string;
  snapshot: Record<string, unknown>;
  status: ItemStatus;
  returnReason: string | null;
  checks: SelfcheckCheck[];
}

export interface ReportDetail extends ReportSummary {
  statement: string | null;
  counts: Record<string, number>;
  campaign: CampaignView;
  myCapacity: Capacity | null;
  itemList: ItemView[];
}

export interface CampaignInput {
  title: string;
  note: string;
  /** Either a deadline date … */
  deadline: string | null;
  /** … or a number of working days from today on the calendar. */
  workingDays: number | null;
  financeOrgId: string | null;
}

const CAMPAIGN = { zh: '自查工作', en: 'Self-check campaign' };
const REPORT = { zh: '自查报告', en: 'Self-check report' };
const ITEM = { zh: '自查报告中的系统', en: 'System of the report' };

function problem(field: string, rule: string, zh: string, en: string): FieldProblem {
  return { field, rule, zh, en };
}

function campaignView(r: repo.CampaignRowWithCounts): CampaignView {
  return {
    id: r.id,
    title: r.title,
    note: r.note,
    openedOn: r.opened_on,
    deadline: r.deadline,
    workingDays: r.working_days,
    financeOrgId: r.finance_org_id,
    financeOrgName: r.finance_org_name,
    status: r.status as CampaignStatus,
    closedAt: r.closed_at ? r.closed_at.toISOString() : null,
    createdAt: r.created_at.toISOString(),
    reports: r.reports,
    submitted: r.submitted,
    verified: r.verified,
  };
}

function itemView(r: InventorySelfcheckItemRow): ItemView {
  return {
    id: r.id,
    systemId: r.system_id,
    systemName: r.system_name,
    snapshot: r.snapshot,
    status: r.status as ItemStatus,
    returnReason: r.return_reason,
    checks: r.checks,
  };
}

/** What a report item keeps of a system: every register field, not the bookkeeping timestamps. */
function snapshotOf(s: SystemView): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, ...rest } = s;
  return rest;
}

export class SelfcheckService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly calendar: CalendarService,
    private readonly inventory: InventoryService,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return chinaDay(this.clock.now());
  }

  private summary(r: repo.ReportRowWithOrg, deadline: string): ReportSummary {
    const first = r.first_submitted_at ? chinaDay(r.first_submitted_at) : null;
    return {
      id: r.id,
      campaignId: r.campaign_id,
      orgId: r.org_id,
      orgName: r.org_name,
      status: r.status as ReportStatus,
      round: r.round,
      firstSubmittedAt: r.first_submitted_at ? r.first_submitted_at.toISOString() : null,
      submittedAt: r.submitted_at ? r.submitted_at.toISOString() : null,
      late: isLate(deadline, this.today(), first),
      items: r.items,
      itemsVerified: r.items_verified,
      itemsReturned: r.items_returned,
    };
  }

  async campaign(id: string): Promise<CampaignView> {
    const row = await repo.findCampaign(this.db, id);
    if (!row) throw DomainError.notFound(CAMPAIGN);
    return campaignView(row);
  }

  async list(page: number, pageSize: number) {
    const { rows, total } = await repo.listCampaigns(this.db, (page - 1) * pageSize, pageSize);
    return { items: rows.map(campaignView), total, page, pageSize };
  }

  /** The campaign with every department's report (orgId: only that department's). */
  async detail(actor: UserActor, id: string, orgId: string | null): Promise<CampaignDetail> {
    const c = await this.campaign(id);
    const reportList = (await repo.listReports(this.db, id, orgId)).map((r) => this.summary(r, c.deadline));
    return {
      ...c,
      myCapacity: capacityOf(actor.role, actor.orgId, c.financeOrgId),
      reportList,
      late: reportList.filter((r) => r.late),
    };
  }

  async exists(id: string): Promise<boolean> {
    return !!(await repo.findCampaign(this.db, id));
  }

  /** Opens a campaign; `id` only for the demo (stable ids), the API never passes one. */
  async open(meta: RequestMeta, actor: UserActor, input: CampaignInput, id?: string): Promise<CampaignView> {
    const today = this.today();
    const p: FieldProblem[] = [];
    if (!input.title.trim()) p.push(problem('title', 'required', '请填写自查工作名称', 'Give the title'));
    if ((input.deadline === null) === (input.workingDays === null))
      p.push(
        problem(
          'deadline',
          'one_of',
          '请给出截止日期或工作日数（二选一）',
          'Give either a deadline date or a number of working days',
        ),
      );
    else if (input.deadline !== null && input.deadline <= today)
      p.push(problem('deadline', 'future', '截止日期须晚于今天', 'The deadline must be after today'));
    if (input.workingDays !== null && (input.workingDays < 1 || input.workingDays > 120))
      p.push(
        problem(
          'workingDays',
          'range',
          '工作日数须在 1 到 120 之间',
          'Working days must be between 1 and 120',
        ),
      );
    if (input.financeOrgId !== null && !(await repo.orgExists(this.db, input.financeOrgId)))
      p.push(problem('financeOrgId', 'exists', '财政核查单位不存在', 'No such finance organization'));
    if (p.length > 0) throw DomainError.validation(p);
    const deadline =
      input.workingDays !== null
        ? await this.calendar.addWorkdays(today, input.workingDays)
        : (input.deadline as string);
    const saved = await this.audit.transaction(async (tx) => {
      const newId = await repo.insertCampaign(tx, {
        ...(id ? { id } : {}),
        title: input.title.trim(),
        note: input.note.trim(),
        opened_on: today,
        deadline,
        working_days: input.workingDays,
        finance_org_id: input.financeOrgId,
        opened_by: actor.userId,
      });
      const orgs = await repo.participants(tx);
      await repo.insertReports(
        tx,
        orgs.map((orgId) => ({ campaign_id: newId, org_id: orgId, counts: '{}' })),
      );
      await this.audit.stage(tx, {
        ...meta,
        action: 'inventory.campaign.open',
        objectType: 'inventory_campaign',
        objectId: newId,
        outcome: 'ok',
        detail: {
          title: input.title.trim(),
          deadline,
          workingDays: input.workingDays,
          departments: orgs.length,
        },
      });
      return newId;
    });
    return this.campaign(saved);
  }

  async close(meta: RequestMeta, id: string): Promise<CampaignView> {
    const c = await this.campaign(id);
    if (c.status !== 'open')
      throw DomainError.invalidState({ zh: '该自查工作已结束', en: 'The campaign is already closed' });
    await this.audit.transaction(async (tx) => {
      await repo.updateCampaign(tx, id, { status: 'closed', closed_at: new Date() });
      await this.audit.stage(tx, {
        ...meta,
        action: 'inventory.campaign.close',
        objectType: 'inventory_campaign',
        objectId: id,
        outcome: 'ok',
        detail: { title: c.title },
      });
    });
    return this.campaign(id);
  }

  async report(actor: UserActor, campaignId: string, orgId: string): Promise<ReportDetail> {
    const c = await this.campaign(campaignId);
    const r = await repo.findReport(this.db, campaignId, orgId);
    if (!r) throw DomainError.notFound(REPORT);
    const items = await repo.listItems(this.db, r.id);
    return {
      ...this.summary(r, c.deadline),
      statement: r.statement,
      counts: r.counts,
      campaign: c,
      myCapacity: capacityOf(actor.role, actor.orgId, c.financeOrgId),
      itemList: items.map(itemView),
    };
  }

  /** The counts a report states, from the register and the flags as of submission. */
  private async counts(orgId: string, systems: SystemView[]): Promise<Record<string, number>> {
    const flags = (await this.inventory.listFlags({ orgId })).filter(
      (f) => f.status !== 'dismissed' && systems.some((s) => s.id === f.systemId),
    );
    const sum = (f: (s: SystemView) => number) =>
      Math.round(systems.reduce((a, s) => a + f(s), 0) * 100) / 100;
    return {
      systems: systems.length,
      mustConnect: systems.filter((s) => s.mustConnect).length,
      connected: systems.filter((s) => s.connected).length,
      notConnected: systems.filter((s) => s.mustConnect && !s.connected).length,
      zombieFlags: flags.filter((f) => f.kind === 'zombie').length,
      shadowFlags: flags.filter((f) => f.kind === 'shadow').length,
      singleUnitFlags: flags.filter((f) => f.kind === 'single_unit').length,
      withDisposition: systems.filter((s) => s.disposition !== null).length,
      govCloud: systems.filter((s) => s.deployment === 'gov_cloud').length,
      investmentWan: sum((s) => s.investmentWan),
      omCostWan: sum((s) => s.omCostWan),
    };
  }

  /**
   * The department submits (or, after a send-back, resubmits) its report: its systems as of now. On a
   * resubmission, items sent back and items whose system changed are checked again; verified items of
   * unchanged systems stay verified; systems no longer registered leave the report.
   */
  async submit(
    meta: RequestMeta,
    actor: UserActor,
    campaignId: string,
    orgId: string,
    statement: string,
  ): Promise<ReportDetail> {
    const c = await this.campaign(campaignId);
    const r = await repo.findReport(this.db, campaignId, orgId);
    if (!r) throw DomainError.notFound(REPORT);
    if (!statement.trim())
      throw DomainError.validation([
        problem('statement', 'required', '请填写自查情况说明', 'Write the self-check statement'),
      ]);
    const systems = await this.inventory.list(orgId);
    if (systems.length === 0)
      throw DomainError.validation([
        problem(
          'systems',
          'not_empty',
          '本单位尚未登记信息系统，请先登记再提交自查报告',
          'Register your systems before submitting the report',
        ),
      ]);
    const counts = await this.counts(orgId, systems);
    await this.audit.transaction(async (tx) => {
      const locked = await repo.lockReport(tx, r.id);
      if (!locked) throw DomainError.notFound(REPORT);
      if (!canSubmit(c.status, locked.status as ReportStatus))
        throw DomainError.invalidState(
          c.status !== 'open'
            ? { zh: '自查工作已结束，不能再提交', en: 'The campaign is closed' }
            : {
                zh: '自查报告已提交，只有被退回后才能重新提交',
                en: 'The report has been submitted; it can be resubmitted only after items are sent back',
              },
        );
      const existing = new Map((await repo.listItems(tx, r.id)).map((i) => [i.system_id, i]));
      const fresh = [];
      for (const s of systems) {
        const snap = snapshotOf(s);
        const old = existing.get(s.id);
        existing.delete(s.id);
        if (!old) {
          fresh.push({
            report_id: r.id,
            system_id: s.id,
            system_name: s.name,
            snapshot: JSON.stringify(snap),
            checks: '[]',
          });
          continue;
        }
        const changed = canonicalJson(old.snapshot as Json) !== canonicalJson(snap as Json);
        const again = old.status === 'returned' || changed;
        await repo.updateItem(tx, old.id, {
          system_name: s.name,
          snapshot: JSON.stringify(snap),
          ...(again ? { status: 'pending', return_reason: null } : {}),
        });
      }
      await repo.insertItems(tx, fresh);
      await repo.deleteItems(
        tx,
        [...existing.values()].map((i) => i.id),
      );
      const statuses = (await repo.listItems(tx, r.id)).map((i) => i.status as ItemStatus);
      const now = this.clock.now();
      await repo.updateReport(tx, r.id, {
        status: reportStatusOf(statuses),
        round: locked.round + 1,
        statement: statement.trim(),
        counts: JSON.stringify(counts),
        submitted_at: now,
        submitted_by: actor.userId,
        ...(locked.first_submitted_at ? {} : { first_submitted_at: now }),
        updated_at: new Date(),
      });
      await this.audit.stage(tx, {
        ...meta,
        action: locked.round === 0 ? 'inventory.selfcheck.submit' : 'inventory.selfcheck.resubmit',
        objectType: 'inventory_selfcheck',
        objectId: r.id,
        outcome: 'ok',
        detail: { campaignId, orgId, round: locked.round + 1, systems: systems.length },
      });
    });
    return this.report(actor, campaignId, orgId);
  }

  private capacity(actor: UserActor, c: CampaignView): Capacity {
    const cap = capacityOf(actor.role, actor.orgId, c.financeOrgId);
    if (!cap)
      throw DomainError.forbidden({
        zh: '只有政务办、审计和本次自查指定的财政部门负责人可以核查',
        en: 'Only the platform office, audit and the head of the finance bureau named by the campaign verify',
      });
    return cap;
  }

  /**
   * Verifies items (核查) in the actor's capacity, or sends one back with a reason. `itemId` null: every
   * item still pending. The report's status follows from its items.
   */
  async check(
    meta: RequestMeta,
    actor: UserActor,
    campaignId: string,
    orgId: string,
    itemId: string | null,
    outcome: 'verified' | 'returned',
    reason: string | null,
  ): Promise<ReportDetail> {
    const c = await this.campaign(campaignId);
    const capacity = this.capacity(actor, c);
    if (c.status !== 'open')
      throw DomainError.invalidState({ zh: '自查工作已结束', en: 'The campaign is closed' });
    if (outcome === 'returned' && !reason?.trim())
      throw DomainError.validation([
        problem('reason', 'required', '退回须说明理由', 'Give the reason for sending it back'),
      ]);
    const r = await repo.findReport(this.db, campaignId, orgId);
    if (!r) throw DomainError.notFound(REPORT);
    await this.audit.transaction(async (tx) => {
      const locked = await repo.lockReport(tx, r.id);
      if (!locked) throw DomainError.notFound(REPORT);
      if (!canCheck(locked.status as ReportStatus))
        throw DomainError.invalidState({
          zh: '该单位尚未提交自查报告',
          en: 'The department has not submitted yet',
        });
      const items = await repo.listItems(tx, r.id);
      let targets: InventorySelfcheckItemRow[];
      if (itemId) {
        const item = items.find((i) => i.id === itemId);
        if (!item) throw DomainError.notFound(ITEM);
        const st = item.status as ItemStatus;
        const mine = item.checks.some(
          (k) => k.capacity === capacity && k.round === locked.round && k.outcome === 'verified',
        );
        if (outcome === 'verified' && (!canVerifyItem(st) || mine))
          throw DomainError.invalidState({
            zh:
              st === 'returned'
                ? '该系统已退回，待单位修改后重新提交'
                : `${CAPACITY_ZH[capacity]}已核查过该系统`,
            en:
              st === 'returned'
                ? 'The item was sent back; it waits for the department to resubmit'
                : `Already verified in the ${capacity} capacity`,
          });
        if (outcome === 'returned' && !canReturnItem(st))
          throw DomainError.invalidState({ zh: '该系统已退回', en: 'The item is already sent back' });
        targets = [item];
      } else {
        if (outcome !== 'verified') throw new Error('only verification applies to every item');
        targets = items.filter(
          (i) =>
            i.status === 'pending' ||
            (i.status === 'verified' &&
              !i.checks.some((k) => k.capacity === capacity && k.round === locked.round)),
        );
        if (targets.length === 0)
          throw DomainError.invalidState({
            zh: '没有待核查的系统',
            en: 'No item is waiting for verification in your capacity',
          });
      }
      const at = this.clock.now().toISOString();
      for (const item of targets) {
        const check: SelfcheckCheck = {
          capacity,
          outcome,
          reason: reason?.trim() || null,
          username: actor.username,
          at,
          round: locked.round,
        };
        await repo.updateItem(tx, item.id, {
          status: outcome,
          return_reason: outcome === 'returned' ? (reason?.trim() ?? null) : item.return_reason,
          checks: JSON.stringify([...item.checks, check]),
        });
      }
      const statuses = (await repo.listItems(tx, r.id)).map((i) => i.status as ItemStatus);
      await repo.updateReport(tx, r.id, { status: reportStatusOf(statuses), updated_at: new Date() });
      await this.audit.stage(tx, {
        ...meta,
        action: outcome === 'verified' ? 'inventory.selfcheck.verify' : 'inventory.selfcheck.return',
        objectType: 'inventory_selfcheck',
        objectId: r.id,
        outcome: 'ok',
        detail: {
          campaignId,
          orgId,
          capacity,
          items: targets.map((i) => i.id),
          ...(reason?.trim() ? { reason: reason.trim() } : {}),
        },
      });
    });
    return this.report(actor, campaignId, orgId);
  }
}
