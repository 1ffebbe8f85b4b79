/**
 * 工作台: what waits for me (sharing requests to answer or supply with their working-day countdown,
 * catalog entries returned or awaiting review, unread reminders) and my department's figures.
 */
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, List, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { lazy, type ReactNode, Suspense, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, type Query } from '../api';
import type { ChartOption } from '../components/Chart';
import { WorkdaysLeft } from '../components/Countdown';
import { EmptyState, ErrorAlert, errorText, Loading } from '../components/Feedback';
import { PageTitle } from '../components/PageTitle';
import { formatDate } from '../format';
import { type MessageKey, useI18n } from '../i18n';
import { useOrgName, useValueLabel } from '../lookups';
import { useMe, useSession } from '../session';
import type { Application, ApplicationPageT, Entry, Reminder, SearchResult } from '../types';

const TODO_PAGE_SIZE = 5;

// ECharts is the heaviest library here: the to-do lists render while it loads.
const Chart = lazy(() => import('../components/Chart'));

/** Sharing statuses grouped for the chart (sharing.machine.ts APP_STATUSES). */
const STATUS_GROUPS: { key: MessageKey; statuses: string[] }[] = [
  { key: 'workbench.group.preparing', statuses: ['draft', 'awaiting_internal', 'returned'] },
  { key: 'workbench.group.pending', statuses: ['submitted'] },
  {
    key: 'workbench.group.negotiating',
    statuses: ['refused', 'negotiating', 'coordinating', 'upper_coordinating', 'awaiting_decision'],
  },
  { key: 'workbench.group.toSupply', statuses: ['approved', 'decided'] },
  { key: 'workbench.group.supplied', statuses: ['supplied'] },
  { key: 'workbench.group.closed', statuses: ['closed', 'withdrawn'] },
];

const ENTRY_STATUSES = ['draft', 'submitted', 'returned', 'published', 'withdrawn'] as const;
const ENTRY_COLORS: Record<string, string> = {
  draft: '#94a3b8',
  submitted: '#f59e0b',
  returned: '#ef4444',
  published: '#22c55e',
  withdrawn: '#64748b',
};

function SharingTodos() {
  const { t } = useI18n();
  const label = useValueLabel();
  const orgName = useOrgName();
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['sharing', 'applications', 'inbox', page],
    queryFn: ({ signal }) =>
      api.get<ApplicationPageT>(
        '/sharing/applications',
        { box: 'inbox', page, pageSize: TODO_PAGE_SIZE },
        signal,
      ),
    placeholderData: (prev) => prev,
  });
  const columns: ColumnsType<Application> = [
    {
      title: t('workbench.col.number'),
      dataIndex: 'number',
      render: (n: string, a) => <Link to={`/sharing/applications/${a.id}`}>{n}</Link>,
    },
    {
      title: t('workbench.col.applicant'),
      dataIndex: 'applicantOrgName',
      render: (name: string, a) => orgName(a.applicantOrgId, name),
    },
    {
      title: t('workbench.col.resource'),
      dataIndex: 'entryName',
      render: (name: string | null) => name ?? t('workbench.outOfCatalog'),
    },
    {
      title: t('workbench.col.status'),
      dataIndex: 'status',
      render: (s: string) => <Tag>{label('appStatuses', s)}</Tag>,
    },
    {
      title: t('workbench.col.due'),
      key: 'due',
      render: (_: unknown, a) => formatDate(a.dueOn ?? a.supplyDue),
    },
    {
      title: t('workbench.col.left'),
      dataIndex: 'workdaysLeft',
      render: (left: number | null) => <WorkdaysLeft left={left} />,
    },
  ];
  return (
    <Card title={t('workbench.todos')} data-testid="todo-sharing">
      {q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<Application>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={q.data?.items ?? []}
          loading={q.isFetching}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <EmptyState message={t('workbench.todosEmpty')} /> }}
          pagination={{
            current: page,
            pageSize: TODO_PAGE_SIZE,
            total: q.data?.total ?? 0,
            hideOnSinglePage: true,
            showTotal: (total) => t('common.total', { total }),
            onChange: setPage,
          }}
        />
      )}
    </Card>
  );
}

