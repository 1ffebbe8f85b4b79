/**
 * One information system: every R2.1 field in one form (create or edit, field errors in place), its flags
 * with their explanations (confirm or dismiss with a reason), its disposition with the target date, delete.
 */
import { DeleteOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api, applyProblemToForm } from '../../api';
import { ErrorAlert, errorText, Loading, NotFoundResult } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { useMe, useSession } from '../../session';
import {
  DEPLOYMENTS,
  DISPOSITIONS,
  type Flag,
  NETWORKS,
  type RegisterPage,
  type SystemInput,
  type SystemView,
  seesAll,
} from './types';

type FormValues = Omit<SystemInput, 'approvalDate' | 'lastMaintenanceOn' | 'catalogEntryIds'> & {
  approvalDate: Dayjs | null;
  lastMaintenanceOn: Dayjs | null;
};

const FLAG_COLOR = { zombie: 'volcano', shadow: 'purple', single_unit: 'gold' } as const;
const FLAG_STATUS_COLOR = { open: 'orange', confirmed: 'red', dismissed: 'default' } as const;

function toForm(s: SystemView): FormValues {
  const { approvalDate, lastMaintenanceOn, catalogEntryIds: _c, ...rest } = s;
  return {
    ...rest,
    approvalDate: approvalDate ? dayjs(approvalDate) : null,
    lastMaintenanceOn: lastMaintenanceOn ? dayjs(lastMaintenanceOn) : null,
  };
}

const DEFAULTS: Partial<FormValues> = {
  internalUnit: null,
  network: 'extranet',
  deployment: 'gov_cloud',
  investmentWan: 0,
  omCostWan: 0,
  protectionLevel: null,
  protectionFilingNo: null,
  classified: false,
  classifiedFilingNo: null,
  monthlyActiveUsers: 0,
  monthlyTransactions: 0,
  utilizationPct: 0,
  businessLink: true,
  replacedById: null,
  mustConnect: false,
  connected: false,
  approvalDate: null,
  lastMaintenanceOn: null,
};

/** Picks the replacing system among the register (searched on the server). */
function SystemPicker({
  value,
  onChange,
  exclude,
  id,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  exclude?: string;
  id?: string;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['inventory', 'picker', q],
    queryFn: ({ signal }) => api.get<RegisterPage>('/inventory/register', { q, pageSize: 20 }, signal),
  });
  const current = useQuery({
    queryKey: ['inventory', 'system', value],
    queryFn: ({ signal }) => api.get<SystemView>(`/inventory/systems/${value}`, undefined, signal),
    enabled: !!value,
  });
  const options = (found.data?.items ?? [])
    .filter((s) => s.id !== exclude)
    .map((s) => ({ value: s.id, label: `${s.name}（${s.orgName}）` }));
  if (value && current.data && !options.some((o) => o.value === value))
    options.unshift({ value, label: `${current.data.name}（${current.data.orgName}）` });
  return (
    <Select
      id={id}
      allowClear
      showSearch
      filterOption={false}
      onSearch={setQ}
      loading={found.isFetching}
      value={value ?? undefined}
      onChange={(v?: string) => onChange?.(v ?? null)}
      options={options}
      aria-label={t('inventory.field.replacedById')}
    />
  );
}

