/**
 * 申请详情: every field of a sharing request, its deadline, the steps this user may take now (from the
 * server's nextActions, each through a confirming dialog), the history of its states and the negotiation
 * thread between the two departments and the platform office.
 */
import { ArrowLeftOutlined, EditOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Result,
  Row,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, applyProblemToForm } from '../../api';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgName, useValueLabel } from '../../lookups';
import { useMe, useSession } from '../../session';
import type { Application } from '../../types';
import { ActionDialog } from './ActionDialog';
import { AppStatusTag, DueCell, useCodeLabel } from './common';
import type { ApplicationMessage, ConsumerSystem, ApplicationDetail as Detail } from './types';

/** The stages in which the thread takes messages (SharingService.postMessage). */
const THREAD_OPEN = new Set([
  'negotiating',
  'coordinating',
  'upper_coordinating',
  'awaiting_decision',
  'submitted',
  'returned',
  'refused',
]);

/** Steps that move the request forward (primary buttons) and those that say no or end it (red). */
const FORWARD = new Set([
  'submit',
  'internal_approve',
  'approve',
  'agree',
  'supply',
  'decide',
  'consent_extension',
]);
const NEGATIVE = new Set(['refuse', 'withdraw', 'internal_reject', 'close', 'deny_extension']);

function useSystemName(a: Application): string | null {
  const me = useMe();
  const readable = a.consumerSystemId !== null && me.activeOrgId === a.applicantOrgId;
  const q = useQuery({
    queryKey: ['systems', a.consumerSystemId],
    queryFn: ({ signal }) => api.get<ConsumerSystem>(`/systems/${a.consumerSystemId}`, undefined, signal),
    enabled: readable,
    retry: false,
  });
  if (!a.consumerSystemId) return null;
  return q.data ? `${q.data.name}（${q.data.code}）` : null;
}

function Fields({ app }: { app: Application }) {
  const { t } = useI18n();
  const label = useValueLabel();
  const code = useCodeLabel();
  const orgName = useOrgName();
  const system = useSystemName(app);
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
      labelStyle={{ width: 160 }}
      data-testid="app-fields"
      items={[
        {
          key: 'applicant',
          label: t('sharing.detail.applicant'),
          children: orgName(app.applicantOrgId, app.applicantOrgName),
        },
        {
          key: 'provider',
          label: t('sharing.detail.provider'),
          children: orgName(app.providerOrgId, app.providerOrgName),
        },
        {
          key: 'resource',
          label: t('sharing.detail.resource'),
          children: app.entryId ? (
            <Space wrap>
              <Link to={`/catalog/entries/${app.entryId}`}>{app.entryName}</Link>
              <Typography.Text type="secondary">{app.entryCode}</Typography.Text>
            </Space>
          ) : (
            app.outOfCatalog
          ),
        },
        {
          key: 'shareType',
          label: t('sharing.detail.shareType'),
          children: label('shareTypes', app.shareType),
        },
        {
          key: 'items',
          label: t('sharing.detail.items'),
          span: 2,
          children: (
            <Space wrap size={[4, 4]}>
              {app.requestedItems.map((i) => (
                <Tag key={i}>{i}</Tag>
              ))}
            </Space>
          ),
        },
        { key: 'basis', label: t('sharing.form.basis'), span: 2, children: app.basis || '—' },
        { key: 'scenario', label: t('sharing.form.scenario'), children: app.scenario || '—' },
        { key: 'scope', label: t('sharing.form.scope'), children: app.scope || '—' },
        {
          key: 'category',
          label: t('sharing.form.purposeCategory'),
          children: code('purpose', app.purposeCategory),
        },
        { key: 'purpose', label: t('sharing.form.purpose'), children: app.purpose || '—' },
        { key: 'access', label: t('sharing.form.accessMode'), children: code('access', app.accessMode) },
        {
          key: 'period',
          label: t('sharing.detail.period'),
          children: `${formatDate(app.periodFrom)} ~ ${formatDate(app.periodTo)}`,
        },
        {
          key: 'system',
          label: t('sharing.detail.system'),
          children: system ?? (app.consumerSystemId ? t('sharing.detail.systemSet') : '—'),
        },
        { key: 'attested', label: t('sharing.detail.attested'), children: formatDateTime(app.attestedAt) },
        {
          key: 'preset',
          label: t('sharing.detail.preset'),
          children:
            app.policyPreset === 'national_2025' || app.policyPreset === 'seed_xianning_2019'
              ? t(`sharing.preset.${app.policyPreset}`)
              : app.policyPreset,
        },
        { key: 'created', label: t('sharing.detail.created'), children: formatDateTime(app.createdAt) },
      ]}
    />
  );
}