function catalogTodoQuery(can: (p: string) => boolean, orgId: string): Record<string, string[]> | null {
  if (can('catalog.review')) return { status: ['submitted'] };
  if (can('catalog.write')) return { status: ['returned', 'submitted'], provider: [orgId] };
  return null;
}

function CatalogTodos() {
  const { t } = useI18n();
  const { can } = useSession();
  const me = useMe();
  const label = useValueLabel();
  const [page, setPage] = useState(1);
  const filter = catalogTodoQuery(can, me.activeOrgId);
  const q = useQuery({
    queryKey: ['catalog', 'todos', filter, page],
    queryFn: ({ signal }) =>
      api.get<SearchResult>(
        '/catalog/entries',
        { ...filter, sort: 'updated', page, pageSize: TODO_PAGE_SIZE },
        signal,
      ),
    enabled: filter !== null,
    placeholderData: (prev) => prev,
  });
  if (!filter) return null;
  const reviewer = can('catalog.review');
  return (
    <Card title={t('workbench.catalogTodos')} data-testid="todo-catalog" style={{ height: '100%' }}>
      {q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <List<Entry>
          loading={q.isFetching}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: <EmptyState message={t('workbench.catalogTodosEmpty')} /> }}
          pagination={
            (q.data?.total ?? 0) > TODO_PAGE_SIZE
              ? {
                  current: page,
                  pageSize: TODO_PAGE_SIZE,
                  total: q.data?.total ?? 0,
                  onChange: setPage,
                  size: 'small',
                }
              : false
          }
          renderItem={(e) => (
            <List.Item
              extra={
                e.status === 'submitted' && e.reviewDue ? (
                  <Typography.Text type="secondary">
                    {t('workbench.catalog.reviewDue', { date: formatDate(e.reviewDue) })}
                  </Typography.Text>
                ) : null
              }
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    <Link to={`/catalog/entries/${e.id}`}>{e.name}</Link>
                    <Tag color={e.status === 'returned' ? 'error' : 'warning'}>
                      {e.status === 'returned'
                        ? t('workbench.catalog.returned')
                        : reviewer
                          ? t('workbench.catalog.toReview')
                          : label('statuses', e.status)}
                    </Tag>
                  </Space>
                }
                description={
                  e.status === 'returned' && e.returnedReason
                    ? t('workbench.catalog.reason', { reason: e.returnedReason })
                    : `${e.code} · ${e.providerName}`
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function Reminders() {
  const { t, lang } = useI18n();
  const label = useValueLabel();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: ['sharing', 'reminders', 'unread'],
    queryFn: ({ signal }) => api.get<Reminder[]>('/sharing/reminders', { unread: true }, signal),
  });
  const markRead = useMutation({
    mutationFn: (id: string) => api.post<null>(`/sharing/reminders/${id}/read`),
    onSuccess: async () => {
      void message.success(t('workbench.markedRead'));
      await queryClient.invalidateQueries({ queryKey: ['sharing', 'reminders'] });
    },
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });
  return (
    <Card title={t('workbench.reminders')} data-testid="reminders" style={{ height: '100%' }}>
      {q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <List<Reminder>
          loading={q.isPending}
          dataSource={q.data ?? []}
          locale={{ emptyText: <EmptyState message={t('workbench.remindersEmpty')} /> }}
          pagination={(q.data?.length ?? 0) > 5 ? { pageSize: 5, size: 'small' } : false}
          renderItem={(r) => (
            <List.Item
              actions={[
                <Button
                  key="read"
                  size="small"
                  type="link"
                  loading={markRead.isPending && markRead.variables === r.id}
                  onClick={() => markRead.mutate(r.id)}
                >
                  {t('workbench.markRead')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    <Tag color={r.kind.endsWith('overdue') ? 'error' : 'warning'}>
                      {label('reminderKinds', r.kind)}
                    </Tag>
                    {r.objectType === 'share_application' ? (
                      <Link to={`/sharing/applications/${r.objectId}`}>
                        {lang === 'en' ? r.message.en : r.message.zh}
                      </Link>
                    ) : (
                      <span>{lang === 'en' ? r.message.en : r.message.zh}</span>
                    )}
                  </Space>
                }
                description={r.dueOn ? t('workbench.dueOn', { date: formatDate(r.dueOn) }) : null}
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function countQuery(path: string, query: Query, enabled: boolean) {
  return {
    queryKey: ['count', path, query],
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.get<{ total: number }>(path, { ...query, page: 1, pageSize: 1 }, signal).then((r) => r.total),
    enabled,
    staleTime: 60_000,
  };
}

/** Charts, their loading and their empty states take the same room, so the cards line up. */
function ChartBox({ children }: { children: ReactNode }) {
  return (
    <div style={{ height: 260, display: 'flex', flexDirection: 'column', justifyContent: 'center' }}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </div>
  );
}

function SharingChart() {
  const { t } = useI18n();
  const { can, me } = useSession();
  const cityWide = me?.user.role === 'platform_admin' || me?.user.role === 'auditor';
  const enabled = can('sharing.read');
  const boxes = cityWide ? (['all'] as const) : (['inbox', 'outbox'] as const);
  const results = useQueries({
    queries: boxes.flatMap((box) =>
      STATUS_GROUPS.map((g) => countQuery('/sharing/applications', { box, status: g.statuses }, enabled)),
    ),
  });
  const option = useMemo<ChartOption | null>(() => {
    if (results.some((r) => r.data === undefined)) return null;
    const series = boxes.map((box, i) => ({
      name:
        box === 'all'
          ? t('workbench.chart.count')
          : box === 'inbox'
            ? t('workbench.chart.in')
            : t('workbench.chart.out'),
      type: 'bar',
      barMaxWidth: 28,
      data: STATUS_GROUPS.map((_, j) => results[i * STATUS_GROUPS.length + j]?.data ?? 0),
    }));
    return {
      color: ['#1d4ed8', '#f59e0b'],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: STATUS_GROUPS.map((g) => t(g.key)), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    };
  }, [results, boxes, t]);
  if (!enabled) return null;
  const failed = results.find((r) => r.isError);
  const total = results.reduce((s, r) => s + (r.data ?? 0), 0);
  const title = cityWide ? t('workbench.chart.sharingAll') : t('workbench.chart.sharing');
  return (
    <Card title={title} data-testid="chart-sharing" style={{ height: '100%' }}>
      <ChartBox>
        {failed ? (
          <ErrorAlert error={failed.error} onRetry={() => results.forEach((r) => void r.refetch())} />
        ) : !option ? (
          <Loading />
        ) : total === 0 ? (
          <EmptyState message={t('workbench.chart.sharingEmpty')} testId="chart-sharing-empty" />
        ) : (
          <Chart option={option} ariaLabel={title} testId="chart-sharing-canvas" />
        )}
      </ChartBox>
    </Card>
  );
}

function CatalogChart() {
  const { t } = useI18n();
  const { can, me } = useSession();
  const label = useValueLabel();
  const cityWide = me?.user.role === 'platform_admin' || me?.user.role === 'auditor';
  const enabled = can('catalog.read');
  const scope: Record<string, string[]> = cityWide || !me ? {} : { provider: [me.activeOrgId] };
  const results = useQueries({
    queries: ENTRY_STATUSES.map((s) => countQuery('/catalog/entries', { ...scope, status: [s] }, enabled)),
  });
  const option = useMemo<ChartOption | null>(() => {
    if (results.some((r) => r.data === undefined)) return null;
    return {
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { orient: 'vertical', right: 8, top: 'middle' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '72%'],
          center: ['38%', '50%'],
          label: { formatter: '{c}' },
          data: ENTRY_STATUSES.map((s, i) => ({
            name: label('statuses', s),
            value: results[i]?.data ?? 0,
            itemStyle: { color: ENTRY_COLORS[s] },
          })).filter((d) => d.value > 0),
        },
      ],
    };
  }, [results, label]);
  if (!enabled) return null;
  const failed = results.find((r) => r.isError);
  const total = results.reduce((s, r) => s + (r.data ?? 0), 0);
  const title = cityWide ? t('workbench.chart.catalogAll') : t('workbench.chart.catalog');
  return (
    <Card title={title} data-testid="chart-catalog" style={{ height: '100%' }}>
      <ChartBox>
        {failed ? (
          <ErrorAlert error={failed.error} onRetry={() => results.forEach((r) => void r.refetch())} />
        ) : !option ? (
          <Loading />
        ) : total === 0 ? (
          <EmptyState message={t('workbench.chart.catalogEmpty')} testId="chart-catalog-empty" />
        ) : (
          <Chart option={option} ariaLabel={title} testId="chart-catalog-canvas" />
        )}
      </ChartBox>
    </Card>
  );
}

function Stats() {
  const { t } = useI18n();
  const { can, me } = useSession();
  const sharing = can('sharing.read');
  const filter = me ? catalogTodoQuery(can, me.activeOrgId) : null;
  const [inbox, overdue, catalog] = useQueries({
    queries: [
      countQuery('/sharing/applications', { box: 'inbox' }, sharing),
      countQuery('/sharing/applications', { box: 'overdue' }, sharing),
      countQuery('/catalog/entries', filter ?? {}, filter !== null),
    ],
  });
  const reminders = useQuery({
    queryKey: ['sharing', 'reminders', 'unread'],
    queryFn: ({ signal }) => api.get<Reminder[]>('/sharing/reminders', { unread: true }, signal),
    enabled: sharing,
  });
  const cards: { key: MessageKey; value: number | undefined; danger?: boolean; show: boolean }[] = [
    { key: 'workbench.stat.inbox', value: inbox?.data, show: sharing },
    { key: 'workbench.stat.overdue', value: overdue?.data, danger: (overdue?.data ?? 0) > 0, show: sharing },
    { key: 'workbench.stat.reminders', value: reminders.data?.length, show: sharing },
    { key: 'workbench.stat.catalog', value: catalog?.data, show: filter !== null },
  ];
  const shown = cards.filter((c) => c.show);
  if (shown.length === 0) return null;
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      {shown.map((c) => (
        <Col key={c.key} xs={12} md={24 / shown.length}>
          <Card size="small">
            <Statistic
              title={t(c.key)}
              value={c.value ?? '…'}
              valueStyle={c.danger ? { color: '#dc2626' } : undefined}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

export default function Workbench() {
  const { t } = useI18n();
  const me = useMe();
  const { can } = useSession();
  const sharing = can('sharing.read');
  return (
    <div data-testid="workbench">
      <PageTitle
        title={t('workbench.title')}
        sub={
          <Typography.Text type="secondary">
            {t('workbench.hello', { name: me.user.displayName })} ·{' '}
            {t('workbench.today', { date: dayjs().format('YYYY-MM-DD') })}
          </Typography.Text>
        }
      />
      <Stats />
      <Row gutter={[16, 16]}>
        {sharing ? (
          <Col xs={24}>
            <SharingTodos />
          </Col>
        ) : null}
        <Col xs={24} lg={12}>
          <CatalogTodos />
        </Col>
        {sharing ? (
          <Col xs={24} lg={12}>
            <Reminders />
          </Col>
        ) : null}
        <Col xs={24} lg={12}>
          <SharingChart />
        </Col>
        <Col xs={24} lg={12}>
          <CatalogChart />
        </Col>
      </Row>
    </div>
  );
}
