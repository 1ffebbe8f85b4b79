/**
 * 目录详情: every element of an entry with the standard's labels, its data items with their masking,
 * the published versions with a field-by-field diff, and the review log. Other departments start a
 * sharing request from here (/sharing/new?entry=<id>).
 */
import { ArrowLeftOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  type DescriptionsProps,
  Result,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../api';
import { EntryConsumers } from '../areas/catalog/EntryConsumers';
import { EntryWorkflow } from '../areas/catalog/EntryWorkflow';
import { EmptyState, ErrorAlert, Loading } from '../components/Feedback';
import { PageTitle } from '../components/PageTitle';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { isMessageKey, type MessageKey, useI18n, type ValueSetName } from '../i18n';
import { useOrgName, useValueLabel } from '../lookups';
import { useMe, useSession } from '../session';
import type { Diff, Entry, EntryItem, History } from '../types';

const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'warning',
  returned: 'error',
  published: 'success',
  withdrawn: 'default',
};
const MASKING_COLORS: Record<string, string> = {
  none: 'default',
  partial: 'processing',
  hash: 'purple',
  redact: 'error',
};
const SENSITIVITY_COLORS: Record<string, string> = {
  public: 'default',
  internal: 'blue',
  sensitive: 'orange',
  highly_sensitive: 'red',
};

/** Which value set labels a field's codes, for the details and the diff. */
const FIELD_SETS: Record<string, ValueSetName> = {
  category: 'categories',
  formatCategory: 'formatCategories',
  shareType: 'shareTypes',
  shareModes: 'shareModes',
  openType: 'openTypes',
  updateCycle: 'updateCycles',
  basicLibrary: 'basicLibraries',
  notSharedBasisKind: 'basisKinds',
  dataGrade: 'dataGrades',
  status: 'statuses',
  dataType: 'dataTypes',
  sensitivity: 'sensitivities',
  masking: 'maskings',
};

const ITEM_FIELDS: Record<string, MessageKey> = {
  code: 'entry.item.code',
  seq: 'entry.item.seq',
  dataType: 'entry.item.dataType',
  length: 'entry.item.length',
  description: 'entry.item.description',
  collectingOrgId: 'entry.item.collectingOrg',
  collectingOrgName: 'entry.item.collectingOrg',
  sensitivity: 'entry.item.sensitivity',
  masking: 'entry.item.masking',
  standardElement: 'entry.item.standardElement',
};

function text(v: string | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : v;
}

/** The provider as the console's language names it: the full Chinese name, or the English name. */
function useProviderName(): (e: Entry) => string {
  const { lang } = useI18n();
  const orgName = useOrgName();
  return (e) => (lang === 'en' ? orgName(e.providerOrgId, e.providerName) : e.providerName);
}

