/**
 * 单位与责任人: the organization tree (platform office → departments, county governments with their
 * division codes), one organization's details, its four named officers today and who held each duty
 * when. The platform office (and a department administrator for its own organization) records a change
 * of officer; the server closes the previous holder and keeps the history.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { DataNode } from 'antd/es/tree';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api';
import { EmptyState, ErrorAlert, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useMe, useSession } from '../../session';
import { type FormProblem, formProblem } from './formProblem';
import { DUTIES, type Duty, type Officer, type OrgNode, type OrgOfficers, type OrgTree } from './types';

function flatten(nodes: OrgNode[], out: OrgNode[] = []): OrgNode[] {
  for (const n of nodes) {
    out.push(n);
    flatten(n.children, out);
  }
  return out;
}

/** Keeps the nodes whose name matches and the path down to them. */
function filterTree(nodes: OrgNode[], q: string): OrgNode[] {
  if (!q) return nodes;
  const out: OrgNode[] = [];
  for (const n of nodes) {
    const children = filterTree(n.children, q);
    const hit = [n.name, n.shortName, n.nameEn ?? '', n.divisionCode].some((s) =>
      s.toLowerCase().includes(q.toLowerCase()),
    );
    if (hit || children.length > 0) out.push({ ...n, children: hit ? n.children : children });
  }
  return out;
}

