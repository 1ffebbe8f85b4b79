/**
 * 信息系统清单: the register paged and filtered on the server (department, connection status, flags,
 * disposition, name), a chart of each department's systems, export of the four tables and import of
 * table 1 with the row-by-row error report.
 */
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { API_BASE, ApiError, api, type FieldProblem, queryString } from '../../api';
import { EmptyState, ErrorAlert, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { useMe, useSession } from '../../session';
import {
  connStatus,
  DISPOSITIONS,
  FLAG_KINDS,
  type RegisterItem,
  type RegisterPage as RegisterPageT,
  STATUSES,
  type Stats,
  seesAll,
} from './types';
import { uploadXlsx } from './upload';

const Chart = lazy(() => import('../../components/Chart'));

const STATUS_COLOR = { connected: 'green', not_connected: 'red', not_required: 'default' } as const;
const FLAG_COLOR = { zombie: 'volcano', shadow: 'purple', single_unit: 'gold' } as const;

function StatsChart({ orgId }: { orgId: string | undefined }) {
  const { t, lang } = useI18n();
  const [by, setBy] = useState<'status' | 'disposition'>('status');
  const stats = useQuery({
    queryKey: ['inventory', 'stats', orgId ?? null],
    queryFn: ({ signal }) => api.get<Stats>('/inventory/stats', orgId ? { orgId } : {}, signal),
  });
  const dir = useOrgDirectory();
  const option = useMemo(() => {
    const rows = stats.data ?? [];
    const names = rows.map((r) => {
      const o = dir.data?.get(r.orgId);
      return o ? orgName(o, lang) : r.orgName;
    });
    const series =
      by === 'status'
        ? STATUSES.map((s) => ({
            name: t(`inventory.status.${s}`),
            type: 'bar',
            stack: 'n',
            data: rows.map((r) =>
              s === 'connected' ? r.connected : s === 'not_connected' ? r.notConnected : r.notRequired,
            ),
          }))
        : [...DISPOSITIONS, 'none' as const].map((d) => ({
            name: d === 'none' ? t('inventory.chart.none') : t(`inventory.disposition.${d}`),
            type: 'bar',
            stack: 'n',
            data: rows.map((r) => r.dispositions[d]),
          }));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { rotate: 35, fontSize: 11 } },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    };
  }, [stats.data, by, t, lang, dir.data]);
  return (
    <Card
      size="small"
      title={t('inventory.chart.title')}
      extra={
        <Segmented
          size="small"
          aria-label={t('inventory.chart.title')}
          value={by}
          onChange={(v) => setBy(v as 'status' | 'disposition')}
          options={[
            { value: 'status', label: t('inventory.chart.byStatus') },
            { value: 'disposition', label: t('inventory.chart.byDisposition') },
          ]}
        />
      }
    >
      {stats.isError ? (
        <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />
      ) : stats.isPending ? (
        <Loading />
      ) : stats.data.length === 0 ? (
        <EmptyState message={t('inventory.chart.empty')} />
      ) : (
        <Suspense fallback={<Loading />}>
          <Chart
            option={option}
            height={280}
            testId="inventory-chart"
            ariaLabel={t('inventory.chart.aria', {
              by: by === 'status' ? t('inventory.chart.byStatus') : t('inventory.chart.byDisposition'),
            })}
          />
        </Suspense>
      )}
    </Card>
  );
}

function ImportReport({ problems }: { problems: FieldProblem[] }) {
  const { t, lang } = useI18n();
  const rows = problems.map((p, i) => {
    const cell = p.field.includes('!') ? (p.field.split('!')[1] ?? p.field) : p.field;
    const row = /\d+$/.exec(cell)?.[0] ?? '—';
    return { key: i, cell, row, text: lang === 'en' ? p.en : p.zh };
  });
  return (
    <Table
      size="small"
      data-testid="import-report"
      pagination={rows.length > 10 ? { pageSize: 10 } : false}
      dataSource={rows}
      columns={[
        { title: t('inventory.register.row'), dataIndex: 'row', width: 70 },
        { title: t('inventory.register.cell'), dataIndex: 'cell', width: 90 },
        { title: t('inventory.register.problem'), dataIndex: 'text' },
      ]}
    />
  );
}