function Details({ entry }: { entry: Entry }) {
  const { t, lang } = useI18n();
  const label = useValueLabel();
  const providerName = useProviderName();
  const yesNo = (b: boolean) => (b ? t('common.yes') : t('common.no'));
  const num = (n: number | null) => formatNumber(n, lang);
  const section = (title: MessageKey, items: [MessageKey, ReactNode, number?][]) => {
    const list: DescriptionsProps['items'] = items.map(([key, value, span]) => ({
      key,
      label: t(key),
      children: value,
      ...(span ? { span } : {}),
    }));
    return (
      <Descriptions
        key={title}
        title={t(title)}
        bordered
        size="small"
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
        items={list}
        labelStyle={{ width: 200 }}
        style={{ marginBottom: 24 }}
      />
    );
  };
  const e = entry;
  return (
    <>
      {section('entry.section.resource', [
        ['entry.f.name', e.name],
        ['entry.f.code', e.code],
        ['entry.f.className', t('entry.classWithCode', { name: e.className, code: e.classCode })],
        ['entry.f.category', label('categories', e.category)],
        ['entry.f.providerName', providerName(e)],
        ['entry.f.providerUnit', text(e.providerUnit)],
        ['entry.f.providerCreditCode', e.providerCreditCode],
        ['entry.f.providerDivisionCode', e.providerDivisionCode],
        ['entry.f.summary', e.summary, 2],
        ['entry.f.formatCategory', label('formatCategories', e.formatCategory)],
        ['entry.f.formatType', text(e.formatType)],
        ['entry.f.sourceSystem', text(e.sourceSystem)],
        ['entry.f.basicLibrary', label('basicLibraries', e.basicLibrary)],
        ['entry.f.dataCategory', text(e.dataCategory)],
        ['entry.f.dataGrade', label('dataGrades', e.dataGrade)],
        ['entry.f.classified', yesNo(e.classified)],
        ['entry.f.updateCycle', label('updateCycles', e.updateCycle)],
        ['entry.f.relatedCodes', e.relatedCodes.length ? e.relatedCodes.join('、') : '—'],
        ['entry.f.publishDate', formatDate(e.publishDate)],
      ])}
      {section('entry.section.share', [
        ['entry.f.shareType', label('shareTypes', e.shareType)],
        [
          'entry.f.shareModes',
          e.shareModes.length ? e.shareModes.map((m) => label('shareModes', m)).join('、') : '—',
        ],
        ['entry.f.shareConditionScope', text(e.shareConditionScope), 2],
        ['entry.f.shareConditionUse', text(e.shareConditionUse), 2],
        ...(e.shareType === 'not_shared'
          ? ([
              ['entry.f.notSharedBasisKind', label('basisKinds', e.notSharedBasisKind)],
              ['entry.f.notSharedBasis', text(e.notSharedBasis)],
            ] as [MessageKey, ReactNode][])
          : []),
      ])}
      {section('entry.section.open', [
        ['entry.f.openType', label('openTypes', e.openType)],
        ['entry.f.openCondition', text(e.openCondition)],
      ])}
      {section('entry.section.census', [
        ['entry.f.storageGb', num(e.census.storageGb)],
        ['entry.f.recordCount', num(e.census.recordCount)],
        ['entry.f.sharedGb', num(e.census.sharedGb)],
        ['entry.f.sharedRecords', num(e.census.sharedRecords)],
        ['entry.f.openedGb', num(e.census.openedGb)],
        ['entry.f.openedRecords', num(e.census.openedRecords)],
      ])}
      {section('entry.section.assessment', [
        ['entry.f.confidentiality', text(e.assessments.confidentiality), 2],
        ['entry.f.personalInformation', text(e.assessments.personalInformation), 2],
        ['entry.f.assessedAt', formatDateTime(e.assessments.assessedAt)],
        ['entry.f.headApprovedAt', formatDateTime(e.assessments.headApprovedAt)],
      ])}
      {section('entry.section.workflow', [
        ['entry.f.status', label('statuses', e.status)],
        ['entry.f.version', e.version > 0 ? t('entry.versionN', { n: e.version }) : t('entry.noVersion')],
        ['entry.f.createdAt', formatDateTime(e.createdAt)],
        ['entry.f.updatedAt', formatDateTime(e.updatedAt)],
        ['entry.f.submittedAt', formatDateTime(e.submittedAt)],
        ['entry.f.reviewDue', formatDate(e.reviewDue)],
        ['entry.f.publishedAt', formatDateTime(e.publishedAt)],
        ...(e.returnedReason
          ? ([['entry.f.returnedReason', e.returnedReason]] as [MessageKey, ReactNode][])
          : []),
        ...(e.withdrawnReason
          ? ([['entry.f.withdrawnReason', e.withdrawnReason]] as [MessageKey, ReactNode][])
          : []),
      ])}
    </>
  );
}

