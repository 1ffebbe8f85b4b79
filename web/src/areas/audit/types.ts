/** Response types of the audit pages, taken from the server's TypeBox schemas (type-only imports). */
import type { Static } from '@fastify/type-provider-typebox';
import type {
  AuditEventDetailSchema,
  AuditEventSchema,
  AuditPage,
  VerifySchema,
} from '../../../../src/modules/audit/audit.schema.js';

export type AuditEvent = Static<typeof AuditEventSchema>;
export type AuditEventPage = Static<typeof AuditPage>;
export type AuditEventDetail = Static<typeof AuditEventDetailSchema>;
export type VerifyResult = Static<typeof VerifySchema>;

/** Tag colours of an event's outcome. */
export const OUTCOME_COLORS: Record<string, string> = { ok: 'green', denied: 'orange', error: 'red' };
