/**
 * 项目详情: the stage timeline with its deadlines, the next action (with its fields, a confirmation and
 * the server's field errors in place), the catalog gates with their entries, the stage documents, the
 * history of steps and decisions, and the full-scope filing.
 */
import { ArrowLeftOutlined, CheckCircleFilled, CloseCircleFilled, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, applyProblemToForm } from '../../api';
import { WorkdaysLeft } from '../../components/Countdown';
import { EmptyState, ErrorAlert, Loading, NotFoundResult } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { useMe } from '../../session';
import type { SearchResult } from '../../types';
import { problemText, StageTag, useCodeWord, yuan } from './shared';
import {
  DOC_KINDS,
  type DocKind,
  type ExpertPage,
  KINDS,
  type Project,
  type ProjectAction,
  type ProjectKind,
  STAGES,
} from './types';

const PANEL_STAGES = ['joint_review', 'tech_review', 'acceptance'];

function useProject(id: string) {
  return useQuery({
    queryKey: ['projects', 'detail', id],
    queryFn: ({ signal }) => api.get<Project>(`/projects/${id}`, undefined, signal),
  });
}

function Timeline_({ p }: { p: Project }) {
  const { t } = useI18n();
  const current = STAGES.indexOf(p.stage);
  const last = new Map(p.stages.map((s) => [s.stage, s]));
  return (
    <Steps
      direction="vertical"
      size="small"
      current={current}
      status={p.stage === 'completed' ? 'finish' : 'process'}
      items={STAGES.map((s, i) => {
        const e = last.get(s);
        const skipped = s === 'supervision' && !e && i < current;
        const lines = [
          e ? t('projects.detail.entered', { date: formatDate(e.enteredOn) }) : null,
          e?.dueOn ? t('projects.detail.dueOn', { date: formatDate(e.dueOn) }) : null,
          e?.leftOn ? t('projects.detail.leftOn', { date: formatDate(e.leftOn) }) : null,
          skipped ? t('projects.detail.skipped') : null,
        ].filter(Boolean);
        return {
          title: t(`projects.stage.${s}`),
          description: lines.length ? <span style={{ fontSize: 12 }}>{lines.join(' · ')}</span> : undefined,
          ...(skipped ? { status: 'wait' as const } : {}),
        };
      })}
    />
  );
}

interface StepValues {
  action: ProjectAction;
  reason?: string;
  expertIds?: string[];
  budgetYuan?: number;
  planYear?: number;
  signedOn?: string;
  noticePublishedOn?: string;
  counterparty?: string;
  amountYuan?: number;
  score?: number;
  note?: string;
}