function SystemForm({ system }: { system: SystemView | null }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const dir = useOrgDirectory();
  const [form] = Form.useForm<FormValues>();
  const [alert, setAlert] = useState<string | null>(null);
  const classified = Form.useWatch('classified', form);
  const editable =
    can('inventory.write') && (seesAll(me.user.role) || !system || system.orgId === me.activeOrgId);

  useEffect(() => {
    form.setFieldsValue(system ? toForm(system) : { ...DEFAULTS, orgId: me.activeOrgId });
  }, [system, form, me.activeOrgId]);

  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const body: SystemInput = {
        ...v,
        internalUnit: v.internalUnit?.trim() ? v.internalUnit : null,
        protectionFilingNo: v.protectionFilingNo?.trim() ? v.protectionFilingNo : null,
        classifiedFilingNo: v.classifiedFilingNo?.trim() ? v.classifiedFilingNo : null,
        approvalDate: v.approvalDate ? v.approvalDate.format('YYYY-MM-DD') : null,
        lastMaintenanceOn: v.lastMaintenanceOn ? v.lastMaintenanceOn.format('YYYY-MM-DD') : null,
        catalogEntryIds: system?.catalogEntryIds ?? [],
      };
      return system
        ? api.put<SystemView>(`/inventory/systems/${system.id}`, body)
        : api.post<SystemView>('/inventory/systems', body);
    },
    onSuccess: async (saved) => {
      setAlert(null);
      void message.success(system ? t('inventory.system.saved') : t('inventory.system.created'));
      await queryClient.invalidateQueries({ queryKey: ['inventory'] });
      if (!system) void navigate(`/inventory/systems/${saved.id}`, { replace: true });
    },
    onError: (err) => {
      const { message: m, unmatched } = applyProblemToForm(form, err, lang);
      setAlert(
        err instanceof ApiError && err.problem.fields.length > 0 && unmatched.length === 0
          ? t('inventory.system.formError')
          : [m, ...unmatched.map((u) => (lang === 'en' ? u.en : u.zh))].join('；'),
      );
    },
  });

  const str = (name: keyof FormValues, label: Parameters<typeof t>[0], required = true, extra?: object) => (
    <Col xs={24} md={12}>
      <Form.Item
        name={name}
        label={t(label)}
        rules={
          required
            ? [
                {
                  required: true,
                  whitespace: true,
                  message: t('inventory.field.required', { label: t(label) }),
                },
              ]
            : []
        }
        {...extra}
      >
        <Input disabled={!editable} />
      </Form.Item>
    </Col>
  );
  const num = (name: keyof FormValues, label: Parameters<typeof t>[0], max?: number, precision = 2) => (
    <Col xs={24} md={8}>
      <Form.Item
        name={name}
        label={t(label)}
        rules={[{ required: true, message: t('inventory.field.required', { label: t(label) }) }]}
      >
        <InputNumber min={0} max={max} precision={precision} style={{ width: '100%' }} disabled={!editable} />
      </Form.Item>
    </Col>
  );
  const flag = (name: keyof FormValues, label: Parameters<typeof t>[0]) => (
    <Col xs={12} md={6}>
      <Form.Item name={name} label={t(label)} valuePropName="checked">
        <Switch disabled={!editable} />
      </Form.Item>
    </Col>
  );

  const orgOptions = [...(dir.data?.values() ?? [])]
    .filter((o) => o.kind !== 'platform_office')
    .map((o) => ({ value: o.id, label: orgName(o, lang) }));

  return (
    <Form
      form={form}
      layout="vertical"
      disabled={!editable}
      onFinish={(v) => save.mutate(v)}
      scrollToFirstError
      data-testid="system-form"
    >
      {alert ? (
        <Alert type="error" showIcon message={alert} style={{ marginBottom: 12 }} role="alert" />
      ) : null}
      <Card size="small" title={t('inventory.section.basic')} style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="orgId"
              label={t('inventory.field.orgId')}
              rules={[
                {
                  required: true,
                  message: t('inventory.field.required', { label: t('inventory.field.orgId') }),
                },
              ]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                options={orgOptions}
                disabled={!editable || !!system || !seesAll(me.user.role)}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="internalUnit"
              label={t('inventory.field.internalUnit')}
              extra={t('inventory.field.internalUnitHelp')}
            >
              <Input />
            </Form.Item>
          </Col>
          {str('name', 'inventory.field.name')}
          {str('scopeOfUse', 'inventory.field.scopeOfUse')}
          <Col xs={24}>
            <Form.Item
              name="functionDescription"
              label={t('inventory.field.functionDescription')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('inventory.field.required', { label: t('inventory.field.functionDescription') }),
                },
              ]}
            >
              <Input.TextArea rows={3} maxLength={4000} showCount />
            </Form.Item>
          </Col>
          {str('frequencyOfUse', 'inventory.field.frequencyOfUse')}
          <Col xs={24} md={12}>
            <Form.Item
              name="dataResources"
              label={t('inventory.field.dataResources')}
              extra={t('inventory.field.dataResourcesHelp')}
            >
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card size="small" title={t('inventory.section.approval')} style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          {str('approvingDepartment', 'inventory.field.approvingDepartment', false)}
          <Col xs={24} md={12}>
            <Form.Item name="approvalDate" label={t('inventory.field.approvalDate')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {str('fundingSource', 'inventory.field.fundingSource', false)}
          {str('fundingChannel', 'inventory.field.fundingChannel', false)}
          {str('builder', 'inventory.field.builder', false)}
          {num('investmentWan', 'inventory.field.investmentWan')}
          {num('omCostWan', 'inventory.field.omCostWan')}
        </Row>
      </Card>
      <Card size="small" title={t('inventory.section.tech')} style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="network" label={t('inventory.field.network')} rules={[{ required: true }]}>
              <Select options={NETWORKS.map((n) => ({ value: n, label: t(`inventory.network.${n}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="deployment" label={t('inventory.field.deployment')} rules={[{ required: true }]}>
              <Select
                options={DEPLOYMENTS.map((d) => ({ value: d, label: t(`inventory.deployment.${d}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="protectionLevel" label={t('inventory.field.protectionLevel')}>
              <Select
                allowClear
                placeholder={t('inventory.field.levelNone')}
                options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }))}
                onChange={(v?: number) => form.setFieldValue('protectionLevel', v ?? null)}
              />
            </Form.Item>
          </Col>
          {str('protectionFilingNo', 'inventory.field.protectionFilingNo', false)}
          {flag('classified', 'inventory.field.classified')}
          {classified ? str('classifiedFilingNo', 'inventory.field.classifiedFilingNo', false) : null}
        </Row>
      </Card>
      <Card size="small" title={t('inventory.section.usage')} style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          {num('monthlyActiveUsers', 'inventory.field.monthlyActiveUsers', undefined, 0)}
          {num('monthlyTransactions', 'inventory.field.monthlyTransactions', undefined, 0)}
          {num('utilizationPct', 'inventory.field.utilizationPct', 100, 1)}
          <Col xs={24} md={8}>
            <Form.Item name="lastMaintenanceOn" label={t('inventory.field.lastMaintenanceOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="replacedById" label={t('inventory.field.replacedById')}>
              <SystemPicker exclude={system?.id} />
            </Form.Item>
          </Col>
          {flag('businessLink', 'inventory.field.businessLink')}
        </Row>
      </Card>
      <Card size="small" title={t('inventory.section.sharing')} style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          {flag('mustConnect', 'inventory.field.mustConnect')}
          {flag('connected', 'inventory.field.connected')}
        </Row>
      </Card>
      {editable ? (
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('inventory.system.save')}
        </Button>
      ) : null}
    </Form>
  );
}

function FlagsCard({ system }: { system: SystemView }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [acting, setActing] = useState<{ flag: Flag; verb: 'confirm' | 'dismiss' } | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const flags = useQuery({
    queryKey: ['inventory', 'flags', system.id],
    queryFn: ({ signal }) => api.get<Flag[]>('/inventory/flags', { systemId: system.id }, signal),
  });
  const resolve = useMutation({
    mutationFn: (v: { reason: string }) =>
      api.post<Flag>(`/inventory/flags/${acting?.flag.id}/${acting?.verb}`, { reason: v.reason }),
    onSuccess: async () => {
      setActing(null);
      form.resetFields();
      void message.success(t('inventory.flags.done'));
      await queryClient.invalidateQueries({ queryKey: ['inventory'] });
    },
    onError: (err) => {
      const { unmatched, message: m } = applyProblemToForm(form, err, lang);
      if (!(err instanceof ApiError) || err.problem.fields.length === 0 || unmatched.length > 0)
        void message.error(m);
    },
  });
  return (
    <Card
      size="small"
      title={t('inventory.flags.title')}
      style={{ marginBottom: 12 }}
      data-testid="flags-card"
    >
      {flags.isError ? (
        <ErrorAlert error={flags.error} onRetry={() => void flags.refetch()} />
      ) : flags.isPending ? (
        <Loading />
      ) : (
        <List
          dataSource={flags.data}
          locale={{ emptyText: t('inventory.flags.none') }}
          renderItem={(f) => (
            <List.Item
              data-testid={`flag-${f.rule}`}
              actions={
                f.status === 'open' && can('inventory.review')
                  ? [
                      <Button
                        key="c"
                        size="small"
                        danger
                        onClick={() => setActing({ flag: f, verb: 'confirm' })}
                      >
                        {t('inventory.flags.confirm')}
                      </Button>,
                      <Button key="d" size="small" onClick={() => setActing({ flag: f, verb: 'dismiss' })}>
                        {t('inventory.flags.dismiss')}
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    <Tag color={FLAG_COLOR[f.kind]}>{t(`inventory.flag.${f.kind}`)}</Tag>
                    <Tag color={FLAG_STATUS_COLOR[f.status]}>{t(`inventory.flags.status.${f.status}`)}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('inventory.flags.rule', { rule: f.rule })}
                    </Typography.Text>
                    {f.score !== null ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('inventory.flags.score', { pct: Math.round(f.score * 100) })}
                      </Typography.Text>
                    ) : null}
                  </Space>
                }
                description={
                  <>
                    <div data-testid="flag-explanation">
                      {lang === 'en' ? f.explanation.en : f.explanation.zh}
                    </div>
                    {f.otherSystemName ? (
                      <div>
                        {t('inventory.flags.pair', {
                          name: f.otherSystemId === system.id ? f.systemName : f.otherSystemName,
                        })}
                      </div>
                    ) : null}
                    {f.resolutionReason ? (
                      <Typography.Text type="secondary">
                        {t('inventory.flags.resolved', {
                          reason: f.resolutionReason,
                          at: formatDateTime(f.resolvedAt),
                        })}
                      </Typography.Text>
                    ) : null}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      <Modal
        open={acting !== null}
        title={
          acting ? t(acting.verb === 'confirm' ? 'inventory.flags.confirm' : 'inventory.flags.dismiss') : ''
        }
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={resolve.isPending}
        onOk={() => form.submit()}
        onCancel={() => {
          setActing(null);
          form.resetFields();
        }}
        destroyOnHidden
      >
        {acting ? (
          <Typography.Paragraph type="secondary">
            {lang === 'en' ? acting.flag.explanation.en : acting.flag.explanation.zh}
          </Typography.Paragraph>
        ) : null}
        <Form form={form} layout="vertical" onFinish={(v) => resolve.mutate(v)}>
          <Form.Item
            name="reason"
            label={t('inventory.flags.reason')}
            rules={[{ required: true, whitespace: true, message: t('inventory.flags.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function DispositionCard({ system }: { system: SystemView }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ kind: string; targetOn: Dayjs; note: string; assetWriteOffNote?: string }>();
  const kind = Form.useWatch('kind', form);
  const editable = can('inventory.dispose') && (seesAll(me.user.role) || system.orgId === me.activeOrgId);
  useEffect(() => {
    form.setFieldsValue({
      ...(system.disposition ? { kind: system.disposition } : {}),
      ...(system.dispositionTargetOn ? { targetOn: dayjs(system.dispositionTargetOn) } : {}),
      note: system.dispositionNote ?? '',
      assetWriteOffNote: system.assetWriteOffNote ?? '',
    });
  }, [system, form]);
  const save = useMutation({
    mutationFn: (v: { kind: string; targetOn: Dayjs; note: string; assetWriteOffNote?: string }) =>
      api.put<SystemView>(`/inventory/systems/${system.id}/disposition`, {
        kind: v.kind,
        targetOn: v.targetOn.format('YYYY-MM-DD'),
        note: v.note,
        assetWriteOffNote: v.assetWriteOffNote?.trim() ? v.assetWriteOffNote : null,
      }),
    onSuccess: async () => {
      void message.success(t('inventory.disp.saved'));
      await queryClient.invalidateQueries({ queryKey: ['inventory'] });
    },
    onError: (err) => {
      const { unmatched, message: m } = applyProblemToForm(form, err, lang);
      if (!(err instanceof ApiError) || err.problem.fields.length === 0 || unmatched.length > 0)
        void message.error(m);
    },
  });
  return (
    <Card size="small" title={t('inventory.disp.title')} style={{ marginBottom: 12 }}>
      <Typography.Paragraph type="secondary">
        {system.disposition
          ? t('inventory.disp.current', {
              kind: t(`inventory.disposition.${system.disposition}`),
              date: formatDate(system.dispositionTargetOn),
            })
          : t('inventory.disp.none')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" disabled={!editable} onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="kind"
          label={t('inventory.disp.kind')}
          rules={[
            { required: true, message: t('inventory.field.required', { label: t('inventory.disp.kind') }) },
          ]}
        >
          <Select options={DISPOSITIONS.map((d) => ({ value: d, label: t(`inventory.disposition.${d}`) }))} />
        </Form.Item>
        <Form.Item
          name="targetOn"
          label={t('inventory.disp.targetOn')}
          rules={[
            {
              required: true,
              message: t('inventory.field.required', { label: t('inventory.disp.targetOn') }),
            },
          ]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('inventory.disp.note')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('inventory.field.required', { label: t('inventory.disp.note') }),
            },
          ]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="assetWriteOffNote"
          label={t('inventory.disp.writeOff')}
          extra={t('inventory.disp.writeOffHelp')}
          rules={
            kind === 'retire'
              ? [{ required: true, whitespace: true, message: t('inventory.disp.writeOffHelp') }]
              : []
          }
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        {editable ? (
          <Button htmlType="submit" loading={save.isPending}>
            {t('inventory.disp.save')}
          </Button>
        ) : null}
      </Form>
    </Card>
  );
}

export default function SystemPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const me = useMe();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const isNew = !id || id === 'new';
  const system = useQuery({
    queryKey: ['inventory', 'system', id],
    queryFn: ({ signal }) => api.get<SystemView>(`/inventory/systems/${id}`, undefined, signal),
    enabled: !isNew,
  });
  const remove = useMutation({
    mutationFn: () => api.delete<null>(`/inventory/systems/${id}`),
    onSuccess: async () => {
      void message.success(t('inventory.system.deleted'));
      await queryClient.invalidateQueries({ queryKey: ['inventory'] });
      void navigate('/inventory', { replace: true });
    },
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });

  if (isNew)
    return (
      <>
        <PageTitle title={t('inventory.system.newTitle')} />
        <SystemForm system={null} />
      </>
    );
  if (system.isError)
    return system.error instanceof ApiError && system.error.status === 404 ? (
      <NotFoundResult />
    ) : (
      <ErrorAlert error={system.error} onRetry={() => void system.refetch()} />
    );
  if (system.isPending) return <Loading />;
  const s = system.data;
  const canDelete = can('inventory.write') && (seesAll(me.user.role) || s.orgId === me.activeOrgId);
  return (
    <>
      <PageTitle
        title={t('inventory.system.editTitle', { name: s.name })}
        sub={
          <Space wrap size="large">
            <Typography.Text type="secondary">
              {t('common.labelValue', { label: t('inventory.col.org'), value: s.orgName })}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('common.labelValue', { label: t('inventory.col.unit'), value: s.internalUnit ?? '—' })}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('common.labelValue', {
                label: t('inventory.col.deployment'),
                value: t(`inventory.deployment.${s.deployment}`),
              })}
            </Typography.Text>
          </Space>
        }
        extra={
          <Space>
            <Button onClick={() => navigate('/inventory')}>{t('common.back')}</Button>
            {canDelete ? (
              <Popconfirm
                title={t('inventory.system.deleteConfirm', { name: s.name })}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true, loading: remove.isPending }}
                onConfirm={() => remove.mutate()}
              >
                <Button danger icon={<DeleteOutlined />} loading={remove.isPending}>
                  {t('inventory.system.delete')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        }
      />
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <SystemForm system={s} />
        </Col>
        <Col xs={24} xl={9}>
          <FlagsCard system={s} />
          <DispositionCard system={s} />
        </Col>
      </Row>
    </>
  );
}
