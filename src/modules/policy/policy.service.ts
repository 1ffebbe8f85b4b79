/**
 * The policy table (STANDARDS.md "Deadlines — two rule sets"; R12): every deadline and path rule is
 * data with its legal source. Two presets ship (policy.presets.ts); the platform office chooses the
 * active one and may override single rules with a reason. Code reads effective values here —
 * override ?? active preset's value — and never a literal number of days.
 *
 * Effective rules are kept in memory (loaded once, dropped on every change through this service).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError, type FieldProblem, Problems } from '../../kernel/errors.js';
import { canonicalJson, type Json, type JsonObject } from '../../kernel/json.js';
import type { AuditLog } from '../audit/audit.service.js';
import {
  DEFAULT_PRESET,
  POLICY_UNITS,
  type PolicyUnit,
  PRESETS,
  type PresetRule,
  RULE_OPTIONS,
  type RuleValue,
} from './policy.presets.js';
import { type OverrideRow, type PresetRow, policyRepository as repo } from './policy.repository.js';
import type { PolicyRuleRow } from './policy.table.js';

export interface PresetInfo {
  code: string;
  nameZh: string;
  nameEn: string;
  description: string;
}

export interface RuleOverride {
  value: RuleValue;
  reason: string;
  by: string | null;
  at: Date;
}

/** A rule as it applies now: the override if any, else the active preset's value. */
export interface EffectiveRule {
  key: string;
  unit: PolicyUnit;
  value: RuleValue;
  presetValue: RuleValue;
  override: RuleOverride | null;
  legalSource: string;
  descriptionZh: string;
  descriptionEn: string;
}

export interface PolicyView {
  activePreset: PresetInfo & { since: Date; by: string | null };
  rules: EffectiveRule[];
}

export interface PresetView extends PresetInfo {
  active: boolean;
  rules: PresetRule[];
}

interface Snapshot {
  view: PolicyView;
  rules: Map<string, EffectiveRule>;
}

function isUnit(u: string): u is PolicyUnit {
  return (POLICY_UNITS as readonly string[]).includes(u);
}

function internal(zh: string, en: string): DomainError {
  return new DomainError('INTERNAL', { zh, en });
}

/** A stored value as a rule value; anything else is a corrupt row. */
function asRuleValue(v: Json, key: string): RuleValue {
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x): x is string => typeof x === 'string')) return v;
  throw internal(`政策规则“${key}”的存储值无效`, `Policy rule "${key}" holds an invalid value`);
}

function presetInfo(p: PresetRow): PresetInfo {
  return { code: p.code, nameZh: p.name_zh, nameEn: p.name_en, description: p.description };
}

function ruleOf(r: PolicyRuleRow): PresetRule {
  if (!isUnit(r.unit))
    throw internal(`政策规则“${r.key}”的单位无效`, `Policy rule "${r.key}" has an invalid unit`);
  return {
    key: r.key,
    value: asRuleValue(r.value, r.key),
    unit: r.unit,
    legalSource: r.legal_source,
    descriptionZh: r.description_zh,
    descriptionEn: r.description_en,
  };
}

const INT_RANGE: Partial<Record<PolicyUnit, [number, number]>> = {
  working_days: [0, 365],
  years: [0, 100],
  months: [0, 1200],
};

