/**
 * What follows a grant: the confidentiality agreement both sides accept (保密协议, seed 004 §18;
 * R8.5 electronic confirmation), and the consumer's usage records and the final disposal record
 * (条例 Arts. 27, 29).
 *
 * - The agreement text and its SM3 digest are written with the grant (SharingService). Accepting
 *   means sending back the digest of the text one was shown: a text nobody saw cannot be accepted,
 *   and a text changed after it was shown no longer matches. Each side's head (its dept_admin)
 *   accepts for its department, once; the platform office cannot accept for a department.
 * - Usage records are append-only: there is no API to edit or delete one. Each is kept until
 *   `retain_until` = the day it describes + the policy's retention years, never less than the
 *   national minimum of three years (see `NATIONAL_MIN_RETENTION_YEARS`).
 * - Disposal ends the record: after it nothing more is recorded for the grant.
 *
 * Visibility follows the grant: its consumer, its provider, the platform office and auditors see
 * these; anyone else is told the grant does not exist (404).
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, Executor } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import type { Clock } from '../../kernel/clock.js';
import { DomainError, type FieldProblem, type Message } from '../../kernel/errors.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { addDays, badDayProblem, chinaToday, isValidDay } from '../../kernel/workdays.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { UserActor } from '../auth/auth.policy.js';
import type { PolicyService } from '../policy/policy.service.js';
import { type AgreementAcceptance, agreementHtml } from './sharing.agreement.js';
import { sharingRepository as repo } from './sharing.repository.js';
import type { ShareAgreementTable, ShareGrantRow, ShareUsageRecordTable } from './sharing.table.js';

type AgreementRow = Selectable<ShareAgreementTable>;
type UsageRow = Selectable<ShareUsageRecordTable>;

const GRANT: Message = { zh: '共享授权', en: 'Grant' };
const AGREEMENT: Message = { zh: '保密协议', en: 'Confidentiality agreement' };

/** The policy rule that sets how long usage records are kept. */
export const RETENTION_RULE = 'usage_records.retention_years';
/**
 * 条例 Art. 29 binds every level since 2025-08-01: usage records are kept at least three years. A
 * preset that sets no requirement (the 2019 seed preset has null) or an override below it does not
 * shorten that; a longer local period applies as set.
 */
export const NATIONAL_MIN_RETENTION_YEARS = 3;
/** Longest text accepted in one field of a usage or disposal record. */
export const RECORD_TEXT_MAX = 4000;

export type AgreementStatus = 'pending' | 'partly_accepted' | 'accepted';
export type AgreementSide = 'consumer' | 'provider';

export interface AgreementView {
  id: string;
  grantId: string;
  text: string;
  /** SM3 (hex) of the UTF-8 text, fixed when the grant was made. */
  digest: string;
  /** Whether SM3 of the stored text still equals the stored digest. */
  digestValid: boolean;
  consumerOrgId: string;
  consumerOrgName: string;
  providerOrgId: string;
  providerOrgName: string;
  consumerAcceptedAt: string | null;
  consumerAcceptedBy: string | null;
  consumerAcceptedByName: string | null;
  providerAcceptedAt: string | null;
  providerAcceptedBy: string | null;
  providerAcceptedByName: string | null;
  status: AgreementStatus;
  /** The side the signed-in user may accept for now, if any. */
  canAccept: AgreementSide | null;
  createdAt: string;
}

export interface UsageInput {
  kind?: 'use';
  /** 应用场景 */
  scenario: string;
  /** 使用过程 */
  process: string;
  /** 使用效果 */
  effect: string;
  /** 存储情况 */
  storage: string;
  occurredOn: string;
}

export interface DisposalInput {
  /** How the data was destroyed (method, scope, who, as the provider required). */
  disposal: string;
  occurredOn: string;
  /**
   * The consumer declares it no longer needs the data (条例 Art. 27): then disposal may be recorded
   * while the grant is still active or suspended. Not needed once the grant is revoked or ended.
   */
  noLongerNeeded?: boolean;
}

