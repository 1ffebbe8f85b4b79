/**
 * 共享申请: the inbox (requests waiting for my organization to answer or supply), the outbox (my
 * organization's requests) and the overdue list, filtered by state and paged on the server, each with its
 * running deadline in working days (overdue red, two days or fewer orange).
 */
import { SendOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Select, Space, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useId } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api';
import { EmptyState, ErrorAlert } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { type MessageKey, useI18n } from '../../i18n';
import { useOrgName, useValueLabel } from '../../lookups';
import { useSession } from '../../session';
import type { Application, ApplicationPageT } from '../../types';
import { APP_STATUSES, AppStatusTag, DueCell } from './common';

const PAGE_SIZE = 20;
const BOXES = ['inbox', 'outbox', 'overdue', 'all'] as const;
type Box = (typeof BOXES)[number];

const BOX_LABEL: Record<Box, MessageKey> = {
  inbox: 'sharing.list.inbox',
  outbox: 'sharing.list.outbox',
  overdue: 'sharing.list.overdue',
  all: 'sharing.list.all',
};
const BOX_EMPTY: Record<Box, MessageKey> = {
  inbox: 'sharing.list.emptyInbox',
  outbox: 'sharing.list.emptyOutbox',
  overdue: 'sharing.list.emptyOverdue',
  all: 'sharing.list.emptyAll',
};

function isBox(v: string | null): v is Box {
  return (BOXES as readonly (string | null)[]).includes(v);
}

export default function Applications() {
  const { t } = useI18n();
  const { can } = useSession();
  const label = useValueLabel();
  const orgName = useOrgName();
  const navigate = useNavigate();
  const statusId = useId();
  const [params, setParams] = useSearchParams();
  const box: Box = isBox(params.get('box')) ? (params.get('box') as Box) : 'inbox';
  const statuses = params.getAll('status');
  const page = Math.max(1, Number(params.get('page')) || 1);

  const update = (next: { box?: Box; status?: string[]; page?: number }) => {
    const p = new URLSearchParams();
    p.set('box', next.box ?? box);
    for (const s of next.status ?? statuses) p.append('status', s);
    const pg = next.page ?? 1;
    if (pg > 1) p.set('page', String(pg));
    setParams(p, { replace: true });
  };

  const q = useQuery({
    queryKey: ['sharing', 'applications', box, statuses, page],
    queryFn: ({ signal }) =>
      api.get<ApplicationPageT>(
        '/sharing/applications',
        { box, status: statuses, page, pageSize: PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
  });

  const columns: ColumnsType<Application> = [
    {
      title: t('sharing.col.number'),
      dataIndex: 'number',
      render: (n: string, a) => <Link to={`/sharing/applications/${a.id}`}>{n}</Link>,
    },
    {
      title: t('sharing.col.resource'),
      dataIndex: 'entryName',
      render: (name: string | null, a) =>
        name ? (
          <Space direction="vertical" size={0}>
            <span>{name}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('sharing.grants.itemsN', { n: a.requestedItems.length })}
            </Typography.Text>
          </Space>
        ) : (
          t('sharing.outOfCatalog')
        ),
    },
    box === 'outbox'
      ? {
          title: t('sharing.col.provider'),
          dataIndex: 'providerOrgName',
          render: (name: string, a) => orgName(a.providerOrgId, name),
        }
      : {
          title: t('sharing.col.applicant'),
          dataIndex: 'applicantOrgName',
          render: (name: string, a) => orgName(a.applicantOrgId, name),
        },
    ...(box === 'all' || box === 'overdue'
      ? [
          {
            title: t('sharing.col.provider'),
            dataIndex: 'providerOrgName',
            render: (name: string, a: Application) => orgName(a.providerOrgId, name),
          },
        ]
      : []),
    {
      title: t('sharing.col.status'),
      dataIndex: 'status',
      render: (s: string) => <AppStatusTag status={s} />,
    },
    {
      title: t('sharing.col.due'),
      key: 'due',
      render: (_: unknown, a) => <DueCell app={a} />,
    },
    {
      title: t('sharing.col.updated'),
      dataIndex: 'updatedAt',
      render: (v: string) => formatDateTime(v),
    },
  ];

  const filtered = statuses.length > 0;
  return (
    <div data-testid="sharing-list">
      <PageTitle
        title={t('sharing.list.title')}
        extra={
          can('sharing.act') ? (
            <Button icon={<SendOutlined />} onClick={() => void navigate('/catalog')}>
              {t('sharing.list.new')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Tabs
          activeKey={box}
          onChange={(k) => update({ box: isBox(k) ? k : 'inbox', page: 1 })}
          items={BOXES.map((b) => ({
            key: b,
            label: <span data-testid={`box-${b}`}>{t(BOX_LABEL[b])}</span>,
          }))}
        />
        <Space style={{ marginBottom: 16 }} wrap>
          <label htmlFor={statusId}>{t('sharing.list.status')}</label>
          <Select
            id={statusId}
            mode="multiple"
            allowClear
            style={{ minWidth: 280 }}
            placeholder={t('sharing.list.statusPlaceholder')}
            value={statuses}
            onChange={(v: string[]) => update({ status: v, page: 1 })}
            options={APP_STATUSES.map((s) => ({ value: s, label: label('appStatuses', s) }))}
            disabled={box === 'overdue'}
          />
        </Space>
        {q.isError ? (
          <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table<Application>
            rowKey="id"
            columns={columns}
            dataSource={q.data?.items ?? []}
            loading={q.isFetching}
            locale={{
              emptyText: (
                <EmptyState
                  testId="sharing-empty"
                  message={filtered ? t('sharing.list.emptyFiltered') : t(BOX_EMPTY[box])}
                  hint={
                    filtered
                      ? t('sharing.list.emptyHintFiltered')
                      : box === 'outbox'
                        ? t('sharing.list.emptyHintOutbox')
                        : undefined
                  }
                />
              ),
            }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: q.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (total) => t('common.total', { total }),
              onChange: (p) => update({ page: p }),
            }}
          />
        )}
      </Card>
    </div>
  );
}
