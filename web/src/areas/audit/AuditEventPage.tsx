/**
 * 审计事件详情: one event as stored — who, what, on which object, the outcome and the detail — and what
 * the chain hashes: the canonical content, the previous event's hash and this event's hash, with the
 * server's recomputation (SM3) saying whether they still match. Neighbours are one click away.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../../api';
import { ErrorAlert, Loading, NotFoundResult } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgName } from '../../lookups';
import { type AuditEventDetail, OUTCOME_COLORS } from './types';

const MONO = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 };

export default function AuditEventPage() {
  const { t } = useI18n();
  const orgName = useOrgName();
  const seq = Number(useParams().seq);
  const event = useQuery({
    queryKey: ['audit', 'event', seq],
    queryFn: ({ signal }) => api.get<AuditEventDetail>(`/audit/events/${seq}`, undefined, signal),
    enabled: Number.isInteger(seq) && seq > 0,
    retry: false,
  });
  if (!Number.isInteger(seq) || seq < 1) return <NotFoundResult />;
  if (event.isPending) return <Loading />;
  if (event.isError) {
    if (event.error instanceof ApiError && event.error.status === 404) return <NotFoundResult />;
    return <ErrorAlert error={event.error} onRetry={() => void event.refetch()} />;
  }
  const e = event.data;
  return (
    <>
      <PageTitle
        title={t('audit.event.title', { seq: e.seq })}
        sub={<Typography.Text code>{e.action}</Typography.Text>}
        extra={
          <Space>
            <Link to="/audit">
              <Button>{t('audit.event.back')}</Button>
            </Link>
            {e.seq > 1 ? (
              <Link to={`/audit/events/${e.seq - 1}`}>
                <Button>{t('audit.event.prev')}</Button>
              </Link>
            ) : null}
            <Link to={`/audit/events/${e.seq + 1}`}>
              <Button>{t('audit.event.next')}</Button>
            </Link>
          </Space>
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card size="small" title={t('audit.event.what')}>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('audit.col.time')}>{formatDateTime(e.occurredAt)}</Descriptions.Item>
            <Descriptions.Item label={t('audit.col.outcome')}>
              <Tag color={OUTCOME_COLORS[e.outcome]}>
                {t(`audit.outcome.${e.outcome}` as 'audit.outcome.ok')}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.col.actor')}>
              {e.actorUsername ?? (e.actorSystemId ? t('audit.systemActor') : t('audit.noActor'))}
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.col.org')}>{orgName(e.actorOrgId)}</Descriptions.Item>
            <Descriptions.Item label={t('audit.col.action')}>
              <Link to={`/audit?action=${encodeURIComponent(e.action)}`}>{e.action}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.f.type')}>{e.objectType}</Descriptions.Item>
            <Descriptions.Item label={t('audit.f.object')}>
              {e.objectId ? (
                <Link to={`/audit?object=${encodeURIComponent(e.objectId)}`}>{e.objectId}</Link>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.event.request')}>
              {e.requestId ?? '—'} {e.ip ? `· ${e.ip}` : ''}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('audit.event.detail')}
          </Typography.Title>
          <pre
            style={{
              ...MONO,
              background: '#fafafa',
              padding: 12,
              margin: 0,
              whiteSpace: 'pre-wrap',
              wordBreak: 'break-all',
            }}
          >
            {JSON.stringify(e.detail, null, 2)}
          </pre>
        </Card>
        <Card size="small" title={t('audit.event.chain')}>
          {e.hashMatches ? (
            <Alert type="success" showIcon message={t('audit.event.matches')} style={{ marginBottom: 12 }} />
          ) : (
            <Alert
              type="error"
              showIcon
              role="alert"
              message={t('audit.event.mismatch')}
              style={{ marginBottom: 12 }}
            />
          )}
          <Descriptions
            size="small"
            column={1}
            bordered
            styles={{ label: { width: 140, whiteSpace: 'nowrap' } }}
          >
            <Descriptions.Item label={t('audit.event.prevHash')}>
              <Typography.Text copyable style={MONO} data-testid="prev-hash">
                {e.prevHash}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.event.hash')}>
              <Typography.Text copyable style={MONO} data-testid="hash">
                {e.hash}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.event.canonical')}>
              <pre
                style={{ ...MONO, margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
                data-testid="canonical"
              >
                {e.canonical}
              </pre>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
            {t('audit.event.formula')}
          </Typography.Paragraph>
        </Card>
      </Space>
    </>
  );
}