function Items({ items }: { items: EntryItem[] }) {
  const { t } = useI18n();
  const label = useValueLabel();
  const orgName = useOrgName();
  const columns: ColumnsType<EntryItem> = [
    { title: t('entry.item.seq'), dataIndex: 'seq', width: 60 },
    {
      title: t('entry.item.name'),
      dataIndex: 'name',
      width: 170,
      render: (n: string, i) => (
        <>
          <strong>{n}</strong>
          <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }} title={t('entry.item.code')}>
            {i.code}
          </div>
        </>
      ),
    },
    {
      title: t('entry.item.dataType'),
      dataIndex: 'dataType',
      width: 90,
      render: (v: string) => label('dataTypes', v),
    },
    { title: t('entry.item.length'), dataIndex: 'length', width: 64, render: (v: number | null) => v ?? '—' },
    {
      title: t('entry.item.collectingOrg'),
      key: 'collecting',
      width: 130,
      render: (_: unknown, i) => orgName(i.collectingOrgId, i.collectingOrgName ?? '—'),
    },
    {
      title: t('entry.item.sensitivity'),
      dataIndex: 'sensitivity',
      width: 96,
      render: (v: string) => <Tag color={SENSITIVITY_COLORS[v]}>{label('sensitivities', v)}</Tag>,
    },
    {
      title: t('entry.item.masking'),
      dataIndex: 'masking',
      width: 110,
      render: (v: string) => <Tag color={MASKING_COLORS[v]}>{label('maskings', v)}</Tag>,
    },
    {
      title: t('entry.item.standardElement'),
      dataIndex: 'standardElement',
      width: 180,
      render: (v: string | null) => text(v),
    },
    {
      title: t('entry.item.description'),
      dataIndex: 'description',
      render: (v: string) => text(v),
    },
  ];
  return (
    <>
      <Alert type="info" showIcon message={t('entry.maskingLegend')} style={{ marginBottom: 12 }} />
      <Table<EntryItem>
        data-testid="items-table"
        rowKey="seq"
        size="small"
        columns={columns}
        dataSource={items}
        tableLayout="fixed"
        scroll={{ x: 1080 }}
        locale={{ emptyText: <EmptyState message={t('entry.itemsEmpty')} /> }}
        pagination={{
          pageSize: 20,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { total }),
        }}
      />
    </>
  );
}

function DiffView({ id, versions }: { id: string; versions: number[] }) {
  const { t } = useI18n();
  const label = useValueLabel();
  const orgName = useOrgName();
  const fromId = useId();
  const toId = useId();
  const sorted = [...versions].sort((a, b) => a - b);
  const last = sorted[sorted.length - 1] ?? 1;
  const [from, setFrom] = useState(sorted[sorted.length - 2] ?? last);
  const [to, setTo] = useState(last);
  const enabled = sorted.length >= 2 && from !== to;
  const diff = useQuery({
    queryKey: ['catalog', 'diff', id, from, to],
    queryFn: ({ signal }) => api.get<Diff>(`/catalog/entries/${id}/diff`, { from, to }, signal),
    enabled,
  });
  if (sorted.length < 2) return <EmptyState message={t('entry.diffSingle')} testId="diff-single" />;

  const fieldLabel = (field: string): string => {
    const item = /^items\[(.+)\](?:\.(\w+))?$/.exec(field);
    if (item) {
      const name = t('entry.diff.item', { name: item[1] ?? '' });
      const sub = item[2] ? ITEM_FIELDS[item[2]] : undefined;
      return sub ? `${name} · ${t(sub)}` : name;
    }
    const last = field.split('.').pop() ?? field;
    const key = `entry.f.${last}`;
    return isMessageKey(key) ? t(key) : field;
  };
  const show = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    const last = field.split('.').pop() ?? field;
    if (last === 'collectingOrgId' && typeof v === 'string') return orgName(v, v);
    const set = FIELD_SETS[last];
    if (Array.isArray(v)) return v.map((x) => (set ? label(set, String(x)) : String(x))).join('、') || '—';
    if (typeof v === 'object') return JSON.stringify(v);
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    return set ? label(set, String(v)) : String(v);
  };
  const options = sorted.map((v) => ({ value: v, label: t('entry.versionN', { n: v }) }));
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <label htmlFor={fromId}>{t('entry.diffFrom')}</label>
        <Select<number>
          id={fromId}
          value={from}
          onChange={setFrom}
          options={options}
          style={{ width: 120 }}
        />
        <label htmlFor={toId}>{t('entry.diffTo')}</label>
        <Select<number> id={toId} value={to} onChange={setTo} options={options} style={{ width: 120 }} />
      </Space>
      {!enabled ? (
        <EmptyState message={t('entry.diffSame')} />
      ) : diff.isError ? (
        <ErrorAlert error={diff.error} onRetry={() => void diff.refetch()} />
      ) : (
        <Table
          data-testid="diff-table"
          rowKey="field"
          size="small"
          loading={diff.isFetching}
          dataSource={diff.data ?? []}
          pagination={false}
          locale={{
            emptyText: diff.isPending ? t('common.loading') : <EmptyState message={t('entry.diffNone')} />,
          }}
          columns={[
            {
              title: t('entry.diff.field'),
              dataIndex: 'field',
              render: (f: string) => fieldLabel(f),
              width: 260,
            },
            {
              title: t('entry.diff.before'),
              key: 'before',
              render: (_: unknown, r) => <span className="gs-diff-before">{show(r.field, r.before)}</span>,
            },
            {
              title: t('entry.diff.after'),
              key: 'after',
              render: (_: unknown, r) => <span className="gs-diff-after">{show(r.field, r.after)}</span>,
            },
          ]}
        />
      )}
    </>
  );
}