/** Checks a value against a rule's unit (and its allowed options); null when it fits. */
export function valueProblem(
  key: string,
  unit: PolicyUnit,
  value: unknown,
  field = 'value',
): FieldProblem | null {
  const problem = (rule: string, zh: string, en: string): FieldProblem => ({
    field,
    rule,
    zh: `${field}：${zh}（规则 ${key}）`,
    en: `${field}: ${en} (rule ${key})`,
  });
  const options = RULE_OPTIONS[key];
  switch (unit) {
    case 'working_days':
    case 'years':
    case 'months': {
      const [min, max] = INT_RANGE[unit] ?? [0, 0];
      const name = {
        working_days: ['工作日数', 'working days'],
        years: ['年数', 'years'],
        months: ['月数', 'months'],
      }[unit];
      if (value === null) return null;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        return problem(
          unit,
          `应为 ${min}–${max} 之间的整数${name[0]}，或 null（不设此限制）`,
          `must be a whole number of ${name[1]} from ${min} to ${max}, or null (no such limit)`,
        );
      }
      return null;
    }
    case 'yuan':
      if (value === null) return null;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1e13) {
        return problem(
          'yuan',
          '应为不小于 0 的金额（元），或 null',
          'must be an amount of yuan ≥ 0, or null',
        );
      }
      return null;
    case 'ratio':
      if (value === null) return null;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
        return problem(
          'ratio',
          '应为 0–1 之间的比例（如 0.1 表示 10%），或 null',
          'must be a ratio from 0 to 1 (0.1 = 10%), or null',
        );
      }
      return null;
    case 'boolean':
      if (typeof value !== 'boolean')
        return problem('boolean', '应为 true 或 false', 'must be true or false');
      return null;
    case 'list': {
      if (!Array.isArray(value) || !value.every((x) => typeof x === 'string' && x.trim() !== '')) {
        return problem('list', '应为由非空字符串组成的数组', 'must be an array of non-empty strings');
      }
      if (new Set(value).size !== value.length)
        return problem('unique', '不能有重复项', 'must not repeat an item');
      const unknown = options ? value.filter((x) => !options.includes(x as string)) : [];
      if (unknown.length > 0) {
        return problem(
          'options',
          `含有不允许的项 ${unknown.join('、')}；可选：${options?.join('、')}`,
          `has items not allowed: ${unknown.join(', ')}; allowed: ${options?.join(', ')}`,
        );
      }
      return null;
    }
    case 'mode':
      if (typeof value !== 'string' || value === '' || (options && !options.includes(value))) {
        return problem(
          'mode',
          `应为以下之一：${options?.join('、') ?? '非空字符串'}`,
          `must be one of: ${options?.join(', ') ?? 'a non-empty string'}`,
        );
      }
      return null;
  }
}

function sameRule(row: PolicyRuleRow, r: PresetRule): boolean {
  return (
    canonicalJson(row.value) === canonicalJson(r.value) &&
    row.unit === r.unit &&
    row.legal_source === r.legalSource &&
    row.description_zh === r.descriptionZh &&
    row.description_en === r.descriptionEn
  );
}

