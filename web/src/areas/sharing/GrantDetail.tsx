/**
 * 授权详情: what a grant lets the consumer's system read (items with their masking, row filter, purpose,
 * validity, daily quota); the provider's head or the platform office suspend, resume, revoke or renew it
 * (each asks first); the confidentiality agreement, printable on its own and accepted by each side's
 * head; the consumer's usage records; and, for the consumer, the token of its system (shown once).
 */
import {
  ArrowLeftOutlined,
  CopyOutlined,
  FileTextOutlined,
  KeyOutlined,
  PlusOutlined,
  PrinterOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Result,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../../api';
import { EmptyState, ErrorAlert, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, formatDateTime, formatNumber } from '../../format';
import { type MessageKey, useI18n } from '../../i18n';
import { useOrgName, useValueLabel } from '../../lookups';
import { useMe, useSession } from '../../session';
import type { Entry } from '../../types';
import { type FormProblem, GrantStatusTag, showProblem, useCodeLabel } from './common';
import type {
  Agreement,
  ApiToken,
  ConsumerSystem,
  Grant,
  GrantItem,
  IssuedToken,
  UsageList,
  UsageRecord,
} from './types';

/** Printing the page prints the agreement alone, on A4 (the rest of the console is hidden). */
const PRINT_CSS = `
.gs-agreement-print { display: none; }
@media print {
  @page { size: A4; margin: 20mm 18mm; }
  body > *:not(.gs-agreement-print) { display: none !important; }
  .gs-agreement-print { display: block !important; color: #000; font-size: 12pt; }
  .gs-agreement-print .gs-agreement-text { font-size: 12pt; line-height: 1.8; }
  .gs-agreement-print .gs-agreement-title { font-size: 16pt; }
}
.gs-agreement-doc { border: 1px solid #e5e7eb; border-radius: 6px; padding: 24px 32px; background: #fff; }
.gs-agreement-title { text-align: center; font-weight: 600; font-size: 18px; margin-bottom: 12px;
  font-family: "SimSun", "Songti SC", serif; }
.gs-agreement-text { white-space: pre-wrap; font-family: "SimSun", "Songti SC", serif; font-size: 14px; line-height: 1.9; }
`;

type GrantStep = 'suspend' | 'resume' | 'revoke' | 'renew';
const STEP_LABEL: Record<GrantStep, MessageKey> = {
  suspend: 'sharing.grant.suspend',
  resume: 'sharing.grant.resume',
  revoke: 'sharing.grant.revoke',
  renew: 'sharing.grant.renew',
};
const STEP_HINT: Record<GrantStep, MessageKey> = {
  suspend: 'sharing.grant.suspendHint',
  resume: 'sharing.grant.resumeHint',
  revoke: 'sharing.grant.revokeHint',
  renew: 'sharing.grant.renewHint',
};

function stepsFor(g: Grant): GrantStep[] {
  switch (g.status) {
    case 'active':
      return ['suspend', 'renew', 'revoke'];
    case 'suspended':
      return ['resume', 'revoke'];
    case 'expired':
      return ['renew', 'revoke'];
    default:
      return [];
  }
}

function ProblemAlert({ problem }: { problem: FormProblem | null }) {
  const { lang } = useI18n();
  if (!problem) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 12 }}
      message={problem.message}
      description={
        problem.unmatched.length > 0 ? (
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {problem.unmatched.map((p) => (
              <li key={`${p.field}-${p.rule}`}>{lang === 'en' ? p.en : p.zh}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}

function StepDialog({
  grant,
  step,
  platform,
  onClose,
  onDone,
}: {
  grant: Grant;
  step: GrantStep;
  platform: boolean;
  onClose: () => void;
  onDone: (g: Grant) => void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<{ reason?: string; consultation?: string; validTo?: Dayjs | null }>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const ok = async () => {
    setProblem(null);
    let v: { reason?: string; consultation?: string; validTo?: Dayjs | null };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const body: Record<string, unknown> = { reason: v.reason ?? '' };
      if (step === 'revoke' && v.consultation?.trim()) body.consultation = v.consultation;
      if (step === 'renew') body.validTo = v.validTo ? v.validTo.format('YYYY-MM-DD') : '';
      onDone(await api.post<Grant>(`/sharing/grants/${grant.id}/${step}`, body));
    } catch (err) {
      setProblem(showProblem(form, err, lang));
    } finally {
      setBusy(false);
    }
  };
  const danger = step === 'revoke' || step === 'suspend';
  return (
    <Modal
      open
      title={t('sharing.act.confirmTitle', { action: t(STEP_LABEL[step]) })}
      okText={t(STEP_LABEL[step])}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger, loading: busy }}
      onOk={() => void ok()}
      onCancel={onClose}
      maskClosable={!busy}
      destroyOnClose
    >
      <Typography.Paragraph>{t(STEP_HINT[step])}</Typography.Paragraph>
      <ProblemAlert problem={problem} />
      <Form
        form={form}
        layout="vertical"
        disabled={busy}
        initialValues={step === 'renew' ? { validTo: dayjs(grant.validTo).add(1, 'year') } : {}}
      >
        {step === 'renew' ? (
          <Form.Item
            name="validTo"
            label={t('sharing.grant.validTo')}
            rules={[{ required: true, message: t('sharing.grant.validToRequired') }]}
          >
            <DatePicker />
          </Form.Item>
        ) : null}
        <Form.Item
          name="reason"
          label={t('sharing.grant.reason')}
          rules={[{ required: true, whitespace: true, message: t('sharing.grant.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        {step === 'revoke' ? (
          <Form.Item
            name="consultation"
            label={t('sharing.grant.consultationLabel')}
            rules={
              platform
                ? []
                : [{ required: true, whitespace: true, message: t('sharing.grant.consultationRequired') }]
            }
          >
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

function ItemsTab({ grant }: { grant: Grant }) {
  const { t, lang } = useI18n();
  const label = useValueLabel();
  const code = useCodeLabel();
  const columns: ColumnsType<GrantItem> = [
    { title: t('sharing.grant.itemName'), dataIndex: 'name' },
    {
      title: t('sharing.grant.masking'),
      dataIndex: 'masking',
      render: (m: string) => (
        <Tag color={m === 'none' ? 'default' : 'processing'}>{label('maskings', m)}</Tag>
      ),
    },
  ];
  const filter =
    grant.rowFilter && typeof grant.rowFilter === 'object' && Object.keys(grant.rowFilter).length > 0
      ? JSON.stringify(grant.rowFilter)
      : null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
        labelStyle={{ width: 150 }}
        items={[
          {
            key: 'purpose',
            label: t('sharing.grant.purpose'),
            span: 2,
            children: `${code('purpose', grant.purposeCategory)} · ${grant.purpose || '—'}`,
          },
          { key: 'access', label: t('sharing.grant.accessMode'), children: code('access', grant.accessMode) },
          {
            key: 'validity',
            label: t('sharing.grant.validity'),
            children: `${formatDate(grant.validFrom)} ~ ${formatDate(grant.validTo)}`,
          },
          {
            key: 'quota',
            label: t('sharing.grant.quota'),
            children: t('sharing.grant.quotaN', { n: formatNumber(grant.dailyQuota, lang) }),
          },
          {
            key: 'filter',
            label: t('sharing.grant.rowFilter'),
            children: filter ? (
              <Typography.Text code>{filter}</Typography.Text>
            ) : (
              t('sharing.grant.rowFilterNone')
            ),
          },
          ...(grant.statusReason
            ? [
                {
                  key: 'reason',
                  label: t('sharing.grant.statusReason'),
                  span: 2,
                  children: grant.statusReason,
                },
              ]
            : []),
          ...(grant.consultation
            ? [
                {
                  key: 'consult',
                  label: t('sharing.grant.consultation'),
                  span: 2,
                  children: grant.consultation,
                },
              ]
            : []),
        ]}
      />
      <Table<GrantItem>
        rowKey="name"
        size="small"
        title={() => t('sharing.grant.items')}
        columns={columns}
        dataSource={grant.items}
        pagination={false}
        data-testid="grant-items"
      />
    </Space>
  );
}

function AgreementTab({ grant }: { grant: Grant }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: ['sharing', 'agreement', grant.id],
    queryFn: ({ signal }) => api.get<Agreement>(`/sharing/grants/${grant.id}/agreement`, undefined, signal),
  });
  const accept = useMutation({
    mutationFn: (digest: string) =>
      api.post<Agreement>(`/sharing/grants/${grant.id}/agreement/accept`, { digest }),
    onSuccess: (a) => {
      queryClient.setQueryData(['sharing', 'agreement', grant.id], a);
      void message.success(t('sharing.agreement.accepted'));
    },
    onError: (err) => message.error(err instanceof ApiError ? err.text(lang) : t('common.unexpected')),
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const a = q.data;
  const side = (who: 'consumer' | 'provider') => {
    const at = who === 'consumer' ? a.consumerAcceptedAt : a.providerAcceptedAt;
    const by = who === 'consumer' ? a.consumerAcceptedByName : a.providerAcceptedByName;
    return at
      ? t('sharing.agreement.acceptedBy', { name: by ?? '—', at: formatDateTime(at) })
      : t('sharing.agreement.notAccepted');
  };
  const sideLabel = (who: 'consumer' | 'provider') =>
    who === 'consumer' ? t('sharing.agreement.sideConsumer') : t('sharing.agreement.sideProvider');
  const [title, ...body] = a.text.split('\n');
  const doc = (
    <>
      <div className="gs-agreement-title">{title}</div>
      <div className="gs-agreement-text">{body.join('\n').replace(/^\n+/, '')}</div>
      <Descriptions
        size="small"
        column={1}
        style={{ marginTop: 24 }}
        items={[
          { key: 'p', label: `${sideLabel('provider')} ${a.providerOrgName}`, children: side('provider') },
          { key: 'c', label: `${sideLabel('consumer')} ${a.consumerOrgName}`, children: side('consumer') },
          {
            key: 'd',
            label: t('sharing.agreement.digest'),
            children: (
              <Typography.Text code style={{ wordBreak: 'break-all' }}>
                {a.digest}
              </Typography.Text>
            ),
          },
        ]}
      />
    </>
  );
  return (
    <div data-testid="grant-agreement">
      <style>{PRINT_CSS}</style>
      <Space wrap className="gs-agreement-noprint" style={{ marginBottom: 16 }}>
        <Tag
          color={
            a.status === 'accepted' ? 'success' : a.status === 'partly_accepted' ? 'processing' : 'warning'
          }
        >
          {t(`sharing.agreement.status.${a.status}`)}
        </Tag>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('sharing.agreement.print')}
        </Button>
        {a.canAccept ? (
          <Popconfirm
            title={t('sharing.agreement.acceptAs', { side: sideLabel(a.canAccept) })}
            description={<div style={{ maxWidth: 320 }}>{t('sharing.agreement.acceptConfirm')}</div>}
            okText={t('sharing.agreement.accept')}
            cancelText={t('common.cancel')}
            onConfirm={() => accept.mutateAsync(a.digest)}
          >
            <Button type="primary" icon={<FileTextOutlined />} loading={accept.isPending}>
              {t('sharing.agreement.acceptAs', { side: sideLabel(a.canAccept) })}
            </Button>
          </Popconfirm>
        ) : null}
      </Space>
      {!a.digestValid ? (
        <Alert
          type="error"
          showIcon
          className="gs-agreement-noprint"
          style={{ marginBottom: 16 }}
          message={t('sharing.agreement.digestInvalid')}
        />
      ) : null}
      <div className="gs-agreement-doc">{doc}</div>
      {/* What printing prints: a copy under <body>, shown only to the printer (see PRINT_CSS). */}
      {createPortal(<div className="gs-agreement-print">{doc}</div>, document.body)}
    </div>
  );
}

interface UsageValues {
  scenario?: string;
  process?: string;
  effect?: string;
  storage?: string;
  occurredOn?: Dayjs | null;
}

function UsageTab({ grant, canWrite }: { grant: Grant; canWrite: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [form] = Form.useForm<UsageValues>();
  const q = useQuery({
    queryKey: ['sharing', 'usage', grant.id],
    queryFn: ({ signal }) => api.get<UsageList>(`/sharing/grants/${grant.id}/usage`, undefined, signal),
  });
  const save = async () => {
    setProblem(null);
    let v: UsageValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      await api.post<UsageRecord>(`/sharing/grants/${grant.id}/usage`, {
        scenario: v.scenario ?? '',
        process: v.process ?? '',
        effect: v.effect ?? '',
        storage: v.storage ?? '',
        occurredOn: v.occurredOn ? v.occurredOn.format('YYYY-MM-DD') : '',
      });
      void message.success(t('sharing.usage.saved'));
      setOpen(false);
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['sharing', 'usage', grant.id] });
    } catch (err) {
      setProblem(showProblem(form, err, lang));
    } finally {
      setBusy(false);
    }
  };
  const columns: ColumnsType<UsageRecord> = [
    {
      title: t('sharing.usage.occurredOn'),
      dataIndex: 'occurredOn',
      render: (d: string, r) => (
        <Space direction="vertical" size={0}>
          <span>{formatDate(d)}</span>
          <Tag color={r.kind === 'disposal' ? 'red' : 'blue'}>{t(`sharing.usage.kind.${r.kind}`)}</Tag>
        </Space>
      ),
    },
    {
      title: t('sharing.usage.scenario'),
      key: 'what',
      render: (_: unknown, r) =>
        r.kind === 'disposal' ? (
          <span style={{ whiteSpace: 'pre-wrap' }}>{r.disposal}</span>
        ) : (
          <Space direction="vertical" size={2}>
            <Typography.Text strong>{r.scenario}</Typography.Text>
            <span>{t('common.labelValue', { label: t('sharing.usage.process'), value: r.process })}</span>
            <span>{t('common.labelValue', { label: t('sharing.usage.effect'), value: r.effect })}</span>
            <span>{t('common.labelValue', { label: t('sharing.usage.storage'), value: r.storage })}</span>
          </Space>
        ),
    },
    {
      title: t('sharing.usage.recordedBy'),
      dataIndex: 'recordedByName',
      render: (n: string | null) => n ?? '—',
    },
    { title: t('sharing.usage.retainUntil'), dataIndex: 'retainUntil', render: (d: string) => formatDate(d) },
  ];
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const required = [{ required: true, whitespace: true, message: t('sharing.usage.required') }];
  return (
    <div data-testid="grant-usage">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">
          {t('sharing.usage.retention', { n: q.data.retentionYears })}
        </Typography.Text>
        {q.data.disposedOn ? (
          <Tag color="red">{t('sharing.usage.disposed', { date: formatDate(q.data.disposedOn) })}</Tag>
        ) : null}
        {canWrite ? (
          <Button icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            {t('sharing.usage.add')}
          </Button>
        ) : null}
      </Space>
      <Table<UsageRecord>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={q.data.items}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{
          emptyText: <EmptyState message={t('sharing.usage.empty')} hint={t('sharing.usage.emptyHint')} />,
        }}
      />
      <Modal
        open={open}
        title={t('sharing.usage.add')}
        okText={t('sharing.usage.add')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void save()}
        onCancel={() => setOpen(false)}
        destroyOnClose
      >
        <ProblemAlert problem={problem} />
        <Form form={form} layout="vertical" disabled={busy} initialValues={{ occurredOn: dayjs() }}>
          <Form.Item
            name="occurredOn"
            label={t('sharing.usage.occurredOn')}
            rules={[{ required: true, message: t('sharing.usage.required') }]}
          >
            <DatePicker />
          </Form.Item>
          <Form.Item name="scenario" label={t('sharing.usage.scenario')} rules={required}>
            <Input maxLength={2000} />
          </Form.Item>
          <Form.Item name="process" label={t('sharing.usage.process')} rules={required}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item name="effect" label={t('sharing.usage.effect')} rules={required}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item name="storage" label={t('sharing.usage.storage')} rules={required}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

function TokenTab({ grant, canIssue }: { grant: Grant; canIssue: boolean }) {
  const { t, lang } = useI18n();
  const queryClient = useQueryClient();
  const systemId = grant.consumerSystemId;
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [form] = Form.useForm<{ name?: string; expiresInDays?: number | null }>();
  const system = useQuery({
    queryKey: ['systems', systemId],
    queryFn: ({ signal }) => api.get<ConsumerSystem>(`/systems/${systemId}`, undefined, signal),
    enabled: systemId !== null,
  });
  const tokens = useQuery({
    queryKey: ['systems', systemId, 'tokens'],
    queryFn: ({ signal }) => api.get<ApiToken[]>(`/systems/${systemId}/tokens`, undefined, signal),
    enabled: systemId !== null,
  });
  if (!systemId) return <EmptyState message={t('sharing.token.noSystem')} />;
  const issue = async () => {
    setProblem(null);
    let v: { name?: string; expiresInDays?: number | null };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const r = await api.post<IssuedToken>(`/systems/${systemId}/tokens`, {
        name: v.name ?? '',
        expiresInDays: v.expiresInDays ?? 90,
      });
      setAsking(false);
      form.resetFields();
      setSecret(r.token);
      await queryClient.invalidateQueries({ queryKey: ['systems', systemId, 'tokens'] });
    } catch (err) {
      setProblem(showProblem(form, err, lang));
    } finally {
      setBusy(false);
    }
  };
  const columns: ColumnsType<ApiToken> = [
    { title: t('sharing.token.col.name'), dataIndex: 'name' },
    {
      title: t('sharing.token.col.prefix'),
      dataIndex: 'prefix',
      render: (p: string) => <Typography.Text code>{p}…</Typography.Text>,
    },
    { title: t('sharing.token.col.expires'), dataIndex: 'expiresAt', render: (d: string) => formatDate(d) },
    {
      title: t('sharing.token.col.lastUsed'),
      dataIndex: 'lastUsedAt',
      render: (d: string | null) => formatDateTime(d),
    },
    {
      title: t('sharing.token.col.status'),
      dataIndex: 'status',
      render: (s: ApiToken['status']) => (
        <Tag color={s === 'active' ? 'success' : s === 'revoked' ? 'error' : 'default'}>
          {t(`sharing.token.status.${s}`)}
        </Tag>
      ),
    },
  ];
  return (
    <div data-testid="grant-token">
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        <Descriptions
          size="small"
          column={1}
          items={[
            {
              key: 'system',
              label: t('sharing.token.system'),
              children: system.data
                ? `${system.data.name}（${system.data.code}）`
                : system.isPending
                  ? '…'
                  : '—',
            },
          ]}
        />
        {grant.status !== 'active' ? (
          <Alert type="warning" showIcon message={t('sharing.token.inactive')} />
        ) : null}
        {canIssue ? (
          <Space wrap>
            <Button
              type="primary"
              icon={<KeyOutlined />}
              onClick={() => setAsking(true)}
              data-testid="issue-token"
            >
              {t('sharing.token.issue')}
            </Button>
            <Typography.Text type="secondary">{t('sharing.token.usage')}</Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('sharing.token.notConsumer')}</Typography.Text>
        )}
        {tokens.isError ? (
          <ErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : (
          <Table<ApiToken>
            rowKey="id"
            size="small"
            title={() => t('sharing.token.list')}
            columns={columns}
            loading={tokens.isPending}
            dataSource={tokens.data ?? []}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: <EmptyState message={t('sharing.token.empty')} /> }}
          />
        )}
      </Space>
      <Modal
        open={asking}
        title={t('sharing.token.issue')}
        okText={t('sharing.token.issue')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void issue()}
        onCancel={() => setAsking(false)}
        destroyOnClose
      >
        <ProblemAlert problem={problem} />
        <Form form={form} layout="vertical" disabled={busy} initialValues={{ expiresInDays: 90 }}>
          <Form.Item
            name="name"
            label={t('sharing.token.name')}
            rules={[{ required: true, whitespace: true, message: t('sharing.token.nameRequired') }]}
          >
            <Input maxLength={100} placeholder={t('sharing.token.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('sharing.token.expires')}>
            <InputNumber min={1} max={366} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={secret !== null}
        title={t('sharing.token.issuedTitle')}
        destroyOnClose
        closable={false}
        maskClosable={false}
        keyboard={false}
        footer={
          <Button type="primary" onClick={() => setSecret(null)}>
            {t('sharing.token.close')}
          </Button>
        }
      >
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('sharing.token.issuedWarn')} />
        <Typography.Paragraph
          code
          data-testid="token-secret"
          style={{ wordBreak: 'break-all', fontSize: 14 }}
          copyable={{
            text: secret ?? '',
            icon: [
              <CopyOutlined key="c" aria-label={t('sharing.token.copy')} />,
              <span key="d">{t('sharing.token.copied')}</span>,
            ],
            tooltips: [t('sharing.token.copy'), t('sharing.token.copied')],
          }}
        >
          {secret}
        </Typography.Paragraph>
        <Typography.Text type="secondary">{t('sharing.token.usage')}</Typography.Text>
      </Modal>
    </div>
  );
}

export default function GrantDetail() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { can } = useSession();
  const me = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const orgName = useOrgName();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<GrantStep | null>(null);
  const q = useQuery({
    queryKey: ['sharing', 'grant', id],
    queryFn: ({ signal }) => api.get<Grant>(`/sharing/grants/${id}`, undefined, signal),
  });
  const entryId = q.data?.entryId ?? null;
  const entry = useQuery({
    queryKey: ['catalog', 'entry', entryId],
    queryFn: ({ signal }) => api.get<Entry>(`/catalog/entries/${entryId}`, undefined, signal),
    enabled: entryId !== null,
    staleTime: 5 * 60 * 1000,
  });
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);

  if (q.isPending) return <Loading />;
  if (q.isError) {
    const status = q.error instanceof ApiError ? q.error.status : 0;
    if (status === 404 || status === 400 || status === 403)
      return (
        <Result
          status="404"
          title={t('sharing.grant.notFound')}
          extra={<Button onClick={() => void navigate('/sharing/grants')}>{t('common.back')}</Button>}
        />
      );
    return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  }
  const g = q.data;
  const platform = me.user.role === 'platform_admin';
  const manager = can('grants.manage') && (platform || me.activeOrgId === g.providerOrgId);
  const consumer = me.activeOrgId === g.consumerOrgId;
  const steps = manager ? stepsFor(g) : [];

  return (
    <div data-testid="grant-detail">
      <PageTitle
        title={entry.data?.name ?? t('sharing.grant.title')}
        sub={
          <Space wrap size={[8, 4]}>
            <GrantStatusTag status={g.status} />
            <span>
              {orgName(g.providerOrgId)} → {orgName(g.consumerOrgId)}
            </span>
            <Link to={`/sharing/applications/${g.applicationId}`}>{t('sharing.grant.application')}</Link>
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(-1)}>
              {t('common.back')}
            </Button>
            {steps.map((s) => (
              <Button key={s} danger={s === 'revoke' || s === 'suspend'} onClick={() => setStep(s)}>
                {t(STEP_LABEL[s])}
              </Button>
            ))}
          </Space>
        }
      />
      <Card>
        <Tabs
          defaultActiveKey="items"
          items={[
            { key: 'items', label: t('sharing.grant.tab.items'), children: <ItemsTab grant={g} /> },
            {
              key: 'agreement',
              label: <span data-testid="tab-agreement">{t('sharing.grant.tab.agreement')}</span>,
              children: <AgreementTab grant={g} />,
            },
            {
              key: 'usage',
              label: <span data-testid="tab-usage">{t('sharing.grant.tab.usage')}</span>,
              children: <UsageTab grant={g} canWrite={consumer && can('sharing.usage.write')} />,
            },
            ...(consumer || platform
              ? [
                  {
                    key: 'token',
                    label: <span data-testid="tab-token">{t('sharing.grant.tab.token')}</span>,
                    children: <TokenTab grant={g} canIssue={consumer && can('tokens.write')} />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {step ? (
        <StepDialog
          grant={g}
          step={step}
          platform={platform}
          onClose={() => setStep(null)}
          onDone={(done) => {
            setStep(null);
            void message.success(t('sharing.grant.changed'));
            queryClient.setQueryData(['sharing', 'grant', id], done);
            void queryClient.invalidateQueries({ queryKey: ['sharing', 'grants'] });
          }}
        />
      ) : null}
    </div>
  );
}
