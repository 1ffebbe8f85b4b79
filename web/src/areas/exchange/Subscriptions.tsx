/**
 * 订阅与投递: the department's change subscriptions (webhook or pull) with delivery counts, subscribing
 * (the webhook's signing secret shown once), pause/resume, and the dead letters with "retry".
 */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, applyProblemToForm } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgName } from '../../lookups';
import { useMe } from '../../session';
import type { Page } from '../../types';
import { DeliveryTable } from './DeliveryTable';
import { useEntryLabels } from './entries';
import { SubscriptionStatusTag } from './tags';
import type { Grant, SubscriptionCreated, SubscriptionRow } from './types';

const PAGE_SIZE = 10;

export default function Subscriptions() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'dead' ? 'dead' : 'subscriptions';
  return (
    <>
      <PageTitle
        title={t('exchange.subs.title')}
        sub={<Typography.Text type="secondary">{t('exchange.subs.sub')}</Typography.Text>}
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'dead' ? { tab: 'dead' } : {})}
        items={[
          { key: 'subscriptions', label: t('exchange.subs.tab'), children: <SubscriptionList /> },
          { key: 'dead', label: t('exchange.dead.tab'), children: <DeadLetters /> },
        ]}
      />
    </>
  );
}

function SubscriptionList() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const canWrite = me.permissions.includes('exchange.write');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  const list = useQuery({
    queryKey: ['exchange', 'subscriptions', page],
    queryFn: ({ signal }) =>
      api.get<Page<SubscriptionRow>>('/exchange/paged/subscriptions', { page, pageSize: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
    // Live state: always ask the server when the page opens.
    staleTime: 0,
  });
  const toggle = useMutation({
    mutationFn: (s: SubscriptionRow) =>
      api.post(`/exchange/subscriptions/${s.id}/${s.status === 'active' ? 'pause' : 'resume'}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['exchange', 'subscriptions'] }),
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });

  return (
    <Card size="small">
      {canWrite ? (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 12 }}
          onClick={() => setCreating(true)}
        >
          {t('exchange.subs.create')}
        </Button>
      ) : null}
      {list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<SubscriptionRow>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          locale={{
            emptyText: list.isPending ? (
              <Loading />
            ) : (
              <EmptyState
                message={t('exchange.subs.empty')}
                hint={canWrite ? t('exchange.subs.emptyHint') : undefined}
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
              dataIndex: 'entryName',
              render: (_, s) => (
                <Link to={`/exchange/subscriptions/${s.id}`} data-testid="subscription-link">
                  {`${s.resource ?? ''} ${s.entryName ?? ''}`.trim() || s.grantId}
                </Link>
              ),
            },
            {
              title: t('exchange.subs.mode'),
              dataIndex: 'mode',
              width: 110,
              render: (m: string) => (
                <Tag>{m === 'webhook' ? t('exchange.subs.webhook') : t('exchange.subs.pull')}</Tag>
              ),
            },
            {
              title: t('exchange.subs.url'),
              dataIndex: 'url',
              ellipsis: true,
              render: (u: string | null) => u ?? t('exchange.subs.pullHint'),
            },
            {
              title: t('exchange.subs.status'),
              dataIndex: 'status',
              width: 90,
              render: (s: string) => <SubscriptionStatusTag status={s} />,
            },
            {
              title: t('exchange.subs.counts'),
              key: 'counts',
              width: 200,
              render: (_, s) =>
                s.mode === 'webhook' ? (
                  <Space size={4} wrap>
                    <Tag color="processing">{t('exchange.subs.pending', { n: s.pending })}</Tag>
                    <Tag color="success">{t('exchange.subs.delivered', { n: s.delivered })}</Tag>
                    {s.dead ? <Tag color="error">{t('exchange.subs.dead', { n: s.dead })}</Tag> : null}
                  </Space>
                ) : (
                  t('exchange.subs.cursor', { n: s.cursor })
                ),
            },
            {
              title: t('exchange.subs.createdAt'),
              dataIndex: 'createdAt',
              width: 150,
              render: (v: string) => formatDateTime(v),
            },
            {
              title: t('exchange.actions'),
              key: 'actions',
              width: 170,
              render: (_, s) => (
                <Space size="small">
                  <Link to={`/exchange/subscriptions/${s.id}`}>{t('exchange.subs.log')}</Link>
                  {canWrite ? (
                    s.status === 'active' ? (
                      <Popconfirm
                        title={t('exchange.subs.pauseConfirm')}
                        description={t('exchange.subs.pauseHint')}
                        okText={t('exchange.subs.pause')}
                        cancelText={t('common.cancel')}
                        onConfirm={() => toggle.mutateAsync(s)}
                      >
                        <Button size="small">{t('exchange.subs.pause')}</Button>
                      </Popconfirm>
                    ) : (
                      <Button size="small" onClick={() => toggle.mutate(s)} loading={toggle.isPending}>
                        {t('exchange.subs.resume')}
                      </Button>
                    )
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      )}
      <Subscribe
        open={creating}
        onClose={() => setCreating(false)}
        onDone={(created) => {
          setCreating(false);
          if (created.secret) setSecret(created.secret);
          else void message.success(t('exchange.subs.created'));
          void queryClient.invalidateQueries({ queryKey: ['exchange', 'subscriptions'] });
        }}
      />
      <Modal
        open={secret !== null}
        title={t('exchange.subs.secretTitle')}
        closable={false}
        maskClosable={false}
        keyboard={false}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('exchange.tokens.stored')}
        onOk={() => setSecret(null)}
        destroyOnHidden
      >
        <Alert
          type="warning"
          showIcon
          message={t('exchange.subs.secretWarning')}
          style={{ marginBottom: 12 }}
        />
        <Typography.Paragraph
          code
          copyable={{ text: secret ?? '', tooltips: [t('exchange.copy'), t('exchange.copied')] }}
          style={{ wordBreak: 'break-all' }}
          data-testid="webhook-secret"
        >
          {secret}
        </Typography.Paragraph>
        <Typography.Text type="secondary">{t('exchange.subs.secretHint')}</Typography.Text>
      </Modal>
    </Card>
  );
}

function Subscribe({
  open,
  onClose,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  onDone: (s: SubscriptionCreated) => void;
}) {
  const { t, lang } = useI18n();
  const orgName = useOrgName();
  const [form] = Form.useForm<{ grantId: string; mode: 'webhook' | 'pull'; url?: string }>();
  const [alert, setAlert] = useState<string | null>(null);
  const mode = Form.useWatch('mode', form);
  const grants = useQuery({
    queryKey: ['exchange', 'grants', 'consumer'],
    queryFn: ({ signal }) =>
      api.get<Page<Grant>>('/sharing/grants', { role: 'consumer', status: 'active', pageSize: 100 }, signal),
    enabled: open,
  });
  const entryName = useEntryLabels((grants.data?.items ?? []).map((g) => g.entryId));
  useEffect(() => {
    if (open) {
      form.resetFields();
      setAlert(null);
    }
  }, [open, form]);
  const save = useMutation({
    mutationFn: (v: { grantId: string; mode: 'webhook' | 'pull'; url?: string }) =>
      api.post<SubscriptionCreated>('/exchange/subscriptions', {
        grantId: v.grantId,
        mode: v.mode,
        ...(v.mode === 'webhook' ? { url: v.url } : {}),
      }),
    onSuccess: onDone,
    onError: (err) => {
      const r = applyProblemToForm(form, err, lang);
      setAlert(r.unmatched.length || !r.message ? r.message : null);
    },
  });
  return (
    <Modal
      open={open}
      width={620}
      title={t('exchange.subs.create')}
      okText={t('exchange.subs.submit')}
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
        name="subscribe"
        initialValues={{ mode: 'webhook' }}
        onFinish={(v) => {
          setAlert(null);
          save.mutate(v);
        }}
      >
        <Form.Item
          name="grantId"
          label={t('exchange.sync.grant')}
          rules={[{ required: true, message: t('exchange.required') }]}
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
        <Form.Item name="mode" label={t('exchange.subs.mode')}>
          <Radio.Group
            options={[
              { value: 'webhook', label: t('exchange.subs.webhook') },
              { value: 'pull', label: t('exchange.subs.pull') },
            ]}
          />
        </Form.Item>
        {mode === 'webhook' ? (
          <Form.Item
            name="url"
            label={t('exchange.subs.url')}
            rules={[{ required: true, message: t('exchange.required') }]}
            extra={t('exchange.subs.urlHint')}
          >
            <Input placeholder="https://jiuzhu.mz.example/hooks/govshare" />
          </Form.Item>
        ) : (
          <Typography.Paragraph type="secondary">{t('exchange.subs.pullExplain')}</Typography.Paragraph>
        )}
      </Form>
    </Modal>
  );
}

function DeadLetters() {
  const { t } = useI18n();
  return (
    <Card size="small">
      <Typography.Paragraph type="secondary">{t('exchange.dead.intro')}</Typography.Paragraph>
      <DeliveryTable
        status="dead"
        emptyMessage={t('exchange.dead.empty')}
        emptyHint={t('exchange.dead.emptyHint')}
      />
    </Card>
  );
}

export function StatusFilter({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (v: string | undefined) => void;
}) {
  const { t } = useI18n();
  return (
    <Select
      allowClear
      aria-label={t('exchange.delivery.statusFilter')}
      placeholder={t('exchange.delivery.statusFilter')}
      style={{ width: 180 }}
      value={value}
      onChange={onChange}
      options={(['pending', 'delivered', 'dead'] as const).map((s) => ({
        value: s,
        label: t(`exchange.delivery.status.${s}`),
      }))}
    />
  );
}