function HistoryView({ id }: { id: string }) {
  const { t } = useI18n();
  const orgName = useOrgName();
  const history = useQuery({
    queryKey: ['catalog', 'history', id],
    queryFn: ({ signal }) => api.get<History>(`/catalog/entries/${id}/history`, undefined, signal),
  });
  if (history.isPending) return <Loading />;
  if (history.isError) return <ErrorAlert error={history.error} onRetry={() => void history.refetch()} />;
  const h = history.data;
  const actionLabel = (a: string) => {
    const key = `catalogLog.${a}`;
    return isMessageKey(key) ? t(key) : a;
  };
  // The server notes a publication as "version N".
  const noteText = (note: string) => {
    const v = /^version (\d+)$/.exec(note);
    return v ? t('entry.versionN', { n: Number(v[1]) }) : note;
  };
  return (
    <Space direction="vertical" size={24} style={{ width: '100%' }}>
      <section>
        <Typography.Title level={5}>{t('entry.versions')}</Typography.Title>
        {h.versions.length === 0 ? (
          <EmptyState message={t('entry.versionsEmpty')} />
        ) : (
          <Space wrap>
            {h.versions.map((v) => (
              <Tag key={v.version} color="blue">
                {t('entry.versionN', { n: v.version })} · {formatDateTime(v.publishedAt)}
              </Tag>
            ))}
          </Space>
        )}
      </section>
      <section data-testid="diff-view">
        <Typography.Title level={5}>{t('entry.diff')}</Typography.Title>
        <DiffView id={id} versions={h.versions.map((v) => v.version)} />
      </section>
      <section>
        <Typography.Title level={5}>{t('entry.log')}</Typography.Title>
        {h.log.length === 0 ? (
          <EmptyState message={t('entry.logEmpty')} />
        ) : (
          <Timeline
            items={[...h.log].reverse().map((l, i) => ({
              key: `${l.at}-${i}`,
              color:
                l.action === 'return' || l.action === 'withdraw'
                  ? 'red'
                  : l.action === 'publish'
                    ? 'green'
                    : 'blue',
              children: (
                <div>
                  <Typography.Text strong>{actionLabel(l.action)}</Typography.Text>{' '}
                  <Typography.Text type="secondary">{formatDateTime(l.at)}</Typography.Text>
                  {l.actorOrgId ? (
                    <div style={{ fontSize: 12 }}>{t('entry.log.by', { org: orgName(l.actorOrgId) })}</div>
                  ) : null}
                  {l.note ? (
                    <div style={{ fontSize: 12 }}>{t('entry.log.note', { note: noteText(l.note) })}</div>
                  ) : null}
                </div>
              ),
            }))}
          />
        )}
      </section>
    </Space>
  );
}

