/** Response types of the exchange pages, from the server's TypeBox schemas (type-only imports). */
import type { Static } from '@fastify/type-provider-typebox';
import type {
  IssuedTokenSchema,
  SystemSchema,
  TokenSchema,
} from '../../../../src/modules/auth/auth.schema.js';
import type {
  DeliveryRowSchema,
  SubscriptionRowSchema,
  SyncRunSchema,
} from '../../../../src/modules/exchange/exchange.console.routes.js';
import type { SourceSchema } from '../../../../src/modules/exchange/exchange.schema.js';
import type { SyncJobSchema } from '../../../../src/modules/exchange/exchange.sync.routes.js';
import type { GrantSchema } from '../../../../src/modules/sharing/sharing.schema.js';

export type Source = Static<typeof SourceSchema>;
export type SyncJob = Static<typeof SyncJobSchema>;
export type SyncRun = Static<typeof SyncRunSchema>;
export type SubscriptionRow = Static<typeof SubscriptionRowSchema>;
export type Delivery = Static<typeof DeliveryRowSchema>;
export type ConsumerSystem = Static<typeof SystemSchema>;
export type Token = Static<typeof TokenSchema>;
export type IssuedToken = Static<typeof IssuedTokenSchema>;
export type Grant = Static<typeof GrantSchema>;

/** GET /exchange/connection-rates (no response schema on the server; see ExchangeService.connectionRates). */
export interface ConnectionRate {
  orgId: string;
  orgName: string;
  sources: number;
  up: number;
  rateNow: number;
  checks: number;
  rateWindow: number | null;
}

/** GET /exchange/mounts (see ExchangeService.mounts). */
export interface Mount {
  entryId: string;
  code: string;
  entryName: string;
  sourceId: string;
  sourceName: string;
  orgId: string;
  relation: string;
  keyColumns: string[];
  mapping: Record<string, string>;
  watermarkColumn: string | null;
}

export interface Column {
  name: string;
  type: string;
  nullable: boolean;
}

/** POST /exchange/subscriptions answers the subscription with its signing secret (once). */
export interface SubscriptionCreated {
  id: string;
  mode: string;
  secret: string | null;
}