function NextAction({ p }: { p: Project }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<StepValues>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = p.next.filter((n) =>
    n.by === 'platform'
      ? me.permissions.includes('projects.review')
      : me.permissions.includes('projects.write'),
  );
  const [action, setAction] = useState<ProjectAction | undefined>(mine[0]?.action);
  const firstAction = mine[0]?.action;
  // A new stage (after a step) starts a fresh form with its first action.
  useEffect(() => {
    setAction(firstAction);
    setProblem(null);
    form.resetFields();
    form.setFieldsValue({ action: firstAction });
  }, [firstAction, form]);
  const panel = PANEL_STAGES.includes(p.stage) && (action === 'pass' || action === 'return');
  const experts = useQuery({
    queryKey: ['projects', 'experts', 'active'],
    queryFn: ({ signal }) =>
      api.get<ExpertPage>('/projects/experts', { activeOnly: true, pageSize: 200 }, signal),
    enabled: panel,
  });

  if (p.stage === 'completed')
    return <Alert type="success" showIcon message={t('projects.detail.completed')} />;
  if (mine.length === 0) {
    const n = p.next[0];
    if (!n) return null;
    const label = t(`projects.action.${n.action}`);
    return (
      <Alert
        type="info"
        showIcon
        message={
          n.by === 'platform'
            ? t('projects.detail.waitPlatform', { action: label })
            : t('projects.detail.waitDepartment', { action: label })
        }
      />
    );
  }
  const next = mine.find((n) => n.action === action) ?? mine[0];
  const missing = next?.missingDocs ?? [];
  const field = (name: keyof StepValues, label: string, node: React.ReactNode, required = true) => (
    <Form.Item name={name} label={label} rules={required ? [{ required: true }] : []}>
      {node}
    </Form.Item>
  );
  const date = <Input type="date" />;
  const money = <InputNumber min={0} step={10000} style={{ width: '100%' }} />;
  const fields = (() => {
    switch (action) {
      case 'submit_tech_plan':
        return (
          <>
            <Alert
              type="info"
              showIcon
              message={t('projects.step.budgetRule')}
              style={{ marginBottom: 12 }}
            />
            {field('budgetYuan', t('projects.step.budgetYuan'), money)}
          </>
        );
      case 'sign_agreement':
        return field('signedOn', t('projects.step.signedOn'), date);
      case 'complete_procurement':
        return field('note', t('projects.step.procurement'), <Input />);
      case 'file_contract':
        return (
          <Row gutter={12}>
            <Col xs={24} md={12}>
              {field('signedOn', t('projects.step.signedOn'), date)}
            </Col>
            <Col xs={24} md={12}>
              {field('noticePublishedOn', t('projects.step.noticePublishedOn'), date)}
            </Col>
            <Col xs={24} md={12}>
              {field('counterparty', t('projects.step.contractor'), <Input />)}
            </Col>
            <Col xs={24} md={12}>
              {field('amountYuan', t('projects.step.amountYuan'), money)}
            </Col>
          </Row>
        );
      case 'complete_supervision':
        return field('counterparty', t('projects.step.supervisor'), <Input />);
      case 'file_om':
        return (
          <>
            {field('counterparty', t('projects.step.omUnit'), <Input />)}
            {field('amountYuan', t('projects.step.omCostYuan'), money)}
            {field('note', t('projects.step.operation'), <Input.TextArea rows={2} />)}
          </>
        );
      case 'evaluate':
        return (
          <>
            {field(
              'score',
              t('projects.step.score'),
              <InputNumber min={0} max={100} style={{ width: 160 }} />,
            )}
            {field('note', t('projects.step.comment'), <Input.TextArea rows={2} />, false)}
          </>
        );
      case 'pass':
      case 'return':
        return (
          <>
            {panel
              ? field(
                  'expertIds',
                  t('projects.step.experts'),
                  <Select
                    mode="multiple"
                    loading={experts.isLoading}
                    optionFilterProp="label"
                    options={(experts.data?.items ?? []).map((e) => ({
                      value: e.id,
                      label: `${e.name}（${e.orgName}）`,
                      disabled: e.orgId === p.orgId,
                    }))}
                  />,
                )
              : null}
            {p.stage === 'annual_plan' && action === 'pass'
              ? field(
                  'planYear',
                  t('projects.step.planYear'),
                  <InputNumber min={2000} max={2100} style={{ width: 160 }} />,
                )
              : null}
            {p.stage === 'audit' && action === 'pass'
              ? field('note', t('projects.step.auditConclusion'), <Input.TextArea rows={2} />)
              : null}
            {field('reason', t('projects.step.reason'), <Input.TextArea rows={2} />, action === 'return')}
          </>
        );
      default:
        return null;
    }
  })();

  const submit = async (v: StepValues) => {
    if (!next) return;
    const label = t(`projects.action.${next.action}`);
    modal.confirm({
      title: t('projects.step.confirm', { action: label }),
      content: t('projects.step.confirmHint'),
      onOk: async () => {
        setBusy(true);
        setProblem(null);
        try {
          const { action: a, ...rest } = v;
          const body = Object.fromEntries(
            Object.entries(rest).filter(([, x]) => x !== undefined && x !== ''),
          );
          const path = next.by === 'platform' ? 'decisions' : 'steps';
          const updated = await api.post<Project>(`/projects/${p.id}/${path}`, {
            action: a ?? next.action,
            ...body,
          });
          queryClient.setQueryData(['projects', 'detail', p.id], updated);
          await queryClient.invalidateQueries({ queryKey: ['projects', 'list'] });
          void message.success(t('projects.step.done', { action: label }));
        } catch (err) {
          const r = applyProblemToForm(form, err, lang);
          setProblem(problemText(err, r, lang));
        } finally {
          setBusy(false);
        }
      },
    });
  };

  return (
    <Form<StepValues>
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ action }}
      aria-label={t('projects.detail.next')}
    >
      {mine.length > 1 ? (
        <Form.Item name="action" label={t('projects.detail.next')}>
          <Radio.Group
            optionType="button"
            onChange={(e) => {
              setAction(e.target.value as ProjectAction);
              setProblem(null);
            }}
            options={mine.map((n) => ({ value: n.action, label: t(`projects.action.${n.action}`) }))}
          />
        </Form.Item>
      ) : (
        <Form.Item name="action" hidden>
          <Input />
        </Form.Item>
      )}
      {missing.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('projects.detail.missingDocs', {
            docs: missing.map((k) => t(`projects.doc.${k}`)).join('、'),
          })}
        />
      ) : null}
      {fields}
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} /> : null}
      <Button type="primary" htmlType="submit" loading={busy} danger={action === 'return'}>
        {next ? t(`projects.action.${next.action}`) : ''}
      </Button>
    </Form>
  );
}

