/** The sharing API under /api/v1/sharing: applications and their actions, inbox/outbox, grants, deadlines. */
import { Type } from '@fastify/type-provider-typebox';
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { pageRequest } from '../../kernel/pagination.js';
import { authorize } from '../auth/auth.policy.js';
import type { AccessMode, AppAction, AppStatus, PurposeCategory } from './sharing.machine.js';
import {
  ActBody,
  ActionNames,
  ApplicationDetailSchema,
  ApplicationInputSchema,
  ApplicationPage,
  ApplicationSchema,
  GrantActBody,
  GrantListQuery,
  GrantPage,
  GrantSchema,
  IdParams,
  ListQuery,
} from './sharing.schema.js';
import type { ApplicationInput } from './sharing.service.js';

const TAGS = ['sharing'];

function input(body: Record<string, unknown>): ApplicationInput {
  return {
    ...(body as unknown as ApplicationInput),
    purposeCategory: (body.purposeCategory as PurposeCategory | null | undefined) ?? null,
    accessMode: (body.accessMode as AccessMode | null | undefined) ?? null,
  };
}

export const sharingRoutes: RoutesPlugin = async (app, { services }) => {
  const { sharing, grants } = services;

  app.get(
    '/sharing/applications',
    {
      schema: {
        tags: TAGS,
        summary: '共享申请（收件箱/发件箱） Applications: inbox, outbox, overdue',
        querystring: ListQuery,
        response: { 200: ApplicationPage },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'sharing.read');
      return sharing.list(
        actor,
        req.query.box ?? 'all',
        req.query.status?.length ? { statuses: req.query.status as AppStatus[] } : {},
        pageRequest(req.query.page, req.query.pageSize),
      );
    },
  );

  app.post(
    '/sharing/applications',
    {
      schema: {
        tags: TAGS,
        summary: '新建共享申请（草稿） Start an application',
        body: ApplicationInputSchema,
        response: { 201: ApplicationSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'sharing.act');
      return reply.status(201).send(await sharing.create(metaOf(req), actor, input(req.body)));
    },
  );

  app.post(
    '/sharing/applications/from-demand/:id',
    {
      schema: {
        tags: TAGS,
        summary: '由需求清单发起申请 Turn a demand into a draft application',
        params: IdParams,
        response: { 201: ApplicationSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'sharing.act');
      return reply.status(201).send(await sharing.fromDemand(metaOf(req), actor, req.params.id));
    },
  );

  app.get(
    '/sharing/applications/:id',
    {
      schema: {
        tags: TAGS,
        summary: '申请详情、流转记录与协商消息 An application, its history and its thread',
        params: IdParams,
        response: { 200: ApplicationDetailSchema },
      },
    },
    async (req) => sharing.get(authorize(req.actor, 'sharing.read'), req.params.id),
  );

  app.put(
    '/sharing/applications/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改草稿或补正 Edit a draft or returned application',
        params: IdParams,
        body: ApplicationInputSchema,
        response: { 200: ApplicationSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'sharing.act');
      return sharing.update(metaOf(req), actor, req.params.id, input(req.body));
    },
  );

  app.post(
    '/sharing/applications/:id/actions/:action',
    {
      schema: {
        tags: TAGS,
        summary: '办理 Take an action on an application',
        description:
          'The state machine decides what is allowed from the current status and who may do it: the applicant, ' +
          "its sharing office head, the provider's officers or head, or the platform office. A refusal needs a " +
          'reason; an incomplete application is returned with every missing item at once.',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), action: ActionNames }),
        body: ActBody,
        response: { 200: ApplicationSchema },
      },
      // Most actions need no parameters: an empty request body is the same as {}.
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {};
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'sharing.act');
      const b = req.body ?? {};
      return sharing.act(metaOf(req), actor, req.params.id, req.params.action as AppAction, {
        ...(b.reason !== undefined ? { reason: b.reason } : {}),
        ...(b.missing ? { missing: b.missing } : {}),
        ...(b.days !== undefined ? { days: b.days } : {}),
        ...(b.document !== undefined ? { document: b.document } : {}),
        ...(b.outcome ? { outcome: b.outcome } : {}),
        ...(b.note !== undefined ? { note: b.note } : {}),
        ...(b.dailyQuota !== undefined ? { dailyQuota: b.dailyQuota } : {}),
        ...(b.rowFilter !== undefined ? { rowFilter: b.rowFilter as Record<string, never> | null } : {}),
      });
    },
  );

  app.post(
    '/sharing/applications/:id/messages',
    {
      schema: {
        tags: TAGS,
        summary: '协商消息 Post to the negotiation thread',
        params: IdParams,
        body: Type.Object({ body: Type.String({ maxLength: 8000 }) }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'sharing.act');
      await sharing.postMessage(metaOf(req), actor, req.params.id, req.body.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/sharing/violations',
    {
      schema: {
        tags: TAGS,
        summary: '超期未答复/未提供清单（财政） Providers that missed a limit: the list finance reads',
      },
    },
    async (req) => sharing.violations(authorize(req.actor, 'finance.read')),
  );

  app.post(
    '/sharing/sweep',
    {
      schema: {
        tags: TAGS,
        summary: '运行期限检查 Run the deadline job now (it also runs hourly)',
        response: {
          200: Type.Object({
            overdue: Type.Integer(),
            violations: Type.Integer(),
            reminders: Type.Integer(),
            expired: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      authorize(req.actor, 'sharing.sweep');
      return sharing.sweep();
    },
  );

  app.get(
    '/sharing/reminders',
    {
      schema: {
        tags: TAGS,
        summary: '提醒 Reminders for my organization',
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean()) }),
      },
    },
    async (req) => sharing.reminders(authorize(req.actor, 'sharing.read'), req.query.unread === true),
  );

  app.post(
    '/sharing/reminders/:id/read',
    {
      schema: {
        tags: TAGS,
        summary: '标记已读 Mark a reminder read',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await sharing.markReminderRead(metaOf(req), authorize(req.actor, 'sharing.read'), req.params.id);
      return reply.status(204).send(null);
    },
  );

  // ── grants ──
  app.get(
    '/sharing/grants',
    {
      schema: {
        tags: ['grants'],
        summary: '共享授权 Grants',
        querystring: GrantListQuery,
        response: { 200: GrantPage },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'grants.read');
      return grants.list(
        actor,
        {
          ...(req.query.role ? { role: req.query.role } : {}),
          ...(req.query.status ? { status: req.query.status } : {}),
        },
        pageRequest(req.query.page, req.query.pageSize),
      );
    },
  );

  app.get(
    '/sharing/grants/:id',
    {
      schema: {
        tags: ['grants'],
        summary: '授权详情 A grant',
        params: IdParams,
        response: { 200: GrantSchema },
      },
    },
    async (req) => grants.get(authorize(req.actor, 'grants.read'), req.params.id),
  );

  const grantStep = (path: 'suspend' | 'resume' | 'revoke' | 'renew' | 'amend', summary: string) =>
    app.post(
      `/sharing/grants/:id/${path}`,
      {
        schema: {
          tags: ['grants'],
          summary,
          params: IdParams,
          body: GrantActBody,
          response: { 200: GrantSchema },
        },
      },
      async (req) => {
        const actor = authorize(req.actor, 'grants.manage');
        const b = req.body;
        const m = metaOf(req);
        switch (path) {
          case 'suspend':
            return grants.suspend(m, actor, req.params.id, b.reason ?? '');
          case 'resume':
            return grants.resume(m, actor, req.params.id, b.reason ?? '');
          case 'revoke':
            return grants.revoke(m, actor, req.params.id, b.reason ?? '', b.consultation);
          case 'renew':
            return grants.renew(m, actor, req.params.id, b.validTo ?? '', b.reason ?? '');
          case 'amend':
            return grants.amend(m, actor, req.params.id, {
              ...(b.dailyQuota !== undefined ? { dailyQuota: b.dailyQuota } : {}),
              ...(b.items ? { items: b.items } : {}),
              consultation: b.consultation ?? '',
            });
        }
      },
    );
  grantStep('suspend', '暂停授权 Suspend a grant (e.g. for misuse)');
  grantStep('resume', '恢复授权 Resume a suspended grant');
  grantStep('revoke', '撤销授权 Revoke a grant (a provider only after consulting the consumer)');
  grantStep('renew', '续期 Renew a grant');
  grantStep('amend', '变更授权 Change quota or masking after consulting the consumer');
};
