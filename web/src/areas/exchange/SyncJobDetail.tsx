/** A batch job: live progress while it runs (polled), its settings, "run now" and its runs history. */
import { PlayCircleOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Progress,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading, NotFoundResult } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgName } from '../../lookups';
import { useMe } from '../../session';
import type { Page } from '../../types';
import { useEntryLabels } from './entries';
import { kindKey } from './Sources';
import { percentOf } from './SyncJobs';
import { SyncStatusTag } from './tags';
import type { SyncJob, SyncRun } from './types';

const BUSY = new Set(['queued', 'running']);
const RUNS_PAGE = 10;

export default function SyncJobDetail() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const me = useMe();
  const orgName = useOrgName();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [runsPage, setRunsPage] = useState(1);
  const wasBusy = useRef(false);

  const job = useQuery({
    queryKey: ['exchange', 'sync-job', id],
    queryFn: ({ signal }) => api.get<SyncJob>(`/exchange/sync-jobs/${id}`, undefined, signal),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data && BUSY.has(q.state.data.status) ? 1000 : false),
  });
  const runs = useQuery({
    queryKey: ['exchange', 'sync-job', id, 'runs', runsPage],
    queryFn: ({ signal }) =>
      api.get<Page<SyncRun>>(
        `/exchange/sync-jobs/${id}/runs`,
        { page: runsPage, pageSize: RUNS_PAGE },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const entryName = useEntryLabels([job.data?.entryId]);

  // When a run ends, its outcome joins the history.
  const busy = job.data ? BUSY.has(job.data.status) : false;
  useEffect(() => {
    if (wasBusy.current && !busy)
      void queryClient.invalidateQueries({ queryKey: ['exchange', 'sync-job', id, 'runs'] });
    wasBusy.current = busy;
  }, [busy, id, queryClient]);

  const run = useMutation({
    mutationFn: () => api.post<SyncJob>(`/exchange/sync-jobs/${id}/run`),
    onSuccess: (j) => {
      queryClient.setQueryData(['exchange', 'sync-job', id], j);
      void message.success(t('exchange.sync.started'));
      void queryClient.invalidateQueries({ queryKey: ['exchange', 'sync-jobs'] });
    },
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });

  if (job.isPending) return <Loading />;
  if (job.isError) {
    if (job.error instanceof ApiError && job.error.status === 404) return <NotFoundResult />;
    return <ErrorAlert error={job.error} onRetry={() => void job.refetch()} />;
  }
  const j = job.data;
  const pct = percentOf(j);
  const canWrite =
    me.permissions.includes('exchange.write') &&
    (me.user.role === 'platform_admin' || j.consumerOrgId === me.activeOrgId);

  return (
    <>
      <PageTitle
        title={
          j.entryId
            ? t('exchange.sync.jobTitle', { name: entryName(j.entryId) })
            : t('exchange.sync.jobTitleBare')
        }
        sub={
          <Space>
            <Link to="/exchange/sync-jobs">{t('exchange.sync.back')}</Link>
            <SyncStatusTag status={j.status} />
          </Space>
        }
        extra={
          canWrite ? (
            <Button
              type="primary"
              icon={<PlayCircleOutlined />}
              disabled={busy}
              loading={run.isPending}
              onClick={() => run.mutate()}
            >
              {busy ? t('exchange.sync.running') : t('exchange.sync.run')}
            </Button>
          ) : null
        }
      />
      <Card size="small" title={t('exchange.sync.progress')} style={{ marginBottom: 16 }}>
        <div aria-live="polite" data-testid="sync-progress">
          <Space size={48} wrap>
            <Statistic
              title={t('exchange.sync.state')}
              valueRender={() => <SyncStatusTag status={j.status} />}
            />
            <Statistic title={t('exchange.sync.rowsCopied')} value={formatNumber(j.rowsDone, lang)} />
            <Statistic
              title={t('exchange.sync.rowsTotal')}
              value={j.rowsTotal === null ? '—' : formatNumber(j.rowsTotal, lang)}
            />
            <Statistic title={t('exchange.sync.percent')} value={pct === null ? '—' : `${pct}%`} />
          </Space>
          {pct !== null ? (
            <Progress
              percent={pct}
              status={j.status === 'failed' ? 'exception' : busy ? 'active' : undefined}
              style={{ marginTop: 12 }}
              aria-label={t('exchange.sync.progressAria', { pct })}
            />
          ) : null}
        </div>
        {j.lastError ? (
          <Alert
            type={j.status === 'interrupted' ? 'warning' : 'error'}
            showIcon
            style={{ marginTop: 12 }}
            message={t('exchange.sync.lastError')}
            description={j.lastError}
            data-testid="sync-error"
          />
        ) : null}
      </Card>
      <Card size="small" title={t('exchange.sync.settings')} style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('exchange.sync.resource')}>
            {j.entryId ? <Link to={`/catalog/entries/${j.entryId}`}>{entryName(j.entryId)}</Link> : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('exchange.sync.consumer')}>
            {orgName(j.consumerOrgId)}
          </Descriptions.Item>
          <Descriptions.Item label={t('exchange.sync.target')}>
            {`${t(kindKey(j.targetKind))} · ${j.targetConfig.user ?? ''}@${j.targetConfig.host ?? ''}${
              j.targetConfig.port ? `:${j.targetConfig.port}` : ''
            }/${j.targetConfig.database ?? ''} · ${j.targetTable}`}
          </Descriptions.Item>
          <Descriptions.Item label={t('exchange.source.password')}>
            {j.hasTargetSecret ? t('exchange.source.secretStored') : t('exchange.source.secretAbsent')}
          </Descriptions.Item>
          <Descriptions.Item label={t('exchange.sync.mode')}>
            {j.mode === 'incremental' ? t('exchange.sync.incremental') : t('exchange.sync.full')}
          </Descriptions.Item>
          <Descriptions.Item label={t('exchange.sync.schedule')}>
            {j.scheduleMinutes
              ? t('exchange.sync.every', { n: j.scheduleMinutes })
              : t('exchange.sync.manual')}
          </Descriptions.Item>
          <Descriptions.Item label={t('exchange.sync.lastRun')}>
            {formatDateTime(j.lastRunAt)}
          </Descriptions.Item>
          <Descriptions.Item label={t('exchange.sync.nextRun')}>
            {formatDateTime(j.nextRunAt)}
          </Descriptions.Item>
          <Descriptions.Item label={t('exchange.sync.position')}>
            <Typography.Text code>{j.lastWatermark ?? '—'}</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('exchange.runs.title')}>
        {runs.isError ? (
          <ErrorAlert error={runs.error} onRetry={() => void runs.refetch()} />
        ) : (
          <Table<SyncRun>
            rowKey="seq"
            size="small"
            loading={runs.isFetching}
            dataSource={runs.data?.items ?? []}
            locale={{
              emptyText: runs.isPending ? (
                <Loading />
              ) : (
                <EmptyState message={t('exchange.runs.empty')} hint={t('exchange.runs.emptyHint')} />
              ),
            }}
            pagination={{
              current: runsPage,
              pageSize: RUNS_PAGE,
              total: runs.data?.total ?? 0,
              showTotal: (total) => t('common.total', { total }),
              onChange: setRunsPage,
              hideOnSinglePage: true,
            }}
            columns={[
              {
                title: t('exchange.runs.at'),
                dataIndex: 'at',
                width: 160,
                render: (v: string) => formatDateTime(v),
              },
              {
                title: t('exchange.runs.outcome'),
                dataIndex: 'outcome',
                width: 100,
                render: (o: string) =>
                  o === 'ok' ? (
                    <Tag color="success">{t('exchange.runs.ok')}</Tag>
                  ) : (
                    <Tag color="error">{t('exchange.runs.error')}</Tag>
                  ),
              },
              {
                title: t('exchange.runs.rows'),
                dataIndex: 'rows',
                width: 120,
                render: (v: number | null) => formatNumber(v, lang),
              },
              {
                title: t('exchange.runs.resumed'),
                dataIndex: 'resumed',
                width: 90,
                render: (v: boolean) => (v ? t('common.yes') : t('common.no')),
              },
              {
                title: t('exchange.runs.detail'),
                key: 'detail',
                render: (_, r) =>
                  r.error ?? (r.worker ? t('exchange.runs.worker', { worker: r.worker }) : '—'),
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
