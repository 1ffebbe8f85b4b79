/** The delivery log (one subscription's, or the dead letters of the department), paged on the server. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading } from '../../components/Feedback';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useMe } from '../../session';
import type { Page } from '../../types';
import { DeliveryStatusTag } from './tags';
import type { Delivery } from './types';

const PAGE_SIZE = 10;

export function DeliveryTable({
  subscriptionId,
  status,
  emptyMessage,
  emptyHint,
}: {
  subscriptionId?: string;
  status?: string;
  emptyMessage: string;
  emptyHint?: string;
}) {
  const { t, lang } = useI18n();
  const me = useMe();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const canWrite = me.permissions.includes('exchange.write');
  const [page, setPage] = useState(1);
  const [lastKey, setLastKey] = useState(`${subscriptionId}|${status}`);
  const key = `${subscriptionId}|${status}`;
  if (key !== lastKey) {
    setLastKey(key);
    setPage(1);
  }

  const list = useQuery({
    queryKey: ['exchange', 'deliveries', subscriptionId ?? null, status ?? null, page],
    queryFn: ({ signal }) =>
      api.get<Page<Delivery>>(
        '/exchange/deliveries',
        { subscriptionId, status, page, pageSize: PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
    // Live state: always ask the server when the page opens.
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'pending') ? 5000 : false),
  });
  const retry = useMutation({
    mutationFn: (id: number) => api.post<Delivery>(`/exchange/deliveries/${id}/redeliver`),
    onSuccess: (d) => {
      void message.success(t('exchange.dead.retried', { id: d.id }));
      void queryClient.invalidateQueries({ queryKey: ['exchange', 'deliveries'] });
      void queryClient.invalidateQueries({ queryKey: ['exchange', 'subscriptions'] });
    },
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });
  const confirmRetry = (d: Delivery) =>
    modal.confirm({
      title: t('exchange.dead.retryConfirm', { id: d.id }),
      content: t('exchange.dead.retryHint'),
      okText: t('exchange.dead.retry'),
      cancelText: t('common.cancel'),
      onOk: () => retry.mutateAsync(d.id),
    });

  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Table<Delivery>
      rowKey="id"
      size="small"
      loading={list.isFetching}
      dataSource={list.data?.items ?? []}
      data-testid="delivery-table"
      locale={{
        emptyText: list.isPending ? <Loading /> : <EmptyState message={emptyMessage} hint={emptyHint} />,
      }}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: list.data?.total ?? 0,
        showTotal: (total) => t('common.total', { total }),
        onChange: setPage,
      }}
      columns={[
        { title: t('exchange.delivery.id'), dataIndex: 'id', width: 80 },
        { title: t('exchange.delivery.resource'), dataIndex: 'resource', width: 130 },
        { title: t('exchange.delivery.seq'), dataIndex: 'changeSeq', width: 90 },
        {
          title: t('exchange.delivery.status'),
          dataIndex: 'status',
          width: 100,
          render: (s: string) => <DeliveryStatusTag status={s} />,
        },
        { title: t('exchange.delivery.attempts'), dataIndex: 'attempts', width: 90 },
        {
          title: t('exchange.delivery.next'),
          key: 'next',
          width: 160,
          render: (_, d) =>
            d.status === 'pending'
              ? formatDateTime(d.nextAttemptAt)
              : d.status === 'delivered'
                ? t('exchange.delivery.deliveredAt', { at: formatDateTime(d.deliveredAt) })
                : '—',
        },
        {
          title: t('exchange.delivery.lastError'),
          dataIndex: 'lastError',
          ellipsis: true,
          render: (e: string | null) =>
            e ? (
              <Tooltip title={e}>
                <Typography.Text type="danger">{e}</Typography.Text>
              </Tooltip>
            ) : (
              '—'
            ),
        },
        ...(status === 'dead' && canWrite
          ? [
              {
                title: t('exchange.actions'),
                key: 'actions',
                width: 100,
                render: (_: unknown, d: Delivery) => (
                  <Button
                    size="small"
                    onClick={() => confirmRetry(d)}
                    loading={retry.isPending && retry.variables === d.id}
                    aria-label={t('exchange.dead.retryAria', { id: d.id })}
                  >
                    {t('exchange.dead.retry')}
                  </Button>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
