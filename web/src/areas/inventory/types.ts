/** The inventory pages' response and request types, from the server's own TypeBox schemas (type-only). */
import type { Static } from '@fastify/type-provider-typebox';
import type {
  CampaignDetailSchema,
  CampaignPageSchema,
  CampaignSchema,
  FlagSchema,
  ItemSchema,
  RegisterItemSchema,
  RegisterPageSchema,
  ReportDetailSchema,
  ReportSummarySchema,
  StatsSchema,
  SystemInputSchema,
  SystemViewSchema,
} from '../../../../src/modules/inventory/inventory.schema.js';

export type SystemInput = Static<typeof SystemInputSchema>;
export type SystemView = Static<typeof SystemViewSchema>;
export type RegisterItem = Static<typeof RegisterItemSchema>;
export type RegisterPage = Static<typeof RegisterPageSchema>;
export type Flag = Static<typeof FlagSchema>;
export type Stats = Static<typeof StatsSchema>;
export type Campaign = Static<typeof CampaignSchema>;
export type CampaignPage = Static<typeof CampaignPageSchema>;
export type CampaignDetail = Static<typeof CampaignDetailSchema>;
export type ReportSummary = Static<typeof ReportSummarySchema>;
export type ReportDetail = Static<typeof ReportDetailSchema>;
export type ReportItem = Static<typeof ItemSchema>;

export const NETWORKS = ['extranet', 'intranet', 'private', 'internet'] as const;
export const DEPLOYMENTS = ['gov_cloud', 'own_room'] as const;
export const DISPOSITIONS = ['integrate', 'retire', 'standardize', 'connect', 'migrate_cloud'] as const;
export const FLAG_KINDS = ['zombie', 'shadow', 'single_unit'] as const;
export const STATUSES = ['connected', 'not_connected', 'not_required'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export type FlagKind = (typeof FLAG_KINDS)[number];
export type ConnStatus = (typeof STATUSES)[number];

export function connStatus(s: { connected: boolean; mustConnect: boolean }): ConnStatus {
  return s.connected ? 'connected' : s.mustConnect ? 'not_connected' : 'not_required';
}

/** Roles that see every department (the permission table's 'any' scope for inventory.read). */
export function seesAll(role: string): boolean {
  return role === 'platform_admin' || role === 'auditor';
}
