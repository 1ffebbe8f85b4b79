/** The page's heading (one h1 per page) and the browser tab's title. */
import { Typography } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useI18n } from '../i18n';

export function PageTitle({ title, extra, sub }: { title: string; extra?: ReactNode; sub?: ReactNode }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t('app.short')}`;
  }, [title, t]);
  return (
    <div className="gs-page-title">
      <div style={{ minWidth: 0 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {sub ? <div style={{ marginTop: 4 }}>{sub}</div> : null}
      </div>
      {extra ? <div>{extra}</div> : null}
    </div>
  );
}
