/** Working days left to a statutory deadline, coloured as it nears: the server counts on the calendar. */
import { Tag } from 'antd';
import { useI18n } from '../i18n';

export function WorkdaysLeft({ left }: { left: number | null }) {
  const { t } = useI18n();
  if (left === null) return <Tag>{t('workbench.left.none')}</Tag>;
  if (left < 0) return <Tag color="error">{t('workbench.left.overdue', { n: -left })}</Tag>;
  if (left === 0) return <Tag color="warning">{t('workbench.left.today')}</Tag>;
  return <Tag color={left <= 2 ? 'warning' : 'processing'}>{t('workbench.left.days', { n: left })}</Tag>;
}
