/**
 * 申请共享数据: the request form, started from a catalog entry (/sharing/new?entry=<id>) or reopened to
 * edit a draft or a request returned as incomplete (/sharing/applications/:id/edit). It saves a draft
 * (the server checks only what is filled in) or submits (the server checks everything and puts each
 * problem under its field).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../../api';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { useI18n } from '../../i18n';
import { useOrgName, useValueLabel } from '../../lookups';
import type { Application, Entry, Page } from '../../types';
import { ACCESS_MODES, type FormProblem, PURPOSE_CATEGORIES, showProblem, useCodeLabel } from './common';
import type { ApplicationDetail, ApplicationInput, ConsumerSystem } from './types';

interface FormValues {
  requestedItems: string[];
  basis?: string;
  scenario?: string;
  purposeCategory?: string | null;
  purpose?: string;
  scope?: string;
  accessMode?: string | null;
  periodFrom?: Dayjs | null;
  periodTo?: Dayjs | null;
  consumerSystemId?: string | null;
  attested?: boolean;
}

const FIELDS: (keyof FormValues)[] = [
  'requestedItems',
  'basis',
  'scenario',
  'purposeCategory',
  'purpose',
  'scope',
  'accessMode',
  'periodFrom',
  'periodTo',
  'consumerSystemId',
  'attested',
];

const SENSITIVE = new Set(['sensitive', 'highly_sensitive']);

function toInput(entryId: string, v: FormValues): ApplicationInput {
  return {
    entryId,
    requestedItems: v.requestedItems ?? [],
    basis: v.basis ?? '',
    scenario: v.scenario ?? '',
    purposeCategory: v.purposeCategory ?? null,
    purpose: v.purpose ?? '',
    scope: v.scope ?? '',
    accessMode: v.accessMode ?? null,
    periodFrom: v.periodFrom ? v.periodFrom.format('YYYY-MM-DD') : null,
    periodTo: v.periodTo ? v.periodTo.format('YYYY-MM-DD') : null,
    consumerSystemId: v.consumerSystemId ?? null,
    attested: v.attested === true,
  };
}

function fromApplication(a: Application): FormValues {
  return {
    requestedItems: a.requestedItems,
    basis: a.basis,
    scenario: a.scenario,
    purposeCategory: a.purposeCategory,
    purpose: a.purpose,
    scope: a.scope,
    accessMode: a.accessMode,
    periodFrom: a.periodFrom ? dayjs(a.periodFrom) : null,
    periodTo: a.periodTo ? dayjs(a.periodTo) : null,
    consumerSystemId: a.consumerSystemId,
    attested: a.attestedAt !== null,
  };
}

function defaults(): FormValues {
  const year = dayjs().year();
  return {
    requestedItems: [],
    accessMode: 'api',
    periodFrom: dayjs(),
    periodTo: dayjs(`${year + 1}-12-31`),
    attested: false,
  };
}

export default function RequestForm() {
  const { id: editId } = useParams();
  const [params] = useSearchParams();
  const existing = useQuery({
    queryKey: ['sharing', 'application', editId],
    queryFn: ({ signal }) => api.get<ApplicationDetail>(`/sharing/applications/${editId}`, undefined, signal),
    enabled: Boolean(editId),
  });
  const entryId = editId ? (existing.data?.application.entryId ?? null) : params.get('entry');
  const entry = useQuery({
    queryKey: ['catalog', 'entry', entryId],
    queryFn: ({ signal }) => api.get<Entry>(`/catalog/entries/${entryId}`, undefined, signal),
    enabled: Boolean(entryId),
  });
  const { t } = useI18n();
  const navigate = useNavigate();

  if (editId && existing.isPending) return <Loading />;
  if (editId && existing.isError)
    return <ErrorAlert error={existing.error} onRetry={() => void existing.refetch()} />;
  if (!entryId) {
    return (
      <Result
        status="info"
        title={t('sharing.form.noEntry')}
        extra={
          <Button type="primary" onClick={() => void navigate('/catalog')}>
            {t('sharing.form.toCatalog')}
          </Button>
        }
      />
    );
  }
  if (entry.isPending) return <Loading />;
  if (entry.isError) return <ErrorAlert error={entry.error} onRetry={() => void entry.refetch()} />;
  const app = existing.data?.application ?? null;
  return <TheForm key={app?.id ?? entryId} entry={entry.data} app={app} />;
}

function TheForm({ entry, app }: { entry: Entry; app: Application | null }) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const label = useValueLabel();
  const code = useCodeLabel();
  const orgName = useOrgName();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [savedId, setSavedId] = useState<string | null>(app?.id ?? null);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const systems = useQuery({
    queryKey: ['systems', 'own'],
    queryFn: ({ signal }) => api.get<Page<ConsumerSystem>>('/systems', { page: 1, pageSize: 200 }, signal),
  });
  const activeSystems = (systems.data?.items ?? []).filter((s) => s.status === 'active');
  const editable = !app || app.status === 'draft' || app.status === 'returned';

  const save = async (): Promise<Application> => {
    const input = toInput(entry.id, form.getFieldsValue(true) as FormValues);
    const saved = savedId
      ? await api.put<Application>(`/sharing/applications/${savedId}`, input)
      : await api.post<Application>('/sharing/applications', input);
    setSavedId(saved.id);
    return saved;
  };

  const fail = (err: unknown) => {
    setProblem(showProblem(form, err, lang));
    if (!(err instanceof ApiError) || err.problem.fields.length > 0)
      void message.error(t('sharing.form.failed'));
  };

  const clearErrors = () => {
    setProblem(null);
    form.setFields(FIELDS.map((name) => ({ name, errors: [] })));
  };

  const saveDraft = async () => {
    clearErrors();
    setBusy('draft');
    try {
      const saved = await save();
      await queryClient.invalidateQueries({ queryKey: ['sharing'] });
      void message.success(t('sharing.form.saved', { number: saved.number }));
      if (!app) void navigate(`/sharing/applications/${saved.id}/edit`, { replace: true });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  };

  const submit = async () => {
    clearErrors();
    setBusy('submit');
    try {
      const saved = await save();
      const done = await api.post<Application>(`/sharing/applications/${saved.id}/actions/submit`);
      await queryClient.invalidateQueries({ queryKey: ['sharing'] });
      void message.success(t('sharing.form.submitted', { number: done.number }));
      void navigate(`/sharing/applications/${done.id}`);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  };

  const confirmSubmit = () => {
    modal.confirm({
      title: t('sharing.form.submitConfirm'),
      content: t('sharing.form.submitConfirmHint'),
      okText: t('sharing.form.submit'),
      cancelText: t('common.cancel'),
      onOk: submit,
    });
  };

  const providerName = lang === 'en' ? orgName(entry.providerOrgId, entry.providerName) : entry.providerName;
  const itemNames = entry.items.map((i) => i.name);

  return (
    <div data-testid="sharing-form">
      <PageTitle
        title={app ? t('sharing.form.titleEdit', { number: app.number }) : t('sharing.form.titleNew')}
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
          items={[
            {
              key: 'resource',
              label: t('sharing.form.resource'),
              children: (
                <Space wrap>
                  <span data-testid="form-entry">{entry.name}</span>
                  <Typography.Text type="secondary">{entry.code}</Typography.Text>
                </Space>
              ),
            },
            {
              key: 'provider',
              label: t('sharing.form.provider'),
              children: (
                <Space wrap>
                  <span>{providerName}</span>
                  <Tag>{label('shareTypes', entry.shareType)}</Tag>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {!editable && app ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('sharing.form.notEditable', { status: label('appStatuses', app.status) })}
        />
      ) : null}
      {app?.status === 'returned' && app.missingItems.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('sharing.form.returnedAlert')}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {app.missingItems.map((m) => (
                <li key={`${m.field}-${m.note}`}>
                  {t('common.labelValue', { label: code('missingField', m.field), value: m.note })}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Card>
        {problem ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            style={{ marginBottom: 16 }}
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
        ) : null}
        <Form<FormValues>
          form={form}
          layout="vertical"
          disabled={!editable || busy !== null}
          initialValues={app ? fromApplication(app) : defaults()}
          requiredMark={false}
        >
          <Form.Item
            name="requestedItems"
            label={t('sharing.form.items')}
            extra={
              <Space size={12}>
                <span>{t('sharing.form.itemsHint')}</span>
                <Button
                  type="link"
                  size="small"
                  onClick={() => form.setFieldValue('requestedItems', itemNames)}
                >
                  {t('sharing.form.itemsAll')}
                </Button>
                <Button type="link" size="small" onClick={() => form.setFieldValue('requestedItems', [])}>
                  {t('sharing.form.itemsNone')}
                </Button>
              </Space>
            }
          >
            <Checkbox.Group style={{ width: '100%' }}>
              <Row gutter={[8, 8]}>
                {entry.items.map((it) => (
                  <Col key={it.name} xs={24} sm={12} lg={8}>
                    <Checkbox value={it.name}>
                      {it.name}
                      {SENSITIVE.has(it.sensitivity) ? (
                        <Tag color="orange" style={{ marginLeft: 6 }}>
                          {label('sensitivities', it.sensitivity)}
                        </Tag>
                      ) : null}
                      {it.masking !== 'none' ? (
                        <Tag style={{ marginLeft: 4 }}>{label('maskings', it.masking)}</Tag>
                      ) : null}
                    </Checkbox>
                  </Col>
                ))}
              </Row>
            </Checkbox.Group>
          </Form.Item>
          <Form.Item name="basis" label={t('sharing.form.basis')}>
            <Input.TextArea rows={2} maxLength={2000} placeholder={t('sharing.form.basisPlaceholder')} />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="scenario" label={t('sharing.form.scenario')}>
                <Input maxLength={2000} placeholder={t('sharing.form.scenarioPlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="scope" label={t('sharing.form.scope')}>
                <Input maxLength={2000} placeholder={t('sharing.form.scopePlaceholder')} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="purposeCategory" label={t('sharing.form.purposeCategory')}>
            <Radio.Group options={PURPOSE_CATEGORIES.map((p) => ({ value: p, label: code('purpose', p) }))} />
          </Form.Item>
          <Form.Item name="purpose" label={t('sharing.form.purpose')}>
            <Input.TextArea rows={2} maxLength={2000} placeholder={t('sharing.form.purposePlaceholder')} />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="accessMode" label={t('sharing.form.accessMode')}>
                <Select
                  allowClear
                  options={ACCESS_MODES.map((m) => ({ value: m, label: code('access', m) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="periodFrom" label={t('sharing.form.periodFrom')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="periodTo" label={t('sharing.form.periodTo')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="consumerSystemId"
            label={t('sharing.form.system')}
            extra={
              systems.isSuccess && activeSystems.length === 0
                ? t('sharing.form.noSystems')
                : t('sharing.form.systemHint')
            }
          >
            <Select
              allowClear
              loading={systems.isPending}
              placeholder={t('sharing.form.systemPlaceholder')}
              options={activeSystems.map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` }))}
            />
          </Form.Item>
          <Form.Item name="attested" valuePropName="checked">
            <Checkbox>{t('sharing.form.attest')}</Checkbox>
          </Form.Item>
          {editable ? (
            <Space>
              <Button onClick={() => void saveDraft()} loading={busy === 'draft'} disabled={busy !== null}>
                {t('sharing.form.saveDraft')}
              </Button>
              <Button
                type="primary"
                onClick={confirmSubmit}
                loading={busy === 'submit'}
                disabled={busy !== null}
                data-testid="form-submit"
              >
                {t('sharing.form.submit')}
              </Button>
            </Space>
          ) : null}
        </Form>
      </Card>
    </div>
  );
}