export interface UsageRecordView {
  id: string;
  grantId: string;
  kind: 'use' | 'disposal';
  scenario: string;
  process: string;
  effect: string;
  storage: string;
  disposal: string;
  occurredOn: string;
  retainUntil: string;
  recordedBy: string | null;
  recordedByName: string | null;
  recordedAt: string;
}

export interface UsageList {
  grantId: string;
  /** Years each record is kept (the effective policy, at least the national three). */
  retentionYears: number;
  /** The day the data was disposed of, once a disposal is recorded; nothing is recorded after it. */
  disposedOn: string | null;
  items: UsageRecordView[];
}

// ── shared helpers ───────────────────────────────────────────────────────────────────────

function canSeeGrant(actor: UserActor, g: ShareGrantRow): boolean {
  return (
    actor.role === 'platform_admin' ||
    actor.role === 'auditor' ||
    actor.orgId === g.consumer_org_id ||
    actor.orgId === g.provider_org_id
  );
}

async function visibleGrant(db: Executor, actor: UserActor, id: string): Promise<ShareGrantRow> {
  const g = await repo.grant(db, id);
  if (!g || !canSeeGrant(actor, g)) throw DomainError.notFound(GRANT);
  return g;
}

async function names(db: Executor, table: 'organization' | 'app_user', ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (wanted.length === 0) return new Map<string, string>();
  if (table === 'organization') {
    const rows = await db
      .selectFrom('organization')
      .select(['id', 'name'])
      .where('id', 'in', wanted)
      .execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
  const rows = await db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'username'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, `${r.display_name}（${r.username}）`]));
}

/** `day` plus whole years; 29 February becomes 1 March in a common year, so the period is never short. */
export function addYears(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) + years;
  const same = `${String(y).padStart(4, '0')}${day.slice(4)}`;
  return isValidDay(same) ? same : addDays(`${String(y).padStart(4, '0')}-02-28`, 1);
}

function statusOf(a: Pick<AgreementRow, 'consumer_accepted_at' | 'provider_accepted_at'>): AgreementStatus {
  const n = (a.consumer_accepted_at ? 1 : 0) + (a.provider_accepted_at ? 1 : 0);
  return n === 2 ? 'accepted' : n === 1 ? 'partly_accepted' : 'pending';
}

// ── agreements ───────────────────────────────────────────────────────────────────────────