export default function EntryDetail() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { can } = useSession();
  const me = useMe();
  const navigate = useNavigate();
  const label = useValueLabel();
  const providerName = useProviderName();
  const entry = useQuery({
    queryKey: ['catalog', 'entry', id],
    queryFn: ({ signal }) => api.get<Entry>(`/catalog/entries/${id}`, undefined, signal),
  });
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);

  if (entry.isPending) return <Loading />;
  if (entry.isError) {
    const status = entry.error instanceof ApiError ? entry.error.status : 0;
    if (status === 404 || status === 403 || status === 400) {
      return (
        <Result
          status={status === 403 ? '403' : '404'}
          title={t('entry.notFound')}
          extra={<Button onClick={() => void navigate('/catalog')}>{t('common.back')}</Button>}
        />
      );
    }
    return <ErrorAlert error={entry.error} onRetry={() => void entry.refetch()} />;
  }
  const e = entry.data;
  const own = e.providerOrgId === me.activeOrgId;
  const canApply = can('sharing.act') && e.status === 'published' && !e.revisionOf && !own;
  const seesUse = can('grants.read') && (own || can('catalog.review')) && e.version > 0 && !e.revisionOf;

  return (
    <div data-testid="entry-detail">
      <PageTitle
        title={e.name}
        sub={
          <Space wrap size={[8, 4]}>
            <Typography.Text type="secondary" copyable={{ text: e.code }}>
              {e.code}
            </Typography.Text>
            <Tag color={STATUS_COLORS[e.status]}>{label('statuses', e.status)}</Tag>
            {e.version > 0 ? <Tag>{t('entry.versionN', { n: e.version })}</Tag> : null}
            <Typography.Text data-testid="entry-provider">{providerName(e)}</Typography.Text>
            <Tag
              color={
                e.shareType === 'unconditional'
                  ? 'success'
                  : e.shareType === 'conditional'
                    ? 'processing'
                    : 'default'
              }
            >
              {label('shareTypes', e.shareType)}
            </Tag>
            {own ? <Tag color="gold">{t('entry.ownEntry')}</Tag> : null}
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(-1)}>
              {t('common.back')}
            </Button>
            {canApply ? (
              <Tooltip title={e.shareType === 'not_shared' ? t('entry.notSharedHint') : t('entry.applyHint')}>
                <Button
                  type="primary"
                  icon={<SendOutlined />}
                  data-testid="apply-button"
                  onClick={() => void navigate(`/sharing/new?entry=${encodeURIComponent(e.id)}`)}
                >
                  {t('entry.apply')}
                </Button>
              </Tooltip>
            ) : null}
          </Space>
        }
      />
      <EntryWorkflow entry={e} />
      <Card>
        <Tabs
          defaultActiveKey="basic"
          items={[
            { key: 'basic', label: t('entry.tab.basic'), children: <Details entry={e} /> },
            {
              key: 'items',
              label: <span data-testid="tab-items">{t('entry.tab.items', { n: e.items.length })}</span>,
              children: <Items items={e.items} />,
            },
            {
              key: 'history',
              label: <span data-testid="tab-history">{t('entry.tab.history')}</span>,
              children: <HistoryView id={e.id} />,
            },
            ...(seesUse
              ? [
                  {
                    key: 'use',
                    label: <span data-testid="tab-consumers">{t('catalogUse.tab')}</span>,
                    children: <EntryConsumers entryId={e.id} />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </div>
  );
}