export class PolicyService {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;
  private generation = 0;

  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
  ) {}

  /** Upserts the shipped presets' rules; sets the national preset active when nothing is chosen. Idempotent. */
  async installPresets(): Promise<void> {
    const changed = await this.audit.transaction(async (tx) => {
      const presets = new Map((await repo.presets(tx)).map((p) => [p.code, p]));
      const rows = await repo.rules(
        tx,
        PRESETS.map((p) => p.code),
      );
      const changes: JsonObject[] = [];
      for (const preset of PRESETS) {
        const existing = presets.get(preset.code);
        const row: PresetRow = {
          code: preset.code,
          name_zh: preset.nameZh,
          name_en: preset.nameEn,
          description: preset.description,
        };
        if (
          !existing ||
          existing.name_zh !== row.name_zh ||
          existing.name_en !== row.name_en ||
          existing.description !== row.description
        ) {
          await repo.upsertPreset(tx, row);
          changes.push({ preset: preset.code, change: existing ? 'preset_updated' : 'preset_added' });
        }
        const stored = new Map(rows.filter((r) => r.preset_code === preset.code).map((r) => [r.key, r]));
        let added = 0;
        for (const rule of preset.rules) {
          const before = stored.get(rule.key);
          stored.delete(rule.key);
          if (before && sameRule(before, rule)) continue;
          await repo.upsertRule(tx, {
            preset_code: preset.code,
            key: rule.key,
            value: rule.value,
            unit: rule.unit,
            legal_source: rule.legalSource,
            description_zh: rule.descriptionZh,
            description_en: rule.descriptionEn,
          });
          if (before) {
            changes.push({
              preset: preset.code,
              key: rule.key,
              change: 'rule_updated',
              from: before.value,
              to: rule.value,
            });
          } else {
            added += 1;
          }
        }
        if (added > 0) changes.push({ preset: preset.code, change: 'rules_added', count: added });
        // Rules a later release no longer ships leave the preset (overrides are never touched).
        const stale = [...stored.keys()];
        if (stale.length > 0) {
          await repo.deleteRules(tx, preset.code, stale);
          changes.push({ preset: preset.code, change: 'rules_removed', keys: stale });
        }
      }
      const initialized = await repo.initSetting(tx, DEFAULT_PRESET);
      if (initialized) changes.push({ change: 'active_preset_set', preset: DEFAULT_PRESET });
      if (changes.length > 0) {
        await this.audit.stage(tx, {
          actor: {},
          action: 'policy.presets.install',
          objectType: 'policy_preset',
          objectId: PRESETS.map((p) => p.code).join(','),
          detail: { changes },
        });
      }
      return changes.length > 0;
    });
    if (changed) this.invalidate();
  }

  /** Drops the in-memory effective rules; the next read reloads them. */
  invalidate(): void {
    this.generation += 1;
    this.snapshot = null;
    this.loading = null;
  }

  private async load(): Promise<Snapshot> {
    const setting = await repo.setting(this.db);
    if (!setting) {
      throw internal(
        '尚未选定政策预设，请先运行初始化',
        'No policy preset is active: run the bootstrap first',
      );
    }
    const preset = await repo.findPreset(this.db, setting.active_preset);
    if (!preset) {
      throw internal(
        `政策预设“${setting.active_preset}”不存在`,
        `Policy preset "${setting.active_preset}" not found`,
      );
    }
    const overrides = new Map((await repo.overrides(this.db)).map((o) => [o.key, o]));
    const rules = new Map<string, EffectiveRule>();
    for (const row of await repo.rules(this.db, [preset.code])) {
      const rule = ruleOf(row);
      const o: OverrideRow | undefined = overrides.get(rule.key);
      const override = o
        ? { value: asRuleValue(o.value, rule.key), reason: o.reason, by: o.updated_by, at: o.updated_at }
        : null;
      rules.set(rule.key, {
        key: rule.key,
        unit: rule.unit,
        value: override ? override.value : rule.value,
        presetValue: rule.value,
        override,
        legalSource: rule.legalSource,
        descriptionZh: rule.descriptionZh,
        descriptionEn: rule.descriptionEn,
      });
    }
    return {
      view: {
        activePreset: { ...presetInfo(preset), since: setting.updated_at, by: setting.updated_by },
        rules: [...rules.values()],
      },
      rules,
    };
  }

  private async current(): Promise<Snapshot> {
    if (this.snapshot) return this.snapshot;
    if (!this.loading) {
      const generation = this.generation;
      const loading = this.load().then((s) => {
        if (generation === this.generation) this.snapshot = s;
        return s;
      });
      this.loading = loading;
      const clear = () => {
        if (this.loading === loading) this.loading = null;
      };
      loading.then(clear, clear);
    }
    return this.loading;
  }

  /** The effective rule, for code: an unknown key is a programming error (INTERNAL, naming the key). */
  async rule(key: string): Promise<EffectiveRule> {
    const rule = (await this.current()).rules.get(key);
    if (!rule) throw internal(`政策规则“${key}”不存在`, `Policy rule "${key}" does not exist`);
    return rule;
  }

  private async typed(key: string, units: PolicyUnit[]): Promise<EffectiveRule> {
    const rule = await this.rule(key);
    if (!units.includes(rule.unit)) {
      throw internal(
        `政策规则“${key}”的单位是 ${rule.unit}，不是 ${units.join('/')}`,
        `Policy rule "${key}" is in ${rule.unit}, not ${units.join('/')}`,
      );
    }
    return rule;
  }

  /** The effective value: the override if any, else the active preset's value. */
  async get(key: string): Promise<Json> {
    return (await this.rule(key)).value;
  }

  /** A working-day limit from the active preset (with overrides); null when the preset has no such limit. */
  async workingDays(key: string): Promise<number | null> {
    const { value } = await this.typed(key, ['working_days']);
    return typeof value === 'number' ? value : null;
  }

  /** A number of years, months, yuan or a ratio; null when the preset sets no such limit. */
  async quantity(key: string): Promise<number | null> {
    const { value } = await this.typed(key, ['years', 'months', 'yuan', 'ratio']);
    return typeof value === 'number' ? value : null;
  }

  async list(key: string): Promise<string[]> {
    const { value } = await this.typed(key, ['list']);
    return Array.isArray(value) ? [...value] : [];
  }

  async flag(key: string): Promise<boolean> {
    const { value } = await this.typed(key, ['boolean']);
    return value === true;
  }

  async mode(key: string): Promise<string> {
    const { value } = await this.typed(key, ['mode']);
    return typeof value === 'string' ? value : '';
  }

  /** The active preset and every effective rule, overrides shown with their reason. */
  async view(): Promise<PolicyView> {
    return (await this.current()).view;
  }

  /** Both shipped presets (and any other stored) with their rules. */
  async presets(): Promise<PresetView[]> {
    const [presets, rows, active] = [
      await repo.presets(this.db),
      await repo.rules(this.db),
      await repo.setting(this.db),
    ];
    return presets.map((p) => ({
      ...presetInfo(p),
      active: active?.active_preset === p.code,
      rules: rows.filter((r) => r.preset_code === p.code).map(ruleOf),
    }));
  }

  /** The platform office chooses the active preset. */
  async setActive(meta: RequestMeta, preset: string): Promise<PolicyView> {
    const found = await repo.findPreset(this.db, preset);
    if (!found) {
      const codes = (await repo.presets(this.db)).map((p) => p.code);
      throw DomainError.validation([
        {
          field: 'preset',
          rule: 'exists',
          zh: `preset：没有预设“${preset}”；可选：${codes.join('、')}`,
          en: `preset: no preset "${preset}"; choose one of ${codes.join(', ')}`,
        },
      ]);
    }
    await this.audit.transaction(async (tx) => {
      const before = await repo.setting(tx);
      if (before?.active_preset === preset) return;
      await repo.setActive(tx, preset, meta.actor.userId ?? null);
      await this.audit.stage(tx, {
        ...meta,
        action: 'policy.preset.activate',
        objectType: 'policy_setting',
        objectId: preset,
        detail: { from: before?.active_preset ?? null, to: preset },
      });
    });
    this.invalidate();
    return this.view();
  }

  private async knownRule(key: string): Promise<EffectiveRule> {
    const rule = (await this.current()).rules.get(key);
    if (!rule) throw DomainError.notFound({ zh: `政策规则“${key}”`, en: `Policy rule "${key}"` });
    return rule;
  }

  /** The platform office overrides one rule's value, with a reason; the value must fit the rule's unit. */
  async setOverride(meta: RequestMeta, key: string, value: unknown, reason: string): Promise<EffectiveRule> {
    const rule = await this.knownRule(key);
    const p = new Problems();
    const bad = valueProblem(key, rule.unit, value);
    if (bad) p.addAll([bad]);
    const why = reason.trim();
    if (!why)
      p.add('reason', 'required', 'reason：请说明调整原因', 'reason: give the reason for the override');
    p.throwIfAny();
    const v = value as RuleValue;
    await this.audit.transaction(async (tx) => {
      const before = await repo.findOverride(tx, key);
      await repo.upsertOverride(tx, key, v, why, meta.actor.userId ?? null);
      await this.audit.stage(tx, {
        ...meta,
        action: 'policy.override.set',
        objectType: 'policy_rule',
        objectId: key,
        detail: {
          key,
          unit: rule.unit,
          presetValue: rule.presetValue,
          before: before ? { value: before.value, reason: before.reason } : null,
          value: v,
          reason: why,
        },
      });
    });
    this.invalidate();
    return this.rule(key);
  }

  /** Removes an override: the active preset's value applies again. */
  async clearOverride(meta: RequestMeta, key: string): Promise<EffectiveRule> {
    const rule = await this.knownRule(key);
    await this.audit.transaction(async (tx) => {
      const before = await repo.findOverride(tx, key);
      if (!before)
        throw DomainError.notFound({ zh: `规则“${key}”的调整值`, en: `Override of rule "${key}"` });
      await repo.deleteOverride(tx, key);
      await this.audit.stage(tx, {
        ...meta,
        action: 'policy.override.clear',
        objectType: 'policy_rule',
        objectId: key,
        detail: {
          key,
          removed: { value: before.value, reason: before.reason },
          presetValue: rule.presetValue,
        },
      });
    });
    this.invalidate();
    return this.rule(key);
  }
}
