/** One subscription's delivery log: every delivery with attempts, status and the next retry. */
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../../api';
import { ErrorAlert, Loading, NotFoundResult } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { DeliveryTable } from './DeliveryTable';
import { StatusFilter } from './Subscriptions';
import { SubscriptionStatusTag } from './tags';
import type { SubscriptionRow } from './types';

export default function SubscriptionDetail() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const [status, setStatus] = useState<string | undefined>();
  const sub = useQuery({
    queryKey: ['exchange', 'subscription', id],
    queryFn: ({ signal }) => api.get<SubscriptionRow>(`/exchange/subscriptions/${id}`, undefined, signal),
    staleTime: 0,
  });
  if (sub.isPending) return <Loading />;
  if (sub.isError) {
    if (sub.error instanceof ApiError && sub.error.status === 404) return <NotFoundResult />;
    return <ErrorAlert error={sub.error} onRetry={() => void sub.refetch()} />;
  }
  const s = sub.data;
  return (
    <>
      <PageTitle
        title={t('exchange.log.title')}
        sub={
          <Space>
            <Link to="/exchange/subscriptions">{t('exchange.subs.back')}</Link>
            {s ? <SubscriptionStatusTag status={s.status} /> : null}
          </Space>
        }
      />
      {s ? (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('exchange.sync.resource')}>
              {`${s.resource ?? ''} ${s.entryName ?? ''}`.trim() || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.subs.mode')}>
              <Tag>{s.mode === 'webhook' ? t('exchange.subs.webhook') : t('exchange.subs.pull')}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.subs.url')}>
              {s.url ?? t('exchange.subs.pullHint')}
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.subs.counts')}>
              {t('exchange.log.counts', { pending: s.pending, delivered: s.delivered, dead: s.dead })}
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.subs.createdAt')}>
              {formatDateTime(s.createdAt)}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      ) : null}
      <Card
        size="small"
        title={t('exchange.log.deliveries')}
        extra={<StatusFilter value={status} onChange={setStatus} />}
      >
        <DeliveryTable
          subscriptionId={id}
          status={status}
          emptyMessage={
            s?.mode === 'pull'
              ? t('exchange.log.emptyPull')
              : status
                ? t('exchange.log.noMatch')
                : t('exchange.log.empty')
          }
          emptyHint={s?.mode === 'pull' ? undefined : t('exchange.log.emptyHint')}
        />
      </Card>
    </>
  );
}
