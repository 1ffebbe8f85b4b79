/** The self-check campaign API under /api/v1/inventory/campaigns (R2.2). */
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { authorize, isAllowed, listScope, type UserActor } from '../auth/auth.policy.js';
import {
  CampaignDetailSchema,
  CampaignInputSchema,
  CampaignListQuery,
  CampaignPageSchema,
  CampaignParams,
  CampaignSchema,
  ItemParams,
  ReasonBody,
  ReportDetailSchema,
  ReportParams,
  SubmitBody,
} from './inventory.schema.js';
import type { CampaignView } from './selfcheck.service.js';

const TAGS = ['inventory'];
/** Stands for "no finance bureau named": matches no organization, so no department head passes. */
const NO_ORG = '00000000-0000-0000-0000-000000000000';

export const selfcheckRoutes: RoutesPlugin = async (app, { services }) => {
  const { selfcheck, audit } = services;

  /**
   * Which departments' reports the actor may read: all for the platform office, audit and the head of the
   * campaign's finance bureau (a verifier reads what it verifies); otherwise the actor's own.
   */
  function readScope(actor: UserActor, c: CampaignView): string | null {
    if (
      actor.role === 'dept_admin' &&
      isAllowed(actor, 'inventory.selfcheck.verify', c.financeOrgId ?? NO_ORG)
    )
      return null;
    return listScope(actor, 'inventory.campaign.read');
  }

  app.get(
    '/inventory/campaigns',
    {
      schema: {
        tags: TAGS,
        summary: '自查工作 Self-check campaigns, newest first',
        querystring: CampaignListQuery,
        response: { 200: CampaignPageSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'inventory.campaign.read');
      return selfcheck.list(req.query.page ?? 1, req.query.pageSize ?? 20);
    },
  );

  app.post(
    '/inventory/campaigns',
    {
      schema: {
        tags: TAGS,
        summary: '发起自查 Open a self-check campaign with a deadline (a date or working days)',
        description:
          'Every active organization but the platform office gets a report to submit. financeOrgId names the ' +
          'finance bureau whose head verifies in the finance capacity.',
        body: CampaignInputSchema,
        response: { 201: CampaignSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'inventory.campaign.manage');
      const b = req.body;
      return reply.status(201).send(
        await selfcheck.open(metaOf(req), actor, {
          title: b.title,
          note: b.note ?? '',
          deadline: b.deadline ?? null,
          workingDays: b.workingDays ?? null,
          financeOrgId: b.financeOrgId ?? null,
        }),
      );
    },
  );

  app.get(
    '/inventory/campaigns/:id',
    {
      schema: {
        tags: TAGS,
        summary: '自查工作详情 A campaign with each department’s report status and the late departments',
        description: 'A department sees its own report only; verifiers see every department.',
        params: CampaignParams,
        response: { 200: CampaignDetailSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'inventory.campaign.read');
      const c = await selfcheck.campaign(req.params.id);
      const scope = readScope(actor, c);
      await audit.record({
        ...metaOf(req),
        action: 'inventory.campaign.read',
        objectType: 'inventory_campaign',
        objectId: c.id,
        detail: { orgId: scope },
      });
      return selfcheck.detail(actor, c.id, scope);
    },
  );

  app.post(
    '/inventory/campaigns/:id/close',
    {
      schema: {
        tags: TAGS,
        summary: '结束自查 Close a campaign (no more submissions or verifications)',
        params: CampaignParams,
        response: { 200: CampaignSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'inventory.campaign.manage');
      return selfcheck.close(metaOf(req), req.params.id);
    },
  );

  app.get(
    '/inventory/campaigns/:id/reports/:orgId',
    {
      schema: {
        tags: TAGS,
        summary: '自查报告 A department’s self-check report with its items and their verifications',
        params: ReportParams,
        response: { 200: ReportDetailSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'inventory.campaign.read');
      const c = await selfcheck.campaign(req.params.id);
      if (readScope(actor, c) !== null) authorize(actor, 'inventory.campaign.read', req.params.orgId);
      const report = await selfcheck.report(actor, c.id, req.params.orgId);
      await audit.record({
        ...metaOf(req),
        action: 'inventory.selfcheck.read',
        objectType: 'inventory_selfcheck',
        objectId: report.id,
        detail: { campaignId: c.id, orgId: req.params.orgId },
      });
      return report;
    },
  );

  app.post(
    '/inventory/campaigns/:id/reports/:orgId/submit',
    {
      schema: {
        tags: TAGS,
        summary: '提交自查报告 Submit (or resubmit after a send-back) the department’s report',
        description: 'The report takes the department’s systems as registered now, with the counts.',
        params: ReportParams,
        body: SubmitBody,
        response: { 200: ReportDetailSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'inventory.selfcheck.submit', req.params.orgId);
      return selfcheck.submit(metaOf(req), actor, req.params.id, req.params.orgId, req.body.statement);
    },
  );

  app.post(
    '/inventory/campaigns/:id/reports/:orgId/verify',
    {
      schema: {
        tags: TAGS,
        summary: '核查通过全部待核查系统 Verify every item still waiting, in the caller’s capacity',
        params: ReportParams,
        response: { 200: ReportDetailSchema },
      },
    },
    async (req) => {
      const c = await selfcheck.campaign(req.params.id);
      const actor = authorize(req.actor, 'inventory.selfcheck.verify', c.financeOrgId ?? NO_ORG);
      return selfcheck.check(metaOf(req), actor, c.id, req.params.orgId, null, 'verified', null);
    },
  );

  app.post(
    '/inventory/campaigns/:id/reports/:orgId/items/:itemId/verify',
    {
      schema: {
        tags: TAGS,
        summary: '核查通过 Verify one item (platform office, audit or finance)',
        params: ItemParams,
        response: { 200: ReportDetailSchema },
      },
    },
    async (req) => {
      const c = await selfcheck.campaign(req.params.id);
      const actor = authorize(req.actor, 'inventory.selfcheck.verify', c.financeOrgId ?? NO_ORG);
      return selfcheck.check(metaOf(req), actor, c.id, req.params.orgId, req.params.itemId, 'verified', null);
    },
  );

  app.post(
    '/inventory/campaigns/:id/reports/:orgId/items/:itemId/return',
    {
      schema: {
        tags: TAGS,
        summary: '退回 Send one item back to the department, with a reason',
        params: ItemParams,
        body: ReasonBody,
        response: { 200: ReportDetailSchema },
      },
    },
    async (req) => {
      const c = await selfcheck.campaign(req.params.id);
      const actor = authorize(req.actor, 'inventory.selfcheck.verify', c.financeOrgId ?? NO_ORG);
      return selfcheck.check(
        metaOf(req),
        actor,
        c.id,
        req.params.orgId,
        req.params.itemId,
        'returned',
        req.body.reason,
      );
    },
  );
};
