/**
 * The sharing workflow (R4, R12): applications move through the state machine of sharing.machine.ts;
 * every limit comes from the policy table and is counted on the working-day calendar; each transition
 * is one transaction that checks the state, moves the application (optimistic lock), logs the event
 * and stages its audit event. The outcome is a grant: the one source of access for the exchange.
 */
import type { Kysely, Updateable } from 'kysely';
import type { Database, Executor } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import type { Clock } from '../../kernel/clock.js';
import { DomainError, type FieldProblem, type Message } from '../../kernel/errors.js';
import type { JsonObject } from '../../kernel/json.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { addDays, chinaToday, isValidDay, workdaysBetween } from '../../kernel/workdays.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { UserActor } from '../auth/auth.policy.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { EntryView } from '../catalog/catalog.model.js';
import type { CatalogService, DemandService } from '../catalog/catalog.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import { agreementText } from './sharing.agreement.js';
import {
  ACCESS_MODES,
  type AccessMode,
  type AppAction,
  type AppStatus,
  allows,
  type Party,
  PURPOSE_CATEGORIES,
  type PurposeCategory,
  TRANSITIONS,
} from './sharing.machine.js';
import { sharingRepository as repo } from './sharing.repository.js';
import type {
  GrantItem,
  MissingItem,
  ShareApplicationRow,
  ShareApplicationTable,
  ShareGrantRow,
} from './sharing.table.js';

type AppPatch = Updateable<ShareApplicationTable>;

interface NextActionRules {
  extensionMax: number;
  upperOffice: boolean;
}

const APPLICATION: Message = { zh: '共享申请', en: 'Sharing application' };
const DEFAULT_DAILY_QUOTA = 10_000;
/** The fields a provider may name when returning an application as incomplete. */
export const APPLICATION_FIELDS = [
  'requestedItems',
  'basis',
  'scenario',
  'purposeCategory',
  'purpose',
  'scope',
  'accessMode',
  'period',
  'consumerSystemId',
  'attachment',
  'other',
] as const;

export interface ApplicationInput {
  /** The catalog entry asked for; omit for data outside the catalog (then outOfCatalog and providerOrgId). */
  entryId?: string | null;
  outOfCatalog?: string | null;
  providerOrgId?: string | null;
  requestedItems: string[];
  basis: string;
  scenario: string;
  purposeCategory?: PurposeCategory | null;
  purpose: string;
  scope: string;
  accessMode?: AccessMode | null;
  periodFrom?: string | null;
  periodTo?: string | null;
  consumerSystemId?: string | null;
  /** The applicant attests that the application is true, lawful and necessary. */
  attested?: boolean;
  demandId?: string | null;
}

export interface ActParams {
  reason?: string;
  missing?: MissingItem[];
  days?: number;
  document?: string;
  outcome?: 'share' | 'not_share';
  note?: string;
  dailyQuota?: number;
  rowFilter?: JsonObject | null;
}

export interface ApplicationView {
  id: string;
  number: string;
  applicantOrgId: string;
  applicantOrgName: string;
  providerOrgId: string;
  providerOrgName: string;
  entryId: string | null;
  entryCode: string | null;
  entryName: string | null;
  outOfCatalog: string | null;
  requestedItems: string[];
  basis: string;
  scenario: string;
  purposeCategory: PurposeCategory | null;
  purpose: string;
  scope: string;
  accessMode: AccessMode | null;
  periodFrom: string | null;
  periodTo: string | null;
  consumerSystemId: string | null;
  attestedAt: string | null;
  demandId: string | null;
  shareType: string | null;
  policyPreset: string;
  status: AppStatus;
  dueOn: string | null;
  dueKind: string | null;
  /** Working days from today to the due date (negative when overdue); null without a due date. */
  workdaysLeft: number | null;
  extensionRequestedDays: number | null;
  extensionReason: string | null;
  extendedDays: number | null;
  missingItems: MissingItem[];
  refusalReason: string | null;
  decisionDocument: string | null;
  supplyDue: string | null;
  suppliedAt: string | null;
  suppliedLate: boolean;
  grantId: string | null;
  /** What the signed-in user's organization may do next. */
  nextActions: AppAction[];
  createdAt: string;
  updatedAt: string;
}

export interface GrantView {
  id: string;
  applicationId: string;
  consumerOrgId: string;
  consumerSystemId: string | null;
  providerOrgId: string;
  entryId: string | null;
  items: GrantItem[];
  rowFilter: unknown;
  purposeCategory: PurposeCategory | null;
  purpose: string;
  accessMode: AccessMode | null;
  validFrom: string;
  validTo: string;
  dailyQuota: number;
  status: ShareGrantRow['status'];
  statusReason: string | null;
  consultation: string | null;
  createdAt: string;
  updatedAt: string;
}

export function grantView(g: ShareGrantRow): GrantView {
  return {
    id: g.id,
    applicationId: g.application_id,
    consumerOrgId: g.consumer_org_id,
    consumerSystemId: g.consumer_system_id,
    providerOrgId: g.provider_org_id,
    entryId: g.entry_id,
    items: g.items,
    rowFilter: g.row_filter,
    purposeCategory: g.purpose_category,
    purpose: g.purpose,
    accessMode: g.access_mode,
    validFrom: g.valid_from,
    validTo: g.valid_to,
    dailyQuota: g.daily_quota,
    status: g.status,
    statusReason: g.status_reason,
    consultation: g.consultation,
    createdAt: g.created_at.toISOString(),
    updatedAt: g.updated_at.toISOString(),
  };
}

function has<T extends object>(set: T, key: unknown): key is keyof T {
  return typeof key === 'string' && Object.hasOwn(set, key);
}

