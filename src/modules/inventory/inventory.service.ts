/**
 * The information-system inventory (R2): the register, the zombie / shadow / single-unit flags that
 * detection keeps current after every change, their confirmation or dismissal, and dispositions.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database, Executor } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import type { Clock } from '../../kernel/clock.js';
import { DomainError, type FieldProblem } from '../../kernel/errors.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { UserActor } from '../auth/auth.policy.js';
import { DEMO_INVENTORY, demoSystemId } from './inventory.demo.js';
import {
  checkInput,
  DEFAULT_THRESHOLDS,
  type Deployment,
  type DetectedFlag,
  type Disposition,
  type DispositionInput,
  detectFlags,
  type FlagKind,
  type FlagStatus,
  type Network,
  type SystemInput,
  type SystemView,
  type Thresholds,
} from './inventory.model.js';
import * as repo from './inventory.repository.js';
import type { InventorySystemTable } from './inventory.table.js';

export interface FlagView {
  id: string;
  kind: FlagKind;
  rule: string;
  systemId: string;
  systemName: string;
  systemOrgId: string;
  otherSystemId: string | null;
  otherSystemName: string | null;
  otherOrgId: string | null;
  score: number | null;
  explanation: { zh: string; en: string };
  facts: Record<string, unknown>;
  status: FlagStatus;
  resolutionReason: string | null;
  resolvedAt: string | null;
  detectedAt: string;
}

export interface RegisterView extends SystemView {
  flagKinds: FlagKind[];
  openFlags: number;
}

export interface DepartmentStats {
  orgId: string;
  orgName: string;
  systems: number;
  connected: number;
  notConnected: number;
  notRequired: number;
  dispositions: Record<Disposition | 'none', number>;
}

const SYSTEM = { zh: '信息系统', en: 'Information system' };
const FLAG = { zh: '清查标记', en: 'Inventory flag' };

function toView(r: repo.SystemRowWithOrg): SystemView {
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    internalUnit: r.internal_unit,
    name: r.name,
    functionDescription: r.function_description,
    scopeOfUse: r.scope_of_use,
    frequencyOfUse: r.frequency_of_use,
    approvingDepartment: r.approving_department,
    approvalDate: r.approval_date,
    fundingSource: r.funding_source,
    network: r.network as Network,
    builder: r.builder,
    investmentWan: r.investment_wan,
    omCostWan: r.om_cost_wan,
    fundingChannel: r.funding_channel,
    dataResources: r.data_resources,
    catalogEntryIds: r.catalog_entry_ids,
    protectionLevel: r.protection_level,
    protectionFilingNo: r.protection_filing_no,
    classified: r.classified,
    classifiedFilingNo: r.classified_filing_no,
    deployment: r.deployment as Deployment,
    monthlyActiveUsers: r.monthly_active_users,
    monthlyTransactions: r.monthly_transactions,
    lastMaintenanceOn: r.last_maintenance_on,
    utilizationPct: r.utilization_pct,
    businessLink: r.business_link,
    replacedById: r.replaced_by_id,
    mustConnect: r.must_connect,
    connected: r.connected,
    disposition: r.disposition as Disposition | null,
    dispositionTargetOn: r.disposition_target_on,
    dispositionNote: r.disposition_note,
    assetWriteOffNote: r.asset_write_off_note,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function flagView(r: repo.FlagRowWithNames): FlagView {
  return {
    id: r.id,
    kind: r.kind as FlagKind,
    rule: r.rule,
    systemId: r.system_id,
    systemName: r.system_name,
    systemOrgId: r.system_org_id,
    otherSystemId: r.other_system_id,
    otherSystemName: r.other_name,
    otherOrgId: r.other_org_id,
    score: r.score,
    explanation: { zh: r.explanation_zh, en: r.explanation_en },
    facts: r.facts,
    status: r.status as FlagStatus,
    resolutionReason: r.resolution_reason,
    resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
    detectedAt: r.detected_at.toISOString(),
  };
}

function columns(i: SystemInput): Omit<Insertable<InventorySystemTable>, 'id' | 'created_at' | 'updated_at'> {
  return {
    org_id: i.orgId,
    internal_unit: i.internalUnit?.trim() ? i.internalUnit.trim() : null,
    name: i.name.trim(),
    function_description: i.functionDescription.trim(),
    scope_of_use: i.scopeOfUse,
    frequency_of_use: i.frequencyOfUse,
    approving_department: i.approvingDepartment,
    approval_date: i.approvalDate,
    funding_source: i.fundingSource,
    network: i.network,
    builder: i.builder,
    investment_wan: i.investmentWan,
    om_cost_wan: i.omCostWan,
    funding_channel: i.fundingChannel,
    data_resources: i.dataResources,
    catalog_entry_ids: i.catalogEntryIds,
    protection_level: i.protectionLevel,
    protection_filing_no: i.protectionFilingNo,
    classified: i.classified,
    classified_filing_no: i.classifiedFilingNo,
    deployment: i.deployment,
    monthly_active_users: i.monthlyActiveUsers,
    monthly_transactions: i.monthlyTransactions,
    last_maintenance_on: i.lastMaintenanceOn,
    utilization_pct: i.utilizationPct,
    business_link: i.businessLink,
    replaced_by_id: i.replacedById,
    must_connect: i.mustConnect,
    connected: i.connected,
  };
}

function problem(field: string, rule: string, zh: string, en: string): FieldProblem {
  return { field, rule, zh, en };
}

/** The China calendar day of an instant. */
function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export class InventoryService {
  /** The detection thresholds (R2.3); configurable per node. */
  thresholds: Thresholds;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    thresholds: Partial<Thresholds> = {},
  ) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  }

  async list(orgId: string | null): Promise<SystemView[]> {
    return (await repo.listSystems(this.db, orgId)).map(toView);
  }

  async get(id: string): Promise<SystemView> {
    const row = await repo.findSystem(this.db, id);
    if (!row) throw DomainError.notFound(SYSTEM);
    return toView(row);
  }

  async isEmpty(): Promise<boolean> {
    return repo.isEmpty(this.db);
  }

  private async validate(tx: Executor, input: SystemInput, id: string | null): Promise<void> {
    const p: FieldProblem[] = checkInput(input);
    if (!(await repo.orgExists(tx, input.orgId)))
      p.push(problem('orgId', 'exists', '所属单位不存在', 'No such organization'));
    if (input.replacedById) {
      if (input.replacedById === id)
        p.push(problem('replacedById', 'not_self', '系统不能被自身替代', 'A system cannot replace itself'));
      else if (!(await repo.findSystem(tx, input.replacedById)))
        p.push(problem('replacedById', 'exists', '替代系统不存在', 'No such replacing system'));
    }
    if (p.length > 0) throw DomainError.validation(p);
  }

  /** Recomputes every flag inside the change's transaction; resolutions of flags found again are kept. */
  private async detect(tx: Executor): Promise<DetectedFlag[]> {
    const systems = (await repo.listSystems(tx, null)).map(toView);
    const found = detectFlags(systems, chinaDay(this.clock.now()), this.thresholds);
    const now = new Date();
    await repo.upsertFlags(
      tx,
      found.map((f) => ({
        id: f.id,
        kind: f.kind,
        rule: f.rule,
        system_id: f.systemId,
        other_system_id: f.otherSystemId,
        score: f.score,
        explanation_zh: f.zh,
        explanation_en: f.en,
        facts: JSON.stringify(f.facts),
        detected_at: now,
      })),
    );
    const ids = new Set(found.map((f) => f.id));
    const stale = (await repo.allFlagStatuses(tx)).filter((f) => !ids.has(f.id) && f.status === 'open');
    await repo.deleteFlags(
      tx,
      stale.map((f) => f.id),
    );
    return found;
  }

  async create(meta: RequestMeta, input: SystemInput): Promise<SystemView> {
    const id = await this.audit.transaction(async (tx) => {
      await this.validate(tx, input, null);
      const [newId] = await repo.insertSystems(tx, [columns(input)]);
      if (!newId) throw new Error('insert returned no id');
      await this.detect(tx);
      await this.audit.stage(tx, {
        ...meta,
        action: 'inventory.system.create',
        objectType: 'inventory_system',
        objectId: newId,
        outcome: 'ok',
        detail: { name: input.name, orgId: input.orgId },
      });
      return newId;
    });
    return this.get(id);
  }

  /** Registers many systems in one transaction (the spreadsheet import): all or nothing. */
  async createMany(meta: RequestMeta, inputs: SystemInput[]): Promise<string[]> {
    return this.audit.transaction(async (tx) => {
      for (const input of inputs) await this.validate(tx, input, null);
      const ids = await repo.insertSystems(tx, inputs.map(columns));
      await this.detect(tx);
      await this.audit.stage(tx, {
        ...meta,
        action: 'inventory.system.import',
        objectType: 'inventory_system',
        outcome: 'ok',
        detail: { systems: ids.length, ids },
      });
      return ids;
    });
  }

  async update(meta: RequestMeta, id: string, input: SystemInput): Promise<SystemView> {
    const current = await this.get(id);
    if (input.orgId !== current.orgId)
      throw DomainError.validation([
        problem('orgId', 'immutable', '不能更改系统的所属单位', "A system's organization cannot change"),
      ]);
    await this.audit.transaction(async (tx) => {
      await this.validate(tx, input, id);
      await repo.updateSystem(tx, id, { ...columns(input), updated_at: new Date() });
      await this.detect(tx);
      await this.audit.stage(tx, {
        ...meta,
        action: 'inventory.system.update',
        objectType: 'inventory_system',
        objectId: id,
        outcome: 'ok',
        detail: { name: input.name },
      });
    });
    return this.get(id);
  }

  /** R2.4: the disposition of a system with its target date; retiring needs the asset write-off note. */
  async dispose(meta: RequestMeta, id: string, input: DispositionInput): Promise<SystemView> {
    await this.get(id);
    const p: FieldProblem[] = [];
    if (!input.note.trim()) p.push(problem('note', 'required', '请说明处置方案', 'Describe the disposition'));
    if (input.kind === 'retire' && !input.assetWriteOffNote?.trim())
      p.push(
        problem(
          'assetWriteOffNote',
          'required_for_retire',
          '清理系统须说明资产核销（由财政部门核销）',
          'Retiring a system needs the asset write-off note (written off by finance)',
        ),
      );
    if (p.length > 0) throw DomainError.validation(p);
    await this.audit.transaction(async (tx) => {
      await repo.updateSystem(tx, id, {
        disposition: input.kind,
        disposition_target_on: input.targetOn,
        disposition_note: input.note.trim(),
        asset_write_off_note: input.assetWriteOffNote?.trim() || null,
        updated_at: new Date(),
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'inventory.system.dispose',
        objectType: 'inventory_system',
        objectId: id,
        outcome: 'ok',
        detail: { kind: input.kind, targetOn: input.targetOn },
      });
    });
    return this.get(id);
  }

  async listFlags(filter: repo.FlagFilter): Promise<FlagView[]> {
    return (await repo.listFlags(this.db, filter)).map(flagView);
  }

  async getFlag(id: string): Promise<FlagView> {
    const row = await repo.findFlag(this.db, id);
    if (!row) throw DomainError.notFound(FLAG);
    return flagView(row);
  }

  /**
   * An officer of a department the flag concerns (either side of a shadow pair), or the platform office,
   * confirms or dismisses an open flag with a reason.
   */
  async resolveFlag(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    outcome: 'confirmed' | 'dismissed',
    reason: string,
    anyOrg: boolean,
  ): Promise<FlagView> {
    const flag = await this.getFlag(id);
    if (!anyOrg && flag.systemOrgId !== actor.orgId && flag.otherOrgId !== actor.orgId)
      throw DomainError.forbidden({
        zh: '只能处理涉及本单位系统的标记',
        en: "You may resolve only flags on your own organization's systems",
      });
    if (!reason.trim())
      throw DomainError.validation([problem('reason', 'required', '请填写理由', 'Give a reason')]);
    if (flag.status !== 'open')
      throw new DomainError('INVALID_STATE', {
        zh: `该标记已处理（${flag.status === 'confirmed' ? '已确认' : '已排除'}）`,
        en: `The flag is already ${flag.status}`,
      });
    await this.audit.transaction(async (tx) => {
      await repo.resolveFlag(tx, id, {
        status: outcome,
        resolution_reason: reason.trim(),
        resolved_by: actor.userId,
        resolved_at: new Date(),
      });
      await this.audit.stage(tx, {
        ...meta,
        action: outcome === 'confirmed' ? 'inventory.flag.confirm' : 'inventory.flag.dismiss',
        objectType: 'inventory_flag',
        objectId: id,
        outcome: 'ok',
        detail: { rule: flag.rule, systemId: flag.systemId, reason: reason.trim() },
      });
    });
    return this.getFlag(id);
  }

  /** One page of the register with each system's flag kinds (open or confirmed) and open flags. */
  async registerPage(
    filter: repo.RegisterFilter,
    page: number,
    pageSize: number,
  ): Promise<{ items: RegisterView[]; total: number; page: number; pageSize: number }> {
    const { rows, total } = await repo.registerPage(this.db, filter, (page - 1) * pageSize, pageSize);
    return {
      items: rows.map((r) => ({
        ...toView(r),
        flagKinds: (r.flag_kinds ?? []) as FlagKind[],
        openFlags: r.open_flags,
      })),
      total,
      page,
      pageSize,
    };
  }

  /** Per department: systems by connection status and by disposition (the console's chart). */
  async stats(orgId: string | null): Promise<DepartmentStats[]> {
    const by = new Map<string, DepartmentStats>();
    for (const s of await this.list(orgId)) {
      let d = by.get(s.orgId);
      if (!d) {
        d = {
          orgId: s.orgId,
          orgName: s.orgName,
          systems: 0,
          connected: 0,
          notConnected: 0,
          notRequired: 0,
          dispositions: { integrate: 0, retire: 0, standardize: 0, connect: 0, migrate_cloud: 0, none: 0 },
        };
        by.set(s.orgId, d);
      }
      d.systems++;
      if (s.connected) d.connected++;
      else if (s.mustConnect) d.notConnected++;
      else d.notRequired++;
      d.dispositions[s.disposition ?? 'none']++;
    }
    return [...by.values()];
  }

  /** Deletes a system from the register (not one another system is recorded as replaced by). */
  async remove(meta: RequestMeta, id: string): Promise<void> {
    const current = await this.get(id);
    await this.audit.transaction(async (tx) => {
      const dependants = await repo.replacedBy(tx, id);
      if (dependants.length > 0)
        throw DomainError.conflict({
          zh: `以下系统登记为被本系统替代，请先修改它们：${dependants.join('、')}`,
          en: `These systems are recorded as replaced by this one; change them first: ${dependants.join(', ')}`,
        });
      await repo.deleteSystem(tx, id);
      await this.detect(tx);
      await this.audit.stage(tx, {
        ...meta,
        action: 'inventory.system.delete',
        objectType: 'inventory_system',
        objectId: id,
        outcome: 'ok',
        detail: { name: current.name, orgId: current.orgId },
      });
    });
  }

  /** R2.6: systems that must connect to the platform and have not — no O&M funding for them. */
  async fundingList(): Promise<SystemView[]> {
    return (await this.list(null)).filter((s) => s.mustConnect && !s.connected);
  }

  /** The demo inventory (once): written with stable ids, then detection runs. */
  async loadDemo(meta: RequestMeta, orgId: (shortName: string) => string): Promise<boolean> {
    if (!(await this.isEmpty())) return false;
    await this.audit.transaction(async (tx) => {
      const rows = DEMO_INVENTORY.map((d) => {
        const { code, org, replacedBy, ...rest } = d;
        return {
          id: demoSystemId(code),
          ...columns({
            ...rest,
            orgId: orgId(org),
            replacedById: replacedBy ? demoSystemId(replacedBy) : null,
          }),
        };
      });
      // Replacing systems first: a replaced-by reference needs its target.
      const plain = rows.filter((r) => !r.replaced_by_id);
      const replaced = rows.filter((r) => r.replaced_by_id);
      await repo.insertSystems(tx, plain);
      await repo.insertSystems(tx, replaced);
      const found = await this.detect(tx);
      await this.audit.stage(tx, {
        ...meta,
        action: 'inventory.demo.load',
        objectType: 'inventory_system',
        outcome: 'ok',
        detail: { systems: rows.length, flags: found.length },
      });
    });
    return true;
  }
}