export default function RegisterPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const dir = useOrgDirectory();
  const all = seesAll(me.user.role);
  const orgId = all ? (params.get('orgId') ?? undefined) : me.activeOrgId;
  const status = params.get('status') ?? undefined;
  const flag = params.get('flag') ?? undefined;
  const disposition = params.get('disposition') ?? undefined;
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = [10, 20, 50, 100].includes(Number(params.get('pageSize')))
    ? Number(params.get('pageSize'))
    : 20;
  const [search, setSearch] = useState(q);
  const [importing, setImporting] = useState(false);
  const [report, setReport] = useState<{ message: string; problems: FieldProblem[] } | null>(null);

  const set = (key: string, value: string | undefined) => {
    const p = new URLSearchParams(params);
    if (value) p.set(key, value);
    else p.delete(key);
    if (key !== 'page') p.delete('page');
    setParams(p);
  };

  const query = {
    page,
    pageSize,
    ...(orgId && all ? { orgId } : {}),
    ...(status ? { status } : {}),
    ...(flag ? { flag } : {}),
    ...(disposition ? { disposition } : {}),
    ...(q ? { q } : {}),
  };
  const list = useQuery({
    queryKey: ['inventory', 'register', query],
    queryFn: ({ signal }) => api.get<RegisterPageT>('/inventory/register', query, signal),
    placeholderData: keepPreviousData,
  });

  const importOrg = all ? orgId : me.activeOrgId;
  const canWrite = can('inventory.write');

  async function doImport(file: File) {
    if (!importOrg) return;
    setImporting(true);
    try {
      const res = await uploadXlsx<{ created: number }>(
        '/inventory/import',
        { orgId: importOrg },
        file,
        me.csrfToken,
      );
      void message.success(t('inventory.register.imported', { n: res.created }));
      await queryClient.invalidateQueries({ queryKey: ['inventory'] });
    } catch (err) {
      if (err instanceof ApiError) setReport({ message: err.text(lang), problems: err.problem.fields });
      else setReport({ message: t('common.unexpected'), problems: [] });
    } finally {
      setImporting(false);
    }
  }

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
    { title: t('inventory.col.unit'), dataIndex: 'internalUnit', render: (u: string | null) => u ?? '—' },
    {
      title: t('inventory.col.network'),
      dataIndex: 'network',
      render: (n: RegisterItem['network']) => t(`inventory.network.${n}`),
    },
    {
      title: t('inventory.col.status'),
      key: 'status',
      render: (_: unknown, s) => {
        const st = connStatus(s);
        return <Tag color={STATUS_COLOR[st]}>{t(`inventory.status.${st}`)}</Tag>;
      },
    },
    {
      title: t('inventory.col.flags'),
      key: 'flags',
      render: (_: unknown, s) =>
        s.flagKinds.length === 0 ? (
          '—'
        ) : (
          <Space size={4} wrap>
            {s.flagKinds.map((k) => (
              <Tag key={k} color={FLAG_COLOR[k]}>
                {t(`inventory.flag.${k}`)}
              </Tag>
            ))}
            {s.openFlags > 0 ? (
              <Typography.Text type="warning" style={{ fontSize: 12 }}>
                {t('inventory.flag.open', { n: s.openFlags })}
              </Typography.Text>
            ) : null}
          </Space>
        ),
    },
    {
      title: t('inventory.col.disposition'),
      key: 'disposition',
      render: (_: unknown, s) =>
        s.disposition ? (
          <span>
            {t(`inventory.disposition.${s.disposition}`)}
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {t('inventory.col.targetOn', { date: formatDate(s.dispositionTargetOn) })}
            </Typography.Text>
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: t('inventory.col.omCost'),
      dataIndex: 'omCostWan',
      align: 'right',
      render: (v: number) => formatNumber(v, lang),
    },
  ];

  const orgOptions = [...(dir.data?.values() ?? [])]
    .filter((o) => o.kind !== 'platform_office')
    .map((o) => ({ value: o.id, label: orgName(o, lang) }));
  const exportHref = `${API_BASE}/inventory/export.xlsx${queryString(orgId ? { orgId } : {})}`;

  return (
    <>
      <PageTitle
        title={t('inventory.register.title')}
        sub={<Typography.Text type="secondary">{t('inventory.register.sub')}</Typography.Text>}
        extra={
          <Space wrap>
            {canWrite ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/inventory/systems/new')}
              >
                {t('inventory.register.new')}
              </Button>
            ) : null}
            <Button icon={<DownloadOutlined />} href={exportHref} download>
              {t('inventory.register.export')}
            </Button>
            {canWrite ? (
              <Tooltip
                title={
                  importOrg
                    ? t('inventory.register.importFor', {
                        org: orgName(dir.data?.get(importOrg), lang),
                      })
                    : t('inventory.register.importNeedsOrg')
                }
              >
                <span>
                  <Upload
                    accept=".xlsx"
                    showUploadList={false}
                    disabled={!importOrg || importing}
                    beforeUpload={(file) => {
                      void doImport(file);
                      return false;
                    }}
                  >
                    <Button icon={<UploadOutlined />} loading={importing} disabled={!importOrg}>
                      {importing ? t('inventory.register.importing') : t('inventory.register.import')}
                    </Button>
                  </Upload>
                </span>
              </Tooltip>
            ) : null}
          </Space>
        }
      />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <StatsChart orgId={all ? orgId : undefined} />
        <Card size="small">
          <Space wrap style={{ marginBottom: 12 }}>
            {all ? (
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                aria-label={t('inventory.filter.org')}
                placeholder={t('inventory.filter.org')}
                style={{ width: 220 }}
                value={orgId}
                onChange={(v?: string) => set('orgId', v)}
                options={orgOptions}
              />
            ) : null}
            <Select
              allowClear
              aria-label={t('inventory.filter.status')}
              placeholder={t('inventory.filter.status')}
              style={{ width: 170 }}
              value={status}
              onChange={(v?: string) => set('status', v)}
              options={STATUSES.map((s) => ({ value: s, label: t(`inventory.status.${s}`) }))}
            />
            <Select
              allowClear
              aria-label={t('inventory.filter.flag')}
              placeholder={t('inventory.filter.flag')}
              style={{ width: 140 }}
              value={flag}
              onChange={(v?: string) => set('flag', v)}
              options={[
                { value: 'any', label: t('inventory.filter.anyFlag') },
                ...FLAG_KINDS.map((k) => ({ value: k, label: t(`inventory.flag.${k}`) })),
              ]}
            />
            <Select
              allowClear
              aria-label={t('inventory.filter.disposition')}
              placeholder={t('inventory.filter.disposition')}
              style={{ width: 150 }}
              value={disposition}
              onChange={(v?: string) => set('disposition', v)}
              options={[
                { value: 'none', label: t('inventory.filter.noDisposition') },
                ...DISPOSITIONS.map((d) => ({ value: d, label: t(`inventory.disposition.${d}`) })),
              ]}
            />
            <Input.Search
              allowClear
              aria-label={t('inventory.register.search')}
              placeholder={t('inventory.register.search')}
              style={{ width: 220 }}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(v) => set('q', v.trim() || undefined)}
            />
          </Space>
          {list.isError ? (
            <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <Table
              rowKey="id"
              size="middle"
              data-testid="register-table"
              loading={list.isFetching}
              columns={columns}
              dataSource={list.data?.items ?? []}
              locale={{
                emptyText: list.isPending ? (
                  <Loading />
                ) : (
                  <EmptyState
                    message={t('inventory.register.empty')}
                    hint={t('inventory.register.emptyHint')}
                  />
                ),
              }}
              pagination={{
                current: page,
                pageSize,
                total: list.data?.total ?? 0,
                showSizeChanger: true,
                pageSizeOptions: [10, 20, 50, 100],
                showTotal: (total) => t('common.total', { total }),
                onChange: (p, s) => {
                  const next = new URLSearchParams(params);
                  next.set('page', String(p));
                  next.set('pageSize', String(s));
                  setParams(next);
                },
              }}
            />
          )}
        </Card>
      </Space>
      <Modal
        open={report !== null}
        title={t('inventory.register.importReport')}
        onCancel={() => setReport(null)}
        footer={<Button onClick={() => setReport(null)}>{t('common.confirm')}</Button>}
        width={760}
      >
        {report ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert
              type="error"
              showIcon
              message={t('inventory.register.importFailed')}
              description={
                report.problems.length > 0 ? t('inventory.register.importReportHint') : report.message
              }
            />
            {report.problems.length > 0 ? <ImportReport problems={report.problems} /> : null}
          </Space>
        ) : null}
      </Modal>
    </>
  );
}
