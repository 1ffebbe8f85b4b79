import { Type } from '@fastify/type-provider-typebox';

export const AuditQuery = Type.Object({
  actorUserId: Type.Optional(Type.String({ format: 'uuid' })),
  actor: Type.Optional(Type.String({ description: 'Username of the actor' })),
  orgId: Type.Optional(Type.String({ format: 'uuid', description: "The actor's organization" })),
  action: Type.Optional(Type.String({ description: 'Action, or its prefix (e.g. "auth." or "org.create")' })),
  objectType: Type.Optional(Type.String()),
  objectId: Type.Optional(Type.String()),
  outcome: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('error')])),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const AuditEventSchema = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  occurredAt: Type.String(),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorUsername: Type.Union([Type.String(), Type.Null()]),
  actorOrgId: Type.Union([Type.String(), Type.Null()]),
  actorSystemId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  detail: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
});

export const AuditPage = Type.Object({
  items: Type.Array(AuditEventSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const VerifySchema = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  headSeq: Type.Integer(),
  pending: Type.Integer({ description: 'Events staged but not yet chained' }),
  broken: Type.Union([
    Type.Object({ seq: Type.Integer(), id: Type.String(), reason: Type.String() }),
    Type.Null(),
  ]),
  lastSeq: Type.Optional(
    Type.Integer({ description: 'Segments only: the last event verified; the next segment starts after it' }),
  ),
  done: Type.Optional(Type.Boolean({ description: 'Segments only: true when the segment reached the head' })),
});

export const VerifyQuery = Type.Object({
  afterSeq: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        'Verify one segment: the events after this one (0 = from the start). Omit both to verify all',
    }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 20000, description: 'Events in the segment (default 2000)' }),
  ),
});

export const SeqParams = Type.Object({ seq: Type.Integer({ minimum: 1 }) });

export const AuditEventDetailSchema = Type.Object({
  ...AuditEventSchema.properties,
  prevHash: Type.String({ description: 'The hash of the event before (64 zeros for the first)' }),
  canonical: Type.String({ description: 'The canonical JSON content that is hashed' }),
  hashMatches: Type.Boolean({ description: 'SM3(prevHash ‖ "\\n" ‖ canonical) equals hash' }),
});
