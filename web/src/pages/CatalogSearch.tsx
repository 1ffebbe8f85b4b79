/**
 * 目录检索: Chinese full-text search over the catalog with facet counts from the server, the query's
 * words marked in the results, server-side paging and sorting. The whole state lives in the URL, so a
 * search can be bookmarked, shared and gone back to.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Col, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useId, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type Query } from '../api';
import { SearchActions } from '../areas/catalog/SearchActions';
import { EmptyState, ErrorAlert } from '../components/Feedback';
import { Highlight } from '../components/Highlight';
import { PageTitle } from '../components/PageTitle';
import { formatDate } from '../format';
import { type MessageKey, useI18n, type ValueSetName } from '../i18n';
import { orgName, useOrgDirectory, useValueLabel } from '../lookups';
import type { Entry, FacetName, SearchResult } from '../types';

const FACETS: { name: FacetName; label: MessageKey; set?: ValueSetName }[] = [
  { name: 'provider', label: 'catalog.facet.provider' },
  { name: 'shareType', label: 'catalog.facet.shareType', set: 'shareTypes' },
  { name: 'openType', label: 'catalog.facet.openType', set: 'openTypes' },
  { name: 'category', label: 'catalog.facet.category', set: 'categories' },
  { name: 'basicLibrary', label: 'catalog.facet.basicLibrary', set: 'basicLibraries' },
  { name: 'formatCategory', label: 'catalog.facet.formatCategory', set: 'formatCategories' },
  { name: 'updateCycle', label: 'catalog.facet.updateCycle', set: 'updateCycles' },
  { name: 'region', label: 'catalog.facet.region' },
];

const SORTS = ['relevance', 'name', 'published', 'updated'] as const;
type Sort = (typeof SORTS)[number];
const PAGE_SIZES = [10, 20, 50, 100];
const FACET_PREVIEW = 6;

interface SearchState {
  q: string;
  sort: Sort;
  page: number;
  pageSize: number;
  publishedOnly: boolean;
  filters: Partial<Record<FacetName, string[]>>;
}

function readState(params: URLSearchParams): SearchState {
  const q = params.get('q') ?? '';
  const sortParam = params.get('sort');
  const sort: Sort = SORTS.includes(sortParam as Sort) ? (sortParam as Sort) : q ? 'relevance' : 'name';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const size = Number(params.get('pageSize'));
  const filters: Partial<Record<FacetName, string[]>> = {};
  for (const f of FACETS) {
    const v = params.getAll(f.name);
    if (v.length) filters[f.name] = v;
  }
  return {
    q,
    sort: sort === 'relevance' && !q ? 'name' : sort,
    page,
    pageSize: PAGE_SIZES.includes(size) ? size : 20,
    publishedOnly: params.get('published') === '1',
    filters,
  };
}

function writeState(s: SearchState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.sort !== (s.q ? 'relevance' : 'name')) p.set('sort', s.sort);
  if (s.page > 1) p.set('page', String(s.page));
  if (s.pageSize !== 20) p.set('pageSize', String(s.pageSize));
  if (s.publishedOnly) p.set('published', '1');
  for (const f of FACETS) for (const v of s.filters[f.name] ?? []) p.append(f.name, v);
  return p;
}

function FacetPanel({
  facet,
  values,
  selected,
  onChange,
  labelOf,
}: {
  facet: (typeof FACETS)[number];
  values: { value: string; label: string; count: number }[];
  selected: string[];
  onChange: (next: string[]) => void;
  labelOf: (value: string, apiLabel: string) => string;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const headingId = useId();
  // A chosen value stays on screen even when nothing else matches it any more.
  const all = [...values];
  for (const v of selected) if (!all.some((x) => x.value === v)) all.push({ value: v, label: v, count: 0 });
  const shown = open ? all : all.slice(0, FACET_PREVIEW);
  return (
    <section className="gs-facet" aria-labelledby={headingId} style={{ marginBottom: 16 }}>
      <Typography.Text strong id={headingId} style={{ display: 'block', marginBottom: 6 }}>
        {t(facet.label)}
      </Typography.Text>
      {all.length === 0 ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('catalog.facetEmpty')}
        </Typography.Text>
      ) : (
        <Checkbox.Group
          value={selected}
          onChange={(v) => onChange(v as string[])}
          style={{ display: 'block' }}
          aria-labelledby={headingId}
        >
          {shown.map((v) => {
            const text = labelOf(v.value, v.label);
            return (
              <Checkbox key={v.value} value={v.value} data-testid={`facet-${facet.name}-${v.value}`}>
                <span className="gs-facet-label" title={text}>
                  {text}
                </span>
                <span className="gs-facet-count">{v.count}</span>
              </Checkbox>
            );
          })}
        </Checkbox.Group>
      )}
      {all.length > FACET_PREVIEW ? (
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          onClick={() => setOpen(!open)}
          aria-expanded={open}
        >
          {open ? t('catalog.facetLess') : t('catalog.facetMore', { n: all.length - FACET_PREVIEW })}
        </Button>
      ) : null}
    </section>
  );
}

export default function CatalogSearch() {
  const { t, lang } = useI18n();
  const label = useValueLabel();
  const directory = useOrgDirectory();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readState(params), [params]);
  const [input, setInput] = useState(state.q);
  const searchId = useId();
  const sortId = useId();

  useEffect(() => setInput(state.q), [state.q]);

  const update = (patch: Partial<SearchState>, resetPage = true) =>
    setParams(writeState({ ...state, ...(resetPage ? { page: 1 } : {}), ...patch }));

  const query: Query = {
    q: state.q || undefined,
    sort: state.sort,
    page: state.page,
    pageSize: state.pageSize,
    publishedOnly: state.publishedOnly || undefined,
    ...state.filters,
  };
  const result = useQuery({
    queryKey: ['catalog', 'search', query],
    queryFn: ({ signal }) => api.get<SearchResult>('/catalog/entries', query, signal),
    placeholderData: keepPreviousData,
  });

  const labelOf = (facet: (typeof FACETS)[number]) => (value: string, apiLabel: string) => {
    if (facet.set) return label(facet.set, value);
    if (facet.name === 'provider') return orgName(directory.data?.get(value), lang, apiLabel);
    if (facet.name === 'region' && lang === 'en') {
      const county = [...(directory.data?.values() ?? [])].find(
        (o) => o.kind === 'county_government' && o.divisionCode === value,
      );
      return county ? orgName(county, lang) : t('catalog.region.city');
    }
    return apiLabel;
  };

  const anyFilter = Object.values(state.filters).some((v) => v && v.length > 0) || state.publishedOnly;

  const columns: ColumnsType<Entry> = [
    {
      title: t('catalog.col.name'),
      key: 'name',
      render: (_: unknown, e) => (
        <div style={{ minWidth: 240 }}>
          <Link to={`/catalog/entries/${e.id}`} data-testid="result-name" style={{ fontSize: 15 }}>
            <Highlight text={e.name} query={state.q} />
          </Link>
          <div className="gs-summary">
            <Highlight text={e.summary} query={state.q} />
          </div>
          <Space size={[6, 2]} wrap style={{ marginTop: 4, fontSize: 12 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {e.code}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('catalog.items', { n: e.items.length })}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('common.labelValue', {
                label: t('catalog.col.openType'),
                value: label('openTypes', e.openType),
              })}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('common.labelValue', {
                label: t('catalog.col.updateCycle'),
                value: label('updateCycles', e.updateCycle),
              })}
            </Typography.Text>
          </Space>
        </div>
      ),
    },
    {
      title: t('catalog.col.provider'),
      key: 'provider',
      width: 170,
      render: (_: unknown, e) => (
        <span data-testid="result-provider">
          {lang === 'en' ? (
            orgName(directory.data?.get(e.providerOrgId), lang, e.providerName)
          ) : (
            <Highlight text={e.providerName} query={state.q} />
          )}
        </span>
      ),
    },
    {
      title: t('catalog.col.shareType'),
      dataIndex: 'shareType',
      width: 120,
      render: (v: string) => (
        <Tag color={v === 'unconditional' ? 'success' : v === 'conditional' ? 'processing' : 'default'}>
          {label('shareTypes', v)}
        </Tag>
      ),
    },
    {
      title: t('catalog.col.publishDate'),
      key: 'publishDate',
      width: 120,
      render: (_: unknown, e) =>
        e.status === 'published' ? (
          formatDate(e.publishDate)
        ) : (
          <Tag color="warning">{label('statuses', e.status)}</Tag>
        ),
    },
  ];

  const data = result.data;
  return (
    <div data-testid="catalog-search">
      <PageTitle title={t('catalog.title')} extra={<SearchActions query={query} />} />
      <Card style={{ marginBottom: 16 }}>
        <Row gutter={[16, 12]} align="middle">
          <Col xs={24} lg={14}>
            <label htmlFor={searchId} className="gs-sr-only">
              {t('catalog.searchLabel')}
            </label>
            <Input.Search
              id={searchId}
              data-testid="catalog-search-input"
              size="large"
              allowClear
              value={input}
              maxLength={200}
              placeholder={t('catalog.searchPlaceholder')}
              enterButton={t('catalog.search')}
              onChange={(e) => setInput(e.target.value)}
              onSearch={(v) => {
                const q = v.trim();
                update({ q, sort: q ? 'relevance' : 'name' });
              }}
            />
          </Col>
          <Col xs={24} lg={10}>
            <Space wrap>
              <label htmlFor={sortId}>{t('catalog.sort')}</label>
              <Select<Sort>
                id={sortId}
                value={state.sort}
                style={{ width: 200 }}
                onChange={(sort) => update({ sort })}
                options={SORTS.map((s) => ({
                  value: s,
                  label: t(`catalog.sort.${s}`),
                  disabled: s === 'relevance' && !state.q,
                }))}
              />
              <Checkbox
                checked={state.publishedOnly}
                onChange={(e) => update({ publishedOnly: e.target.checked })}
              >
                {t('catalog.publishedOnly')}
              </Checkbox>
            </Space>
          </Col>
        </Row>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={7} xl={6}>
          <Card
            title={t('catalog.filters')}
            size="small"
            extra={
              anyFilter ? (
                <Button
                  type="link"
                  size="small"
                  onClick={() => update({ filters: {}, publishedOnly: false })}
                >
                  {t('catalog.clearFilters')}
                </Button>
              ) : null
            }
          >
            {FACETS.map((f) => (
              <FacetPanel
                key={f.name}
                facet={f}
                values={data?.facets[f.name] ?? []}
                selected={state.filters[f.name] ?? []}
                labelOf={labelOf(f)}
                onChange={(next) => update({ filters: { ...state.filters, [f.name]: next } })}
              />
            ))}
          </Card>
        </Col>
        <Col xs={24} lg={17} xl={18}>
          <Card
            size="small"
            title={
              <span data-testid="result-count" aria-live="polite">
                {data
                  ? state.q
                    ? t('catalog.resultsFor', { q: state.q, total: data.total })
                    : t('catalog.results', { total: data.total })
                  : t('common.loading')}
              </span>
            }
          >
            {result.isError ? (
              <ErrorAlert error={result.error} onRetry={() => void result.refetch()} />
            ) : (
              <Table<Entry>
                rowKey="id"
                columns={columns}
                dataSource={data?.items ?? []}
                loading={result.isFetching}
                scroll={{ x: 720 }}
                locale={{
                  emptyText: result.isPending ? (
                    t('common.loading')
                  ) : (
                    <EmptyState
                      message={t('catalog.empty')}
                      hint={t('catalog.emptyHint')}
                      testId="catalog-empty"
                    />
                  ),
                }}
                pagination={{
                  current: state.page,
                  pageSize: state.pageSize,
                  total: data?.total ?? 0,
                  showSizeChanger: true,
                  pageSizeOptions: PAGE_SIZES,
                  showTotal: (total) => t('common.total', { total }),
                  onChange: (page, pageSize) =>
                    update(pageSize !== state.pageSize ? { pageSize, page: 1 } : { page }, false),
                }}
              />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
