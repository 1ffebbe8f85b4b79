/** The policy API: every signed-in user reads the rules; the platform office chooses and adjusts them. */

import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { authorize } from '../auth/auth.policy.js';
import {
  EffectiveRuleSchema,
  OverrideBody,
  PolicyViewResponse,
  PresetsResponse,
  RuleParams,
  SetActiveBody,
} from './policy.schema.js';
import type { EffectiveRule, PolicyView } from './policy.service.js';

const tags = ['policy'];
const read = [{ session: [] }];
const write = [{ session: [], csrf: [] }];

function ruleView(r: EffectiveRule) {
  return { ...r, override: r.override ? { ...r.override, at: r.override.at.toISOString() } : null };
}

function policyView(v: PolicyView) {
  return {
    activePreset: { ...v.activePreset, since: v.activePreset.since.toISOString() },
    rules: v.rules.map(ruleView),
  };
}

export const policyRoutes: RoutesPlugin = async (app, { services }) => {
  const { policy } = services;

  app.get(
    '/policy',
    {
      schema: {
        tags,
        security: read,
        summary: 'The rules in force',
        description:
          'The active preset and every effective rule: its value (the override if any, else the preset value), ' +
          'the preset value, the override with its reason, unit, legal source and descriptions.',
        response: { 200: PolicyViewResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'policy.read');
      return policyView(await policy.view());
    },
  );

  app.get(
    '/policy/presets',
    {
      schema: {
        tags,
        security: read,
        summary: 'The shipped presets',
        description:
          'Both presets (seed_xianning_2019, national_2025) with all their rules and legal sources.',
        response: { 200: PresetsResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'policy.read');
      return { items: await policy.presets() };
    },
  );

  app.put(
    '/policy/active',
    {
      schema: {
        tags,
        security: write,
        summary: 'Choose the active preset (platform office)',
        description: 'Overrides stay in force whichever preset is active. Audited.',
        body: SetActiveBody,
        response: { 200: PolicyViewResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'policy.write');
      return policyView(await policy.setActive(metaOf(req), req.body.preset));
    },
  );

  app.put(
    '/policy/rules/:key',
    {
      schema: {
        tags,
        security: write,
        summary: 'Override one rule (platform office)',
        description:
          "Sets the rule's value regardless of the preset, with the reason. The value must fit the rule's unit. Audited.",
        params: RuleParams,
        body: OverrideBody,
        response: { 200: EffectiveRuleSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'policy.write');
      return ruleView(await policy.setOverride(metaOf(req), req.params.key, req.body.value, req.body.reason));
    },
  );

  app.delete(
    '/policy/rules/:key/override',
    {
      schema: {
        tags,
        security: write,
        summary: "Remove a rule's override (platform office)",
        description: "The active preset's value applies again. Audited.",
        params: RuleParams,
        response: { 200: EffectiveRuleSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'policy.write');
      return ruleView(await policy.clearOverride(metaOf(req), req.params.key));
    },
  );
};
