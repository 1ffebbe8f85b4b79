/** Loading, error and empty states that every page shows the same way. */
import { Alert, Button, Empty, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n';

export function errorText(error: unknown, lang: 'zh-CN' | 'en', fallback: string): string {
  return error instanceof ApiError ? error.text(lang) : fallback;
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, lang } = useI18n();
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={t('common.loadFailed')}
      description={errorText(error, lang, t('common.unexpected'))}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

export function Loading({ tip }: { tip?: string }) {
  const { t } = useI18n();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} role="status" aria-live="polite">
      <Spin />
      <div style={{ marginTop: 12, color: 'rgba(0,0,0,0.45)' }}>{tip ?? t('common.loading')}</div>
    </div>
  );
}

/** An empty state always says why it is empty and, where useful, what to do. */
export function EmptyState({
  message,
  hint,
  testId,
}: {
  message: string;
  hint?: ReactNode;
  testId?: string;
}) {
  return (
    <Empty
      data-testid={testId}
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <span>
          <span style={{ display: 'block' }}>{message}</span>
          {hint ? (
            <span style={{ display: 'block', color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>{hint}</span>
          ) : null}
        </span>
      }
    />
  );
}

export function NotFoundResult() {
  const { t } = useI18n();
  return <Result status="404" title={t('nav.notFound')} subTitle={t('nav.notFoundHint')} />;
}

export function ForbiddenResult() {
  const { t } = useI18n();
  return <Result status="403" title={t('nav.forbidden')} subTitle={t('nav.forbiddenHint')} />;
}
