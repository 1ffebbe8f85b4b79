/** 项目咨询专家库: the pool reviews draw their panels from, paged on the server; the platform office adds, edits and deactivates. */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, applyProblemToForm } from '../../api';
import { EmptyState, ErrorAlert } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { useMe } from '../../session';
import { problemText } from './shared';
import { EXPERT_FIELDS, type Expert, type ExpertField, type ExpertPage } from './types';

interface Values {
  name: string;
  field: ExpertField;
  title?: string;
  orgName: string;
  orgId?: string;
}

export default function ExpertPool() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const orgs = useOrgDirectory();
  const manage = me.permissions.includes('projects.experts');
  const [field, setField] = useState<ExpertField | undefined>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [editing, setEditing] = useState<Expert | 'new' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  const list = useQuery({
    queryKey: ['projects', 'experts', field, q, page, pageSize],
    queryFn: ({ signal }) => api.get<ExpertPage>('/projects/experts', { field, q, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });

  const body = (v: Values, active: boolean) => ({
    name: v.name,
    field: v.field,
    title: v.title ?? '',
    orgName: v.orgName,
    orgId: v.orgId ?? null,
    active,
  });

  const save = async (v: Values) => {
    setBusy(true);
    setProblem(null);
    try {
      if (editing === 'new') await api.post<Expert>('/projects/experts', body(v, true));
      else if (editing) await api.put<Expert>(`/projects/experts/${editing.id}`, body(v, editing.active));
      void message.success(t('projects.experts.saved'));
      setEditing(null);
      await queryClient.invalidateQueries({ queryKey: ['projects', 'experts'] });
    } catch (err) {
      const r = applyProblemToForm(form, err, lang);
      setProblem(problemText(err, r, lang));
    } finally {
      setBusy(false);
    }
  };

  const toggle = async (e: Expert) => {
    await api.put<Expert>(`/projects/experts/${e.id}`, {
      name: e.name,
      field: e.field,
      title: e.title,
      orgName: e.orgName,
      orgId: e.orgId,
      active: !e.active,
    });
    void message.success(t('projects.experts.saved'));
    await queryClient.invalidateQueries({ queryKey: ['projects', 'experts'] });
  };

  const open = (e: Expert | 'new') => {
    setProblem(null);
    setEditing(e);
    form.resetFields();
    if (e !== 'new')
      form.setFieldsValue({
        name: e.name,
        field: e.field,
        title: e.title,
        orgName: e.orgName,
        orgId: e.orgId ?? undefined,
      });
  };

  const columns: ColumnsType<Expert> = [
    { title: t('projects.experts.name'), dataIndex: 'name', width: 120 },
    {
      title: t('projects.experts.field'),
      dataIndex: 'field',
      width: 150,
      render: (f: ExpertField) => t(`projects.field.${f}`),
    },
    { title: t('projects.experts.title_'), dataIndex: 'title', width: 200 },
    { title: t('projects.experts.orgName'), dataIndex: 'orgName' },
    {
      title: t('projects.experts.orgId'),
      dataIndex: 'orgId',
      width: 200,
      render: (id: string | null) => (id ? orgName(orgs.data?.get(id), lang) : '—'),
    },
    {
      title: t('projects.experts.active'),
      dataIndex: 'active',
      width: 90,
      render: (a: boolean) =>
        a ? (
          <Tag color="success">{t('projects.experts.active')}</Tag>
        ) : (
          <Tag>{t('projects.experts.inactive')}</Tag>
        ),
    },
    ...(manage
      ? [
          {
            title: '',
            key: 'ops',
            width: 150,
            render: (_: unknown, e: Expert) => (
              <Space>
                <Button size="small" type="link" onClick={() => open(e)}>
                  {t('projects.experts.edit')}
                </Button>
                {e.active ? (
                  <Popconfirm title={t('projects.experts.deactivateConfirm')} onConfirm={() => toggle(e)}>
                    <Button size="small" type="link" danger>
                      {t('projects.experts.deactivate')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" type="link" onClick={() => void toggle(e)}>
                    {t('projects.experts.activate')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageTitle
        title={t('projects.experts.title')}
        sub={t('projects.experts.sub')}
        extra={
          manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
              {t('projects.experts.add')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            aria-label={t('projects.experts.search')}
            placeholder={t('projects.experts.search')}
            style={{ width: 260 }}
            onSearch={(v) => {
              setQ(v.trim());
              setPage(1);
            }}
          />
          <Select<ExpertField>
            allowClear
            aria-label={t('projects.experts.filterField')}
            placeholder={t('projects.experts.filterField')}
            style={{ width: 200 }}
            value={field}
            onChange={(v) => {
              setField(v);
              setPage(1);
            }}
            options={EXPERT_FIELDS.map((f) => ({ value: f, label: t(`projects.field.${f}`) }))}
          />
        </Space>
        {list.error ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <Table<Expert>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 900 }}
          locale={{
            emptyText: (
              <EmptyState message={t('projects.experts.empty')} hint={t('projects.experts.emptyHint')} />
            ),
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
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('projects.experts.add') : t('projects.experts.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        destroyOnHidden
      >
        {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} /> : null}
        <Form<Values> form={form} layout="vertical" onFinish={save} preserve={false}>
          <Form.Item name="name" label={t('projects.experts.name')} rules={[{ required: true, max: 50 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="field" label={t('projects.experts.field')} rules={[{ required: true }]}>
            <Select options={EXPERT_FIELDS.map((f) => ({ value: f, label: t(`projects.field.${f}`) }))} />
          </Form.Item>
          <Form.Item name="title" label={t('projects.experts.title_')}>
            <Input />
          </Form.Item>
          <Form.Item name="orgName" label={t('projects.experts.orgName')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="orgId" label={t('projects.experts.orgId')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              options={[...(orgs.data?.values() ?? [])].map((o) => ({
                value: o.id,
                label: orgName(o, lang),
              }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
