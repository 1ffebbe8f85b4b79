/** The shapes the sharing pages read, from the server's TypeBox schemas (type-only imports). */
import type { Static } from '@fastify/type-provider-typebox';
import type {
  IssuedTokenSchema,
  SystemSchema,
  TokenSchema,
} from '../../../../src/modules/auth/auth.schema.js';
import type {
  AgreementSchema,
  UsageListSchema,
  UsageRecordSchema,
} from '../../../../src/modules/sharing/sharing.records.routes.js';
import type {
  ApplicationDetailSchema,
  ApplicationInputSchema,
  GrantItemSchema,
  GrantPage,
  GrantSchema,
} from '../../../../src/modules/sharing/sharing.schema.js';

export type ApplicationDetail = Static<typeof ApplicationDetailSchema>;
export type ApplicationEvent = ApplicationDetail['events'][number];
export type ApplicationMessage = ApplicationDetail['messages'][number];
export type ApplicationInput = Static<typeof ApplicationInputSchema>;
export type Grant = Static<typeof GrantSchema>;
export type GrantItem = Static<typeof GrantItemSchema>;
export type GrantPageT = Static<typeof GrantPage>;
export type Agreement = Static<typeof AgreementSchema>;
export type UsageList = Static<typeof UsageListSchema>;
export type UsageRecord = Static<typeof UsageRecordSchema>;
export type ConsumerSystem = Static<typeof SystemSchema>;
export type ApiToken = Static<typeof TokenSchema>;
export type IssuedToken = Static<typeof IssuedTokenSchema>;