export default function Orgs() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState('');
  const tree = useQuery({
    queryKey: ['orgs', 'tree'],
    queryFn: ({ signal }) => api.get<OrgTree>('/orgs/tree', undefined, signal),
  });
  const roots = (tree.data?.roots ?? []) as OrgNode[];
  const all = useMemo(() => flatten(roots), [roots]);
  const selectedId = params.get('org') ?? roots[0]?.id ?? null;
  const selected = all.find((o) => o.id === selectedId) ?? null;

  const toData = (nodes: OrgNode[]): DataNode[] =>
    nodes.map((n) => ({
      key: n.id,
      title: (
        <span>
          {lang === 'en' ? (n.nameEn ?? n.shortName) : n.shortName}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {n.divisionCode}
          </Typography.Text>
          {n.status === 'dissolved' ? (
            <Tag style={{ marginInlineStart: 6 }}>{t('people.org.dissolved')}</Tag>
          ) : null}
        </span>
      ),
      children: toData(n.children),
    }));
  const shown = filterTree(roots, q.trim());

  return (
    <>
      <PageTitle
        title={t('people.orgs.title')}
        sub={
          tree.data ? (
            <Typography.Text type="secondary">
              {t('people.orgs.count', { n: tree.data.total })}
            </Typography.Text>
          ) : null
        }
      />
      {tree.isError ? <ErrorAlert error={tree.error} onRetry={() => void tree.refetch()} /> : null}
      <Row gutter={16}>
        <Col xs={24} lg={8}>
          <Card title={t('people.orgs.tree')} size="small">
            <Input.Search
              allowClear
              aria-label={t('people.orgs.search')}
              placeholder={t('people.orgs.search')}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              style={{ marginBottom: 12 }}
            />
            {tree.isPending ? (
              <Loading />
            ) : shown.length === 0 ? (
              <EmptyState message={t('people.orgs.noMatch')} hint={t('people.orgs.noMatchHint')} />
            ) : (
              <Tree
                aria-label={t('people.orgs.tree')}
                treeData={toData(shown)}
                defaultExpandAll
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => {
                  const key = keys[0];
                  if (typeof key === 'string') setParams({ org: key });
                }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          {selected ? (
            <OrgDetail org={selected} parent={all.find((o) => o.id === selected.parentId)} />
          ) : tree.isPending ? null : (
            <Card>
              <EmptyState message={t('people.orgs.pick')} />
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}

function OrgDetail({ org, parent }: { org: OrgNode; parent: OrgNode | undefined }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const me = useMe();
  const [changing, setChanging] = useState<Duty | null>(null);
  const officers = useQuery({
    queryKey: ['orgs', org.id, 'officers'],
    queryFn: ({ signal }) => api.get<OrgOfficers>(`/orgs/${org.id}/officers`, undefined, signal),
  });
  const isOffice = me?.user.role === 'platform_admin';
  const mayChange = can('officers.write') && (isOffice || me?.activeOrgId === org.id);

  const dutyLabel = (d: Duty) => t(`people.duty.${d}`);
  const current: ColumnsType<Officer> = [
    { title: t('people.officer.duty'), dataIndex: 'duty', render: (d: Duty) => dutyLabel(d) },
    { title: t('people.officer.name'), dataIndex: 'name' },
    { title: t('people.officer.title'), dataIndex: 'title', render: (v: string) => v || '—' },
    { title: t('people.officer.phone'), dataIndex: 'phone', render: (v: string) => v || '—' },
    { title: t('people.officer.email'), dataIndex: 'email', render: (v: string) => v || '—' },
    { title: t('people.officer.from'), dataIndex: 'effectiveFrom', render: formatDate },
    ...(mayChange
      ? [
          {
            title: t('people.officer.actions'),
            key: 'actions',
            render: (_: unknown, o: Officer) => (
              <Button size="small" onClick={() => setChanging(o.duty)}>
                {t('people.officer.change')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  const history: ColumnsType<Officer> = [
    { title: t('people.officer.duty'), dataIndex: 'duty', render: (d: Duty) => dutyLabel(d) },
    { title: t('people.officer.name'), dataIndex: 'name' },
    { title: t('people.officer.title'), dataIndex: 'title', render: (v: string) => v || '—' },
    {
      title: t('people.officer.period'),
      key: 'period',
      render: (_: unknown, o: Officer) =>
        t('people.officer.periodValue', {
          from: formatDate(o.effectiveFrom),
          to: o.effectiveTo ? formatDate(o.effectiveTo) : t('people.officer.now'),
        }),
    },
    {
      title: t('people.officer.reported'),
      key: 'reported',
      render: (_: unknown, o: Officer) => (
        <Space size={4}>
          {formatDate(o.reportedOn)}
          {o.late ? <Tag color="red">{t('people.officer.late')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('people.officer.recordedAt'), dataIndex: 'recordedAt', render: formatDateTime },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={org.name} size="small" data-testid="org-detail">
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('people.org.shortName')}>{org.shortName}</Descriptions.Item>
          <Descriptions.Item label={t('people.org.nameEn')}>{org.nameEn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('people.org.kind')}>{t(`people.kind.${org.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('people.org.level')}>
            {t(`people.level.${org.level}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('people.org.division')}>{org.divisionCode}</Descriptions.Item>
          <Descriptions.Item label={t('people.org.credit')}>{org.creditCode}</Descriptions.Item>
          <Descriptions.Item label={t('people.org.parent')}>
            {parent ? (lang === 'en' ? (parent.nameEn ?? parent.shortName) : parent.shortName) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('people.org.status')}>
            {org.status === 'active' ? t('people.org.active') : t('people.org.dissolved')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {officers.isError ? (
        <ErrorAlert error={officers.error} onRetry={() => void officers.refetch()} />
      ) : null}
      <Card
        title={t('people.officers.current')}
        size="small"
        extra={
          mayChange ? (
            <Button type="primary" size="small" onClick={() => setChanging('sharing_officer')}>
              {t('people.officer.record')}
            </Button>
          ) : null
        }
      >
        {officers.data && officers.data.missing.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            message={t('people.officers.missing', {
              duties: officers.data.missing.map(dutyLabel).join(lang === 'en' ? ', ' : '、'),
            })}
          />
        ) : null}
        <Table<Officer>
          rowKey="id"
          size="small"
          loading={officers.isPending}
          columns={current}
          dataSource={officers.data?.current ?? []}
          pagination={false}
          locale={{
            emptyText: (
              <EmptyState message={t('people.officers.none')} hint={t('people.officers.noneHint')} />
            ),
          }}
        />
      </Card>
      <Card title={t('people.officers.history')} size="small">
        <Table<Officer>
          rowKey="id"
          size="small"
          loading={officers.isPending}
          columns={history}
          dataSource={officers.data?.history ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <EmptyState message={t('people.officers.noHistory')} /> }}
        />
      </Card>
      {changing ? (
        <OfficerChange
          orgId={org.id}
          orgName={org.shortName}
          duty={changing}
          current={officers.data?.current ?? []}
          mayBackdate={isOffice}
          onClose={() => setChanging(null)}
        />
      ) : null}
    </Space>
  );
}

interface ChangeForm {
  duty: Duty;
  name: string;
  title?: string;
  phone?: string;
  email?: string;
  effectiveFrom: Dayjs;
  reportedOn?: Dayjs;
}

function OfficerChange({
  orgId,
  orgName,
  duty,
  current,
  mayBackdate,
  onClose,
}: {
  orgId: string;
  orgName: string;
  duty: Duty;
  current: Officer[];
  mayBackdate: boolean;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<ChangeForm>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);

  const save = async (v: ChangeForm) => {
    const holder = current.find((o) => o.duty === v.duty);
    const dutyText = t(`people.duty.${v.duty}`);
    const confirmed = await modal.confirm({
      title: t('people.officer.confirmTitle'),
      content: holder
        ? t('people.officer.confirmReplace', {
            org: orgName,
            duty: dutyText,
            old: holder.name,
            name: v.name,
            day: v.effectiveFrom.format('YYYY-MM-DD'),
          })
        : t('people.officer.confirmNew', {
            org: orgName,
            duty: dutyText,
            name: v.name,
            day: v.effectiveFrom.format('YYYY-MM-DD'),
          }),
      okText: t('people.officer.confirmOk'),
      cancelText: t('common.cancel'),
    });
    if (!confirmed) return;
    setSaving(true);
    setProblem(null);
    try {
      const saved = await api.post<Officer>(`/orgs/${orgId}/officers`, {
        duty: v.duty,
        name: v.name,
        ...(v.title ? { title: v.title } : {}),
        ...(v.phone ? { phone: v.phone } : {}),
        ...(v.email ? { email: v.email } : {}),
        effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD'),
        ...(v.reportedOn ? { reportedOn: v.reportedOn.format('YYYY-MM-DD') } : {}),
      });
      await qc.invalidateQueries({ queryKey: ['orgs', orgId, 'officers'] });
      void message.success(
        saved.late
          ? t('people.officer.savedLate', { due: formatDate(saved.reportDue) })
          : t('people.officer.saved'),
      );
      onClose();
    } catch (err) {
      setProblem(formProblem(form, err, lang));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('people.officer.record')}
      okText={t('people.officer.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={problem.message}
          description={problem.details.length > 0 ? problem.details.join('；') : undefined}
        />
      ) : null}
      <Form<ChangeForm>
        form={form}
        layout="vertical"
        initialValues={{ duty, effectiveFrom: dayjs() }}
        onFinish={(v) => void save(v)}
      >
        <Form.Item name="duty" label={t('people.officer.duty')} rules={[{ required: true }]}>
          <Select options={DUTIES.map((d) => ({ value: d, label: t(`people.duty.${d}`) }))} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('people.officer.name')}
          rules={[{ required: true, whitespace: true, message: t('people.officer.nameRequired') }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="title" label={t('people.officer.title')}>
          <Input maxLength={100} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="phone" label={t('people.officer.phone')}>
              <Input maxLength={40} placeholder="0715-8123456" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="email" label={t('people.officer.email')}>
              <Input maxLength={200} placeholder="name@xianning.gov.cn" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="effectiveFrom"
              label={t('people.officer.from')}
              rules={[{ required: true, message: t('people.officer.fromRequired') }]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {mayBackdate ? (
            <Col span={12}>
              <Form.Item
                name="reportedOn"
                label={t('people.officer.reportedOn')}
                extra={t('people.officer.reportedOnHint')}
              >
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
      </Form>
    </Modal>
  );
}
