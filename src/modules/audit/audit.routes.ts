/** Audit search and chain verification, for auditors only (三员分立: administrators cannot read it). */
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { pageRequest } from '../../kernel/pagination.js';
import { authorize } from '../auth/auth.policy.js';
import {
  AuditEventDetailSchema,
  AuditPage,
  AuditQuery,
  SeqParams,
  VerifyQuery,
  VerifySchema,
} from './audit.schema.js';
import { auditEvent, searchAudit, verifyChain, verifyChainSegment } from './audit.service.js';

export const auditRoutes: RoutesPlugin = async (app, { services }) => {
  const { audit, db } = services;

  app.get(
    '/audit/events',
    {
      schema: {
        tags: ['audit'],
        summary: '审计查询 Search the audit trail',
        querystring: AuditQuery,
        response: { 200: AuditPage },
      },
    },
    async (req) => {
      authorize(req.actor, 'audit.read');
      const q = req.query;
      // Chain whatever is staged, so the answer includes the very latest changes.
      await audit.drain();
      const result = await searchAudit(
        db.kysely,
        {
          ...(q.actorUserId ? { actorUserId: q.actorUserId } : {}),
          ...(q.actor ? { actorUsername: q.actor } : {}),
          ...(q.orgId ? { orgId: q.orgId } : {}),
          ...(q.action ? { action: q.action } : {}),
          ...(q.objectType ? { objectType: q.objectType } : {}),
          ...(q.objectId ? { objectId: q.objectId } : {}),
          ...(q.outcome ? { outcome: q.outcome } : {}),
          ...(q.from ? { from: new Date(q.from) } : {}),
          ...(q.to ? { to: new Date(q.to) } : {}),
        },
        pageRequest(q.page, q.pageSize ?? 50),
      );
      // Reading the audit trail is itself audited.
      await audit.record({
        ...metaOf(req),
        action: 'audit.search',
        objectType: 'audit_event',
        detail: { filter: { ...q }, total: result.total },
      });
      return result;
    },
  );

  app.get(
    '/audit/events/:seq',
    {
      schema: {
        tags: ['audit'],
        summary: '审计事件详情 One audit event with its hashes',
        description:
          'The event, the canonical content that is hashed, prevHash and hash, and whether they still match.',
        params: SeqParams,
        response: { 200: AuditEventDetailSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'audit.read');
      const event = await auditEvent(db.kysely, req.params.seq);
      await audit.record({
        ...metaOf(req),
        action: 'audit.read',
        objectType: 'audit_event',
        objectId: String(req.params.seq),
      });
      return event;
    },
  );

  app.get(
    '/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: '校验审计链 Verify the audit chain',
        description:
          'Without parameters: the whole chain at once. With afterSeq (and limit): one segment, so that a console ' +
          'can verify segment after segment and show progress; `done` says the segment reached the head.',
        querystring: VerifyQuery,
        response: { 200: VerifySchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'audit.read');
      const { afterSeq, limit } = req.query;
      const segment = afterSeq !== undefined || limit !== undefined;
      if (!segment || (afterSeq ?? 0) === 0) await audit.drain();
      const result = segment
        ? await verifyChainSegment(db.kysely, afterSeq ?? 0, limit ?? 2000)
        : await verifyChain(db.kysely);
      await audit.record({
        ...metaOf(req),
        action: 'audit.verify',
        objectType: 'audit_event',
        outcome: 'ok',
        detail: {
          ok: result.ok,
          checked: result.checked,
          ...(segment ? { afterSeq: afterSeq ?? 0, limit: limit ?? 2000 } : {}),
          ...(result.broken ? { brokenSeq: result.broken.seq } : {}),
        },
      });
      return result;
    },
  );
};
