/**
 * 待审核目录: the platform office's queue of submitted entries, the most urgent review limit first,
 * with the working days left (counted by the server on the working-day calendar). Paged on the server.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { WorkdaysLeft } from '../../components/Countdown';
import { EmptyState, ErrorAlert } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgName, useValueLabel } from '../../lookups';
import type { ReviewQueue as Queue, ReviewRow } from './types';

export default function ReviewQueue() {
  const { t, lang } = useI18n();
  const label = useValueLabel();
  const orgName = useOrgName();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const queue = useQuery({
    queryKey: ['catalog', 'reviews', page, pageSize],
    queryFn: ({ signal }) => api.get<Queue>('/catalog/reviews', { page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <div data-testid="review-queue">
      <PageTitle
        title={t('catalogReview.title')}
        sub={<Typography.Text type="secondary">{t('catalogReview.hint')}</Typography.Text>}
      />
      <Card>
        {queue.isError ? (
          <ErrorAlert error={queue.error} onRetry={() => void queue.refetch()} />
        ) : (
          <Table<ReviewRow>
            rowKey={(r) => r.entry.id}
            size="middle"
            loading={queue.isFetching}
            dataSource={queue.data?.items ?? []}
            tableLayout="fixed"
            scroll={{ x: 960 }}
            locale={{
              emptyText: queue.isPending ? (
                t('common.loading')
              ) : (
                <EmptyState message={t('catalogReview.empty')} hint={t('catalogReview.emptyHint')} />
              ),
            }}
            pagination={{
              current: page,
              pageSize,
              total: queue.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [10, 20, 50],
              showTotal: (total) => t('common.total', { total }),
              onChange: (p, s) => {
                setPage(s === pageSize ? p : 1);
                setPageSize(s);
              },
            }}
            columns={[
              {
                title: t('catalog.col.name'),
                key: 'name',
                render: (_: unknown, r) => (
                  <>
                    <Link to={`/catalog/entries/${r.entry.id}`} data-testid="review-entry">
                      {r.entry.name}
                    </Link>
                    <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
                      {r.entry.code}
                      {r.entry.revisionOf ? (
                        <Tag style={{ marginLeft: 8 }}>{t('catalogReview.revision')}</Tag>
                      ) : null}
                    </div>
                  </>
                ),
              },
              {
                title: t('catalog.col.provider'),
                key: 'provider',
                width: 160,
                render: (_: unknown, r) =>
                  lang === 'en' ? orgName(r.entry.providerOrgId, r.entry.providerName) : r.entry.providerName,
              },
              {
                title: t('catalog.col.shareType'),
                key: 'shareType',
                width: 120,
                render: (_: unknown, r) => label('shareTypes', r.entry.shareType),
              },
              {
                title: t('entry.f.submittedAt'),
                key: 'submittedAt',
                width: 150,
                render: (_: unknown, r) => formatDateTime(r.entry.submittedAt),
              },
              {
                title: t('entry.f.reviewDue'),
                key: 'reviewDue',
                width: 120,
                render: (_: unknown, r) => formatDate(r.entry.reviewDue),
              },
              {
                title: t('catalogReview.left'),
                key: 'left',
                width: 130,
                render: (_: unknown, r) => <WorkdaysLeft left={r.workdaysLeft} />,
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