export class SharingService {
  /** Set by the composition root: grant changes are announced on it. */
  events: import('node:events').EventEmitter | null = null;

  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
    readonly calendar: CalendarService,
    readonly policy: PolicyService,
    readonly catalog: CatalogService,
    readonly demands: DemandService,
    readonly clock: Clock,
  ) {}

  today(): string {
    return chinaToday(this.clock.now());
  }

  // ── who is acting ──────────────────────────────────────────────────────────────────────

  /** The parties the actor is to an application: the machine's `by` lists are checked against these. */
  parties(
    actor: UserActor,
    a: Pick<ShareApplicationRow, 'applicant_org_id' | 'provider_org_id'>,
  ): Set<Party> {
    const p = new Set<Party>();
    if (actor.role === 'platform_admin') p.add('platform');
    const officer = actor.role === 'dept_admin' || actor.role === 'data_officer';
    if (actor.orgId === a.applicant_org_id) {
      if (officer) p.add('applicant');
      if (actor.role === 'dept_admin') p.add('applicant_head');
    }
    if (actor.orgId === a.provider_org_id) {
      if (officer || actor.role === 'tech_officer') p.add('provider');
      if (actor.role === 'dept_admin') p.add('provider_head');
    }
    if (p.has('applicant') || p.has('provider')) p.add('either_party');
    return p;
  }

  private canSee(actor: UserActor, a: ShareApplicationRow): boolean {
    return (
      actor.role === 'platform_admin' ||
      actor.role === 'auditor' ||
      actor.orgId === a.applicant_org_id ||
      actor.orgId === a.provider_org_id
    );
  }

  /**
   * What the actor may do next: the machine's actions from this state for the actor's party, less
   * those the application's own state or the policy rules out (no pending extension to consent to,
   * no second extension, no upper office on the dispute path …).
   */
  nextActions(
    actor: UserActor,
    a: ShareApplicationRow,
    rules: NextActionRules = { extensionMax: 0, upperOffice: false },
  ): AppAction[] {
    const parties = this.parties(actor, a);
    return (Object.keys(TRANSITIONS) as AppAction[]).filter((k) => {
      const t = TRANSITIONS[k];
      if (!(t.from as readonly AppStatus[]).includes(a.status) || !t.by.some((b) => parties.has(b)))
        return false;
      switch (k) {
        case 'request_extension':
          return (
            a.share_type === 'conditional' &&
            rules.extensionMax > 0 &&
            !a.extended_days &&
            !a.extension_requested_days
          );
        case 'consent_extension':
        case 'deny_extension':
          return a.extension_requested_days !== null;
        case 'escalate_upper':
          return rules.upperOffice;
        default:
          return true;
      }
    });
  }

  private async nextActionRules(): Promise<NextActionRules> {
    return {
      extensionMax: (await this.policy.workingDays('application.conditional.extension_max_days')) ?? 0,
      upperOffice: (await this.policy.list('dispute.path')).includes('upper_platform_office'),
    };
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────

  private async views(actor: UserActor, rows: ShareApplicationRow[]): Promise<ApplicationView[]> {
    if (rows.length === 0) return [];
    const orgs = new Map(
      (await this.db.selectFrom('organization').select(['id', 'name']).execute()).map((o) => [o.id, o.name]),
    );
    const entryIds = [...new Set(rows.flatMap((r) => (r.entry_id ? [r.entry_id] : [])))];
    const entries = new Map((await this.catalog.views(this.db, entryIds)).map((e) => [e.id, e]));
    const today = this.today();
    const lookup = await this.calendar.lookup();
    const rules = await this.nextActionRules();
    const left = (due: string | null): number | null => {
      if (!due) return null;
      try {
        return workdaysBetween(today, due, lookup);
      } catch {
        return null; // beyond the known calendar
      }
    };
    return rows.map((r) => {
      const e = r.entry_id ? entries.get(r.entry_id) : undefined;
      const due =
        r.status === 'submitted'
          ? r.due_on
          : r.status === 'approved' || r.status === 'decided'
            ? r.supply_due
            : null;
      return {
        id: r.id,
        number: r.number,
        applicantOrgId: r.applicant_org_id,
        applicantOrgName: orgs.get(r.applicant_org_id) ?? '',
        providerOrgId: r.provider_org_id,
        providerOrgName: orgs.get(r.provider_org_id) ?? '',
        entryId: r.entry_id,
        entryCode: e?.code ?? null,
        entryName: e?.name ?? null,
        outOfCatalog: r.out_of_catalog,
        requestedItems: r.requested_items,
        basis: r.basis,
        scenario: r.scenario,
        purposeCategory: r.purpose_category,
        purpose: r.purpose,
        scope: r.scope,
        accessMode: r.access_mode,
        periodFrom: r.period_from,
        periodTo: r.period_to,
        consumerSystemId: r.consumer_system_id,
        attestedAt: r.attested_at?.toISOString() ?? null,
        demandId: r.demand_id,
        shareType: r.share_type,
        policyPreset: r.policy_preset,
        status: r.status,
        dueOn: r.due_on,
        dueKind: r.due_kind,
        workdaysLeft: left(due),
        extensionRequestedDays: r.extension_requested_days,
        extensionReason: r.extension_reason,
        extendedDays: r.extended_days,
        missingItems: r.missing_items,
        refusalReason: r.refusal_reason,
        decisionDocument: r.decision_document,
        supplyDue: r.supply_due,
        suppliedAt: r.supplied_at?.toISOString() ?? null,
        suppliedLate: r.supplied_late,
        grantId: r.grant_id,
        nextActions: this.nextActions(actor, r, rules),
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      };
    });
  }

  private async load(id: string): Promise<ShareApplicationRow> {
    const a = await repo.get(this.db, id);
    if (!a) throw DomainError.notFound(APPLICATION);
    return a;
  }

  async get(actor: UserActor, id: string) {
    const a = await this.load(id);
    if (!this.canSee(actor, a)) throw DomainError.notFound(APPLICATION);
    const [view] = await this.views(actor, [a]);
    const events = await repo.events(this.db, id);
    const messages = await repo.messages(this.db, id);
    return {
      application: view as ApplicationView,
      events: events.map((e) => ({
        action: e.action,
        fromStatus: e.from_status,
        toStatus: e.to_status,
        actorUserId: e.actor_user_id,
        actorOrgId: e.actor_org_id,
        note: e.note,
        detail: e.detail,
        at: e.at.toISOString(),
      })),
      messages: messages.map((m) => ({
        authorUserId: m.author_user_id,
        authorOrgId: m.author_org_id,
        stage: m.stage,
        body: m.body,
        at: m.at.toISOString(),
      })),
    };
  }

  /** My organization's applications (outbox), or those awaiting my organization (inbox). */
  async list(
    actor: UserActor,
    box: 'inbox' | 'outbox' | 'all' | 'overdue',
    f: { statuses?: AppStatus[] },
    page: PageRequest,
  ): Promise<Page<ApplicationView>> {
    const platform = actor.role === 'platform_admin' || actor.role === 'auditor';
    const filter =
      box === 'inbox'
        ? {
            ...(platform ? {} : { providerOrgId: actor.orgId }),
            statuses:
              f.statuses ??
              (platform
                ? (['submitted', 'coordinating', 'upper_coordinating', 'awaiting_decision'] as AppStatus[])
                : (['submitted', 'approved', 'decided', 'negotiating'] as AppStatus[])),
          }
        : box === 'outbox'
          ? { applicantOrgId: actor.orgId, ...(f.statuses ? { statuses: f.statuses } : {}) }
          : box === 'overdue'
            ? {
                ...(platform ? {} : { partyOrgId: actor.orgId }),
                statuses: ['submitted', 'approved', 'decided'] as AppStatus[],
                dueBefore: this.today(),
              }
            : {
                ...(platform ? {} : { partyOrgId: actor.orgId }),
                ...(f.statuses ? { statuses: f.statuses } : {}),
              };
    const { rows, total } = await repo.list(this.db, filter, page);
    return { items: await this.views(actor, rows), total, page: page.page, pageSize: page.pageSize };
  }

  // ── writing an application ─────────────────────────────────────────────────────────────

  private async checkInput(
    actor: UserActor,
    input: ApplicationInput,
    complete: boolean,
  ): Promise<{ entry: EntryView | null; providerOrgId: string }> {
    const p: FieldProblem[] = [];
    const add = (field: string, rule: string, zh: string, en: string) => p.push({ field, rule, zh, en });
    let entry: EntryView | null = null;
    let providerOrgId = input.providerOrgId ?? '';
    if (input.entryId) {
      const [e] = await this.catalog.views(this.db, [input.entryId]);
      if (e?.status !== 'published' || e.revisionOf) {
        add('entryId', 'entry.published', '只能申请已发布的目录资源', 'Apply for a published catalog entry');
      } else {
        entry = e;
        providerOrgId = e.providerOrgId;
        const names = new Set(e.items.map((i) => i.name));
        input.requestedItems.forEach((n, i) => {
          if (!names.has(n))
            add(
              `requestedItems[${i}]`,
              'item.in_entry',
              `“${n}”不是该资源的信息项`,
              `"${n}" is not a data item of this resource`,
            );
        });
        if (e.items.length > 0 && input.requestedItems.length === 0) {
          add(
            'requestedItems',
            'required',
            '须选择所需信息项（最小必要）',
            'Choose the data items needed (the minimum necessary)',
          );
        }
      }
    } else {
      if (!input.outOfCatalog?.trim())
        add(
          'outOfCatalog',
          'required',
          '目录外需求须描述所需数据',
          'Describe the data needed from outside the catalog',
        );
      if (!input.providerOrgId)
        add(
          'providerOrgId',
          'required',
          '目录外需求须指明提供部门',
          'Name the department asked to provide it',
        );
    }
    if (providerOrgId && providerOrgId === actor.orgId) {
      add('providerOrgId', 'provider.other', '不能向本单位申请', 'An application goes to another department');
    }
    if (input.purposeCategory != null && !has(PURPOSE_CATEGORIES, input.purposeCategory)) {
      add(
        'purposeCategory',
        'enum',
        '用途类别应为：行政依据、工作参考、数据校核、业务协同',
        'purposeCategory must be one of administrative_basis, work_reference, data_verification, business_collaboration',
      );
    }
    if (input.accessMode != null && !has(ACCESS_MODES, input.accessMode)) {
      add(
        'accessMode',
        'enum',
        '共享方式应为：接口、库表、文件、联机查询、批量下载',
        'accessMode must be one of api, database, file, online_query, batch_download',
      );
    }
    for (const [f, v] of [
      ['periodFrom', input.periodFrom],
      ['periodTo', input.periodTo],
    ] as const) {
      if (v != null && !isValidDay(v))
        add(f, 'date', '日期格式应为 YYYY-MM-DD', `${f} must be a date YYYY-MM-DD`);
    }
    if (input.periodFrom && input.periodTo && input.periodFrom > input.periodTo) {
      add(
        'periodTo',
        'after_from',
        '使用期限的结束日不能早于开始日',
        'periodTo must not be before periodFrom',
      );
    }
    if (input.consumerSystemId) {
      const sys = await this.db
        .selectFrom('consumer_system')
        .select(['org_id', 'status'])
        .where('id', '=', input.consumerSystemId)
        .executeTakeFirst();
      if (!sys || sys.org_id !== actor.orgId || sys.status !== 'active') {
        add(
          'consumerSystemId',
          'system.own',
          '使用系统须为本单位在用的已登记系统',
          'The consuming system must be an active registered system of your organization',
        );
      }
    }
    if (complete) {
      const need: [string, unknown, string][] = [
        ['basis', input.basis, '法定职权依据'],
        ['scenario', input.scenario, '使用场景'],
        ['purposeCategory', input.purposeCategory, '用途类别'],
        ['purpose', input.purpose, '用途说明'],
        ['scope', input.scope, '使用范围'],
        ['accessMode', input.accessMode, '共享方式'],
        ['periodFrom', input.periodFrom, '使用期限（开始）'],
        ['periodTo', input.periodTo, '使用期限（结束）'],
      ];
      for (const [field, v, zh] of need) {
        if (v == null || (typeof v === 'string' && !v.trim()))
          add(field, 'required', `提交前须填写${zh}`, `${field} is required to submit`);
      }
      if (
        input.accessMode &&
        ['api', 'database', 'online_query'].includes(input.accessMode) &&
        !input.consumerSystemId
      ) {
        add(
          'consumerSystemId',
          'required',
          '接口、库表、联机查询方式须指明使用系统',
          'Name the consuming system for API, table or online-query access',
        );
      }
      if (input.attested !== true) {
        add(
          'attested',
          'attestation.required',
          '须承诺申请内容真实、合法、必要',
          'Attest that the application is true, lawful and necessary',
        );
      }
    }
    if (p.length) throw DomainError.validation(p);
    return { entry, providerOrgId };
  }

  private columns(input: ApplicationInput) {
    return {
      out_of_catalog: input.entryId ? null : (input.outOfCatalog?.trim() ?? null),
      requested_items: [...new Set(input.requestedItems.map((s) => s.trim()).filter(Boolean))],
      basis: input.basis?.trim() ?? '',
      scenario: input.scenario?.trim() ?? '',
      purpose_category: input.purposeCategory ?? null,
      purpose: input.purpose?.trim() ?? '',
      scope: input.scope?.trim() ?? '',
      access_mode: input.accessMode ?? null,
      period_from: input.periodFrom ?? null,
      period_to: input.periodTo ?? null,
      consumer_system_id: input.consumerSystemId ?? null,
      attested_at: input.attested ? this.clock.now() : null,
    };
  }

  async create(meta: RequestMeta, actor: UserActor, input: ApplicationInput): Promise<ApplicationView> {
    const { entry, providerOrgId } = await this.checkInput(actor, input, false);
    const preset = await this.activePreset();
    const year = Number(this.today().slice(0, 4));
    const row = await this.audit.transaction(async (tx) => {
      const n = await repo.nextNumber(tx, year);
      const a = await repo.insert(tx, {
        ...this.columns(input),
        number: `GX${year}${String(n).padStart(6, '0')}`,
        applicant_org_id: actor.orgId,
        applicant_user_id: actor.userId,
        provider_org_id: providerOrgId,
        entry_id: entry?.id ?? null,
        demand_id: input.demandId ?? null,
        share_type: entry?.shareType ?? null,
        policy_preset: preset,
        status: 'draft',
        due_on: null,
        due_kind: null,
        extension_requested_days: null,
        extension_reason: null,
        extended_days: null,
        missing_items: '[]',
        refusal_reason: null,
        decision_document: null,
        supply_due: null,
        supplied_at: null,
        grant_id: null,
      });
      await repo.logEvent(tx, {
        application_id: a.id,
        action: 'create',
        from_status: null,
        to_status: 'draft',
        actor_user_id: actor.userId,
        actor_org_id: actor.orgId,
        note: '',
        detail: {},
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'sharing.application.create',
        objectType: 'share_application',
        objectId: a.id,
        detail: { number: a.number, entryId: a.entry_id, providerOrgId },
      });
      return a;
    });
    const [v] = await this.views(actor, [row]);
    return v as ApplicationView;
  }

  /** Edits a draft, or an application returned as incomplete (before resubmitting it). */
  async update(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    input: ApplicationInput,
  ): Promise<ApplicationView> {
    const a = await this.load(id);
    if (!this.parties(actor, a).has('applicant')) throw DomainError.forbidden();
    if (a.status !== 'draft' && a.status !== 'returned') {
      throw DomainError.invalidState({
        zh: '只有草稿或退回补正的申请可以修改',
        en: 'Only a draft or a returned application can be edited',
      });
    }
    if ((input.entryId ?? null) !== a.entry_id) {
      throw DomainError.validation([
        {
          field: 'entryId',
          rule: 'immutable',
          zh: '申请的资源不可更改，请另行申请',
          en: 'The resource of an application cannot change; apply anew',
        },
      ]);
    }
    await this.checkInput(actor, input, false);
    const row = await this.audit.transaction(async (tx) => {
      const u = await repo.update(tx, id, a.version, this.columns(input));
      if (!u) throw this.conflict();
      await repo.logEvent(tx, {
        application_id: id,
        action: 'edit',
        from_status: a.status,
        to_status: a.status,
        actor_user_id: actor.userId,
        actor_org_id: actor.orgId,
        note: '',
        detail: {},
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'sharing.application.update',
        objectType: 'share_application',
        objectId: id,
        detail: { number: a.number },
      });
      return u;
    });
    const [v] = await this.views(actor, [row]);
    return v as ApplicationView;
  }

  /** A need from the demand list becomes a draft application in one step. */
  async fromDemand(
    meta: RequestMeta,
    actor: UserActor,
    demandId: string,
    extra: Partial<ApplicationInput> = {},
  ): Promise<ApplicationView> {
    const d = await this.demands.get(actor, demandId);
    if (d.orgId !== actor.orgId)
      throw DomainError.forbidden({
        zh: '只能由提出需求的部门发起申请',
        en: 'Only the department that has the need can apply',
      });
    const entryId = extra.entryId ?? d.matchedEntry?.id ?? null;
    return this.create(meta, actor, {
      entryId,
      outOfCatalog: entryId ? null : [d.title, d.description].filter(Boolean).join('：'),
      providerOrgId: entryId ? null : (d.providerOrgId ?? d.handedToOrgId),
      requestedItems: extra.requestedItems ?? (entryId ? d.wantedItems : d.wantedItems),
      basis: d.basis,
      scenario: extra.scenario ?? d.description,
      purpose: d.purpose,
      scope: extra.scope ?? '',
      demandId,
      ...extra,
    });
  }

  async postMessage(meta: RequestMeta, actor: UserActor, id: string, body: string): Promise<void> {
    const a = await this.load(id);
    if (!this.canSee(actor, a)) throw DomainError.notFound(APPLICATION);
    const parties = this.parties(actor, a);
    if (!parties.has('either_party') && !parties.has('platform')) throw DomainError.forbidden();
    if (
      ![
        'negotiating',
        'coordinating',
        'upper_coordinating',
        'awaiting_decision',
        'submitted',
        'returned',
        'refused',
      ].includes(a.status)
    ) {
      throw DomainError.invalidState({
        zh: '该申请当前不在协商或答复阶段',
        en: 'The application is not being answered or negotiated',
      });
    }
    if (!body.trim())
      throw DomainError.validation([
        { field: 'body', rule: 'required', zh: '消息不能为空', en: 'The message is empty' },
      ]);
    await this.audit.transaction(async (tx) => {
      await repo.addMessage(tx, {
        application_id: id,
        author_user_id: actor.userId,
        author_org_id: actor.orgId,
        stage: a.status,
        body: body.trim(),
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'sharing.message',
        objectType: 'share_application',
        objectId: id,
        detail: { stage: a.status, length: body.length },
      });
    });
  }

  // ── the state machine ──────────────────────────────────────────────────────────────────

  private conflict(): DomainError {
    return DomainError.conflict({
      zh: '该申请已被他人处理，请刷新后重试',
      en: 'The application was changed meanwhile; reload and try again',
    });
  }

  private async activePreset(): Promise<string> {
    const v = await this.policy.view();
    return v.activePreset.code;
  }

  private async due(days: number | null, from = this.today()): Promise<string | null> {
    return days === null ? null : this.calendar.addWorkdays(from, days);
  }

  /** Where an application goes once it leaves the applicant: by its share type and the policy. */
  private async route(a: ShareApplicationRow): Promise<{ to: AppStatus; patch: AppPatch; grant: boolean }> {
    if (!a.entry_id || a.share_type === 'not_shared') {
      return { to: 'negotiating', patch: { due_on: null, due_kind: 'negotiation' }, grant: false };
    }
    if (
      a.share_type === 'unconditional' &&
      (await this.policy.mode('application.unconditional.mode')) === 'direct'
    ) {
      return { to: 'supplied', patch: { due_on: null, due_kind: null }, grant: true };
    }
    const key =
      a.share_type === 'unconditional'
        ? 'application.unconditional.answer_days'
        : 'application.conditional.answer_days';
    return {
      to: 'submitted',
      patch: { due_on: await this.due(await this.policy.workingDays(key)), due_kind: 'answer' },
      grant: false,
    };
  }

  /** After the provider (or a negotiation, coordination or decision) says yes: supply now, or by the limit. */
  private async afterYes(limitKey: string): Promise<{ to: AppStatus; patch: AppPatch; grant: boolean }> {
    const days = await this.policy.workingDays(limitKey);
    if (days === null && limitKey === 'supply.after_approval_days') {
      return { to: 'supplied', patch: { due_on: null, due_kind: null }, grant: true };
    }
    return {
      to: limitKey === 'supply.after_decision_days' ? 'decided' : 'approved',
      patch: { due_on: null, due_kind: 'supply', supply_due: await this.due(days) },
      grant: false,
    };
  }

  /**
   * Takes one action on an application: checks the machine and the actor's party, computes the
   * target and its deadline from the policy, then moves it in one transaction (optimistic lock),
   * logging the event and its audit record. Two concurrent answers leave exactly one outcome.
   */
  async act(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    action: AppAction,
    params: ActParams = {},
  ): Promise<ApplicationView> {
    const a = await this.load(id);
    if (!this.canSee(actor, a)) throw DomainError.notFound(APPLICATION);
    const t = TRANSITIONS[action];
    const parties = this.parties(actor, a);
    if (!t.by.some((b) => parties.has(b))) {
      throw DomainError.forbidden({
        zh: `只有${t.by.map(partyZh).join('或')}可以“${t.zh}”`,
        en: `Only ${t.by.join(' or ')} may ${action}`,
      });
    }
    if (!(t.from as readonly AppStatus[]).includes(a.status)) {
      throw DomainError.invalidState({
        zh: `申请当前状态为“${a.status}”，不能“${t.zh}”`,
        en: `Cannot ${action} an application in status ${a.status}`,
      });
    }
    const today = this.today();
    let to: AppStatus = a.status;
    let patch: AppPatch = {};
    let grant = false;
    let note = params.note?.trim() ?? '';
    const problems: FieldProblem[] = [];
    const reason = params.reason?.trim() ?? '';

    switch (action) {
      case 'submit': {
        await this.checkInput(actor, this.inputOf(a, true), true);
        if (await this.policy.flag('application.internal_approval_required')) {
          to = 'awaiting_internal';
        } else {
          ({ to, patch, grant } = await this.route(a));
        }
        patch = { ...patch, missing_items: '[]' };
        break;
      }
      case 'internal_approve':
        ({ to, patch, grant } = await this.route(a));
        break;
      case 'internal_reject':
        if (!reason) problems.push(reasonRequired('退回须说明理由', 'A reason is required'));
        to = 'draft';
        note = reason;
        break;
      case 'return_incomplete': {
        const missing = params.missing ?? [];
        if (missing.length === 0) {
          problems.push({
            field: 'missing',
            rule: 'required',
            zh: '须一次性列明所有需补正的事项',
            en: 'List every missing item at once',
          });
        }
        missing.forEach((m, i) => {
          if (!(APPLICATION_FIELDS as readonly string[]).includes(m.field)) {
            problems.push({
              field: `missing[${i}].field`,
              rule: 'enum',
              zh: `补正事项应为：${APPLICATION_FIELDS.join('、')}`,
              en: `field must be one of ${APPLICATION_FIELDS.join(', ')}`,
            });
          }
        });
        const returnedBefore = (await repo.events(this.db, id)).some((e) => e.action === 'return_incomplete');
        if (returnedBefore && (await this.policy.flag('application.incomplete.notify_all_at_once'))) {
          throw DomainError.invalidState({
            zh: '现行政策要求一次性告知全部补正事项，不得再次退回补正；请答复或拒绝（拒绝须说明理由）',
            en: 'The policy requires every missing item to be told at once; the application cannot be returned again',
          });
        }
        to = 'returned';
        patch = { missing_items: JSON.stringify(missing), due_on: null, due_kind: null };
        break;
      }
      case 'request_extension': {
        const max = (await this.policy.workingDays('application.conditional.extension_max_days')) ?? 0;
        const days = params.days ?? 0;
        // The extension (条例 Art. 21) is for conditional data; the 1-working-day answer to unconditional data has none.
        if (a.share_type !== 'conditional')
          throw DomainError.invalidState({
            zh: '只有有条件共享数据的申请可以延期答复',
            en: 'Only the answer to an application for conditional data can be extended',
          });
        if (max <= 0)
          throw DomainError.invalidState({
            zh: '现行政策不允许延期答复',
            en: 'The active policy allows no extension',
          });
        if (a.extended_days || a.extension_requested_days) {
          throw DomainError.invalidState({
            zh: '答复期限只能延长一次',
            en: 'The answer period can be extended only once',
          });
        }
        if (!Number.isInteger(days) || days < 1 || days > max) {
          problems.push({
            field: 'days',
            rule: 'range',
            zh: `延期应为 1 到 ${max} 个工作日`,
            en: `days must be 1 to ${max} working days`,
          });
        }
        if (!reason) problems.push(reasonRequired('须说明延期理由', 'A reason is required'));
        if (await this.policy.flag('application.extension_requires_platform_consent')) {
          patch = { extension_requested_days: days, extension_reason: reason };
        } else {
          patch = {
            extended_days: days,
            extension_reason: reason,
            due_on: await this.due(days, a.due_on ?? today),
          };
        }
        note = reason;
        break;
      }
      case 'consent_extension': {
        if (!a.extension_requested_days)
          throw DomainError.invalidState({ zh: '没有待同意的延期申请', en: 'No extension is pending' });
        patch = {
          extended_days: a.extension_requested_days,
          extension_requested_days: null,
          due_on: await this.due(a.extension_requested_days, a.due_on ?? today),
        };
        break;
      }
      case 'deny_extension':
        if (!a.extension_requested_days)
          throw DomainError.invalidState({ zh: '没有待同意的延期申请', en: 'No extension is pending' });
        patch = { extension_requested_days: null };
        note = reason;
        break;
      case 'approve':
      case 'agree':
        ({ to, patch, grant } = await this.afterYes('supply.after_approval_days'));
        break;
      case 'refuse':
        if (!reason)
          problems.push(
            reasonRequired('拒绝共享须书面说明理由', 'A refusal must give its reason in writing'),
          );
        to = 'refused';
        patch = { refusal_reason: reason, due_on: null, due_kind: null };
        note = reason;
        break;
      case 'dispute':
        to = 'negotiating';
        patch = { due_kind: 'negotiation' };
        break;
      case 'escalate':
        to = 'coordinating';
        patch = { due_kind: 'coordination' };
        break;
      case 'escalate_upper': {
        const path = await this.policy.list('dispute.path');
        if (!path.includes('upper_platform_office')) {
          throw DomainError.invalidState({
            zh: '现行政策的争议处理路径不含上级平台管理部门',
            en: 'The active policy has no upper platform office on the dispute path',
          });
        }
        to = 'upper_coordinating';
        patch = { due_kind: 'upper_coordination' };
        break;
      }
      case 'refer_to_government':
        to = 'awaiting_decision';
        patch = { due_kind: 'decision' };
        break;
      case 'decide': {
        const doc = params.document?.trim() ?? '';
        if (!doc)
          problems.push({
            field: 'document',
            rule: 'required',
            zh: '须登记政府决定的文号',
            en: 'The decision’s document number is required',
          });
        if (params.outcome !== 'share' && params.outcome !== 'not_share') {
          problems.push({
            field: 'outcome',
            rule: 'enum',
            zh: '决定结果应为共享或不予共享',
            en: 'outcome must be share or not_share',
          });
        }
        if (params.outcome === 'share')
          ({ to, patch, grant } = await this.afterYes('supply.after_decision_days'));
        else to = 'closed';
        patch = { ...patch, decision_document: doc };
        note = doc;
        break;
      }
      case 'supply':
        to = 'supplied';
        grant = true;
        break;
      case 'close':
        to = 'closed';
        break;
      case 'withdraw':
        to = 'withdrawn';
        patch = { due_on: null, due_kind: null };
        note = reason;
        break;
    }
    if (problems.length) throw DomainError.validation(problems);
    if (!allows(action, a.status, to)) {
      // The machine is the authority: a target it does not list is a defect, never written.
      throw new DomainError('INTERNAL', {
        zh: '状态机不允许该转换',
        en: `The state machine forbids ${action}: ${a.status} → ${to}`,
      });
    }
    if (to === 'supplied') {
      const late = a.supply_due !== null && today > a.supply_due;
      patch = { ...patch, supplied_at: this.clock.now(), supplied_late: late };
    }
    const entry = grant && a.entry_id ? ((await this.catalog.views(this.db, [a.entry_id]))[0] ?? null) : null;
    const parties2 = grant ? await this.partyNames(a) : null;

    const row = await this.audit.transaction(async (tx) => {
      const moved = await repo.update(tx, id, a.version, { ...patch, status: to });
      if (!moved) throw this.conflict();
      let final = moved;
      if (grant) {
        const g = await this.createGrant(tx, moved, entry, params, today);
        await repo.insertAgreement(
          tx,
          (() => {
            const text = agreementText(g, {
              consumerName: parties2?.consumer ?? '',
              providerName: parties2?.provider ?? '',
              resourceName: entry?.name ?? moved.out_of_catalog ?? '',
              resourceCode: entry?.code ?? '',
            });
            return { grant_id: g.id, text, digest: sm3Hex(text) };
          })(),
        );
        const linked = await repo.update(tx, id, moved.version, { grant_id: g.id });
        if (!linked) throw this.conflict();
        final = linked;
        await this.audit.stage(tx, {
          ...meta,
          action: 'sharing.grant.create',
          objectType: 'share_grant',
          objectId: g.id,
          detail: { applicationId: id, items: g.items.map((i) => i.name), validTo: g.valid_to },
        });
      }
      if (a.status === 'submitted' && to !== 'submitted')
        await repo.resolveViolations(tx, id, 'answer_late', today);
      if (to === 'supplied') {
        if (moved.supplied_late && a.supply_due) {
          await repo.addViolation(tx, {
            application_id: id,
            org_id: a.provider_org_id,
            kind: 'supply_late',
            due_on: a.supply_due,
            detected_on: today,
            resolved_on: today,
          });
        }
        await repo.resolveViolations(tx, id, 'supply_late', today);
      }
      // The applicant is told of every extension (条例 Art. 21), with or without the office's consent.
      const extendedNow =
        action === 'consent_extension' || (action === 'request_extension' && final.extended_days !== null);
      if (extendedNow || action === 'deny_extension') {
        await repo.addReminder(tx, {
          org_id: a.applicant_org_id,
          kind: extendedNow ? 'consent_extension' : action,
          object_type: 'share_application',
          object_id: id,
          due_on: final.due_on,
          message_zh: extendedNow
            ? `共享申请 ${a.number} 的答复期限已延长至 ${final.due_on}`
            : `共享申请 ${a.number} 的延期申请未获同意`,
          message_en: extendedNow
            ? `The answer to ${a.number} is now due ${final.due_on}`
            : `The extension for ${a.number} was not granted`,
        });
      }
      await repo.logEvent(tx, {
        application_id: id,
        action,
        from_status: a.status,
        to_status: final.status,
        actor_user_id: actor.userId,
        actor_org_id: actor.orgId,
        note,
        detail: {
          ...(final.due_on ? { dueOn: final.due_on } : {}),
          ...(final.supply_due && final.supply_due !== a.supply_due ? { supplyDue: final.supply_due } : {}),
          ...(params.missing
            ? { missing: params.missing.map((m) => ({ field: m.field, note: m.note })) }
            : {}),
        },
      });
      await this.audit.stage(tx, {
        ...meta,
        action: `sharing.application.${action}`,
        objectType: 'share_application',
        objectId: id,
        detail: { number: a.number, from: a.status, to: final.status, ...(note ? { note } : {}) },
      });
      return final;
    });
    if (grant) this.events?.emit('grant', row.grant_id);
    const [v] = await this.views(actor, [row]);
    return v as ApplicationView;
  }

  private async partyNames(a: ShareApplicationRow): Promise<{ consumer: string; provider: string }> {
    const rows = await this.db
      .selectFrom('organization')
      .select(['id', 'name'])
      .where('id', 'in', [a.applicant_org_id, a.provider_org_id])
      .execute();
    const n = new Map(rows.map((r) => [r.id, r.name]));
    return { consumer: n.get(a.applicant_org_id) ?? '', provider: n.get(a.provider_org_id) ?? '' };
  }

  private inputOf(a: ShareApplicationRow, attested: boolean): ApplicationInput {
    return {
      entryId: a.entry_id,
      outOfCatalog: a.out_of_catalog,
      providerOrgId: a.provider_org_id,
      requestedItems: a.requested_items,
      basis: a.basis,
      scenario: a.scenario,
      purposeCategory: a.purpose_category,
      purpose: a.purpose,
      scope: a.scope,
      accessMode: a.access_mode,
      periodFrom: a.period_from,
      periodTo: a.period_to,
      consumerSystemId: a.consumer_system_id,
      attested: attested && a.attested_at !== null,
    };
  }

  /** The grant an approval produces: the items asked for, each masked as the catalog says by default. */
  private async createGrant(
    tx: Executor,
    a: ShareApplicationRow,
    entry: EntryView | null,
    params: ActParams,
    today: string,
  ): Promise<ShareGrantRow> {
    const masking = new Map(entry?.items.map((i) => [i.name, i.masking]) ?? []);
    const items: GrantItem[] = a.requested_items.map((name) => ({
      name,
      masking: masking.get(name) ?? 'none',
    }));
    const from = a.period_from && a.period_from > today ? a.period_from : today;
    const to = a.period_to && a.period_to >= from ? a.period_to : addDays(from, 365);
    return repo.insertGrant(tx, {
      application_id: a.id,
      consumer_org_id: a.applicant_org_id,
      consumer_system_id: a.consumer_system_id,
      provider_org_id: a.provider_org_id,
      entry_id: a.entry_id,
      items: JSON.stringify(items),
      row_filter: params.rowFilter ? JSON.stringify(params.rowFilter) : null,
      purpose_category: a.purpose_category,
      purpose: a.purpose,
      access_mode: a.access_mode,
      valid_from: from,
      valid_to: to,
      daily_quota: params.dailyQuota ?? DEFAULT_DAILY_QUOTA,
      status: 'active',
      status_reason: null,
      consultation: null,
    });
  }

  // ── deadlines ──────────────────────────────────────────────────────────────────────────

  /**
   * The deadline job: answers and supplies past their limit go on the finance list and remind the
   * provider; deadlines within two working days remind it too; grants past their end expire, and
   * grants ending within ten working days remind the consumer. Idempotent: run it as often as you like.
   */
  async sweep(): Promise<{ overdue: number; violations: number; reminders: number; expired: number }> {
    const today = this.today();
    const overdue = await repo.overdue(this.db, today);
    let soonLimit: string | null = null;
    let expiringBy: string | null = null;
    try {
      soonLimit = await this.calendar.addWorkdays(today, 2);
      expiringBy = await this.calendar.addWorkdays(today, 10);
    } catch {
      // Beyond the known calendar: no early reminders until the office loads next year's schedule.
    }
    const soon = soonLimit ? await repo.dueSoon(this.db, today, soonLimit) : [];
    const expiring = expiringBy ? await repo.grantsExpiringBy(this.db, expiringBy) : [];
    let violations = 0;
    let reminders = 0;
    let expired: string[] = [];
    await this.audit.transaction(async (tx) => {
      for (const a of overdue) {
        const answer = a.status === 'submitted';
        const due = (answer ? a.due_on : a.supply_due) as string;
        if (
          await repo.addViolation(tx, {
            application_id: a.id,
            org_id: a.provider_org_id,
            kind: answer ? 'answer_late' : 'supply_late',
            due_on: due,
            detected_on: today,
          })
        ) {
          violations++;
          await this.audit.stage(tx, {
            actor: { username: 'system' },
            action: 'sharing.deadline.missed',
            objectType: 'share_application',
            objectId: a.id,
            detail: { number: a.number, kind: answer ? 'answer' : 'supply', due },
          });
        }
        if (
          await repo.addReminder(tx, {
            org_id: a.provider_org_id,
            kind: answer ? 'answer_overdue' : 'supply_overdue',
            object_type: 'share_application',
            object_id: a.id,
            due_on: due,
            message_zh: `共享申请 ${a.number} 已超过${answer ? '答复' : '提供'}期限（${due}）`,
            message_en: `${a.number}: the ${answer ? 'answer' : 'supply'} was due ${due}`,
          })
        )
          reminders++;
      }
      for (const a of soon) {
        const answer = a.status === 'submitted';
        const due = (answer ? a.due_on : a.supply_due) as string;
        if (
          await repo.addReminder(tx, {
            org_id: a.provider_org_id,
            kind: answer ? 'answer_due_soon' : 'supply_due_soon',
            object_type: 'share_application',
            object_id: a.id,
            due_on: due,
            message_zh: `共享申请 ${a.number} 须于 ${due} 前${answer ? '答复' : '提供'}`,
            message_en: `${a.number}: ${answer ? 'answer' : 'supply'} due ${due}`,
          })
        )
          reminders++;
      }
      expired = await repo.expireGrants(tx, today);
      for (const gid of expired) {
        await this.audit.stage(tx, {
          actor: { username: 'system' },
          action: 'sharing.grant.expire',
          objectType: 'share_grant',
          objectId: gid,
        });
      }
      for (const g of expiring) {
        if (
          await repo.addReminder(tx, {
            org_id: g.consumer_org_id,
            kind: 'grant_expiring',
            object_type: 'share_grant',
            object_id: g.id,
            due_on: g.valid_to,
            message_zh: `共享授权将于 ${g.valid_to} 到期，如需继续使用请申请续期`,
            message_en: `A grant ends on ${g.valid_to}; apply to renew it if still needed`,
          })
        )
          reminders++;
      }
    });
    if (expired.length) this.events?.emit('grant', null);
    return { overdue: overdue.length, violations, reminders, expired: expired.length };
  }

  async violations(actor: UserActor) {
    const scope = actor.role === 'platform_admin' || actor.role === 'auditor' ? null : actor.orgId;
    const rows = await repo.violations(this.db, scope);
    return rows.map((v) => ({
      id: v.id,
      applicationId: v.application_id,
      number: v.number,
      orgId: v.org_id,
      orgName: v.org_name,
      kind: v.kind,
      dueOn: v.due_on,
      detectedOn: v.detected_on,
      resolvedOn: v.resolved_on,
    }));
  }

  async reminders(actor: UserActor, unreadOnly: boolean) {
    const scope = actor.role === 'platform_admin' ? null : actor.orgId;
    const rows = await repo.reminders(this.db, scope, unreadOnly);
    return rows.map((r) => ({
      id: r.id,
      orgId: r.org_id,
      kind: r.kind,
      objectType: r.object_type,
      objectId: r.object_id,
      dueOn: r.due_on,
      message: { zh: r.message_zh, en: r.message_en },
      createdAt: r.created_at.toISOString(),
      readAt: r.read_at?.toISOString() ?? null,
    }));
  }

  async markReminderRead(meta: RequestMeta, actor: UserActor, id: string): Promise<void> {
    const scope = actor.role === 'platform_admin' ? null : actor.orgId;
    await this.audit.transaction(async (tx) => {
      const n = await repo.markReminderRead(tx, id, scope);
      if (n === 0) throw DomainError.notFound({ zh: '提醒', en: 'Reminder' });
      await this.audit.stage(tx, { ...meta, action: 'reminder.read', objectType: 'reminder', objectId: id });
    });
  }
}

