/**
 * The self-check campaign's rules (自查 + 核查, R2.2), pure: who verifies in which capacity, what a report's
 * status is given its items, and which transitions are allowed. The service applies them in transactions.
 *
 *   report:  pending ──submit──▶ submitted ──(an item sent back)──▶ returned ──resubmit──▶ submitted
 *                                    └──(every item verified)──▶ verified ──(an item sent back)──▶ returned
 *   item:    pending ──verify──▶ verified ──(send back)──▶ returned ──(department resubmits)──▶ pending
 *            pending ──send back──▶ returned
 */
import type { Role } from '../auth/auth.table.js';

export const CAMPAIGN_STATUSES = ['open', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const REPORT_STATUSES = ['pending', 'submitted', 'returned', 'verified'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const ITEM_STATUSES = ['pending', 'verified', 'returned'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
/** The three verifying parties of seed 000: the platform office, audit, finance. */
export const CAPACITIES = ['platform', 'audit', 'finance'] as const;
export type Capacity = (typeof CAPACITIES)[number];
export const CAPACITY_ZH: Record<Capacity, string> = { platform: '政务办', audit: '审计', finance: '财政' };

/**
 * The capacity a user verifies in: the platform administrator for the platform office, the auditor for
 * audit, and the head (dept_admin) of the organization the campaign names as its finance bureau.
 */
export function capacityOf(role: Role, orgId: string, financeOrgId: string | null): Capacity | null {
  if (role === 'platform_admin') return 'platform';
  if (role === 'auditor') return 'audit';
  if (role === 'dept_admin' && financeOrgId !== null && orgId === financeOrgId) return 'finance';
  return null;
}

/** A department may submit while the campaign is open and its report is pending or was sent back. */
export function canSubmit(campaign: CampaignStatus, report: ReportStatus): boolean {
  return campaign === 'open' && (report === 'pending' || report === 'returned');
}

/**
 * Items may be checked once the report has been submitted: also while other items are sent back, and
 * after every item is verified (another party adds its own check, or still sends one back).
 */
export function canCheck(report: ReportStatus): boolean {
  return report !== 'pending';
}

export function canVerifyItem(item: ItemStatus): boolean {
  return item === 'pending' || item === 'verified';
}

export function canReturnItem(item: ItemStatus): boolean {
  return item === 'pending' || item === 'verified';
}

/** A submitted report's status from its items: any sent back → returned; all verified → verified. */
export function reportStatusOf(items: readonly ItemStatus[]): Exclude<ReportStatus, 'pending'> {
  if (items.some((s) => s === 'returned')) return 'returned';
  if (items.length > 0 && items.every((s) => s === 'verified')) return 'verified';
  return 'submitted';
}

/** China calendar day of an instant. */
export function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Whether a department is late: still not submitted after the deadline day, or first submitted after it.
 */
export function isLate(deadline: string, today: string, firstSubmittedOn: string | null): boolean {
  if (firstSubmittedOn === null) return today > deadline;
  return firstSubmittedOn > deadline;
}
