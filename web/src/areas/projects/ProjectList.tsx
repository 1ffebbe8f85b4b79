/** 电子政务项目: every project the user may see, paged on the server, by stage and department, with the stage's countdown. */
import { PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api';
import { WorkdaysLeft } from '../../components/Countdown';
import { EmptyState, ErrorAlert } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate } from '../../format';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { useMe } from '../../session';
import { StageTag, yuan } from './shared';
import { type ProjectPage, type ProjectSummary, STAGES, type Stage } from './types';

export default function ProjectList() {
  const { t, lang } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const orgs = useOrgDirectory();
  const seesAll = me.user.role === 'platform_admin' || me.user.role === 'auditor';
  const [stages, setStages] = useState<Stage[]>([]);
  const [orgId, setOrgId] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const list = useQuery({
    queryKey: ['projects', 'list', stages, orgId, q, page, pageSize],
    queryFn: ({ signal }) =>
      api.get<ProjectPage>('/projects', { stage: stages, orgId, q, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });

  const columns: ColumnsType<ProjectSummary> = [
    {
      title: t('projects.col.name'),
      dataIndex: 'name',
      render: (name: string, p) => (
        <Space size={4} wrap>
          <Link to={`/projects/${p.id}`}>{name}</Link>
          {p.caution ? (
            <Tooltip title={t('projects.caution')}>
              <Tag color="warning" icon={<WarningOutlined />}>
                {t('projects.caution')}
              </Tag>
            </Tooltip>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('projects.col.org'),
      dataIndex: 'orgId',
      width: 180,
      render: (id: string, p) => orgName(orgs.data?.get(id), lang, p.orgName),
    },
    {
      title: t('projects.col.stage'),
      dataIndex: 'stage',
      width: 170,
      render: (s: Stage) => <StageTag stage={s} />,
    },
    {
      title: t('projects.col.due'),
      dataIndex: 'stageDueOn',
      width: 120,
      render: (d: string | null) => formatDate(d),
    },
    {
      title: t('projects.col.left'),
      dataIndex: 'workdaysLeft',
      width: 130,
      render: (left: number | null, p) => (p.stageDueOn ? <WorkdaysLeft left={left} /> : '—'),
    },
    {
      title: t('projects.col.budget'),
      dataIndex: 'needsBudgetYuan',
      width: 140,
      align: 'right',
      render: (_: number, p) => yuan(p.approvedBudgetYuan ?? p.needsBudgetYuan, lang),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('projects.list.title')}
        sub={t('projects.list.sub')}
        extra={
          me.permissions.includes('projects.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/projects/new')}>
              {t('projects.list.new')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            aria-label={t('projects.list.search')}
            placeholder={t('projects.list.search')}
            style={{ width: 260 }}
            onSearch={(v) => {
              setQ(v.trim());
              setPage(1);
            }}
          />
          <Select<Stage[]>
            mode="multiple"
            allowClear
            aria-label={t('projects.list.stageFilter')}
            placeholder={t('projects.list.stageFilter')}
            style={{ minWidth: 260 }}
            value={stages}
            onChange={(v) => {
              setStages(v);
              setPage(1);
            }}
            options={STAGES.map((s) => ({ value: s, label: t(`projects.stage.${s}`) }))}
          />
          {seesAll ? (
            <Select<string>
              allowClear
              showSearch
              optionFilterProp="label"
              aria-label={t('projects.list.orgFilter')}
              placeholder={t('projects.list.orgFilter')}
              style={{ width: 240 }}
              value={orgId}
              onChange={(v) => {
                setOrgId(v);
                setPage(1);
              }}
              options={[...(orgs.data?.values() ?? [])].map((o) => ({
                value: o.id,
                label: orgName(o, lang),
              }))}
            />
          ) : null}
        </Space>
        {list.error ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <Table<ProjectSummary>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 900 }}
          locale={{
            emptyText: <EmptyState message={t('projects.list.empty')} hint={t('projects.list.emptyHint')} />,
          }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total }),
            onChange: (p, s) => {
              setPage(s !== pageSize ? 1 : p);
              setPageSize(s);
            },
          }}
        />
      </Card>
    </>
  );
}
