/** The whole database as Kysely sees it: one interface assembled from each module's tables. */
import type {
  AuditBlockTable,
  AuditEventTable,
  AuditHeadTable,
  AuditOutboxTable,
} from '../modules/audit/audit.table.js';
import type {
  ApiTokenTable,
  AppUserTable,
  ConsumerSystemTable,
  UserSessionTable,
} from '../modules/auth/auth.table.js';
import type { CalendarDayTable, CalendarYearTable } from '../modules/calendar/calendar.table.js';
import type {
  CatalogChangeTable,
  CatalogCodeSeqTable,
  CatalogDemandTable,
  CatalogEntryTable,
  CatalogItemTable,
  CatalogReviewLogTable,
  CatalogUpdateTaskTable,
  CatalogVersionTable,
} from '../modules/catalog/catalog.table.js';
import type {
  ExchangeChangeTable,
  ExchangeDeliveryTable,
  ExchangeFileSourceTable,
  ExchangeFileTable,
  ExchangeMountTable,
  ExchangeQuotaTable,
  ExchangeSourceCheckTable,
  ExchangeSourceTable,
  ExchangeSubscriptionTable,
  ExchangeSyncFileChunkTable,
  ExchangeSyncFilePartTable,
  ExchangeSyncFileStateTable,
  ExchangeSyncJobTable,
} from '../modules/exchange/exchange.table.js';
import type {
  InventoryCampaignTable,
  InventoryFlagTable,
  InventorySelfcheckItemTable,
  InventorySelfcheckTable,
  InventorySystemTable,
} from '../modules/inventory/inventory.table.js';
import type { OfficerAssignmentTable, OrganizationTable } from '../modules/orgs/orgs.table.js';
import type {
  PolicyOverrideTable,
  PolicyPresetTable,
  PolicyRuleTable,
  PolicySettingTable,
} from '../modules/policy/policy.table.js';
import type {
  ProjectCatalogLinkTable,
  ProjectDocumentTable,
  ProjectExpertTable,
  ProjectStageTable,
  ProjectStepTable,
  ProjectTable,
} from '../modules/projects/projects.table.js';
import type {
  ReminderTable,
  ShareAgreementTable,
  ShareApplicationSeqTable,
  ShareApplicationTable,
  ShareEventTable,
  ShareGrantTable,
  ShareMessageTable,
  ShareUsageRecordTable,
  ShareViolationTable,
} from '../modules/sharing/sharing.table.js';

export interface Database {
  organization: OrganizationTable;
  officer_assignment: OfficerAssignmentTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  consumer_system: ConsumerSystemTable;
  api_token: ApiTokenTable;
  /** A view: every event, from its row or from its block. */
  audit_event: AuditEventTable;
  audit_event_row: AuditEventTable;
  audit_block: AuditBlockTable;
  audit_outbox: AuditOutboxTable;
  audit_head: AuditHeadTable;
  calendar_day: CalendarDayTable;
  calendar_year: CalendarYearTable;
  policy_preset: PolicyPresetTable;
  policy_rule: PolicyRuleTable;
  policy_setting: PolicySettingTable;
  policy_override: PolicyOverrideTable;
  catalog_code_seq: CatalogCodeSeqTable;
  catalog_entry: CatalogEntryTable;
  catalog_item: CatalogItemTable;
  catalog_version: CatalogVersionTable;
  catalog_review_log: CatalogReviewLogTable;
  catalog_change: CatalogChangeTable;
  catalog_update_task: CatalogUpdateTaskTable;
  catalog_demand: CatalogDemandTable;
  share_application: ShareApplicationTable;
  share_application_seq: ShareApplicationSeqTable;
  share_event: ShareEventTable;
  share_message: ShareMessageTable;
  share_grant: ShareGrantTable;
  share_agreement: ShareAgreementTable;
  share_usage_record: ShareUsageRecordTable;
  reminder: ReminderTable;
  share_violation: ShareViolationTable;
  exchange_source: ExchangeSourceTable;
  exchange_source_check: ExchangeSourceCheckTable;
  exchange_mount: ExchangeMountTable;
  exchange_quota: ExchangeQuotaTable;
  exchange_sync_job: ExchangeSyncJobTable;
  exchange_file: ExchangeFileTable;
  exchange_subscription: ExchangeSubscriptionTable;
  exchange_change: ExchangeChangeTable;
  exchange_delivery: ExchangeDeliveryTable;
  exchange_file_source: ExchangeFileSourceTable;
  exchange_sync_file_state: ExchangeSyncFileStateTable;
  exchange_sync_file_chunk: ExchangeSyncFileChunkTable;
  exchange_sync_file_part: ExchangeSyncFilePartTable;
  inventory_system: InventorySystemTable;
  inventory_flag: InventoryFlagTable;
  project: ProjectTable;
  project_stage: ProjectStageTable;
  project_step: ProjectStepTable;
  project_document: ProjectDocumentTable;
  project_catalog_link: ProjectCatalogLinkTable;
  project_expert: ProjectExpertTable;
  inventory_campaign: InventoryCampaignTable;
  inventory_selfcheck: InventorySelfcheckTable;
  inventory_selfcheck_item: InventorySelfcheckItemTable;
}
