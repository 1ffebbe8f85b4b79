/**
 * 库表交换: the department's batch jobs (as consumer of a grant) with their progress, setting one up
 * (grant, target database, full or incremental, schedule) and running it now.
 */
import { PlayCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, applyProblemToForm } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgName } from '../../lookups';
import { useMe } from '../../session';
import type { Page } from '../../types';
import { useEntryLabels } from './entries';
import { SyncStatusTag } from './tags';
import type { Grant, SyncJob } from './types';

const PAGE_SIZE = 10;
const BUSY = new Set(['queued', 'running']);

export function percentOf(job: Pick<SyncJob, 'rowsDone' | 'rowsTotal' | 'status'>): number | null {
  if (job.status === 'succeeded') return 100;
  if (!job.rowsTotal) return null;
  return Math.min(100, Math.floor((job.rowsDone / job.rowsTotal) * 100));
}

export function JobProgress({ job }: { job: SyncJob }) {
  const { t, lang } = useI18n();
  const pct = percentOf(job);
  return (
    <div style={{ minWidth: 160 }}>
      {pct !== null ? (
        <Progress
          percent={pct}
          size="small"
          status={job.status === 'failed' ? 'exception' : BUSY.has(job.status) ? 'active' : undefined}
          aria-label={t('exchange.sync.progressAria', { pct })}
        />
      ) : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {job.rowsTotal
          ? t('exchange.sync.rowsOf', {
              done: formatNumber(job.rowsDone, lang),
              total: formatNumber(job.rowsTotal, lang),
            })
          : t('exchange.sync.rows', { done: formatNumber(job.rowsDone, lang) })}
      </Typography.Text>
    </div>
  );
}

export default function SyncJobs() {
  const { t, lang } = useI18n();
  const me = useMe();
  const orgName = useOrgName();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const canWrite = me.permissions.includes('exchange.write');
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();

  const list = useQuery({
    queryKey: ['exchange', 'sync-jobs', page, status],
    queryFn: ({ signal }) =>
      api.get<Page<SyncJob>>('/exchange/paged/sync-jobs', { page, pageSize: PAGE_SIZE, status }, signal),
    placeholderData: keepPreviousData,
    // Live state: always ask the server when the page opens.
    staleTime: 0,
    // Poll while a job on this page runs.
    refetchInterval: (q) => (q.state.data?.items.some((j) => BUSY.has(j.status)) ? 1500 : false),
  });
  const entryName = useEntryLabels((list.data?.items ?? []).map((j) => j.entryId));

  const run = useMutation({
    mutationFn: (id: string) => api.post<SyncJob>(`/exchange/sync-jobs/${id}/run`),
    onSuccess: () => {
      void message.success(t('exchange.sync.started'));
      void queryClient.invalidateQueries({ queryKey: ['exchange', 'sync-jobs'] });
    },
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });

  return (
    <>
      <PageTitle
        title={t('exchange.sync.title')}
        sub={<Typography.Text type="secondary">{t('exchange.sync.sub')}</Typography.Text>}
        extra={
          canWrite ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('exchange.sync.create')}
            </Button>
          ) : null
        }
      />
      <Card size="small">
        <Space style={{ marginBottom: 12 }}>
          <Select
            allowClear
            aria-label={t('exchange.sync.statusFilter')}
            placeholder={t('exchange.sync.statusFilter')}
            style={{ width: 180 }}
            value={status}
            onChange={(v: string | undefined) => {
              setStatus(v);
              setPage(1);
            }}
            options={(['idle', 'queued', 'running', 'succeeded', 'failed', 'interrupted'] as const).map(
              (s) => ({
                value: s,
                label: t(`exchange.sync.status.${s}`),
              }),
            )}
          />
        </Space>
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<SyncJob>
            rowKey="id"
            size="middle"
            loading={list.isPending}
            dataSource={list.data?.items ?? []}
            locale={{
              emptyText: list.isPending ? (
                <Loading />
              ) : (
                <EmptyState
                  message={status ? t('exchange.sync.noMatch') : t('exchange.sync.empty')}
                  hint={canWrite ? t('exchange.sync.emptyHint') : undefined}
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
                title: t('exchange.sync.resource'),
                dataIndex: 'entryId',
                render: (_, j) => (
                  <Link to={`/exchange/sync-jobs/${j.id}`} data-testid="sync-job-link">
                    {entryName(j.entryId)}
                  </Link>
                ),
              },
              {
                title: t('exchange.sync.target'),
                dataIndex: 'targetTable',
                render: (_, j) => (
                  <span>
                    {j.targetConfig.database ?? ''}@{j.targetConfig.host ?? ''} · {j.targetTable}
                  </span>
                ),
              },
              {
                title: t('exchange.sync.mode'),
                dataIndex: 'mode',
                width: 90,
                render: (m: string) =>
                  m === 'incremental' ? t('exchange.sync.incremental') : t('exchange.sync.full'),
              },
              {
                title: t('exchange.sync.consumer'),
                dataIndex: 'consumerOrgId',
                width: 130,
                render: (id: string) => orgName(id),
              },
              {
                title: t('exchange.sync.state'),
                dataIndex: 'status',
                width: 100,
                render: (s: string) => <SyncStatusTag status={s} />,
              },
              {
                title: t('exchange.sync.progress'),
                key: 'progress',
                width: 200,
                render: (_, j) => <JobProgress job={j} />,
              },
              {
                title: t('exchange.sync.lastRun'),
                dataIndex: 'lastRunAt',
                width: 150,
                render: (v: string | null) => formatDateTime(v),
              },
              {
                title: t('exchange.actions'),
                key: 'actions',
                width: 120,
                render: (_, j) =>
                  canWrite ? (
                    <Button
                      size="small"
                      icon={<PlayCircleOutlined />}
                      disabled={BUSY.has(j.status)}
                      loading={run.isPending && run.variables === j.id}
                      onClick={() => run.mutate(j.id)}
                      aria-label={t('exchange.sync.runAria', { name: entryName(j.entryId) })}
                    >
                      {t('exchange.sync.run')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
      <CreateJob
        open={creating}
        onClose={() => setCreating(false)}
        onDone={(job) => {
          setCreating(false);
          void queryClient.invalidateQueries({ queryKey: ['exchange', 'sync-jobs'] });
          void navigate(`/exchange/sync-jobs/${job.id}`);
        }}
      />
    </>
  );
}

interface JobValues {
  grantId: string;
  targetKind: 'postgres' | 'mysql';
  host: string;
  port?: number;
  database: string;
  user: string;
  ssl?: boolean;
  targetSecret?: string;
  targetTable: string;
  mode: 'full' | 'incremental';
  scheduled: boolean;
  scheduleMinutes?: number;
}

function CreateJob({
  open,
  onClose,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  onDone: (job: SyncJob) => void;
}) {
  const { t, lang } = useI18n();
  const orgName = useOrgName();
  const [form] = Form.useForm<JobValues>();
  const [alert, setAlert] = useState<string | null>(null);
  const scheduled = Form.useWatch('scheduled', form);
  const grantId = Form.useWatch('grantId', form);

  const grants = useQuery({
    queryKey: ['exchange', 'grants', 'consumer'],
    queryFn: ({ signal }) =>
      api.get<Page<Grant>>('/sharing/grants', { role: 'consumer', status: 'active', pageSize: 100 }, signal),
    enabled: open,
  });
  const entryName = useEntryLabels((grants.data?.items ?? []).map((g) => g.entryId));
  const chosen = grants.data?.items.find((g) => g.id === grantId);

  useEffect(() => {
    if (open) {
      form.resetFields();
      setAlert(null);
    }
  }, [open, form]);

  const save = useMutation({
    mutationFn: (v: JobValues) =>
      api.post<SyncJob>('/exchange/sync-jobs', {
        grantId: v.grantId,
        targetKind: v.targetKind,
        targetConfig: {
          host: v.host,
          ...(v.port ? { port: v.port } : {}),
          database: v.database,
          user: v.user,
          ssl: v.ssl ?? false,
        },
        ...(v.targetSecret ? { targetSecret: v.targetSecret } : {}),
        targetTable: v.targetTable,
        mode: v.mode,
        scheduleMinutes: v.scheduled ? (v.scheduleMinutes ?? null) : null,
      }),
    onSuccess: onDone,
    onError: (err) => {
      const r = applyProblemToForm(form, err, lang);
      const rest = r.unmatched.filter((p) => {
        const m = /^targetConfig\.(\w+)$/.exec(p.field);
        if (!m?.[1]) return true;
        form.setFields([{ name: m[1] as keyof JobValues, errors: [lang === 'en' ? p.en : p.zh] }]);
        return false;
      });
      setAlert(
        rest.length
          ? `${r.message}${rest.map((p) => `；${lang === 'en' ? p.en : p.zh}`).join('')}`
          : r.message,
      );
    },
  });

  return (
    <Modal
      open={open}
      width={680}
      title={t('exchange.sync.create')}
      okText={t('exchange.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      forceRender
    >
      {alert ? <Alert type="error" showIcon message={alert} style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        name="sync-job"
        initialValues={{
          targetKind: 'postgres',
          port: 5432,
          mode: 'incremental',
          scheduled: false,
          ssl: false,
        }}
        onFinish={(v) => {
          setAlert(null);
          save.mutate(v);
        }}
      >
        <Form.Item
          name="grantId"
          label={t('exchange.sync.grant')}
          rules={[{ required: true, message: t('exchange.required') }]}
          extra={
            chosen
              ? t('exchange.sync.grantChosen', {
                  items: chosen.items.map((i) => i.name).join('、'),
                  until: chosen.validTo,
                })
              : t('exchange.sync.grantHint')
          }
        >
          <Select
            loading={grants.isPending}
            placeholder={t('exchange.sync.grantPlaceholder')}
            notFoundContent={t('exchange.sync.noGrants')}
            options={(grants.data?.items ?? []).map((g) => ({
              value: g.id,
              label: `${entryName(g.entryId)} · ${orgName(g.providerOrgId)}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="targetKind" label={t('exchange.sync.targetKind')}>
          <Radio.Group
            onChange={(e) => form.setFieldsValue({ port: e.target.value === 'mysql' ? 3306 : 5432 })}
            options={[
              { value: 'postgres', label: t('exchange.kind.postgres') },
              { value: 'mysql', label: t('exchange.kind.mysql') },
            ]}
          />
        </Form.Item>
        <Space style={{ display: 'flex' }} align="start">
          <Form.Item
            name="host"
            label={t('exchange.source.host')}
            rules={[{ required: true, message: t('exchange.required') }]}
          >
            <Input placeholder="10.20.0.8" style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="port" label={t('exchange.source.port')}>
            <InputNumber min={1} max={65535} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item
            name="database"
            label={t('exchange.source.database')}
            rules={[{ required: true, message: t('exchange.required') }]}
          >
            <Input placeholder="mz_front" style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Space style={{ display: 'flex' }} align="start">
          <Form.Item
            name="user"
            label={t('exchange.source.user')}
            rules={[{ required: true, message: t('exchange.required') }]}
          >
            <Input placeholder="govshare_writer" autoComplete="off" style={{ width: 220 }} />
          </Form.Item>
          <Form.Item
            name="targetSecret"
            label={t('exchange.source.password')}
            extra={t('exchange.sync.secretHint')}
          >
            <Input.Password autoComplete="new-password" visibilityToggle={false} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="ssl" label={t('exchange.source.ssl')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item
          name="targetTable"
          label={t('exchange.sync.targetTable')}
          rules={[{ required: true, message: t('exchange.required') }]}
          extra={t('exchange.sync.targetTableHint')}
        >
          <Input placeholder="public.resident_copy" />
        </Form.Item>
        <Form.Item name="mode" label={t('exchange.sync.mode')} extra={t('exchange.sync.modeHint')}>
          <Radio.Group
            options={[
              { value: 'incremental', label: t('exchange.sync.incremental') },
              { value: 'full', label: t('exchange.sync.full') },
            ]}
          />
        </Form.Item>
        <Space align="start">
          <Form.Item name="scheduled" label={t('exchange.sync.scheduled')} valuePropName="checked">
            <Switch />
          </Form.Item>
          {scheduled ? (
            <Form.Item
              name="scheduleMinutes"
              label={t('exchange.sync.everyMinutes')}
              rules={[{ required: true, message: t('exchange.required') }]}
            >
              <InputNumber
                min={1}
                max={525600}
                style={{ width: 160 }}
                addonAfter={t('exchange.sync.minutes')}
              />
            </Form.Item>
          ) : null}
        </Space>
      </Form>
    </Modal>
  );
}
