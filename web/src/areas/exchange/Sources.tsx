/**
 * 数据源: the department's sources with kind, status and last check, a connection-rate chart per
 * department, registration and change (password write-only) and "test connection" with its result.
 */
import { ApiOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgName } from '../../lookups';
import { useMe } from '../../session';
import type { Page } from '../../types';
import { SourceForm } from './SourceForm';
import { SourceStatusTag } from './tags';
import type { ConnectionRate, Source } from './types';

const Chart = lazy(() => import('../../components/Chart'));
const PAGE_SIZE = 10;

export default function Sources() {
  const { t, lang } = useI18n();
  const me = useMe();
  const orgName = useOrgName();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const canWrite = me.permissions.includes('exchange.write');
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Source | null | 'new'>(null);
  const [testing, setTesting] = useState<string | null>(null);

  const list = useQuery({
    queryKey: ['exchange', 'sources', page, status, q],
    queryFn: ({ signal }) =>
      api.get<Page<Source>>(
        '/exchange/paged/sources',
        { page, pageSize: PAGE_SIZE, status, q: q || undefined },
        signal,
      ),
    placeholderData: keepPreviousData,
    // Live state: always ask the server when the page opens.
    staleTime: 0,
  });
  const rates = useQuery({
    queryKey: ['exchange', 'connection-rates'],
    queryFn: ({ signal }) => api.get<ConnectionRate[]>('/exchange/connection-rates', undefined, signal),
  });

  const test = useMutation({
    mutationFn: (id: string) =>
      api.post<{ ok: boolean; latencyMs: number; error: string | null }>(`/exchange/sources/${id}/test`),
    onMutate: (id) => setTesting(id),
    onSettled: () => setTesting(null),
    onSuccess: (r, id) => {
      const name = list.data?.items.find((s) => s.id === id)?.name ?? '';
      if (r.ok) void message.success(t('exchange.source.testOk', { name, ms: r.latencyMs }));
      else void message.error(t('exchange.source.testFailed', { name, error: r.error ?? '' }), 8);
      void queryClient.invalidateQueries({ queryKey: ['exchange', 'sources'] });
      void queryClient.invalidateQueries({ queryKey: ['exchange', 'connection-rates'] });
    },
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });

  const chartOption = useMemo(() => {
    const rows = (rates.data ?? []).filter((r) => r.sources > 0);
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      legend: { data: [t('exchange.rate.now'), t('exchange.rate.window')], bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 72 },
      xAxis: {
        type: 'category',
        data: rows.map((r) => orgName(r.orgId, r.orgName)),
        axisLabel: { interval: 0, width: 140, overflow: 'break' },
      },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: t('exchange.rate.now'),
          type: 'bar',
          barMaxWidth: 28,
          data: rows.map((r) => Math.round(r.rateNow * 1000) / 10),
        },
        {
          name: t('exchange.rate.window'),
          type: 'bar',
          barMaxWidth: 28,
          data: rows.map((r) => (r.rateWindow === null ? null : Math.round(r.rateWindow * 1000) / 10)),
        },
      ],
    };
  }, [rates.data, t, orgName]);

  const rateRows = (rates.data ?? []).filter((r) => r.sources > 0);

  return (
    <>
      <PageTitle
        title={t('exchange.sources.title')}
        sub={<Typography.Text type="secondary">{t('exchange.sources.sub')}</Typography.Text>}
        extra={
          canWrite ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('exchange.source.create')}
            </Button>
          ) : null
        }
      />
      <Card title={t('exchange.rate.title')} size="small" style={{ marginBottom: 16 }}>
        {rates.isPending ? (
          <Loading />
        ) : rates.isError ? (
          <ErrorAlert error={rates.error} onRetry={() => void rates.refetch()} />
        ) : rateRows.length === 0 ? (
          <EmptyState message={t('exchange.rate.empty')} hint={t('exchange.rate.emptyHint')} />
        ) : (
          <Suspense fallback={<Loading />}>
            <Chart
              option={chartOption}
              height={240}
              ariaLabel={t('exchange.rate.aria', {
                list: rateRows
                  .map((r) => `${orgName(r.orgId, r.orgName)} ${Math.round(r.rateNow * 100)}%`)
                  .join('，'),
              })}
              testId="exchange-rate-chart"
            />
          </Suspense>
        )}
      </Card>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            aria-label={t('exchange.sources.search')}
            placeholder={t('exchange.sources.search')}
            onSearch={(v) => {
              setQ(v.trim());
              setPage(1);
            }}
            style={{ width: 240 }}
          />
          <Select
            allowClear
            aria-label={t('exchange.sources.statusFilter')}
            placeholder={t('exchange.sources.statusFilter')}
            style={{ width: 160 }}
            value={status}
            onChange={(v: string | undefined) => {
              setStatus(v);
              setPage(1);
            }}
            options={(['up', 'down', 'unknown'] as const).map((s) => ({
              value: s,
              label: t(`exchange.status.${s}`),
            }))}
          />
        </Space>
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<Source>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            locale={{
              emptyText: list.isPending ? (
                <Loading />
              ) : (
                <EmptyState
                  message={q || status ? t('exchange.sources.noMatch') : t('exchange.sources.empty')}
                  hint={canWrite ? t('exchange.sources.emptyHint') : undefined}
                />
              ),
            }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: list.data?.total ?? 0,
              showTotal: (total) => t('common.total', { total }),
              onChange: setPage,
            }}
            columns={[
              {
                title: t('exchange.source.name'),
                dataIndex: 'name',
                render: (_, s) => (
                  <Link to={`/exchange/sources/${s.id}`} data-testid="source-link">
                    {s.name}
                  </Link>
                ),
              },
              {
                title: t('exchange.source.kind'),
                dataIndex: 'kind',
                width: 140,
                render: (k: string) => <Tag>{t(kindKey(k))}</Tag>,
              },
              {
                title: t('exchange.source.org'),
                dataIndex: 'orgId',
                width: 160,
                render: (id: string) => orgName(id),
              },
              {
                title: t('exchange.source.status'),
                dataIndex: 'status',
                width: 130,
                render: (_, s) => (
                  <Tooltip title={s.lastError ?? undefined}>
                    <span>
                      <SourceStatusTag status={s.status} />
                    </span>
                  </Tooltip>
                ),
              },
              {
                title: t('exchange.source.lastCheck'),
                dataIndex: 'lastCheckedAt',
                width: 200,
                render: (_, s) =>
                  s.lastCheckedAt
                    ? `${formatDateTime(s.lastCheckedAt)}${
                        s.lastLatencyMs !== null ? ` · ${formatNumber(s.lastLatencyMs, lang)} ms` : ''
                      }`
                    : t('exchange.source.neverChecked'),
              },
              {
                title: t('exchange.actions'),
                key: 'actions',
                width: 220,
                render: (_, s) =>
                  canWrite && s.kind !== 'file' ? (
                    <Space size="small">
                      <Button
                        size="small"
                        icon={<ApiOutlined />}
                        loading={testing === s.id}
                        disabled={testing !== null && testing !== s.id}
                        onClick={() => test.mutate(s.id)}
                        aria-label={t('exchange.source.testAria', { name: s.name })}
                      >
                        {testing === s.id ? t('exchange.source.testing') : t('exchange.source.test')}
                      </Button>
                      <Button
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => setEditing(s)}
                        aria-label={t('exchange.source.editAria', { name: s.name })}
                      >
                        {t('exchange.edit')}
                      </Button>
                    </Space>
                  ) : (
                    <Link to={`/exchange/sources/${s.id}`}>{t('common.view')}</Link>
                  ),
              },
            ]}
          />
        )}
      </Card>
      <SourceForm
        open={editing !== null}
        source={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={(s) => {
          void message.success(t('exchange.source.saved', { name: s.name }));
          setEditing(null);
          void queryClient.invalidateQueries({ queryKey: ['exchange', 'sources'] });
          void queryClient.invalidateQueries({ queryKey: ['exchange', 'source', s.id] });
        }}
      />
    </>
  );
}

export function kindKey(kind: string) {
  switch (kind) {
    case 'mysql':
      return 'exchange.kind.mysql' as const;
    case 'http':
      return 'exchange.kind.http' as const;
    case 'file':
      return 'exchange.kind.file' as const;
    default:
      return 'exchange.kind.postgres' as const;
  }
}
