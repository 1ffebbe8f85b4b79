/**
 * 共享授权: the grants my organization holds as consumer or gives as provider (the platform office and
 * auditors see all), filtered by role and status and paged on the server.
 */
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { Card, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api';
import { EmptyState, ErrorAlert } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgName } from '../../lookups';
import type { Entry } from '../../types';
import { GRANT_STATUS_COLORS, GrantStatusTag, useCodeLabel } from './common';
import type { Grant, GrantPageT } from './types';

const PAGE_SIZE = 20;
const ROLES = ['consumer', 'provider'] as const;

/** The names of the resources on this page (each entry fetched once and cached with the catalog's). */
export function useEntryNames(ids: (string | null)[]): Map<string, Entry> {
  const unique = [...new Set(ids.filter((x): x is string => x !== null))];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['catalog', 'entry', id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<Entry>(`/catalog/entries/${id}`, undefined, signal),
      staleTime: 5 * 60 * 1000,
    })),
  });
  const map = new Map<string, Entry>();
  for (const r of results) if (r.data) map.set(r.data.id, r.data);
  return map;
}

export default function Grants() {
  const { t, lang } = useI18n();
  const code = useCodeLabel();
  const orgName = useOrgName();
  const roleId = useId();
  const statusId = useId();
  const [params, setParams] = useSearchParams();
  const role = ROLES.find((r) => r === params.get('role'));
  const status = params.get('status') ?? undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const update = (next: { role?: string | undefined; status?: string | undefined; page?: number }) => {
    const p = new URLSearchParams();
    const r = 'role' in next ? next.role : role;
    const s = 'status' in next ? next.status : status;
    if (r) p.set('role', r);
    if (s) p.set('status', s);
    if ((next.page ?? 1) > 1) p.set('page', String(next.page));
    setParams(p, { replace: true });
  };
  const q = useQuery({
    queryKey: ['sharing', 'grants', role, status, page],
    queryFn: ({ signal }) =>
      api.get<GrantPageT>('/sharing/grants', { role, status, page, pageSize: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });
  const entries = useEntryNames((q.data?.items ?? []).map((g) => g.entryId));

  const columns: ColumnsType<Grant> = [
    {
      title: t('sharing.grants.col.resource'),
      key: 'resource',
      render: (_: unknown, g) => {
        const e = g.entryId ? entries.get(g.entryId) : undefined;
        return (
          <Link to={`/sharing/grants/${g.id}`} data-testid="grant-link">
            {e?.name ?? t('sharing.grant.title')}
          </Link>
        );
      },
    },
    {
      title: t('sharing.grants.col.consumer'),
      dataIndex: 'consumerOrgId',
      render: (id: string) => orgName(id),
    },
    {
      title: t('sharing.grants.col.provider'),
      dataIndex: 'providerOrgId',
      render: (id: string) => orgName(id),
    },
    {
      title: t('sharing.grants.col.items'),
      dataIndex: 'items',
      render: (items: Grant['items']) => (
        <Typography.Text title={items.map((i) => i.name).join('、')}>
          {t('sharing.grants.itemsN', { n: items.length })}
        </Typography.Text>
      ),
    },
    {
      title: t('sharing.grant.purpose'),
      dataIndex: 'purposeCategory',
      render: (c: string | null) => code('purpose', c),
    },
    {
      title: t('sharing.grants.col.validity'),
      key: 'validity',
      render: (_: unknown, g) => `${formatDate(g.validFrom)} ~ ${formatDate(g.validTo)}`,
    },
    {
      title: t('sharing.grants.col.quota'),
      dataIndex: 'dailyQuota',
      align: 'right',
      render: (n: number) => formatNumber(n, lang),
    },
    {
      title: t('sharing.grants.col.status'),
      dataIndex: 'status',
      render: (s: string) => <GrantStatusTag status={s} />,
    },
  ];

  const filtered = Boolean(role || status);
  return (
    <div data-testid="grants-list">
      <PageTitle title={t('sharing.grants.title')} />
      <Card>
        <Space wrap style={{ marginBottom: 16 }} size={16}>
          <Space>
            <label htmlFor={roleId}>{t('sharing.grants.role')}</label>
            <Select
              id={roleId}
              style={{ width: 160 }}
              value={role ?? ''}
              onChange={(v: string) => update({ role: v || undefined, page: 1 })}
              options={[
                { value: '', label: t('sharing.grants.roleAll') },
                { value: 'consumer', label: t('sharing.grants.roleConsumer') },
                { value: 'provider', label: t('sharing.grants.roleProvider') },
              ]}
            />
          </Space>
          <Space>
            <label htmlFor={statusId}>{t('sharing.grants.status')}</label>
            <Select
              id={statusId}
              style={{ width: 160 }}
              value={status ?? ''}
              onChange={(v: string) => update({ status: v || undefined, page: 1 })}
              options={[
                { value: '', label: t('sharing.grants.statusAll') },
                ...Object.keys(GRANT_STATUS_COLORS).map((s) => ({
                  value: s,
                  label: <Tag color={GRANT_STATUS_COLORS[s]}>{code('grantStatus', s)}</Tag>,
                })),
              ]}
            />
          </Space>
        </Space>
        {q.isError ? (
          <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table<Grant>
            rowKey="id"
            columns={columns}
            dataSource={q.data?.items ?? []}
            loading={q.isFetching}
            locale={{
              emptyText: (
                <EmptyState
                  testId="grants-empty"
                  message={t('sharing.grants.empty')}
                  hint={filtered ? t('sharing.list.emptyHintFiltered') : t('sharing.grants.emptyHint')}
                />
              ),
            }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: q.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (total) => t('common.total', { total }),
              onChange: (p) => update({ page: p }),
            }}
          />
        )}
      </Card>
    </div>
  );
}
