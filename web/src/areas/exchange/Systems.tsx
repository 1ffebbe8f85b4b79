/**
 * 业务系统: the consuming systems of the department and their bearer tokens. A new token's secret is
 * shown once, in a modal with a copy button, and never again; revoking asks first.
 */
import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
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
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { api, applyProblemToForm } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgName } from '../../lookups';
import { useMe } from '../../session';
import type { Page } from '../../types';
import type { ConsumerSystem, IssuedToken, Token } from './types';

const PAGE_SIZE = 10;

export default function Systems() {
  const { t } = useI18n();
  const me = useMe();
  const orgName = useOrgName();
  const queryClient = useQueryClient();
  const canWrite = me.permissions.includes('systems.write');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);

  const list = useQuery({
    queryKey: ['exchange', 'systems', page],
    queryFn: ({ signal }) => api.get<Page<ConsumerSystem>>('/systems', { page, pageSize: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageTitle
        title={t('exchange.systems.title')}
        sub={<Typography.Text type="secondary">{t('exchange.systems.sub')}</Typography.Text>}
        extra={
          canWrite ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('exchange.systems.create')}
            </Button>
          ) : null
        }
      />
      <Card size="small">
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<ConsumerSystem>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            expandable={{
              expandedRowRender: (s) => <Tokens system={s} />,
              expandRowByClick: false,
            }}
            locale={{
              emptyText: list.isPending ? (
                <Loading />
              ) : (
                <EmptyState
                  message={t('exchange.systems.empty')}
                  hint={canWrite ? t('exchange.systems.emptyHint') : undefined}
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
              { title: t('exchange.systems.code'), dataIndex: 'code', width: 160 },
              { title: t('exchange.systems.name'), dataIndex: 'name' },
              {
                title: t('exchange.source.org'),
                dataIndex: 'orgId',
                width: 160,
                render: (id: string) => orgName(id),
              },
              {
                title: t('exchange.systems.status'),
                dataIndex: 'status',
                width: 100,
                render: (s: string) =>
                  s === 'active' ? (
                    <Tag color="success">{t('exchange.systems.active')}</Tag>
                  ) : (
                    <Tag>{t('exchange.systems.retired')}</Tag>
                  ),
              },
              {
                title: t('exchange.systems.createdAt'),
                dataIndex: 'createdAt',
                width: 130,
                render: (v: string) => formatDate(v),
              },
            ]}
          />
        )}
      </Card>
      <CreateSystem
        open={creating}
        onClose={() => setCreating(false)}
        onDone={() => {
          setCreating(false);
          void queryClient.invalidateQueries({ queryKey: ['exchange', 'systems'] });
        }}
      />
    </>
  );
}