function CatalogGate({ p }: { p: Project }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const word = useCodeWord();
  const queryClient = useQueryClient();
  const [pick, setPick] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const frozen = ['audit', 'om_filing', 'evaluation', 'completed'].includes(p.stage);
  const canWrite = me.permissions.includes('projects.write') && !frozen;
  const entries = useQuery({
    queryKey: ['catalog', 'entries', 'provider', p.orgId],
    queryFn: ({ signal }) =>
      api.get<SearchResult>('/catalog/entries', { provider: [p.orgId], pageSize: 200, sort: 'name' }, signal),
    enabled: canWrite,
  });
  const linked = new Set(p.catalog.entries.map((e) => e.entryId));
  const change = async (fn: () => Promise<Project>) => {
    setError(null);
    try {
      queryClient.setQueryData(['projects', 'detail', p.id], await fn());
      setPick(undefined);
    } catch (err) {
      setError(err instanceof ApiError ? err.text(lang) : String(err));
    }
  };
  const gate = (ok: boolean, label: string) => (
    <Space>
      {ok ? (
        <CheckCircleFilled style={{ color: '#52c41a' }} />
      ) : (
        <CloseCircleFilled style={{ color: '#ff4d4f' }} />
      )}
      <span>{label}</span>
      <Tag color={ok ? 'success' : 'error'}>{ok ? t('projects.gate.ok') : t('projects.gate.missing')}</Tag>
    </Space>
  );
  return (
    <>
      <Space direction="vertical" style={{ marginBottom: 12 }}>
        {gate(p.catalog.reviewGate, t('projects.gate.review'))}
        {gate(p.catalog.acceptanceGate, t('projects.gate.acceptance'))}
      </Space>
      {p.catalog.entries.length === 0 ? (
        <EmptyState message={t('projects.gate.empty')} hint={t('projects.gate.emptyHint')} />
      ) : (
        <List
          size="small"
          dataSource={p.catalog.entries}
          renderItem={(e) => (
            <List.Item
              actions={
                canWrite
                  ? [
                      <Popconfirm
                        key="unlink"
                        title={t('projects.gate.unlinkConfirm')}
                        onConfirm={() =>
                          change(() => api.delete<Project>(`/projects/${p.id}/catalog-links/${e.entryId}`))
                        }
                      >
                        <Button size="small" type="link" danger>
                          {t('projects.gate.unlink')}
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <Space wrap>
                {e.name ? (
                  <Link to={`/catalog/entries/${e.entryId}`}>{e.name}</Link>
                ) : (
                  t('projects.gate.gone')
                )}
                {e.code ? <Typography.Text type="secondary">{e.code}</Typography.Text> : null}
                {e.status ? (
                  <Tag color={e.status === 'published' ? 'success' : 'default'}>
                    {word('projects.entryStatus', e.status)}
                  </Tag>
                ) : null}
              </Space>
            </List.Item>
          )}
        />
      )}
      {canWrite ? (
        <Space.Compact style={{ width: '100%', marginTop: 12 }}>
          <Select<string>
            showSearch
            optionFilterProp="label"
            aria-label={t('projects.gate.pick')}
            placeholder={t('projects.gate.pick')}
            style={{ flex: 1 }}
            value={pick}
            onChange={setPick}
            loading={entries.isLoading}
            options={(entries.data?.items ?? [])
              .filter((e) => !linked.has(e.id) && e.status !== 'withdrawn')
              .map((e) => ({ value: e.id, label: `${e.name}（${word('projects.entryStatus', e.status)}）` }))}
          />
          <Button
            disabled={!pick}
            onClick={() =>
              pick && change(() => api.post<Project>(`/projects/${p.id}/catalog-links`, { entryId: pick }))
            }
          >
            {t('projects.gate.link')}
          </Button>
        </Space.Compact>
      ) : null}
      {error ? <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} /> : null}
    </>
  );
}

interface DocValues {
  kind: DocKind;
  name: string;
  reference?: string;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

function Documents({ p }: { p: Project }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<DocValues>();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const firstMissing = p.next.flatMap((n) => n.missingDocs)[0] ?? 'other';
  useEffect(() => {
    form.setFieldsValue({ kind: firstMissing });
  }, [firstMissing, form]);
  const add = async (v: DocValues) => {
    setBusy(true);
    setProblem(null);
    try {
      const contentBase64 = file ? await readBase64(file) : null;
      const updated = await api.post<Project>(`/projects/${p.id}/documents`, {
        name: v.name,
        kind: v.kind,
        contentBase64,
        reference: v.reference || null,
      });
      queryClient.setQueryData(['projects', 'detail', p.id], updated);
      form.resetFields(['name', 'reference']);
      setFile(null);
      void message.success(t('projects.doc.added'));
    } catch (err) {
      const r = applyProblemToForm(form, err, lang);
      setProblem(problemText(err, r, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={p.documents}
        scroll={{ x: 720 }}
        locale={{
          emptyText: (
            <EmptyState
              message={t('projects.detail.noDocuments')}
              hint={t('projects.detail.noDocumentsHint')}
            />
          ),
        }}
        columns={[
          {
            title: t('projects.doc.stage'),
            dataIndex: 'stage',
            width: 150,
            render: (s) => t(`projects.stage.${s as Project['stage']}`),
          },
          {
            title: t('projects.doc.kind'),
            dataIndex: 'kind',
            width: 150,
            render: (k: DocKind) => t(`projects.doc.${k}`),
          },
          { title: t('projects.doc.name'), dataIndex: 'name' },
          {
            title: t('projects.doc.sm3'),
            dataIndex: 'sm3',
            width: 170,
            render: (h: string | null, d) =>
              h ? (
                <Typography.Text code copyable={{ text: h }} title={h}>
                  {h.slice(0, 12)}…
                </Typography.Text>
              ) : (
                d.reference
              ),
          },
          { title: t('projects.doc.by'), dataIndex: 'uploadedByName', width: 110 },
          {
            title: t('projects.doc.at'),
            dataIndex: 'createdAt',
            width: 110,
            render: (d: string) => formatDate(d),
          },
        ]}
      />
      {me.permissions.includes('projects.write') && p.stage !== 'completed' ? (
        <Form<DocValues>
          form={form}
          layout="vertical"
          onFinish={add}
          style={{ marginTop: 16 }}
          aria-label={t('projects.doc.add')}
        >
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <Form.Item name="kind" label={t('projects.doc.kind')} rules={[{ required: true }]}>
                <Select options={DOC_KINDS.map((k) => ({ value: k, label: t(`projects.doc.${k}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item name="name" label={t('projects.doc.name')} rules={[{ required: true, max: 200 }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="contentBase64" label={t('projects.doc.file')}>
                <Upload
                  maxCount={1}
                  beforeUpload={(f) => {
                    setFile(f);
                    if (!form.getFieldValue('name')) form.setFieldsValue({ name: f.name });
                    return false;
                  }}
                  onRemove={() => setFile(null)}
                  fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
                >
                  <Button icon={<UploadOutlined />}>{t('projects.doc.choose')}</Button>
                </Upload>
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item
                name="reference"
                label={t('projects.doc.reference')}
                extra={t('projects.doc.referenceHint')}
              >
                <Input />
              </Form.Item>
            </Col>
          </Row>
          {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} /> : null}
          <Button htmlType="submit" loading={busy}>
            {t('projects.doc.add')}
          </Button>
        </Form>
      ) : null}
    </>
  );
}

function History({ p }: { p: Project }) {
  const { t } = useI18n();
  const word = useCodeWord();
  if (p.steps.length === 0)
    return <EmptyState message={t('projects.detail.noHistory')} hint={t('projects.detail.noHistoryHint')} />;
  return (
    <Timeline
      items={[...p.steps].reverse().map((s) => ({
        color: s.outcome.startsWith('returned') || s.outcome === 'poor' ? 'red' : 'green',
        children: (
          <div>
            <Space wrap>
              <Typography.Text strong>{t(`projects.action.${s.action}`)}</Typography.Text>
              <Tag>{word('projects.outcome', s.outcome)}</Tag>
              <Typography.Text type="secondary">
                {t(`projects.stage.${s.stage}`)} → {t(`projects.stage.${s.toStage}`)}
              </Typography.Text>
              {s.details.noticeLate === true ? (
                <Tag color="error">{t('projects.detail.noticeLate')}</Tag>
              ) : null}
            </Space>
            {s.reason ? <div>{s.reason}</div> : null}
            {s.experts.length > 0 ? (
              <div style={{ fontSize: 12 }}>
                {t('projects.detail.experts', { names: s.experts.map((e) => e.name).join('、') })}
              </div>
            ) : null}
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('projects.detail.by', { name: s.actorName, at: formatDateTime(s.at) })}
              </Typography.Text>
            </div>
          </div>
        ),
      }))}
    />
  );
}

function Filing({ p }: { p: Project }) {
  const { t, lang } = useI18n();
  const orgs = useOrgDirectory();
  const text = (v: string | number | null) => (v === null || v === '' ? '—' : String(v));
  const items: [string, React.ReactNode, number?][] = [
    [t('projects.f.orgId'), orgName(orgs.data?.get(p.orgId), lang, p.orgName)],
    [t('projects.f.kind'), t(`projects.kind.${p.kind}`)],
    [t('projects.f.summary'), text(p.summary), 2],
    [t('projects.f.needsBudgetYuan'), yuan(p.needsBudgetYuan, lang)],
    [t('projects.f.approvedBudgetYuan'), yuan(p.approvedBudgetYuan, lang)],
    [t('projects.f.techBudgetYuan'), yuan(p.techBudgetYuan, lang)],
    [t('projects.f.omCostYuan'), yuan(p.omCostYuan, lang)],
    [t('projects.f.fundingChannel'), text(p.fundingChannel)],
    [t('projects.f.dataResources'), text(p.dataResources)],
    [t('projects.f.systems'), p.systems.length ? p.systems.map((s) => s.name || s.id).join('、') : '—', 2],
    [
      t('projects.f.protectionLevel'),
      p.protectionLevel ? t('projects.f.level', { n: p.protectionLevel }) : '—',
    ],
    [t('projects.f.protectionFilingNo'), text(p.protectionFilingNo)],
    [t('projects.f.classifiedFilingNo'), text(p.classifiedFilingNo)],
    [t('projects.f.planYear'), text(p.planYear)],
    [t('projects.f.contractor'), text(p.contractor)],
    [t('projects.f.contractAmountYuan'), yuan(p.contractAmountYuan, lang)],
    [t('projects.f.contractSignedOn'), formatDate(p.contractSignedOn)],
    [t('projects.f.noticeDueOn'), formatDate(p.noticeDueOn)],
    [t('projects.f.noticePublishedOn'), formatDate(p.noticePublishedOn)],
    [t('projects.f.supervisor'), text(p.supervisor)],
    [
      t('projects.f.trial'),
      p.trialStartedOn ? `${formatDate(p.trialStartedOn)} ~ ${formatDate(p.trialEndsOn)}` : '—',
    ],
    [t('projects.f.acceptedOn'), formatDate(p.acceptedOn)],
    [t('projects.f.auditedOn'), formatDate(p.auditedOn)],
    [t('projects.f.omUnit'), text(p.omUnit)],
    [
      t('projects.f.evaluation'),
      p.evaluationScore !== null && p.evaluationGrade
        ? `${p.evaluationScore} · ${t(`projects.outcome.${p.evaluationGrade}`)}`
        : '—',
    ],
  ];
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
      items={items.map(([label, children, span], i) => ({
        key: i,
        label,
        children,
        ...(span ? { span } : {}),
      }))}
    />
  );
}

interface FilingValues {
  name: string;
  kind: ProjectKind;
  summary?: string;
  needsBudgetYuan: number;
  omCostYuan?: number;
  fundingChannel: string;
  dataResources?: string;
  protectionLevel?: number | null;
  protectionFilingNo?: string | null;
  classifiedFilingNo?: string | null;
}

/** 修改备案: the full-scope filing; the needs budget only in the needs stage (the server says so in place). */
function EditFiling({ p }: { p: Project }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [form] = Form.useForm<FilingValues>();
  const show = () => {
    setProblem(null);
    setOpen(true);
    form.setFieldsValue({
      name: p.name,
      kind: p.kind,
      summary: p.summary,
      needsBudgetYuan: p.needsBudgetYuan,
      omCostYuan: p.omCostYuan,
      fundingChannel: p.fundingChannel,
      dataResources: p.dataResources,
      protectionLevel: p.protectionLevel,
      protectionFilingNo: p.protectionFilingNo,
      classifiedFilingNo: p.classifiedFilingNo,
    });
  };
  const save = async (v: FilingValues) => {
    setBusy(true);
    setProblem(null);
    try {
      const updated = await api.put<Project>(`/projects/${p.id}/filing`, {
        name: v.name,
        kind: v.kind,
        summary: v.summary ?? '',
        needsBudgetYuan: v.needsBudgetYuan,
        omCostYuan: v.omCostYuan ?? 0,
        fundingChannel: v.fundingChannel,
        dataResources: v.dataResources ?? '',
        systemIds: p.systems.map((x) => x.id),
        protectionLevel: v.protectionLevel ?? null,
        protectionFilingNo: v.protectionFilingNo || null,
        classifiedFilingNo: v.classifiedFilingNo || null,
      });
      queryClient.setQueryData(['projects', 'detail', p.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['projects', 'list'] });
      void message.success(t('projects.filing.saved'));
      setOpen(false);
    } catch (err) {
      const r = applyProblemToForm(form, err, lang);
      setProblem(problemText(err, r, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" onClick={show}>
        {t('projects.filing.edit')}
      </Button>
      <Modal
        open={open}
        title={t('projects.filing.edit')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        width={720}
        destroyOnHidden
      >
        {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} /> : null}
        <Form<FilingValues> form={form} layout="vertical" onFinish={save} preserve={false}>
          <Form.Item name="name" label={t('projects.f.name')} rules={[{ required: true, max: 200 }]}>
            <Input />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="kind" label={t('projects.f.kind')} rules={[{ required: true }]}>
                <Select options={KINDS.map((k) => ({ value: k, label: t(`projects.kind.${k}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="needsBudgetYuan"
                label={t('projects.f.needsBudgetYuan')}
                rules={[{ required: true }]}
                extra={p.stage === 'needs' ? undefined : t('projects.filing.budgetLocked')}
              >
                <InputNumber min={0} step={10000} style={{ width: '100%' }} disabled={p.stage !== 'needs'} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="summary" label={t('projects.f.summary')}>
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="omCostYuan" label={t('projects.f.omCostYuan')}>
                <InputNumber min={0} step={10000} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="fundingChannel"
                label={t('projects.f.fundingChannel')}
                rules={[{ required: true }]}
              >
                <Input />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="dataResources" label={t('projects.f.dataResources')}>
            <Input />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <Form.Item name="protectionLevel" label={t('projects.f.protectionLevel')}>
                <Select
                  allowClear
                  options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: t('projects.f.level', { n }) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="protectionFilingNo" label={t('projects.f.protectionFilingNo')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="classifiedFilingNo" label={t('projects.f.classifiedFilingNo')}>
                <Input />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>
    </>
  );
}

export default function ProjectDetail() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const orgs = useOrgDirectory();
  const me = useMe();
  const q = useProject(id);
  if (q.isLoading) return <Loading />;
  if (q.error) {
    if (q.error instanceof ApiError && q.error.status === 404) return <NotFoundResult />;
    return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  }
  const p = q.data;
  if (!p) return <NotFoundResult />;
  const canEdit = me.permissions.includes('projects.write') && p.stage !== 'completed';
  return (
    <>
      <PageTitle
        title={p.name}
        sub={
          <Space wrap>
            <StageTag stage={p.stage} />
            <span>{orgName(orgs.data?.get(p.orgId), lang, p.orgName)}</span>
            {p.stageDueOn ? (
              <>
                <span>{t('projects.detail.dueOn', { date: formatDate(p.stageDueOn) })}</span>
                <WorkdaysLeft left={p.workdaysLeft} />
              </>
            ) : null}
          </Space>
        }
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/projects')}>
            {t('common.back')}
          </Button>
        }
      />
      {p.cautionProject ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('projects.cautionHint', {
            name: p.cautionProject.name,
            score: p.cautionProject.score ?? '—',
          })}
        />
      ) : null}
      <Row gutter={16}>
        <Col xs={24} lg={7}>
          <Card title={t('projects.detail.timeline')} size="small" style={{ marginBottom: 16 }}>
            <Timeline_ p={p} />
          </Card>
        </Col>
        <Col xs={24} lg={17}>
          <Card title={t('projects.detail.next')} size="small" style={{ marginBottom: 16 }}>
            <NextAction p={p} />
          </Card>
          <Card title={t('projects.detail.catalog')} size="small" style={{ marginBottom: 16 }}>
            <CatalogGate p={p} />
          </Card>
          <Card title={t('projects.detail.documents')} size="small" style={{ marginBottom: 16 }}>
            <Documents p={p} />
          </Card>
          <Card title={t('projects.detail.history')} size="small" style={{ marginBottom: 16 }}>
            <History p={p} />
          </Card>
          <Card
            title={t('projects.detail.filing')}
            size="small"
            extra={canEdit ? <EditFiling p={p} /> : null}
          >
            <Filing p={p} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
