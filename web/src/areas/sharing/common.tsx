/** Pieces every sharing page shares: status tags, value labels of the sharing module, the deadline cell. */
import { type FormInstance, Space, Tag, Typography } from 'antd';
import { ApiError, applyProblemToForm, type FieldProblem } from '../../api';
import { WorkdaysLeft } from '../../components/Countdown';
import { formatDate } from '../../format';
import { isMessageKey, type Lang, useI18n } from '../../i18n';
import { useValueLabel } from '../../lookups';
import type { Application } from '../../types';

export const APP_STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  awaiting_internal: 'gold',
  submitted: 'processing',
  returned: 'warning',
  approved: 'cyan',
  refused: 'error',
  negotiating: 'purple',
  coordinating: 'purple',
  upper_coordinating: 'purple',
  awaiting_decision: 'magenta',
  decided: 'cyan',
  supplied: 'success',
  closed: 'default',
  withdrawn: 'default',
};

export const APP_STATUSES = Object.keys(APP_STATUS_COLORS);

export const GRANT_STATUS_COLORS: Record<string, string> = {
  active: 'success',
  suspended: 'warning',
  revoked: 'error',
  expired: 'default',
};

export const PURPOSE_CATEGORIES = [
  'administrative_basis',
  'work_reference',
  'data_verification',
  'business_collaboration',
] as const;
export const ACCESS_MODES = ['api', 'database', 'file', 'online_query', 'batch_download'] as const;
/** What a provider may ask to be completed (sharing.service.ts APPLICATION_FIELDS). */
export const MISSING_FIELDS = [
  'requestedItems',
  'basis',
  'scenario',
  'purposeCategory',
  'purpose',
  'scope',
  'accessMode',
  'period',
  'consumerSystemId',
  'attachment',
  'other',
] as const;

/** A word of the sharing area built from a code (`sharing.purpose.${code}`), or the code itself. */
export function useCodeLabel(): (prefix: string, code: string | null | undefined) => string {
  const { t } = useI18n();
  return (prefix, code) => {
    if (code === null || code === undefined || code === '') return '—';
    const key = `sharing.${prefix}.${code}`;
    return isMessageKey(key) ? t(key) : code;
  };
}

export function AppStatusTag({ status }: { status: string }) {
  const label = useValueLabel();
  return (
    <Tag color={APP_STATUS_COLORS[status] ?? 'default'} data-testid="app-status">
      {label('appStatuses', status)}
    </Tag>
  );
}

export function GrantStatusTag({ status }: { status: string }) {
  const code = useCodeLabel();
  return (
    <Tag color={GRANT_STATUS_COLORS[status] ?? 'default'} data-testid="grant-status">
      {code('grantStatus', status)}
    </Tag>
  );
}

/** The deadline now running (answer, or supply after a yes) and the working days left to it. */
export function currentDue(a: Application): string | null {
  if (a.status === 'submitted') return a.dueOn;
  if (a.status === 'approved' || a.status === 'decided') return a.supplyDue;
  return null;
}

export function DueCell({ app }: { app: Application }) {
  const due = currentDue(app);
  if (!due) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} wrap>
      <span>{formatDate(due)}</span>
      <WorkdaysLeft left={app.workdaysLeft} />
    </Space>
  );
}

export interface FormProblem {
  message: string;
  unmatched: FieldProblem[];
}

/**
 * Puts the server's field problems under their controls (and scrolls to the first); returns what is
 * left for an alert above the form: nothing when every problem found its field, else the message and
 * the problems no control took.
 */
export function showProblem(form: FormInstance, error: unknown, lang: Lang): FormProblem | null {
  const r = applyProblemToForm(form, error, lang);
  const fields = error instanceof ApiError ? error.problem.fields.length : 0;
  const first = form.getFieldsError().find((f) => f.errors.length > 0);
  if (first) form.scrollToField(first.name, { block: 'center' });
  return fields > 0 && r.unmatched.length === 0 ? null : r;
}
