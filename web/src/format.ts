/** Dates and numbers as officers read them: 2026-11-25, 2026-11-25 14:03, 3,052,400. */
import dayjs from 'dayjs';
import type { Lang } from './i18n';

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD') : value;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : value;
}

export function formatNumber(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN').format(value);
}
