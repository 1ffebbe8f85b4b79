/**
 * 谁在使用: the grants on one entry (consumer organization and system, items with masking, validity,
 * state), paged on the server. Shown to the provider and the platform office on the entry's page.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { EmptyState, ErrorAlert } from '../../components/Feedback';
import { formatDate } from '../../format';
import { isMessageKey, useI18n } from '../../i18n';
import { useOrgName, useValueLabel } from '../../lookups';
import type { Consumer, ConsumerPage } from './types';

const STATUS_COLORS: Record<string, string> = {
  active: 'success',
  suspended: 'warning',
  revoked: 'error',
  expired: 'default',
};

export function EntryConsumers({ entryId }: { entryId: string }) {
  const { t, lang } = useI18n();
  const label = useValueLabel();
  const orgName = useOrgName();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const consumers = useQuery({
    queryKey: ['catalog', 'consumers', entryId, page, pageSize],
    queryFn: ({ signal }) =>
      api.get<ConsumerPage>(`/catalog/entries/${entryId}/consumers`, { page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
  if (consumers.isError) {
    return <ErrorAlert error={consumers.error} onRetry={() => void consumers.refetch()} />;
  }
  const statusLabel = (s: string) => {
    const key = `catalogUse.status.${s}`;
    return isMessageKey(key) ? t(key) : s;
  };
  const modeLabel = (m: string | null) => {
    if (!m) return '—';
    const key = `catalogUse.mode.${m}`;
    return isMessageKey(key) ? t(key) : m;
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t('catalogUse.hint')}</Typography.Paragraph>
      <Table<Consumer>
        data-testid="consumers-table"
        rowKey="grantId"
        size="small"
        loading={consumers.isFetching}
        dataSource={consumers.data?.items ?? []}
        tableLayout="fixed"
        scroll={{ x: 1000 }}
        locale={{
          emptyText: consumers.isPending ? (
            t('common.loading')
          ) : (
            <EmptyState message={t('catalogUse.empty')} hint={t('catalogUse.emptyHint')} />
          ),
        }}
        pagination={{
          current: page,
          pageSize,
          total: consumers.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50],
          hideOnSinglePage: (consumers.data?.total ?? 0) <= 10,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, s) => {
            setPage(s === pageSize ? p : 1);
            setPageSize(s);
          },
        }}
        columns={[
          {
            title: t('catalogUse.consumer'),
            key: 'consumer',
            width: 170,
            render: (_: unknown, c) => (
              <>
                <strong>
                  {lang === 'en' ? orgName(c.consumerOrgId, c.consumerOrgName) : c.consumerOrgName}
                </strong>
                <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
                  {c.consumerSystemName ?? t('catalogUse.noSystem')}
                </div>
              </>
            ),
          },
          {
            title: t('catalogUse.items'),
            key: 'items',
            render: (_: unknown, c) => (
              <Space size={[4, 4]} wrap>
                {c.items.map((i) => (
                  <Tooltip
                    key={i.name}
                    title={t('catalogUse.masking', { masking: label('maskings', i.masking) })}
                  >
                    <Tag color={i.masking === 'none' ? 'default' : 'processing'}>{i.name}</Tag>
                  </Tooltip>
                ))}
              </Space>
            ),
          },
          {
            title: t('catalogUse.purpose'),
            dataIndex: 'purpose',
            width: 200,
            render: (v: string) => v || '—',
          },
          {
            title: t('catalogUse.mode'),
            dataIndex: 'accessMode',
            width: 90,
            render: (m: string | null) => modeLabel(m),
          },
          {
            title: t('catalogUse.validity'),
            key: 'validity',
            width: 200,
            render: (_: unknown, c) => `${formatDate(c.validFrom)} ~ ${formatDate(c.validTo)}`,
          },
          {
            title: t('catalogUse.state'),
            key: 'status',
            width: 110,
            render: (_: unknown, c) => (
              <Tooltip title={c.statusReason ?? undefined}>
                <Tag color={STATUS_COLORS[c.status]}>{statusLabel(c.status)}</Tag>
              </Tooltip>
            ),
          },
          {
            title: t('catalogUse.grant'),
            key: 'app',
            width: 90,
            render: (_: unknown, c) => <Link to={`/sharing/grants/${c.grantId}`}>{t('common.view')}</Link>,
          },
        ]}
      />
    </>
  );
}