function reasonRequired(zh: string, en: string): FieldProblem {
  return { field: 'reason', rule: 'required', zh, en };
}

function partyZh(p: Party): string {
  return {
    applicant: '申请部门',
    applicant_head: '申请部门共享工作机构负责人',
    provider: '提供部门',
    provider_head: '提供部门共享工作机构负责人',
    platform: '共享平台管理部门',
    either_party: '申请或提供部门',
  }[p];
}

const GRANT: Message = { zh: '共享授权', en: 'Grant' };

/**
 * Grants: the one source of access. Suspending, revoking or letting one expire takes effect on
 * every node at once: the exchange gate reads the grant's status on each call, and every change
 * also sends NOTIFY govshare_grant for nodes that cache grants.
 */
export class GrantService {
  /** Set by the composition root: grant changes are announced on it. */
  events: import('node:events').EventEmitter | null = null;

  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
    readonly clock: Clock,
  ) {}

  private today(): string {
    return chinaToday(this.clock.now());
  }

  private async load(id: string): Promise<ShareGrantRow> {
    const g = await repo.grant(this.db, id);
    if (!g) throw DomainError.notFound(GRANT);
    return g;
  }

  private canSee(actor: UserActor, g: ShareGrantRow): boolean {
    return (
      actor.role === 'platform_admin' ||
      actor.role === 'auditor' ||
      actor.orgId === g.consumer_org_id ||
      actor.orgId === g.provider_org_id
    );
  }

  async get(actor: UserActor, id: string): Promise<GrantView> {
    const g = await this.load(id);
    if (!this.canSee(actor, g)) throw DomainError.notFound(GRANT);
    return grantView(g);
  }

  async list(
    actor: UserActor,
    f: { role?: 'consumer' | 'provider'; status?: string },
    page: PageRequest,
  ): Promise<Page<GrantView>> {
    const platform = actor.role === 'platform_admin' || actor.role === 'auditor';
    const filter = platform
      ? {}
      : f.role === 'consumer'
        ? { consumerOrgId: actor.orgId }
        : f.role === 'provider'
          ? { providerOrgId: actor.orgId }
          : { partyOrgId: actor.orgId };
    const { rows, total } = await repo.grants(
      this.db,
      { ...filter, ...(f.status ? { status: f.status } : {}) },
      page,
    );
    return { items: rows.map(grantView), total, page: page.page, pageSize: page.pageSize };
  }

  /** Every grant on one catalog entry, newest first (who uses it; the caller authorizes). */
  async forEntry(entryId: string, page: PageRequest): Promise<Page<GrantView>> {
    const { rows, total } = await repo.grants(this.db, { entryId }, page);
    return { items: rows.map(grantView), total, page: page.page, pageSize: page.pageSize };
  }

  /** What the exchange gate asks on every call: the active grant for this system and resource today. */
  async activeFor(systemId: string, entryId: string): Promise<GrantView | null> {
    const g = await repo.activeGrant(this.db, systemId, entryId, this.today());
    return g ? grantView(g) : null;
  }

  private async change(
    meta: RequestMeta,
    g: ShareGrantRow,
    action: string,
    patch: Parameters<typeof repo.updateGrant>[3],
    detail: JsonObject,
    notify: { orgId: string; zh: string; en: string }[] = [],
  ): Promise<GrantView> {
    const row = await this.audit.transaction(async (tx) => {
      const u = await repo.updateGrant(tx, g.id, g.version, patch);
      if (!u)
        throw DomainError.conflict({
          zh: '该授权已被他人修改，请刷新后重试',
          en: 'The grant was changed meanwhile; reload and try again',
        });
      for (const n of notify) {
        await repo.addReminder(tx, {
          org_id: n.orgId,
          kind: `grant_${action}`,
          object_type: 'share_grant',
          object_id: g.id,
          due_on: this.today(),
          message_zh: n.zh,
          message_en: n.en,
        });
      }
      await this.audit.stage(tx, {
        ...meta,
        action: `sharing.grant.${action}`,
        objectType: 'share_grant',
        objectId: g.id,
        detail,
      });
      return u;
    });
    this.events?.emit('grant', g.id);
    return grantView(row);
  }

  private isProviderHead(actor: UserActor, g: ShareGrantRow): boolean {
    return actor.role === 'dept_admin' && actor.orgId === g.provider_org_id;
  }

  private requireReason(reason: string | undefined, field = 'reason'): string {
    const r = reason?.trim() ?? '';
    if (!r)
      throw DomainError.validation([
        { field, rule: 'required', zh: '须说明理由', en: `${field} is required` },
      ]);
    return r;
  }

  /** Suspends a grant (e.g. for misuse, 条例 Art. 27): by the platform office or the provider's head. */
  async suspend(meta: RequestMeta, actor: UserActor, id: string, reason: string): Promise<GrantView> {
    const g = await this.load(id);
    if (actor.role !== 'platform_admin' && !this.isProviderHead(actor, g)) throw DomainError.forbidden();
    if (g.status !== 'active')
      throw DomainError.invalidState({
        zh: '只能暂停有效的授权',
        en: 'Only an active grant can be suspended',
      });
    const r = this.requireReason(reason);
    return this.change(meta, g, 'suspend', { status: 'suspended', status_reason: r }, { reason: r }, [
      { orgId: g.consumer_org_id, zh: `共享授权已暂停：${r}`, en: `A grant was suspended: ${r}` },
    ]);
  }

  async resume(meta: RequestMeta, actor: UserActor, id: string, reason: string): Promise<GrantView> {
    const g = await this.load(id);
    if (actor.role !== 'platform_admin' && !this.isProviderHead(actor, g)) throw DomainError.forbidden();
    if (g.status !== 'suspended')
      throw DomainError.invalidState({
        zh: '只能恢复已暂停的授权',
        en: 'Only a suspended grant can be resumed',
      });
    if (g.valid_to < this.today())
      throw DomainError.invalidState({
        zh: '授权已过期，请续期',
        en: 'The grant has ended; renew it instead',
      });
    const r = this.requireReason(reason);
    return this.change(meta, g, 'resume', { status: 'active', status_reason: r }, { reason: r });
  }

  /**
   * Ends a grant. The platform office may revoke at once; a provider only after consulting the
   * consumer (the consultation is recorded) and filing with the platform office (条例 Art. 27).
   */
  async revoke(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    reason: string,
    consultation?: string,
  ): Promise<GrantView> {
    const g = await this.load(id);
    const platform = actor.role === 'platform_admin';
    if (!platform && !this.isProviderHead(actor, g)) throw DomainError.forbidden();
    if (g.status === 'revoked')
      throw DomainError.invalidState({ zh: '授权已撤销', en: 'The grant is already revoked' });
    const r = this.requireReason(reason);
    const c = platform ? (consultation?.trim() ?? null) : this.requireReason(consultation, 'consultation');
    const platformOffice = await this.db
      .selectFrom('organization')
      .select('id')
      .where('kind', '=', 'platform_office')
      .executeTakeFirst();
    return this.change(
      meta,
      g,
      'revoke',
      { status: 'revoked', status_reason: r, consultation: c },
      { reason: r, ...(c ? { consultation: c } : {}) },
      [
        { orgId: g.consumer_org_id, zh: `共享授权已撤销：${r}`, en: `A grant was revoked: ${r}` },
        ...(!platform && platformOffice
          ? [
              {
                orgId: platformOffice.id,
                zh: `提供部门撤销共享授权（已备案）：${r}`,
                en: `A provider revoked a grant (filed): ${r}`,
              },
            ]
          : []),
      ],
    );
  }

  /** Extends a grant's end (also brings an expired grant back): the provider's head or the platform office. */
  async renew(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    validTo: string,
    reason: string,
  ): Promise<GrantView> {
    const g = await this.load(id);
    if (actor.role !== 'platform_admin' && !this.isProviderHead(actor, g)) throw DomainError.forbidden();
    if (g.status === 'revoked' || g.status === 'suspended') {
      throw DomainError.invalidState({
        zh: '已撤销或暂停的授权不能续期',
        en: 'A revoked or suspended grant cannot be renewed',
      });
    }
    if (!isValidDay(validTo) || validTo <= g.valid_to || validTo < this.today()) {
      throw DomainError.validation([
        {
          field: 'validTo',
          rule: 'after_current',
          zh: '续期截止日须晚于原截止日和今天',
          en: 'validTo must be after the current end and today',
        },
      ]);
    }
    const r = this.requireReason(reason);
    return this.change(
      meta,
      g,
      'renew',
      { valid_to: validTo, status: 'active', status_reason: r },
      { from: g.valid_to, to: validTo, reason: r },
      [
        {
          orgId: g.consumer_org_id,
          zh: `共享授权已续期至 ${validTo}`,
          en: `A grant was renewed until ${validTo}`,
        },
      ],
    );
  }

  /** Changes quota or masking (stricter only) after consulting the consumer, filed with the platform office. */
  async amend(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    input: { dailyQuota?: number; items?: GrantItem[]; consultation: string },
  ): Promise<GrantView> {
    const g = await this.load(id);
    const platform = actor.role === 'platform_admin';
    if (!platform && !this.isProviderHead(actor, g)) throw DomainError.forbidden();
    if (g.status !== 'active')
      throw DomainError.invalidState({ zh: '只能变更有效的授权', en: 'Only an active grant can be changed' });
    const c = this.requireReason(input.consultation, 'consultation');
    const problems: FieldProblem[] = [];
    if (input.dailyQuota !== undefined && (!Number.isInteger(input.dailyQuota) || input.dailyQuota < 1)) {
      problems.push({
        field: 'dailyQuota',
        rule: 'range',
        zh: '日调用限额须为正整数',
        en: 'dailyQuota must be a positive integer',
      });
    }
    const current = new Set(g.items.map((i) => i.name));
    input.items?.forEach((it, i) => {
      if (!current.has(it.name))
        problems.push({
          field: `items[${i}].name`,
          rule: 'item.in_grant',
          zh: '只能调整已授权的信息项',
          en: 'Only granted items can be changed',
        });
      if (!['none', 'partial', 'hash', 'redact'].includes(it.masking))
        problems.push({
          field: `items[${i}].masking`,
          rule: 'enum',
          zh: '脱敏规则应为 none/partial/hash/redact',
          en: 'masking must be none, partial, hash or redact',
        });
    });
    if (problems.length) throw DomainError.validation(problems);
    return this.change(
      meta,
      g,
      'amend',
      {
        ...(input.dailyQuota !== undefined ? { daily_quota: input.dailyQuota } : {}),
        ...(input.items ? { items: JSON.stringify(input.items) } : {}),
        consultation: c,
      },
      {
        ...(input.dailyQuota !== undefined ? { dailyQuota: input.dailyQuota } : {}),
        ...(input.items ? { items: input.items.map((i) => `${i.name}:${i.masking}`) } : {}),
        consultation: c,
      },
      [
        {
          orgId: g.consumer_org_id,
          zh: '共享授权已变更（已与使用部门协商）',
          en: 'A grant was changed after consultation',
        },
      ],
    );
  }
}