export class AgreementService {
  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
    readonly clock: Clock,
  ) {}

  private async load(actor: UserActor, grantId: string): Promise<{ g: ShareGrantRow; a: AgreementRow }> {
    const g = await visibleGrant(this.db, actor, grantId);
    const a = await this.db
      .selectFrom('share_agreement')
      .selectAll()
      .where('grant_id', '=', grantId)
      .executeTakeFirst();
    if (!a) throw DomainError.notFound(AGREEMENT);
    return { g, a };
  }

  /** The side the actor accepts for: only a department's head (dept_admin) acting for a party. */
  sideOf(
    actor: UserActor,
    g: Pick<ShareGrantRow, 'consumer_org_id' | 'provider_org_id'>,
  ): AgreementSide | null {
    if (actor.role !== 'dept_admin') return null;
    if (actor.orgId === g.consumer_org_id) return 'consumer';
    if (actor.orgId === g.provider_org_id) return 'provider';
    return null;
  }

  private async view(actor: UserActor, g: ShareGrantRow, a: AgreementRow): Promise<AgreementView> {
    const orgs = await names(this.db, 'organization', [g.consumer_org_id, g.provider_org_id]);
    const users = await names(this.db, 'app_user', [a.consumer_accepted_by, a.provider_accepted_by]);
    const side = this.sideOf(actor, g);
    const open =
      side !== null &&
      g.status !== 'revoked' &&
      g.status !== 'expired' &&
      (side === 'consumer' ? a.consumer_accepted_at : a.provider_accepted_at) === null;
    return {
      id: a.id,
      grantId: g.id,
      text: a.text,
      digest: a.digest,
      digestValid: sm3Hex(a.text) === a.digest,
      consumerOrgId: g.consumer_org_id,
      consumerOrgName: orgs.get(g.consumer_org_id) ?? '',
      providerOrgId: g.provider_org_id,
      providerOrgName: orgs.get(g.provider_org_id) ?? '',
      consumerAcceptedAt: a.consumer_accepted_at?.toISOString() ?? null,
      consumerAcceptedBy: a.consumer_accepted_by,
      consumerAcceptedByName: a.consumer_accepted_by ? (users.get(a.consumer_accepted_by) ?? null) : null,
      providerAcceptedAt: a.provider_accepted_at?.toISOString() ?? null,
      providerAcceptedBy: a.provider_accepted_by,
      providerAcceptedByName: a.provider_accepted_by ? (users.get(a.provider_accepted_by) ?? null) : null,
      status: statusOf(a),
      canAccept: open ? side : null,
      createdAt: a.created_at.toISOString(),
    };
  }

  /** The agreement of a grant, for its consumer, its provider, the platform office and auditors. */
  async forGrant(actor: UserActor, grantId: string): Promise<AgreementView> {
    const { g, a } = await this.load(actor, grantId);
    return this.view(actor, g, a);
  }

  /**
   * One side accepts the agreement. `digest` is the SM3 of the text the officer was shown; it must
   * equal the stored digest (409 otherwise). The consumer's head accepts for the consumer, the
   * provider's head for the provider (403 for anyone else, the platform office included); a side
   * accepts once (409 the second time). Audited with the digest accepted.
   */
  async accept(meta: RequestMeta, actor: UserActor, grantId: string, digest: string): Promise<AgreementView> {
    const { g, a } = await this.load(actor, grantId);
    const side = this.sideOf(actor, g);
    if (!side) {
      throw DomainError.forbidden({
        zh: '保密协议由使用部门和提供部门的负责人（部门管理员）分别代表本部门确认',
        en: "The agreement is accepted by the consumer's and the provider's heads (dept_admin), each for its own department",
      });
    }
    if ((side === 'consumer' ? a.consumer_accepted_at : a.provider_accepted_at) !== null) {
      throw DomainError.conflict({
        zh: '本部门已确认该保密协议',
        en: 'Your department has already accepted this agreement',
      });
    }
    if (g.status === 'revoked' || g.status === 'expired') {
      throw DomainError.invalidState({
        zh: '授权已撤销或期满，不能再确认其保密协议',
        en: 'The grant is revoked or has ended; its agreement can no longer be accepted',
      });
    }
    if (sm3Hex(a.text) !== a.digest) {
      throw new DomainError('INTERNAL', {
        zh: '保密协议正文与其杂凑值不符，请联系共享主管部门',
        en: 'The stored agreement text does not match its digest; contact the platform office',
      });
    }
    const given = digest.trim().toLowerCase();
    if (given !== a.digest) {
      throw DomainError.conflict(
        {
          zh: '提交的杂凑值与协议正文不符：请重新打开协议，阅读后再确认',
          en: 'The digest sent does not match the agreement text; reopen the agreement, read it and accept again',
        },
        [
          {
            field: 'digest',
            rule: 'digest.match',
            zh: 'digest：应为所阅读协议正文的 SM3 杂凑值',
            en: 'digest: must be the SM3 digest of the agreement text shown',
          },
        ],
      );
    }
    const now = this.clock.now();
    const today = chinaToday(now);
    await this.audit.transaction(async (tx) => {
      const base = tx.updateTable('share_agreement');
      const set =
        side === 'consumer'
          ? base
              .set({ consumer_accepted_by: actor.userId, consumer_accepted_at: now })
              .where('consumer_accepted_at', 'is', null)
          : base
              .set({ provider_accepted_by: actor.userId, provider_accepted_at: now })
              .where('provider_accepted_at', 'is', null);
      const row = await set
        .where('id', '=', a.id)
        .where('digest', '=', given)
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        throw DomainError.conflict({
          zh: '本部门已确认该保密协议',
          en: 'Your department has already accepted this agreement',
        });
      }
      const status = statusOf(row);
      const other = side === 'consumer' ? g.provider_org_id : g.consumer_org_id;
      await repo.addReminder(tx, {
        org_id: other,
        kind: status === 'accepted' ? 'agreement_accepted' : 'agreement_to_accept',
        object_type: 'share_agreement',
        object_id: a.id,
        due_on: today,
        message_zh:
          status === 'accepted'
            ? '保密协议已经双方确认，协议生效'
            : `${side === 'consumer' ? '使用部门' : '提供部门'}已确认保密协议，请本部门负责人阅读后确认`,
        message_en:
          status === 'accepted'
            ? 'Both sides have accepted the confidentiality agreement; it is in force'
            : `The ${side} has accepted the confidentiality agreement; your head is asked to read and accept it`,
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'sharing.agreement.accept',
        objectType: 'share_agreement',
        objectId: a.id,
        detail: { grantId: g.id, side, digest: given, status },
      });
    });
    return this.forGrant(actor, grantId);
  }

  /** The agreement as a complete printable A4 HTML document (UTF-8), from the stored text. */
  async print(actor: UserActor, grantId: string): Promise<string> {
    const { g, a } = await this.load(actor, grantId);
    const orgs = await names(this.db, 'organization', [g.consumer_org_id, g.provider_org_id]);
    const users = await names(this.db, 'app_user', [a.consumer_accepted_by, a.provider_accepted_by]);
    const acceptance = (by: string | null, at: Date | null): AgreementAcceptance | null =>
      at ? { name: (by ? users.get(by) : undefined) ?? '（用户已删除）', at } : null;
    return agreementHtml({
      text: a.text,
      digest: a.digest,
      digestValid: sm3Hex(a.text) === a.digest,
      grantId: g.id,
      grantStatus: g.status,
      providerName: orgs.get(g.provider_org_id) ?? '',
      consumerName: orgs.get(g.consumer_org_id) ?? '',
      providerAcceptance: acceptance(a.provider_accepted_by, a.provider_accepted_at),
      consumerAcceptance: acceptance(a.consumer_accepted_by, a.consumer_accepted_at),
      printedAt: this.clock.now(),
    });
  }
}

