/** What a route knows about its caller, and the audit metadata every event of the request carries. */
import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../modules/audit/audit.service.js';
import type { Actor } from '../modules/auth/auth.policy.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

export interface RequestMeta {
  actor: AuditActor;
  requestId: string;
  ip: string;
}

export function auditActorOf(actor: Actor): AuditActor {
  switch (actor.kind) {
    case 'user':
      return { userId: actor.userId, username: actor.username, orgId: actor.orgId };
    case 'system':
      return { systemId: actor.systemId, orgId: actor.orgId };
    default:
      return {};
  }
}

/** The metadata services attach to the audit events they stage. */
export function metaOf(req: FastifyRequest): RequestMeta {
  return { actor: auditActorOf(req.actor), requestId: String(req.id), ip: req.ip };
}
