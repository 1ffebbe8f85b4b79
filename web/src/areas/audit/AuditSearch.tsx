/**
 * 审计查询 (auditors only, 三员分立): the audit trail searched and paged on the server by time range,
 * actor, organization, action (or its prefix, e.g. `sharing.`), object type and id, and outcome. The whole
 * search lives in the URL — /audit?action=sharing.&object=<id> opens the events of one application —
 * and every search is itself audited by the server.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api';
import { EmptyState, ErrorAlert } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { type AuditEvent, type AuditEventPage, OUTCOME_COLORS } from './types';

/** URL parameter → API query parameter. */
const FIELDS = {
  actor: 'actor',
  org: 'orgId',
  action: 'action',
  type: 'objectType',
  object: 'objectId',
  outcome: 'outcome',
} as const;
type Field = keyof typeof FIELDS;

interface FilterForm {
  actor?: string;
  org?: string;
  action?: string;
  type?: string;
  object?: string;
  outcome?: string;
  range?: [Dayjs | null, Dayjs | null];
}

export default function AuditSearch() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<FilterForm>();
  const orgs = useOrgDirectory();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Number(params.get('pageSize')) || 50;

  const query: Record<string, string | number> = { page, pageSize };
  for (const [k, api] of Object.entries(FIELDS) as [Field, string][]) {
    const v = params.get(k);
    if (v) query[api] = v;
  }
  const from = params.get('from');
  const to = params.get('to');
  if (from) query.from = from;
  if (to) query.to = to;

  useEffect(() => {
    form.setFieldsValue({
      actor: params.get('actor') ?? undefined,
      org: params.get('org') ?? undefined,
      action: params.get('action') ?? undefined,
      type: params.get('type') ?? undefined,
      object: params.get('object') ?? undefined,
      outcome: params.get('outcome') ?? undefined,
      range: from || to ? [from ? dayjs(from) : null, to ? dayjs(to) : null] : undefined,
    });
  }, [params, form, from, to]);

  const events = useQuery({
    queryKey: ['audit', 'events', query],
    queryFn: ({ signal }) => api.get<AuditEventPage>('/audit/events', query, signal),
    placeholderData: keepPreviousData,
  });

  const search = (v: FilterForm) => {
    const next = new URLSearchParams();
    for (const k of Object.keys(FIELDS) as Field[]) {
      const value = v[k]?.trim();
      if (value) next.set(k, value);
    }
    const [start, end] = v.range ?? [];
    if (start) next.set('from', start.toISOString());
    if (end) next.set('to', end.toISOString());
    if (pageSize !== 50) next.set('pageSize', String(pageSize));
    setParams(next);
  };

  const orgOptions = [...(orgs.data?.values() ?? [])].map((o) => ({
    value: o.id,
    label: lang === 'en' ? (o.nameEn ?? o.shortName) : o.shortName,
  }));
  const filtered = [...params.keys()].some((k) => k !== 'page' && k !== 'pageSize');

  const columns: ColumnsType<AuditEvent> = [
    {
      title: t('audit.col.seq'),
      dataIndex: 'seq',
      width: 90,
      render: (seq: number) => <Link to={`/audit/events/${seq}`}>#{seq}</Link>,
    },
    { title: t('audit.col.time'), dataIndex: 'occurredAt', width: 150, render: formatDateTime },
    {
      title: t('audit.col.actor'),
      key: 'actor',
      render: (_: unknown, e) =>
        e.actorUsername ?? (e.actorSystemId ? t('audit.systemActor') : t('audit.noActor')),
    },
    {
      title: t('audit.col.org'),
      dataIndex: 'actorOrgId',
      ellipsis: true,
      render: (id: string | null) => (id ? orgName(orgs.data?.get(id), lang, id.slice(0, 8)) : '—'),
    },
    {
      title: t('audit.col.action'),
      dataIndex: 'action',
      width: 280,
      render: (a: string) => <Typography.Text code>{a}</Typography.Text>,
    },
    {
      title: t('audit.col.object'),
      key: 'object',
      render: (_: unknown, e) => (
        <span>
          {e.objectType}
          {e.objectId ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }} ellipsis>
              {e.objectId}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    {
      title: t('audit.col.outcome'),
      dataIndex: 'outcome',
      width: 90,
      render: (o: string) => (
        <Tag color={OUTCOME_COLORS[o]}>{t(`audit.outcome.${o}` as 'audit.outcome.ok')}</Tag>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('audit.search.title')}
        extra={
          <Link to="/audit/verify">
            <Button>{t('audit.verify.title')}</Button>
          </Link>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<FilterForm> form={form} layout="vertical" onFinish={search}>
          <Row gutter={12}>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="range" label={t('audit.f.range')}>
                <DatePicker.RangePicker showTime allowEmpty={[true, true]} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="actor" label={t('audit.f.actor')}>
                <Input allowClear placeholder={t('audit.f.actorPlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="org" label={t('audit.f.org')}>
                <Select allowClear showSearch optionFilterProp="label" options={orgOptions} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="action" label={t('audit.f.action')} tooltip={t('audit.f.actionHint')}>
                <Input allowClear placeholder="sharing." />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="outcome" label={t('audit.f.outcome')}>
                <Select
                  allowClear
                  options={(['ok', 'denied', 'error'] as const).map((o) => ({
                    value: o,
                    label: t(`audit.outcome.${o}`),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="type" label={t('audit.f.type')}>
                <Input allowClear placeholder="share_application" />
              </Form.Item>
            </Col>
            <Col xs={12} md={12} xl={8}>
              <Form.Item name="object" label={t('audit.f.object')}>
                <Input allowClear placeholder={t('audit.f.objectPlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} xl={12} style={{ display: 'flex', alignItems: 'flex-end' }}>
              <Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit">
                    {t('audit.f.search')}
                  </Button>
                  <Button
                    onClick={() => {
                      form.resetFields();
                      setParams(new URLSearchParams());
                    }}
                  >
                    {t('audit.f.reset')}
                  </Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      {events.isError ? <ErrorAlert error={events.error} onRetry={() => void events.refetch()} /> : null}
      <Table<AuditEvent>
        rowKey="seq"
        size="small"
        loading={events.isFetching}
        columns={columns}
        dataSource={events.data?.items ?? []}
        onRow={(e) => ({
          onDoubleClick: () => void navigate(`/audit/events/${e.seq}`),
        })}
        pagination={{
          current: page,
          pageSize,
          total: events.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, size) => {
            const next = new URLSearchParams(params);
            next.set('page', String(p));
            next.set('pageSize', String(size));
            setParams(next);
          },
        }}
        locale={{
          emptyText: (
            <EmptyState
              message={filtered ? t('audit.search.noMatch') : t('audit.search.empty')}
              hint={filtered ? t('audit.search.noMatchHint') : undefined}
            />
          ),
        }}
      />
    </>
  );
}
