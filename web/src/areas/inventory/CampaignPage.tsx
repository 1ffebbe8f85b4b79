/**
 * One self-check campaign: its deadline, each department's report status (a department sees its own),
 * the late departments, and closing it (the platform office, after a confirmation).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading, NotFoundResult } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { useSession } from '../../session';
import type { CampaignDetail, ReportSummary } from './types';

export const REPORT_COLOR = {
  pending: 'default',
  submitted: 'blue',
  returned: 'orange',
  verified: 'green',
} as const;

export default function CampaignPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const dir = useOrgDirectory();
  const detail = useQuery({
    queryKey: ['inventory', 'campaigns', 'detail', id],
    queryFn: ({ signal }) => api.get<CampaignDetail>(`/inventory/campaigns/${id}`, undefined, signal),
  });
  const close = useMutation({
    mutationFn: () => api.post(`/inventory/campaigns/${id}/close`),
    onSuccess: async () => {
      void message.success(t('inventory.campaign.closed'));
      await queryClient.invalidateQueries({ queryKey: ['inventory', 'campaigns'] });
    },
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });
  if (detail.isError)
    return detail.error instanceof ApiError && detail.error.status === 404 ? (
      <NotFoundResult />
    ) : (
      <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />
    );
  if (detail.isPending) return <Loading />;
  const c = detail.data;
  const name = (r: ReportSummary) => orgName(dir.data?.get(r.orgId), lang, r.orgName);
  const columns: ColumnsType<ReportSummary> = [
    {
      title: t('inventory.col.org'),
      key: 'org',
      render: (_: unknown, r) => (
        <Link to={`/inventory/campaigns/${c.id}/reports/${r.orgId}`}>{name(r)}</Link>
      ),
    },
    {
      title: t('inventory.campaign.status'),
      key: 'status',
      render: (_: unknown, r) => (
        <Space size={4}>
          <Tag color={REPORT_COLOR[r.status]}>{t(`inventory.report.status.${r.status}`)}</Tag>
          {r.late ? <Tag color="red">{t('inventory.report.lateTag')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('inventory.report.round'), dataIndex: 'round', align: 'right' },
    { title: t('inventory.report.submittedAt'), dataIndex: 'submittedAt', render: formatDateTime },
    {
      title: t('inventory.report.items'),
      key: 'items',
      render: (_: unknown, r) =>
        r.status === 'pending'
          ? '—'
          : t('inventory.report.itemsProgress', {
              verified: r.itemsVerified,
              returned: r.itemsReturned,
              items: r.items,
            }),
    },
    {
      title: '',
      key: 'open',
      render: (_: unknown, r) => (
        <Button size="small" onClick={() => navigate(`/inventory/campaigns/${c.id}/reports/${r.orgId}`)}>
          {t('inventory.report.open')}
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageTitle
        title={c.title}
        sub={
          <Space wrap>
            <Tag color={c.status === 'open' ? 'blue' : 'default'}>
              {t(`inventory.campaign.status.${c.status}`)}
            </Tag>
            {c.myCapacity ? (
              <Typography.Text type="secondary">
                {t('inventory.campaign.myCapacity', { capacity: t(`inventory.capacity.${c.myCapacity}`) })}
              </Typography.Text>
            ) : null}
          </Space>
        }
        extra={
          <Space>
            <Button onClick={() => navigate('/inventory/campaigns')}>{t('common.back')}</Button>
            {can('inventory.campaign.manage') && c.status === 'open' ? (
              <Popconfirm
                title={t('inventory.campaign.closeConfirm')}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => close.mutate()}
              >
                <Button danger loading={close.isPending}>
                  {t('inventory.campaign.close')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        }
      />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('inventory.campaign.openedOn')}>
              {formatDate(c.openedOn)}
            </Descriptions.Item>
            <Descriptions.Item label={t('inventory.campaign.deadline')}>
              {c.workingDays
                ? t('inventory.campaign.deadlineDays', { date: formatDate(c.deadline), n: c.workingDays })
                : formatDate(c.deadline)}
            </Descriptions.Item>
            <Descriptions.Item label={t('inventory.campaign.financeOrg')}>
              {c.financeOrgName ?? '—'}
            </Descriptions.Item>
            {c.note ? (
              <Descriptions.Item label={t('inventory.campaign.note')} span={3}>
                {c.note}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        </Card>
        {c.late.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            data-testid="late-list"
            message={t('inventory.campaign.late', { n: c.late.length })}
            description={
              <>
                <Typography.Text type="secondary">{t('inventory.campaign.lateHint')}</Typography.Text>
                <div style={{ marginTop: 6 }}>
                  {c.late.map((r) => (
                    <Tag
                      key={r.id}
                      color={r.status === 'pending' ? 'red' : 'orange'}
                      style={{ marginBottom: 4 }}
                    >
                      {name(r)} · {t(`inventory.report.status.${r.status}`)}
                    </Tag>
                  ))}
                </div>
              </>
            }
          />
        ) : (
          <Alert type="success" showIcon message={t('inventory.campaign.noLate')} />
        )}
        <Card size="small" title={t('inventory.campaign.reports')}>
          <Table
            rowKey="id"
            size="middle"
            data-testid="reports-table"
            columns={columns}
            dataSource={c.reportList}
            pagination={c.reportList.length > 30 ? { pageSize: 30 } : false}
            locale={{ emptyText: <EmptyState message={t('inventory.report.notSubmitted')} /> }}
          />
        </Card>
      </Space>
    </>
  );
}
