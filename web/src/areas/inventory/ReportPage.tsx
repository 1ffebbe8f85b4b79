/**
 * A department's self-check report: its statement and counts, every system in it with its verifications;
 * verifiers (platform office, audit, the named finance bureau) verify items or send one back with a
 * reason; the department's head submits, and resubmits after corrections.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, applyProblemToForm } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading, NotFoundResult } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime, formatNumber } from '../../format';
import { isMessageKey, type MessageKey, useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { useMe, useSession } from '../../session';
import { REPORT_COLOR } from './CampaignPage';
import type { ReportDetail, ReportItem } from './types';

const ITEM_COLOR = { pending: 'blue', verified: 'green', returned: 'orange' } as const;
const COUNTS = [
  'systems',
  'mustConnect',
  'connected',
  'notConnected',
  'zombieFlags',
  'shadowFlags',
  'singleUnitFlags',
  'withDisposition',
  'govCloud',
  'investmentWan',
  'omCostWan',
] as const;

function SubmitForm({ report, onDone }: { report: ReportDetail; onDone: (r: ReportDetail) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ statement: string }>();
  const [alert, setAlert] = useState<string | null>(null);
  const submit = useMutation({
    mutationFn: (v: { statement: string }) =>
      api.post<ReportDetail>(`/inventory/campaigns/${report.campaignId}/reports/${report.orgId}/submit`, v),
    onSuccess: (r) => {
      setAlert(null);
      void message.success(t('inventory.report.submitted'));
      onDone(r);
    },
    onError: (err) => {
      const { message: m, unmatched } = applyProblemToForm(form, err, lang);
      setAlert(
        err instanceof ApiError && err.problem.fields.length > 0 && unmatched.length === 0
          ? null
          : [m, ...unmatched.map((u) => (lang === 'en' ? u.en : u.zh))].join('；'),
      );
    },
  });
  const again = report.status === 'returned';
  return (
    <Card size="small" title={again ? t('inventory.report.resubmit') : t('inventory.report.submit')}>
      {alert ? (
        <Alert type="error" showIcon message={alert} style={{ marginBottom: 12 }} role="alert" />
      ) : null}
      <Typography.Paragraph type="secondary">{t('inventory.report.submitHint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ statement: report.statement ?? '' }}
        onFinish={(v) => submit.mutate(v)}
      >
        <Form.Item
          name="statement"
          label={t('inventory.report.statement')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('inventory.field.required', { label: t('inventory.report.statement') }),
            },
          ]}
        >
          <Input.TextArea rows={4} maxLength={8000} showCount />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submit.isPending}>
          {again ? t('inventory.report.resubmit') : t('inventory.report.submit')}
        </Button>
      </Form>
    </Card>
  );
}

export default function ReportPage() {
  const { id, orgId } = useParams();
  const { t, lang } = useI18n();
  const me = useMe();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const dir = useOrgDirectory();
  const key = ['inventory', 'campaigns', 'report', id, orgId];
  const [returning, setReturning] = useState<ReportItem | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const report = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api.get<ReportDetail>(`/inventory/campaigns/${id}/reports/${orgId}`, undefined, signal),
  });
  const done = async (r: ReportDetail) => {
    queryClient.setQueryData(key, r);
    await queryClient.invalidateQueries({ queryKey: ['inventory', 'campaigns'], refetchType: 'none' });
  };
  const base = `/inventory/campaigns/${id}/reports/${orgId}`;
  const verify = useMutation({
    mutationFn: (itemId: string | null) =>
      api.post<ReportDetail>(itemId ? `${base}/items/${itemId}/verify` : `${base}/verify`),
    onSuccess: async (r) => {
      void message.success(t('inventory.report.verifiedMsg'));
      await done(r);
    },
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });
  const sendBack = useMutation({
    mutationFn: (v: { reason: string }) =>
      api.post<ReportDetail>(`${base}/items/${returning?.id}/return`, { reason: v.reason }),
    onSuccess: async (r) => {
      setReturning(null);
      form.resetFields();
      void message.success(t('inventory.report.returnedMsg'));
      await done(r);
    },
    onError: (err) => {
      const { message: m, unmatched } = applyProblemToForm(form, err, lang);
      if (!(err instanceof ApiError) || err.problem.fields.length === 0 || unmatched.length > 0)
        void message.error(m);
    },
  });

  if (report.isError)
    return report.error instanceof ApiError && report.error.status === 404 ? (
      <NotFoundResult />
    ) : (
      <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />
    );
  if (report.isPending) return <Loading />;
  const r = report.data;
  const cap = r.myCapacity;
  const open = r.campaign.status === 'open';
  const checking = cap !== null && open && r.status !== 'pending';
  const canSubmit =
    can('inventory.selfcheck.submit') &&
    me.activeOrgId === r.orgId &&
    open &&
    (r.status === 'pending' || r.status === 'returned');
  const capLabel = (c: string) => {
    const k = `inventory.capacity.${c}`;
    return isMessageKey(k) ? t(k) : c;
  };
  const mineDone = (i: ReportItem) =>
    i.checks.some((k) => k.capacity === cap && k.round === r.round && k.outcome === 'verified');

  const columns: ColumnsType<ReportItem> = [
    {
      title: t('inventory.col.name'),
      dataIndex: 'systemName',
      render: (n: string, i) => <Link to={`/inventory/systems/${i.systemId}`}>{n}</Link>,
    },
    {
      title: t('inventory.campaign.status'),
      dataIndex: 'status',
      render: (s: ReportItem['status']) => <Tag color={ITEM_COLOR[s]}>{t(`inventory.report.item.${s}`)}</Tag>,
    },
    {
      title: t('inventory.report.checks'),
      key: 'checks',
      render: (_: unknown, i) => (
        <div>
          {i.checks.length === 0 ? (
            <Typography.Text type="secondary">{t('inventory.report.noChecks')}</Typography.Text>
          ) : (
            i.checks.map((k) => (
              <div key={`${k.at}-${k.capacity}-${k.outcome}`} style={{ fontSize: 12 }}>
                {t('inventory.report.check', {
                  capacity: capLabel(k.capacity),
                  user: k.username,
                  outcome: t(
                    (k.outcome === 'returned'
                      ? 'inventory.report.outcome.returned'
                      : 'inventory.report.outcome.verified') as MessageKey,
                  ),
                  at: formatDateTime(k.at),
                })}
              </div>
            ))
          )}
          {i.status === 'returned' && i.returnReason ? (
            <Typography.Text type="warning">
              {t('inventory.report.returnReason', { reason: i.returnReason })}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    ...(checking
      ? [
          {
            title: '',
            key: 'act',
            width: 190,
            render: (_: unknown, i: ReportItem) =>
              i.status === 'returned' ? null : (
                <Space size={4}>
                  <Button
                    size="small"
                    type="primary"
                    ghost
                    disabled={mineDone(i)}
                    loading={verify.isPending && verify.variables === i.id}
                    onClick={() => verify.mutate(i.id)}
                  >
                    {t('inventory.report.verify')}
                  </Button>
                  <Button size="small" danger onClick={() => setReturning(i)}>
                    {t('inventory.report.return')}
                  </Button>
                </Space>
              ),
          },
        ]
      : []),
  ];

  const org = orgName(dir.data?.get(r.orgId), lang, r.orgName);
  return (
    <>
      <PageTitle
        title={t('inventory.report.title', { org })}
        sub={
          <Space wrap>
            <Link to={`/inventory/campaigns/${r.campaignId}`}>{r.campaign.title}</Link>
            <Tag color={REPORT_COLOR[r.status]}>{t(`inventory.report.status.${r.status}`)}</Tag>
            {r.late ? <Tag color="red">{t('inventory.report.lateTag')}</Tag> : null}
            {cap ? (
              <Typography.Text type="secondary">
                {t('inventory.campaign.myCapacity', { capacity: capLabel(cap) })}
              </Typography.Text>
            ) : null}
          </Space>
        }
        extra={
          <Space>
            <Button onClick={() => navigate(`/inventory/campaigns/${r.campaignId}`)}>
              {t('common.back')}
            </Button>
            {checking && r.itemList.some((i) => i.status !== 'returned' && !mineDone(i)) ? (
              <Popconfirm
                title={t('inventory.report.verifyAllConfirm', { capacity: capLabel(cap) })}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                onConfirm={() => verify.mutate(null)}
              >
                <Button type="primary" loading={verify.isPending && verify.variables === null}>
                  {t('inventory.report.verifyAll')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        }
      />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small" title={t('inventory.report.statement')}>
          {r.statement ? (
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 8 }}>
              {r.statement}
            </Typography.Paragraph>
          ) : (
            <Typography.Text type="secondary">{t('inventory.report.noStatement')}</Typography.Text>
          )}
          {r.status !== 'pending' ? (
            <Descriptions
              size="small"
              title={t('inventory.report.counts')}
              column={{ xs: 2, md: 4 }}
              bordered
            >
              {COUNTS.map((c) => (
                <Descriptions.Item key={c} label={t(`inventory.report.count.${c}`)}>
                  {formatNumber(r.counts[c] ?? 0, lang)}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t('inventory.report.round')}>{r.round}</Descriptions.Item>
            </Descriptions>
          ) : null}
        </Card>
        {canSubmit ? <SubmitForm report={r} onDone={(x) => void done(x)} /> : null}
        <Card size="small" title={t('inventory.report.itemsTitle')}>
          <Table
            rowKey="id"
            size="middle"
            data-testid="report-items"
            columns={columns}
            dataSource={r.itemList}
            pagination={r.itemList.length > 20 ? { pageSize: 20 } : false}
            locale={{ emptyText: <EmptyState message={t('inventory.report.noItems')} /> }}
          />
        </Card>
      </Space>
      <Modal
        open={returning !== null}
        title={returning ? t('inventory.report.returnTitle', { name: returning.systemName }) : ''}
        okText={t('inventory.report.return')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        confirmLoading={sendBack.isPending}
        onOk={() => form.submit()}
        onCancel={() => {
          setReturning(null);
          form.resetFields();
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => sendBack.mutate(v)}>
          <Form.Item
            name="reason"
            label={t('inventory.flags.reason')}
            rules={[{ required: true, whitespace: true, message: t('inventory.flags.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
