/** 申报项目: the full-scope filing (全口径备案) of a new project; field errors from the server land under their controls. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Select } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, applyProblemToForm } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { useMe } from '../../session';
import { problemText } from './shared';
import { KINDS, type Project, type ProjectKind } from './types';

interface Values {
  orgId: string;
  name: string;
  kind: ProjectKind;
  summary?: string;
  needsBudgetYuan: number;
  omCostYuan?: number;
  fundingChannel: string;
  dataResources?: string;
  systemIds?: string[];
  protectionLevel?: number;
  protectionFilingNo?: string;
  classifiedFilingNo?: string;
}

interface SystemOption {
  id: string;
  name: string;
}

export default function ProjectNew() {
  const { t, lang } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const orgs = useOrgDirectory();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const orgId = Form.useWatch('orgId', form) ?? me.activeOrgId;
  const systems = useQuery({
    queryKey: ['inventory', 'systems', orgId],
    queryFn: ({ signal }) => api.get<SystemOption[]>('/inventory/systems', { orgId }, signal),
    enabled: me.permissions.includes('inventory.read'),
  });

  const onFinish = async (v: Values) => {
    setSaving(true);
    setProblem(null);
    try {
      const p = await api.post<Project>('/projects', {
        orgId: v.orgId,
        name: v.name,
        kind: v.kind,
        summary: v.summary ?? '',
        needsBudgetYuan: v.needsBudgetYuan,
        omCostYuan: v.omCostYuan ?? 0,
        fundingChannel: v.fundingChannel,
        dataResources: v.dataResources ?? '',
        systemIds: v.systemIds ?? [],
        protectionLevel: v.protectionLevel ?? null,
        protectionFilingNo: v.protectionFilingNo || null,
        classifiedFilingNo: v.classifiedFilingNo || null,
      });
      void message.success(t('projects.new.saved'));
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
      void navigate(`/projects/${p.id}`);
    } catch (err) {
      const r = applyProblemToForm(form, err, lang);
      setProblem(problemText(err, r, lang));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageTitle title={t('projects.new.title')} sub={t('projects.new.sub')} />
      <Card>
        {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 16 }} /> : null}
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ orgId: me.activeOrgId, kind: 'new', omCostYuan: 0 }}
          onFinish={onFinish}
          style={{ maxWidth: 960 }}
        >
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="orgId" label={t('projects.f.orgId')} rules={[{ required: true }]}>
                <Select
                  showSearch
                  optionFilterProp="label"
                  disabled={me.user.role !== 'platform_admin'}
                  options={[...(orgs.data?.values() ?? [])].map((o) => ({
                    value: o.id,
                    label: orgName(o, lang),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="kind" label={t('projects.f.kind')} rules={[{ required: true }]}>
                <Select options={KINDS.map((k) => ({ value: k, label: t(`projects.kind.${k}`) }))} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="name" label={t('projects.f.name')} rules={[{ required: true, max: 200 }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="summary" label={t('projects.f.summary')}>
                <Input.TextArea rows={3} maxLength={4000} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="needsBudgetYuan"
                label={t('projects.f.needsBudgetYuan')}
                rules={[{ required: true }]}
              >
                <InputNumber min={0} step={10000} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="omCostYuan" label={t('projects.f.omCostYuan')}>
                <InputNumber min={0} step={10000} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="fundingChannel"
                label={t('projects.f.fundingChannel')}
                rules={[{ required: true }]}
              >
                <Input />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="dataResources" label={t('projects.f.dataResources')}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="systemIds" label={t('projects.f.systems')}>
                <Select
                  mode="multiple"
                  allowClear
                  loading={systems.isLoading}
                  optionFilterProp="label"
                  options={(systems.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                />
              </Form.Item>
            </Col>
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
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('projects.new.submit')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