function CreateSystem({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string; name: string; description?: string }>();
  const [alert, setAlert] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      form.resetFields();
      setAlert(null);
    }
  }, [open, form]);
  const save = useMutation({
    mutationFn: (v: { code: string; name: string; description?: string }) =>
      api.post<ConsumerSystem>('/systems', v),
    onSuccess: (s) => {
      void message.success(t('exchange.systems.created', { name: s.name }));
      onDone();
    },
    onError: (err) => {
      const r = applyProblemToForm(form, err, lang);
      setAlert(r.unmatched.length || !r.message ? r.message : null);
    },
  });
  return (
    <Modal
      open={open}
      title={t('exchange.systems.create')}
      okText={t('exchange.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      forceRender
    >
      {alert ? <Alert type="error" showIcon message={alert} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" name="system" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="code"
          label={t('exchange.systems.code')}
          rules={[{ required: true, message: t('exchange.required') }]}
          extra={t('exchange.systems.codeHint')}
        >
          <Input placeholder="mz-dibao" maxLength={64} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('exchange.systems.name')}
          rules={[{ required: true, message: t('exchange.required') }]}
        >
          <Input placeholder={t('exchange.systems.namePlaceholder')} maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t('exchange.systems.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Tokens({ system }: { system: ConsumerSystem }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const canWrite = me.permissions.includes('tokens.write') && system.status === 'active';
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [form] = Form.useForm<{ name: string; expiresInDays: number }>();
  const [alert, setAlert] = useState<string | null>(null);

  const tokens = useQuery({
    queryKey: ['exchange', 'tokens', system.id],
    queryFn: ({ signal }) => api.get<Token[]>(`/systems/${system.id}/tokens`, undefined, signal),
  });
  const issue = useMutation({
    mutationFn: (v: { name: string; expiresInDays: number }) =>
      api.post<IssuedToken>(`/systems/${system.id}/tokens`, v),
    onSuccess: (r) => {
      setIssuing(false);
      setIssued(r);
      void queryClient.invalidateQueries({ queryKey: ['exchange', 'tokens', system.id] });
    },
    onError: (err) => {
      const r = applyProblemToForm(form, err, lang);
      setAlert(r.unmatched.length ? r.message : null);
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete<Token>(`/tokens/${id}`),
    onSuccess: (tok) => {
      void message.success(t('exchange.tokens.revoked', { name: tok.name }));
      void queryClient.invalidateQueries({ queryKey: ['exchange', 'tokens', system.id] });
    },
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });

  return (
    <div style={{ padding: '4px 0' }}>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('exchange.tokens.title', { name: system.name })}</Typography.Text>
        {canWrite ? (
          <Button
            size="small"
            icon={<KeyOutlined />}
            onClick={() => {
              form.resetFields();
              setAlert(null);
              setIssuing(true);
            }}
          >
            {t('exchange.tokens.issue')}
          </Button>
        ) : null}
      </Space>
      {tokens.isError ? (
        <ErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <Table<Token>
          rowKey="id"
          size="small"
          loading={tokens.isFetching}
          dataSource={tokens.data ?? []}
          pagination={(tokens.data?.length ?? 0) > 10 ? { pageSize: 10, size: 'small' } : false}
          locale={{
            emptyText: tokens.isPending ? (
              <Loading />
            ) : (
              <EmptyState message={t('exchange.tokens.empty')} hint={t('exchange.tokens.emptyHint')} />
            ),
          }}
          columns={[
            { title: t('exchange.tokens.name'), dataIndex: 'name' },
            {
              title: t('exchange.tokens.prefix'),
              dataIndex: 'prefix',
              render: (p: string) => <Typography.Text code>{p}…</Typography.Text>,
            },
            {
              title: t('exchange.tokens.status'),
              dataIndex: 'status',
              render: (s: string) => (
                <Tag color={s === 'active' ? 'success' : s === 'revoked' ? 'error' : 'default'}>
                  {s === 'active'
                    ? t('exchange.tokens.active')
                    : s === 'revoked'
                      ? t('exchange.tokens.revokedStatus')
                      : t('exchange.tokens.expired')}
                </Tag>
              ),
            },
            {
              title: t('exchange.tokens.expiresAt'),
              dataIndex: 'expiresAt',
              render: (v: string) => formatDate(v),
            },
            {
              title: t('exchange.tokens.lastUsed'),
              dataIndex: 'lastUsedAt',
              render: (v: string | null) => (v ? formatDateTime(v) : t('exchange.tokens.never')),
            },
            {
              title: t('exchange.actions'),
              key: 'actions',
              render: (_, tok) =>
                canWrite && tok.status === 'active' ? (
                  <Popconfirm
                    title={t('exchange.tokens.revokeConfirm', { name: tok.name })}
                    description={t('exchange.tokens.revokeHint')}
                    okText={t('exchange.tokens.revoke')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => revoke.mutateAsync(tok.id)}
                  >
                    <Button size="small" danger loading={revoke.isPending && revoke.variables === tok.id}>
                      {t('exchange.tokens.revoke')}
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      )}
      <Modal
        open={issuing}
        title={t('exchange.tokens.issueTitle', { name: system.name })}
        okText={t('exchange.tokens.issue')}
        cancelText={t('common.cancel')}
        onOk={() => form.submit()}
        onCancel={() => setIssuing(false)}
        confirmLoading={issue.isPending}
        forceRender
      >
        {alert ? <Alert type="error" showIcon message={alert} style={{ marginBottom: 12 }} /> : null}
        <Form
          form={form}
          layout="vertical"
          name={`token-${system.id}`}
          initialValues={{ expiresInDays: 90 }}
          onFinish={(v) => issue.mutate(v)}
        >
          <Form.Item
            name="name"
            label={t('exchange.tokens.name')}
            rules={[{ required: true, message: t('exchange.required') }]}
          >
            <Input placeholder={t('exchange.tokens.namePlaceholder')} maxLength={100} />
          </Form.Item>
          <Form.Item
            name="expiresInDays"
            label={t('exchange.tokens.days')}
            rules={[{ required: true, message: t('exchange.required') }]}
          >
            <InputNumber min={1} max={366} style={{ width: 160 }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={issued !== null}
        title={t('exchange.tokens.issuedTitle')}
        closable={false}
        maskClosable={false}
        keyboard={false}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('exchange.tokens.stored')}
        onOk={() => setIssued(null)}
        destroyOnHidden
      >
        <Alert
          type="warning"
          showIcon
          message={t('exchange.tokens.onceWarning')}
          style={{ marginBottom: 12 }}
        />
        <Typography.Paragraph
          copyable={{ text: issued?.token ?? '', tooltips: [t('exchange.copy'), t('exchange.copied')] }}
          code
          data-testid="issued-token"
          style={{ wordBreak: 'break-all' }}
        >
          {issued?.token}
        </Typography.Paragraph>
        <Typography.Text type="secondary">
          {t('exchange.tokens.expiresOn', { date: formatDate(issued?.tokenInfo.expiresAt) })}
        </Typography.Text>
      </Modal>
    </div>
  );
}