function Progress({ app }: { app: Application }) {
  const { t } = useI18n();
  const code = useCodeLabel();
  const rows = [
    {
      key: 'due',
      label: t('sharing.detail.due'),
      children: (
        <Space wrap size={4}>
          {app.dueKind ? <Tag>{code('dueKind', app.dueKind)}</Tag> : null}
          <DueCell app={app} />
        </Space>
      ),
    },
    ...(app.extensionRequestedDays
      ? [
          {
            key: 'ext',
            label: t('sharing.detail.extension'),
            children: t('sharing.detail.extensionPending', {
              n: app.extensionRequestedDays,
              reason: app.extensionReason ?? '',
            }),
          },
        ]
      : app.extendedDays
        ? [
            {
              key: 'ext',
              label: t('sharing.detail.extension'),
              children: t('sharing.detail.extended', {
                n: app.extendedDays,
                reason: app.extensionReason ?? '',
              }),
            },
          ]
        : []),
    ...(app.refusalReason
      ? [{ key: 'refusal', label: t('sharing.detail.refusal'), children: app.refusalReason }]
      : []),
    ...(app.decisionDocument
      ? [{ key: 'decision', label: t('sharing.detail.decision'), children: app.decisionDocument }]
      : []),
    ...(app.supplyDue
      ? [{ key: 'supplyDue', label: t('sharing.detail.supplyDue'), children: formatDate(app.supplyDue) }]
      : []),
    ...(app.suppliedAt
      ? [
          {
            key: 'supplied',
            label: t('sharing.detail.supplied'),
            children: (
              <span>
                {formatDateTime(app.suppliedAt)}
                {app.suppliedLate ? (
                  <Typography.Text type="danger"> {t('sharing.detail.suppliedLate')}</Typography.Text>
                ) : null}
              </span>
            ),
          },
        ]
      : []),
    ...(app.grantId
      ? [
          {
            key: 'grant',
            label: t('sharing.detail.grant'),
            children: (
              <Link to={`/sharing/grants/${app.grantId}`} data-testid="app-grant-link">
                {t('sharing.detail.viewGrant')}
              </Link>
            ),
          },
        ]
      : []),
  ];
  return <Descriptions size="small" column={1} items={rows} labelStyle={{ width: 120 }} />;
}