// ── usage records ────────────────────────────────────────────────────────────────────────

const USE_FIELDS = [
  ['scenario', '应用场景', 'the scenario of use'],
  ['process', '使用过程', 'how the data was used'],
  ['effect', '使用效果', 'the effect of the use'],
  ['storage', '存储情况', 'where and how the data is stored'],
] as const;

function textProblem(field: string, value: string | undefined, zh: string, en: string): FieldProblem | null {
  const v = value?.trim() ?? '';
  if (!v) return { field, rule: 'required', zh: `${field}：须填写${zh}`, en: `${field}: ${en} is required` };
  if (v.length > RECORD_TEXT_MAX)
    return {
      field,
      rule: 'maxLength',
      zh: `${field}：不超过 ${RECORD_TEXT_MAX} 字`,
      en: `${field}: at most ${RECORD_TEXT_MAX} characters`,
    };
  return null;
}

export class UsageService {
  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
    readonly policy: PolicyService,
    readonly clock: Clock,
  ) {}

  private today(): string {
    return chinaToday(this.clock.now());
  }

  /** Years a usage record is kept: the effective policy, never less than the national three. */
  async retentionYears(): Promise<number> {
    const v = await this.policy.quantity(RETENTION_RULE);
    return Math.max(v ?? 0, NATIONAL_MIN_RETENTION_YEARS);
  }

  /** The consumer's officers keep the records: its dept_admin or data_officer (403 for anyone else). */
  private requireConsumerOfficer(actor: UserActor, g: ShareGrantRow): void {
    const officer = actor.role === 'dept_admin' || actor.role === 'data_officer';
    if (!officer || actor.orgId !== g.consumer_org_id) {
      throw DomainError.forbidden({
        zh: '使用记录由使用部门的部门管理员或数据专员填写',
        en: "Usage records are kept by the consumer's dept_admin or data_officer",
      });
    }
  }

  private dayProblems(g: ShareGrantRow, occurredOn: string | undefined): FieldProblem[] {
    const day = occurredOn ?? '';
    if (!isValidDay(day)) return [badDayProblem(day, 'occurredOn')];
    if (day > this.today())
      return [
        {
          field: 'occurredOn',
          rule: 'not_future',
          zh: 'occurredOn：不能晚于今天',
          en: 'occurredOn: must not be after today',
        },
      ];
    if (day < g.valid_from)
      return [
        {
          field: 'occurredOn',
          rule: 'within_grant',
          zh: `occurredOn：不能早于授权生效日 ${g.valid_from}`,
          en: `occurredOn: must not be before the grant started (${g.valid_from})`,
        },
      ];
    return [];
  }

  private async disposedOn(db: Executor, grantId: string): Promise<string | null> {
    const r = await db
      .selectFrom('share_usage_record')
      .select('occurred_on')
      .where('grant_id', '=', grantId)
      .where('kind', '=', 'disposal')
      .executeTakeFirst();
    return r?.occurred_on ?? null;
  }

  private async views(rows: UsageRow[]): Promise<UsageRecordView[]> {
    const users = await names(
      this.db,
      'app_user',
      rows.map((r) => r.recorded_by),
    );
    return rows.map((r) => ({
      id: r.id,
      grantId: r.grant_id,
      kind: r.kind,
      scenario: r.scenario,
      process: r.process,
      effect: r.effect,
      storage: r.storage,
      disposal: r.disposal,
      occurredOn: r.occurred_on,
      retainUntil: r.retain_until,
      recordedBy: r.recorded_by,
      recordedByName: r.recorded_by ? (users.get(r.recorded_by) ?? null) : null,
      recordedAt: r.recorded_at.toISOString(),
    }));
  }

  /** Takes a row lock on the grant so that a use and a disposal cannot pass each other. */
  private async lockGrant(tx: Executor, id: string): Promise<void> {
    await tx.selectFrom('share_grant').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  }

  private alreadyDisposed(on: string): DomainError {
    return DomainError.invalidState({
      zh: `共享数据已于 ${on} 销毁，不能再记录`,
      en: `The data was disposed of on ${on}; nothing more can be recorded`,
    });
  }

  /** Records one use of the shared data (scenario, process, effect, storage; 条例 Art. 29). */
  async record(
    meta: RequestMeta,
    actor: UserActor,
    grantId: string,
    input: UsageInput,
  ): Promise<UsageRecordView> {
    const g = await visibleGrant(this.db, actor, grantId);
    this.requireConsumerOfficer(actor, g);
    if (input.kind !== undefined && input.kind !== 'use') {
      throw DomainError.validation([
        {
          field: 'kind',
          rule: 'enum',
          zh: 'kind：应为 use',
          en: 'kind: must be "use" (record a disposal separately)',
        },
      ]);
    }
    const problems: FieldProblem[] = [];
    for (const [field, zh, en] of USE_FIELDS) {
      const p = textProblem(field, input[field], zh, en);
      if (p) problems.push(p);
    }
    problems.push(...this.dayProblems(g, input.occurredOn));
    if (problems.length) throw DomainError.validation(problems);
    const years = await this.retentionYears();
    const retainUntil = addYears(input.occurredOn, years);
    const row = await this.audit.transaction(async (tx) => {
      await this.lockGrant(tx, g.id);
      const disposed = await this.disposedOn(tx, g.id);
      if (disposed) throw this.alreadyDisposed(disposed);
      const r = await tx
        .insertInto('share_usage_record')
        .values({
          grant_id: g.id,
          kind: 'use',
          scenario: input.scenario.trim(),
          process: input.process.trim(),
          effect: input.effect.trim(),
          storage: input.storage.trim(),
          disposal: '',
          occurred_on: input.occurredOn,
          retain_until: retainUntil,
          recorded_by: actor.userId,
          recorded_at: this.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit.stage(tx, {
        ...meta,
        action: 'sharing.usage.record',
        objectType: 'share_usage_record',
        objectId: r.id,
        detail: {
          grantId: g.id,
          kind: 'use',
          occurredOn: r.occurred_on,
          retainUntil: r.retain_until,
          scenario: r.scenario,
        },
      });
      return r;
    });
    const [view] = await this.views([row]);
    return view as UsageRecordView;
  }

  /**
   * Records that the shared data was destroyed (条例 Arts. 27, 29). Allowed once the grant is
   * revoked or has ended, or earlier when the consumer declares it no longer needs the data; the
   * provider is told either way. It is the last record of the grant.
   */
  async recordDisposal(
    meta: RequestMeta,
    actor: UserActor,
    grantId: string,
    input: DisposalInput,
  ): Promise<UsageRecordView> {
    const g = await visibleGrant(this.db, actor, grantId);
    this.requireConsumerOfficer(actor, g);
    const problems: FieldProblem[] = [];
    const p = textProblem('disposal', input.disposal, '销毁情况', 'how the data was destroyed');
    if (p) problems.push(p);
    problems.push(...this.dayProblems(g, input.occurredOn));
    if (problems.length) throw DomainError.validation(problems);
    const today = this.today();
    const ended = g.status === 'revoked' || g.status === 'expired' || g.valid_to < today;
    const declared = input.noLongerNeeded === true;
    if (!ended && !declared) {
      throw DomainError.invalidState({
        zh: '授权仍然有效：授权撤销或期满后，或声明不再需要该数据（noLongerNeeded）时，方可记录销毁',
        en: 'The grant is still in force: record a disposal after it is revoked or ends, or declare that the data is no longer needed (noLongerNeeded)',
      });
    }
    const years = await this.retentionYears();
    const retainUntil = addYears(input.occurredOn, years);
    const row = await this.audit.transaction(async (tx) => {
      await this.lockGrant(tx, g.id);
      const disposed = await this.disposedOn(tx, g.id);
      if (disposed) throw this.alreadyDisposed(disposed);
      const r = await tx
        .insertInto('share_usage_record')
        .values({
          grant_id: g.id,
          kind: 'disposal',
          scenario: '',
          process: '',
          effect: '',
          storage: '',
          disposal: input.disposal.trim(),
          occurred_on: input.occurredOn,
          retain_until: retainUntil,
          recorded_by: actor.userId,
          recorded_at: this.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await repo.addReminder(tx, {
        org_id: g.provider_org_id,
        kind: ended ? 'data_disposed' : 'data_no_longer_needed',
        object_type: 'share_grant',
        object_id: g.id,
        due_on: today,
        message_zh: ended
          ? `使用部门已记录共享数据的销毁情况（销毁日期 ${r.occurred_on}）`
          : `使用部门声明不再需要共享数据并已销毁（${r.occurred_on}），请评估是否撤销该授权`,
        message_en: ended
          ? `The consumer recorded the disposal of the shared data (on ${r.occurred_on})`
          : `The consumer no longer needs the shared data and disposed of it (on ${r.occurred_on}); consider revoking the grant`,
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'sharing.usage.disposal',
        objectType: 'share_usage_record',
        objectId: r.id,
        detail: {
          grantId: g.id,
          kind: 'disposal',
          occurredOn: r.occurred_on,
          retainUntil: r.retain_until,
          grantStatus: g.status,
          grounds: ended ? 'grant_ended' : 'no_longer_needed',
        },
      });
      return r;
    });
    const [view] = await this.views([row]);
    return view as UsageRecordView;
  }

  /** A grant's records, oldest first (a disposal last): for its consumer, its provider, the platform office and auditors. */
  async list(actor: UserActor, grantId: string): Promise<UsageList> {
    const g = await visibleGrant(this.db, actor, grantId);
    const rows = await this.db
      .selectFrom('share_usage_record')
      .selectAll()
      .where('grant_id', '=', g.id)
      .orderBy(sql`kind = 'disposal'`)
      .orderBy('occurred_on')
      .orderBy('recorded_at')
      .orderBy('id')
      .execute();
    return {
      grantId: g.id,
      retentionYears: await this.retentionYears(),
      disposedOn: rows.find((r) => r.kind === 'disposal')?.occurred_on ?? null,
      items: await this.views(rows),
    };
  }
}
