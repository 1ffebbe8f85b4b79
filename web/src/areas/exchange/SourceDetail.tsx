/**
 * A source: its settings and status, its tables and views with their columns, the catalog resources
 * mounted on it; mounting a resource on a table (key columns, column per data item) and backward
 * cataloguing (反编目): a draft catalog entry made from a table, mounted on it.
 */
import { ApiOutlined, FileAddOutlined, LinkOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Result,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api, applyProblemToForm } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading, NotFoundResult } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgName } from '../../lookups';
import { useMe } from '../../session';
import type { Entry, SearchResult } from '../../types';
import { SourceForm } from './SourceForm';
import { kindKey } from './Sources';
import { SourceStatusTag } from './tags';
import type { Column, Mount, Source } from './types';

export default function SourceDetail() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const me = useMe();
  const orgName = useOrgName();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [relation, setRelation] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [mounting, setMounting] = useState(false);
  const [cataloguing, setCataloguing] = useState(false);

  const source = useQuery({
    queryKey: ['exchange', 'source', id],
    queryFn: ({ signal }) => api.get<Source>(`/exchange/sources/${id}`, undefined, signal),
    staleTime: 0,
  });
  const s = source.data;
  const canWrite =
    me.permissions.includes('exchange.write') &&
    s !== undefined &&
    (me.user.role === 'platform_admin' || s.orgId === me.activeOrgId) &&
    s.kind !== 'file';

  const relations = useQuery({
    queryKey: ['exchange', 'source', id, 'relations'],
    queryFn: ({ signal }) => api.get<string[]>(`/exchange/sources/${id}/relations`, undefined, signal),
    enabled: canWrite && source.data?.kind !== 'http',
    retry: false,
  });
  const columns = useQuery({
    queryKey: ['exchange', 'source', id, 'columns', relation],
    queryFn: ({ signal }) =>
      api.get<Column[]>(`/exchange/sources/${id}/columns`, { relation: relation ?? '' }, signal),
    enabled: canWrite && relation !== null,
    retry: false,
  });
  const mounts = useQuery({
    queryKey: ['exchange', 'mounts'],
    queryFn: ({ signal }) => api.get<Mount[]>('/exchange/mounts', undefined, signal),
  });

  const test = useMutation({
    mutationFn: () =>
      api.post<{ ok: boolean; latencyMs: number; error: string | null }>(`/exchange/sources/${id}/test`),
    onSuccess: (r) => {
      if (r.ok) void message.success(t('exchange.source.testOk', { name: s?.name ?? '', ms: r.latencyMs }));
      else
        void message.error(t('exchange.source.testFailed', { name: s?.name ?? '', error: r.error ?? '' }), 8);
      void queryClient.invalidateQueries({ queryKey: ['exchange', 'source', id] });
    },
    onError: (err) => void message.error(errorText(err, lang, t('common.unexpected'))),
  });

  useEffect(() => {
    if (relation === null && relations.data?.[0]) setRelation(relations.data[0]);
  }, [relations.data, relation]);

  if (source.isPending) return <Loading />;
  if (source.isError) {
    if (source.error instanceof ApiError && source.error.status === 404) return <NotFoundResult />;
    return <ErrorAlert error={source.error} onRetry={() => void source.refetch()} />;
  }
  if (!s) return <NotFoundResult />;

  const mine = (mounts.data ?? []).filter((m) => m.sourceId === s.id);

  return (
    <>
      <PageTitle
        title={s.name}
        sub={
          <Space>
            <Link to="/exchange/sources">{t('exchange.sources.back')}</Link>
            <Tag>{t(kindKey(s.kind))}</Tag>
            <SourceStatusTag status={s.status} />
          </Space>
        }
        extra={
          canWrite ? (
            <Space>
              <Button icon={<ApiOutlined />} loading={test.isPending} onClick={() => test.mutate()}>
                {test.isPending ? t('exchange.source.testing') : t('exchange.source.test')}
              </Button>
              <Button onClick={() => setEditing(true)}>{t('exchange.edit')}</Button>
            </Space>
          ) : null
        }
      />
      {s.status === 'down' && s.lastError ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('exchange.source.lastErrorTitle')}
          description={s.lastError}
        />
      ) : null}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('exchange.source.org')}>{orgName(s.orgId)}</Descriptions.Item>
          {s.kind === 'http' ? (
            <Descriptions.Item label={t('exchange.source.baseUrl')}>
              {s.config.baseUrl ?? '—'}
            </Descriptions.Item>
          ) : (
            <>
              <Descriptions.Item label={t('exchange.source.host')}>
                {s.config.host ?? '—'}
                {s.config.port ? `:${s.config.port}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('exchange.source.database')}>
                {s.config.database ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('exchange.source.user')}>{s.config.user ?? '—'}</Descriptions.Item>
            </>
          )}
          <Descriptions.Item label={t('exchange.source.password')}>
            {s.hasSecret ? t('exchange.source.secretStored') : t('exchange.source.secretAbsent')}
          </Descriptions.Item>
          <Descriptions.Item label={t('exchange.source.lastCheck')}>
            {s.lastCheckedAt
              ? `${formatDateTime(s.lastCheckedAt)} · ${s.lastLatencyMs ?? '—'} ms`
              : t('exchange.source.neverChecked')}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('exchange.tables.title')} style={{ marginBottom: 16 }}>
            {!canWrite ? (
              <EmptyState message={t('exchange.tables.notYours')} />
            ) : s.kind === 'http' ? (
              <>
                <Typography.Paragraph type="secondary">{t('exchange.tables.httpHint')}</Typography.Paragraph>
                <Input.Search
                  aria-label={t('exchange.tables.httpPath')}
                  placeholder={t('exchange.tables.httpPath')}
                  enterButton={t('exchange.tables.httpRead')}
                  onSearch={(v) => setRelation(v.trim() || null)}
                />
              </>
            ) : relations.isPending ? (
              <Loading />
            ) : relations.isError ? (
              <ErrorAlert error={relations.error} onRetry={() => void relations.refetch()} />
            ) : relations.data.length === 0 ? (
              <EmptyState message={t('exchange.tables.empty')} />
            ) : (
              <List
                size="small"
                dataSource={relations.data}
                style={{ maxHeight: 360, overflow: 'auto' }}
                renderItem={(r) => (
                  <List.Item
                    style={{ cursor: 'pointer', background: r === relation ? '#e6f4ff' : undefined }}
                    onClick={() => setRelation(r)}
                  >
                    <Button
                      type="link"
                      size="small"
                      style={{ padding: 0 }}
                      aria-pressed={r === relation}
                      data-testid="relation"
                    >
                      {r}
                    </Button>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={relation ? t('exchange.columns.titleOf', { relation }) : t('exchange.columns.title')}
            style={{ marginBottom: 16 }}
            extra={
              canWrite && relation ? (
                <Space>
                  <Button size="small" icon={<LinkOutlined />} onClick={() => setMounting(true)}>
                    {t('exchange.mount.open')}
                  </Button>
                  {me.permissions.includes('catalog.write') ? (
                    <Button size="small" icon={<FileAddOutlined />} onClick={() => setCataloguing(true)}>
                      {t('exchange.backward.open')}
                    </Button>
                  ) : null}
                </Space>
              ) : null
            }
          >
            {!relation ? (
              <EmptyState message={t('exchange.columns.pick')} />
            ) : columns.isPending ? (
              <Loading />
            ) : columns.isError ? (
              <ErrorAlert error={columns.error} onRetry={() => void columns.refetch()} />
            ) : (
              <Table<Column>
                rowKey="name"
                size="small"
                pagination={false}
                scroll={{ y: 320 }}
                dataSource={columns.data}
                locale={{ emptyText: <EmptyState message={t('exchange.columns.empty')} /> }}
                columns={[
                  { title: t('exchange.columns.name'), dataIndex: 'name' },
                  { title: t('exchange.columns.type'), dataIndex: 'type' },
                  {
                    title: t('exchange.columns.nullable'),
                    dataIndex: 'nullable',
                    render: (v: boolean) => (v ? t('common.yes') : t('common.no')),
                  },
                ]}
              />
            )}
          </Card>
        </Col>
      </Row>

      <Card size="small" title={t('exchange.mounts.title')}>
        <Table<Mount>
          rowKey="entryId"
          size="small"
          loading={mounts.isFetching}
          dataSource={mine}
          pagination={mine.length > 10 ? { pageSize: 10 } : false}
          locale={{
            emptyText: mounts.isPending ? (
              <Loading />
            ) : (
              <EmptyState
                message={t('exchange.mounts.empty')}
                hint={canWrite ? t('exchange.mounts.emptyHint') : undefined}
              />
            ),
          }}
          columns={[
            { title: t('exchange.mounts.code'), dataIndex: 'code', width: 140 },
            {
              title: t('exchange.mounts.entry'),
              dataIndex: 'entryName',
              render: (_, m) => <Link to={`/catalog/entries/${m.entryId}`}>{m.entryName}</Link>,
            },
            { title: t('exchange.mounts.relation'), dataIndex: 'relation' },
            {
              title: t('exchange.mount.keyColumns'),
              dataIndex: 'keyColumns',
              render: (k: string[]) => k.join(', '),
            },
            {
              title: t('exchange.mount.watermark'),
              dataIndex: 'watermarkColumn',
              render: (w: string | null) => w ?? '—',
            },
          ]}
        />
      </Card>

      <SourceForm
        open={editing}
        source={s}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          void message.success(t('exchange.source.saved', { name: saved.name }));
          setEditing(false);
          void queryClient.invalidateQueries({ queryKey: ['exchange', 'source', id] });
          void queryClient.invalidateQueries({ queryKey: ['exchange', 'sources'] });
        }}
      />
      {relation ? (
        <>
          <MountModal
            open={mounting}
            source={s}
            relation={relation}
            columns={columns.data ?? []}
            onClose={() => setMounting(false)}
            onDone={() => {
              setMounting(false);
              void queryClient.invalidateQueries({ queryKey: ['exchange', 'mounts'] });
            }}
          />
          <BackwardModal
            open={cataloguing}
            source={s}
            relation={relation}
            columns={columns.data ?? []}
            onClose={() => setCataloguing(false)}
            onDone={() => void queryClient.invalidateQueries({ queryKey: ['exchange', 'mounts'] })}
          />
        </>
      ) : null}
    </>
  );
}

interface MountValues {
  entryId: string;
  keyColumns: string[];
  watermarkColumn?: string;
  mapping: Record<string, string>;
}

function MountModal({
  open,
  source,
  relation,
  columns,
  onClose,
  onDone,
}: {
  open: boolean;
  source: Source;
  relation: string;
  columns: Column[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<MountValues>();
  const [alert, setAlert] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const entryId = Form.useWatch('entryId', form);

  const entries = useQuery({
    queryKey: ['exchange', 'mount-entries', source.orgId, q],
    queryFn: ({ signal }) =>
      api.get<SearchResult>(
        '/catalog/entries',
        { q: q || undefined, provider: source.orgId, pageSize: 20, page: 1 },
        signal,
      ),
    enabled: open,
  });
  const entry = useQuery({
    queryKey: ['catalog', 'entry', entryId],
    queryFn: ({ signal }) => api.get<Entry>(`/catalog/entries/${entryId}`, undefined, signal),
    enabled: open && Boolean(entryId),
  });

  const colOptions = useMemo(
    () => columns.map((c) => ({ value: c.name, label: `${c.name}（${c.type}）` })),
    [columns],
  );

  // Preselect the column of the same name (backward-catalogued entries use the column names).
  useEffect(() => {
    if (!entry.data) return;
    const names = new Set(columns.map((c) => c.name));
    const mapping: Record<string, string | undefined> = {};
    for (const it of entry.data.items) mapping[it.name] = names.has(it.name) ? it.name : undefined;
    form.setFieldsValue({ mapping: mapping as Record<string, string> });
  }, [entry.data, columns, form]);

  useEffect(() => {
    if (open) {
      setAlert(null);
      form.resetFields();
    }
  }, [open, form]);

  const save = useMutation({
    mutationFn: (v: MountValues) =>
      api.post('/exchange/mounts', {
        entryId: v.entryId,
        sourceId: source.id,
        relation,
        keyColumns: v.keyColumns,
        mapping: Object.fromEntries(Object.entries(v.mapping ?? {}).filter(([, c]) => Boolean(c))),
        watermarkColumn: v.watermarkColumn ?? null,
      }),
    onSuccess: () => {
      void message.success(t('exchange.mount.done', { relation }));
      onDone();
    },
    onError: (err) => {
      const r = applyProblemToForm(form, err, lang);
      setAlert(
        r.unmatched.length
          ? `${r.message}${r.unmatched.map((p) => `；${lang === 'en' ? p.en : p.zh}`).join('')}`
          : r.message,
      );
    },
  });

  return (
    <Modal
      open={open}
      width={760}
      title={t('exchange.mount.title', { relation })}
      okText={t('exchange.mount.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      forceRender
    >
      {alert ? <Alert type="error" showIcon message={alert} style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        name="mount"
        onFinish={(v) => {
          setAlert(null);
          save.mutate(v);
        }}
      >
        <Form.Item
          name="entryId"
          label={t('exchange.mount.entry')}
          rules={[{ required: true, message: t('exchange.required') }]}
          extra={t('exchange.mount.entryHint')}
        >
          <Select
            showSearch
            filterOption={false}
            onSearch={(v) => setQ(v)}
            loading={entries.isFetching}
            placeholder={t('exchange.mount.entryPlaceholder')}
            notFoundContent={entries.isFetching ? <Loading /> : t('exchange.mount.noEntries')}
            options={(entries.data?.items ?? []).map((e) => ({
              value: e.id,
              label: `${e.code ?? ''} ${e.name}`.trim(),
            }))}
          />
        </Form.Item>
        <Space style={{ display: 'flex' }} align="start">
          <Form.Item
            name="keyColumns"
            label={t('exchange.mount.keyColumns')}
            rules={[{ required: true, message: t('exchange.required') }]}
            style={{ minWidth: 320 }}
          >
            <Select
              mode="multiple"
              optionFilterProp="value"
              aria-label={t('exchange.mount.keyColumns')}
              options={colOptions}
              placeholder={t('exchange.mount.keyPlaceholder')}
            />
          </Form.Item>
          <Form.Item
            name="watermarkColumn"
            label={t('exchange.mount.watermark')}
            extra={t('exchange.mount.watermarkHint')}
            style={{ minWidth: 280 }}
          >
            <Select
              allowClear
              showSearch
              optionFilterProp="value"
              aria-label={t('exchange.mount.watermark')}
              options={colOptions}
              placeholder={t('exchange.mount.watermarkPlaceholder')}
            />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('exchange.mount.mapping')}</Typography.Title>
        {!entryId ? (
          <EmptyState message={t('exchange.mount.pickEntry')} />
        ) : entry.isPending ? (
          <Loading />
        ) : entry.isError ? (
          <ErrorAlert error={entry.error} onRetry={() => void entry.refetch()} />
        ) : (
          <Table
            rowKey="name"
            size="small"
            pagination={false}
            scroll={{ y: 300 }}
            dataSource={entry.data.items}
            columns={[
              { title: t('exchange.mount.item'), dataIndex: 'name', width: 220 },
              {
                title: t('exchange.mount.column'),
                key: 'column',
                render: (_, it) => (
                  <Form.Item
                    name={['mapping', it.name]}
                    style={{ margin: 0 }}
                    rules={[{ required: true, message: t('exchange.mount.columnRequired') }]}
                  >
                    <Select
                      showSearch
                      optionFilterProp="value"
                      aria-label={t('exchange.mount.columnFor', { item: it.name })}
                      options={colOptions}
                      placeholder={t('exchange.mount.columnPlaceholder')}
                      data-testid="mapping-select"
                    />
                  </Form.Item>
                ),
              },
            ]}
          />
        )}
      </Form>
    </Modal>
  );
}

interface BackwardValues {
  name: string;
  classCode: string;
  className: string;
  summary: string;
  keyColumns: string[];
}

function BackwardModal({
  open,
  source,
  relation,
  columns,
  onClose,
  onDone,
}: {
  open: boolean;
  source: Source;
  relation: string;
  columns: Column[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<BackwardValues>();
  const [alert, setAlert] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);

  useEffect(() => {
    if (open) {
      setAlert(null);
      setCreated(null);
      form.resetFields();
    }
  }, [open, form]);

  const save = useMutation({
    mutationFn: (v: BackwardValues) =>
      api.post<{ entry: { id: string; name: string } }>('/exchange/backward-catalog', {
        ...v,
        sourceId: source.id,
        relation,
      }),
    onSuccess: (r) => {
      setCreated(r.entry);
      onDone();
    },
    onError: (err) => {
      const r = applyProblemToForm(form, err, lang);
      setAlert(
        r.unmatched.length
          ? `${r.message}${r.unmatched.map((p) => `；${lang === 'en' ? p.en : p.zh}`).join('')}`
          : r.message,
      );
    },
  });

  return (
    <Modal
      open={open}
      width={640}
      title={t('exchange.backward.title', { relation })}
      okText={created ? t('exchange.close') : t('exchange.backward.submit')}
      cancelButtonProps={created ? { style: { display: 'none' } } : undefined}
      cancelText={t('common.cancel')}
      onOk={() => (created ? onClose() : form.submit())}
      onCancel={onClose}
      confirmLoading={save.isPending}
      forceRender
    >
      {created ? (
        <Result
          status="success"
          title={t('exchange.backward.done', { name: created.name })}
          subTitle={t('exchange.backward.doneHint')}
          extra={
            <Link to={`/catalog/entries/${created.id}`} data-testid="backward-entry-link">
              {t('exchange.backward.openEntry')}
            </Link>
          }
        />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('exchange.backward.intro')}</Typography.Paragraph>
          {alert ? <Alert type="error" showIcon message={alert} style={{ marginBottom: 12 }} /> : null}
          <Form
            form={form}
            layout="vertical"
            name="backward"
            onFinish={(v) => {
              setAlert(null);
              save.mutate(v);
            }}
          >
            <Form.Item
              name="name"
              label={t('exchange.backward.name')}
              rules={[{ required: true, message: t('exchange.required') }]}
            >
              <Input maxLength={200} placeholder={t('exchange.backward.namePlaceholder')} />
            </Form.Item>
            <Space style={{ display: 'flex' }} align="start">
              <Form.Item
                name="classCode"
                label={t('exchange.backward.classCode')}
                rules={[{ required: true, message: t('exchange.required') }]}
              >
                <Input placeholder="301001" style={{ width: 160 }} />
              </Form.Item>
              <Form.Item
                name="className"
                label={t('exchange.backward.className')}
                rules={[{ required: true, message: t('exchange.required') }]}
              >
                <Input placeholder="部门信息资源/公安/人口" style={{ width: 360 }} />
              </Form.Item>
            </Space>
            <Form.Item
              name="summary"
              label={t('exchange.backward.summary')}
              rules={[{ required: true, message: t('exchange.required') }]}
            >
              <Input.TextArea rows={3} maxLength={4000} />
            </Form.Item>
            <Form.Item
              name="keyColumns"
              label={t('exchange.mount.keyColumns')}
              rules={[{ required: true, message: t('exchange.required') }]}
            >
              <Select
                mode="multiple"
                options={columns.map((c) => ({ value: c.name, label: `${c.name}（${c.type}）` }))}
                placeholder={t('exchange.mount.keyPlaceholder')}
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
