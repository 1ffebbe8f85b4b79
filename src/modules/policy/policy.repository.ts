/** The only place that writes SQL for the policy tables (preset, rule, setting, override). */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { Json } from '../../kernel/json.js';
import type { PolicyRuleRow } from './policy.table.js';

export interface PresetRow {
  code: string;
  name_zh: string;
  name_en: string;
  description: string;
}

export interface SettingRow {
  active_preset: string;
  updated_by: string | null;
  updated_at: Date;
}

export interface OverrideRow {
  key: string;
  value: Json;
  reason: string;
  updated_by: string | null;
  updated_at: Date;
}

export interface RuleValues {
  preset_code: string;
  key: string;
  value: Json;
  unit: string;
  legal_source: string;
  description_zh: string;
  description_en: string;
}

export const policyRepository = {
  async presets(db: Executor): Promise<PresetRow[]> {
    return db.selectFrom('policy_preset').selectAll().orderBy('code').execute();
  },

  async findPreset(db: Executor, code: string): Promise<PresetRow | undefined> {
    return db.selectFrom('policy_preset').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async upsertPreset(tx: Executor, p: PresetRow): Promise<void> {
    await tx
      .insertInto('policy_preset')
      .values(p)
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({ name_zh: p.name_zh, name_en: p.name_en, description: p.description }),
      )
      .execute();
  },

  /** Rules of the given presets (all presets when omitted), by preset then key. */
  async rules(db: Executor, presetCodes?: string[]): Promise<PolicyRuleRow[]> {
    let q = db.selectFrom('policy_rule').selectAll();
    if (presetCodes) {
      if (presetCodes.length === 0) return [];
      q = q.where('preset_code', 'in', presetCodes);
    }
    return q.orderBy('preset_code').orderBy('key').execute();
  },

  async upsertRule(tx: Executor, r: RuleValues): Promise<void> {
    const value = JSON.stringify(r.value);
    await tx
      .insertInto('policy_rule')
      .values({ ...r, value })
      .onConflict((oc) =>
        oc.columns(['preset_code', 'key']).doUpdateSet({
          value,
          unit: r.unit,
          legal_source: r.legal_source,
          description_zh: r.description_zh,
          description_en: r.description_en,
        }),
      )
      .execute();
  },

  async deleteRules(tx: Executor, presetCode: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await tx
      .deleteFrom('policy_rule')
      .where('preset_code', '=', presetCode)
      .where('key', 'in', keys)
      .execute();
  },

  async setting(db: Executor): Promise<SettingRow | undefined> {
    return db
      .selectFrom('policy_setting')
      .select(['active_preset', 'updated_by', 'updated_at'])
      .where('id', '=', 1)
      .executeTakeFirst();
  },

  /** Sets the active preset only when none is chosen yet; true when it did. */
  async initSetting(tx: Executor, preset: string): Promise<boolean> {
    const r = await tx
      .insertInto('policy_setting')
      .values({ id: 1, active_preset: preset, updated_by: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  async setActive(tx: Executor, preset: string, userId: string | null): Promise<void> {
    await tx
      .insertInto('policy_setting')
      .values({ id: 1, active_preset: preset, updated_by: userId })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet({ active_preset: preset, updated_by: userId, updated_at: sql<Date>`now()` }),
      )
      .execute();
  },

  async overrides(db: Executor): Promise<OverrideRow[]> {
    return db.selectFrom('policy_override').selectAll().orderBy('key').execute();
  },

  async findOverride(db: Executor, key: string): Promise<OverrideRow | undefined> {
    return db.selectFrom('policy_override').selectAll().where('key', '=', key).executeTakeFirst();
  },

  async upsertOverride(
    tx: Executor,
    key: string,
    value: Json,
    reason: string,
    userId: string | null,
  ): Promise<void> {
    const v = JSON.stringify(value);
    await tx
      .insertInto('policy_override')
      .values({ key, value: v, reason, updated_by: userId })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ value: v, reason, updated_by: userId, updated_at: sql<Date>`now()` }),
      )
      .execute();
  },

  async deleteOverride(tx: Executor, key: string): Promise<boolean> {
    const r = await tx.deleteFrom('policy_override').where('key', '=', key).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
};