function History({ detail }: { detail: Detail }) {
  const { t } = useI18n();
  const code = useCodeLabel();
  const label = useValueLabel();
  const orgName = useOrgName();
  if (detail.events.length === 0) return <Empty description={t('sharing.detail.historyEmpty')} />;
  return (
    <Timeline
      data-testid="app-history"
      items={detail.events.map((e, i) => ({
        key: `${e.at}-${i}`,
        color:
          e.toStatus === 'refused' || e.toStatus === 'closed'
            ? 'red'
            : e.toStatus === 'supplied'
              ? 'green'
              : 'blue',
        children: (
          <div>
            <Space wrap size={[6, 2]}>
              <Typography.Text strong>{code('action', e.action)}</Typography.Text>
              <Tag>{label('appStatuses', e.toStatus)}</Tag>
            </Space>
            <div style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>
              {formatDateTime(e.at)} · {orgName(e.actorOrgId)}
            </div>
            {e.note ? <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

function Thread({ app, messages }: { app: Application; messages: ApplicationMessage[] }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const orgName = useOrgName();
  const label = useValueLabel();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ body: string }>();
  const post = useMutation({
    mutationFn: (body: string) => api.post<null>(`/sharing/applications/${app.id}/messages`, { body }),
    onSuccess: async () => {
      form.resetFields();
      void message.success(t('sharing.detail.sent'));
      await queryClient.invalidateQueries({ queryKey: ['sharing', 'application', app.id] });
    },
    onError: (err) => {
      const r = applyProblemToForm(form, err, lang);
      if (r.unmatched.length > 0 || !(err instanceof ApiError) || err.problem.fields.length === 0)
        void message.error(r.message);
    },
  });
  const open = THREAD_OPEN.has(app.status) && can('sharing.act');
  return (
    <div data-testid="app-thread">
      {messages.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sharing.detail.threadEmpty')} />
      ) : (
        <List
          size="small"
          dataSource={messages}
          renderItem={(m) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space wrap size={[6, 0]}>
                    <span>{orgName(m.authorOrgId)}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(m.at)}{' '}
                      {t('sharing.detail.stage', { stage: label('appStatuses', m.stage) })}
                    </Typography.Text>
                  </Space>
                }
                description={
                  <span style={{ whiteSpace: 'pre-wrap', color: 'rgba(0,0,0,0.88)' }}>{m.body}</span>
                }
              />
            </List.Item>
          )}
        />
      )}
      {open ? (
        <Form form={form} layout="vertical" onFinish={(v) => post.mutate(v.body)} style={{ marginTop: 12 }}>
          <Form.Item
            name="body"
            label={t('sharing.detail.message')}
            rules={[{ required: true, whitespace: true, message: t('sharing.detail.messagePlaceholder') }]}
          >
            <Input.TextArea rows={3} maxLength={8000} placeholder={t('sharing.detail.messagePlaceholder')} />
          </Form.Item>
          <Button htmlType="submit" loading={post.isPending}>
            {t('sharing.detail.send')}
          </Button>
        </Form>
      ) : (
        <Typography.Text type="secondary">{t('sharing.detail.threadClosed')}</Typography.Text>
      )}
    </div>
  );
}

export default function ApplicationDetail() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const code = useCodeLabel();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ['sharing', 'application', id],
    queryFn: ({ signal }) => api.get<Detail>(`/sharing/applications/${id}`, undefined, signal),
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
          title={t('sharing.detail.notFound')}
          extra={<Button onClick={() => void navigate('/sharing')}>{t('common.back')}</Button>}
        />
      );
    return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  }
  const { application: app, messages } = q.data;
  const canEdit = app.nextActions.includes('submit');
  const actions = app.nextActions;

  return (
    <div data-testid="app-detail">
      <PageTitle
        title={app.number}
        sub={
          <Space wrap size={[8, 4]}>
            <AppStatusTag status={app.status} />
            <span>{app.entryName ?? t('sharing.outOfCatalog')}</span>
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(-1)}>
              {t('common.back')}
            </Button>
            {canEdit ? (
              <Button
                icon={<EditOutlined />}
                onClick={() => void navigate(`/sharing/applications/${app.id}/edit`)}
              >
                {t('sharing.detail.editDraft')}
              </Button>
            ) : null}
            {app.grantId ? (
              <Button
                icon={<SafetyCertificateOutlined />}
                onClick={() => void navigate(`/sharing/grants/${app.grantId}`)}
              >
                {t('sharing.detail.viewGrant')}
              </Button>
            ) : null}
          </Space>
        }
      />
      {app.status === 'returned' && app.missingItems.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('sharing.detail.missing')}
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
      <Card title={t('sharing.detail.actions')} style={{ marginBottom: 16 }} data-testid="app-actions">
        {actions.length === 0 ? (
          <Typography.Text type="secondary">{t('sharing.detail.noActions')}</Typography.Text>
        ) : (
          <Space wrap>
            {actions.map((a) => (
              <Button
                key={a}
                type={FORWARD.has(a) ? 'primary' : 'default'}
                danger={NEGATIVE.has(a)}
                onClick={() => setAction(a)}
              >
                {code('action', a)}
              </Button>
            ))}
          </Space>
        )}
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card title={t('sharing.detail.section.request')} style={{ marginBottom: 16 }}>
            <Fields app={app} />
          </Card>
          <Card title={t('sharing.detail.thread')} style={{ marginBottom: 16 }}>
            <Thread app={app} messages={messages} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('sharing.detail.section.progress')} style={{ marginBottom: 16 }}>
            <Progress app={app} />
          </Card>
          <Card title={t('sharing.detail.history')} style={{ marginBottom: 16 }}>
            <History detail={q.data} />
          </Card>
        </Col>
      </Row>
      {action ? (
        <ActionDialog
          app={app}
          action={action}
          onClose={() => setAction(null)}
          onDone={(done) => {
            setAction(null);
            void message.success(t('sharing.detail.done', { action: code('action', action) }));
            queryClient.setQueryData<Detail>(['sharing', 'application', id], (old) =>
              old ? { ...old, application: done } : old,
            );
            void queryClient.invalidateQueries({ queryKey: ['sharing'] });
          }}
        />
      ) : null}
    </div>
  );
}
