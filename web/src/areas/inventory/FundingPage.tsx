/**
 * 不予安排运维经费清单 (R2.6): systems that must connect to the platform and have not — what finance reads
 * to withhold O&M funds. Paged on the server (the register filtered to "must connect, not connected").
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { EmptyState, ErrorAlert, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import type { RegisterItem, RegisterPage } from './types';

export default function FundingPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const dir = useOrgDirectory();
  const list = useQuery({
    queryKey: ['inventory', 'funding', page, pageSize],
    queryFn: ({ signal }) =>
      api.get<RegisterPage>('/inventory/register', { status: 'not_connected', page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnsType<RegisterItem> = [
    {
      title: t('inventory.col.name'),
      dataIndex: 'name',
      render: (name: string, s) => <Link to={`/inventory/systems/${s.id}`}>{name}</Link>,
    },
    {
      title: t('inventory.col.org'),
      dataIndex: 'orgId',
      render: (id: string, s) => orgName(dir.data?.get(id), lang, s.orgName),
    },
    {
      title: t('inventory.field.fundingChannel'),
      dataIndex: 'fundingChannel',
      render: (v: string) => v || '—',
    },
    {
      title: t('inventory.col.omCost'),
      dataIndex: 'omCostWan',
      align: 'right',
      render: (v: number) => formatNumber(v, lang),
    },
    {
      title: t('inventory.col.disposition'),
      key: 'd',
      render: (_: unknown, s) => (s.disposition ? t(`inventory.disposition.${s.disposition}`) : '—'),
    },
  ];
  const sum = (list.data?.items ?? []).reduce((a, s) => a + s.omCostWan, 0);
  return (
    <>
      <PageTitle
        title={t('inventory.funding.title')}
        sub={<Typography.Text type="secondary">{t('inventory.funding.sub')}</Typography.Text>}
      />
      <Card size="small">
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table
            rowKey="id"
            data-testid="funding-table"
            loading={list.isFetching}
            columns={columns}
            dataSource={list.data?.items ?? []}
            locale={{
              emptyText: list.isPending ? <Loading /> : <EmptyState message={t('inventory.funding.empty')} />,
            }}
            footer={
              list.data && list.data.items.length > 0
                ? () => t('inventory.funding.sum', { sum: formatNumber(Math.round(sum * 100) / 100, lang) })
                : undefined
            }
            pagination={{
              current: page,
              pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => t('common.total', { total }),
              onChange: (p, s) => {
                setPage(p);
                setPageSize(s);
              },
            }}
          />
        )}
      </Card>
    </>
  );
}
