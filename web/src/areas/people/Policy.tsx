/**
 * 政策规则: the active preset and every rule in force — its value, the preset's value, the platform
 * office's override with its reason, and the legal source. The platform office switches the preset or
 * adjusts one rule (both asked first; the server audits them) and removes an override again.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { type Lang, useI18n } from '../../i18n';
import { useSession } from '../../session';
import { zh } from '../../words/people';
import { type FormProblem, formProblem } from './formProblem';
import type { EffectiveRule, PolicyView, Presets } from './types';

type Value = EffectiveRule['value'];

function formatValue(v: Value, unit: EffectiveRule['unit'], t: ReturnType<typeof useI18n>['t']): string {
  if (v === null) return t('people.policy.noLimit');
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (Array.isArray(v)) return v.map((o) => optionLabel(o, t)).join(' / ') || '—';
  if (typeof v === 'number') {
    if (unit === 'ratio') return `${Math.round(v * 1000) / 10}%`;
    return t(`people.policy.unit.${unit}` as 'people.policy.unit.working_days', { n: v });
  }
  return optionLabel(String(v), t);
}

/** A rule's option code (a mode, a basis kind, a step of the dispute path) in words. */
function optionLabel(code: string, t: ReturnType<typeof useI18n>['t']): string {
  const key = `people.policy.option.${code}`;
  return key in zh ? t(key as keyof typeof zh) : code;
}

export default function Policy() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<EffectiveRule | null>(null);
  const [q, setQ] = useState('');
  const mayWrite = can('policy.write');
  const view = useQuery({
    queryKey: ['policy'],
    queryFn: ({ signal }) => api.get<PolicyView>('/policy', undefined, signal),
  });
  const presets = useQuery({
    queryKey: ['policy', 'presets'],
    queryFn: ({ signal }) => api.get<Presets>('/policy/presets', undefined, signal),
  });

  const switchTo = (code: string) => {
    const preset = presets.data?.items.find((p) => p.code === code);
    if (!preset) return;
    modal.confirm({
      title: t('people.policy.switchConfirm'),
      content: t('people.policy.switchText', { name: lang === 'en' ? preset.nameEn : preset.nameZh }),
      okText: t('people.policy.switchOk'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.put<PolicyView>('/policy/active', { preset: code });
          await qc.invalidateQueries({ queryKey: ['policy'] });
          void message.success(t('people.policy.switched'));
        } catch (err) {
          void message.error(errorText(err, lang, t('common.unexpected')));
        }
      },
    });
  };

  const clear = async (r: EffectiveRule) => {
    try {
      await api.delete<EffectiveRule>(`/policy/rules/${encodeURIComponent(r.key)}/override`);
      await qc.invalidateQueries({ queryKey: ['policy'] });
      void message.success(t('people.policy.cleared'));
    } catch (err) {
      void message.error(errorText(err, lang, t('common.unexpected')));
    }
  };

  const needle = q.trim().toLowerCase();
  const rules = (view.data?.rules ?? []).filter(
    (r) =>
      !needle ||
      [r.key, r.descriptionZh, r.descriptionEn, r.legalSource].some((s) => s.toLowerCase().includes(needle)),
  );

  const columns: ColumnsType<EffectiveRule> = [
    {
      title: t('people.policy.rule'),
      key: 'rule',
      width: '30%',
      render: (_: unknown, r) => (
        <div>
          <div>{lang === 'en' ? r.descriptionEn : r.descriptionZh}</div>
          <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
            {r.key}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('people.policy.value'),
      key: 'value',
      width: 150,
      render: (_: unknown, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{formatValue(r.value, r.unit, t)}</Typography.Text>
          {r.override ? <Tag color="blue">{t('people.policy.overridden')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('people.policy.presetValue'),
      key: 'preset',
      width: 140,
      render: (_: unknown, r) => formatValue(r.presetValue, r.unit, t),
    },
    {
      title: t('people.policy.source'),
      dataIndex: 'legalSource',
      width: 230,
      render: (v: string) => <Typography.Text style={{ fontSize: 12 }}>{v || '—'}</Typography.Text>,
    },
    {
      title: t('people.policy.override'),
      key: 'override',
      width: 190,
      render: (_: unknown, r) =>
        r.override ? (
          <Typography.Text style={{ fontSize: 12 }}>
            {t('people.policy.overrideInfo', {
              reason: r.override.reason,
              at: formatDateTime(r.override.at),
            })}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    ...(mayWrite
      ? [
          {
            title: t('people.policy.actions'),
            key: 'actions',
            width: 140,
            render: (_: unknown, r: EffectiveRule) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => setEditing(r)}>
                  {t('people.policy.adjust')}
                </Button>
                {r.override ? (
                  <Popconfirm
                    title={t('people.policy.clearConfirm')}
                    description={t('people.policy.clearText', {
                      value: formatValue(r.presetValue, r.unit, t),
                    })}
                    okText={t('people.policy.clear')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => clear(r)}
                  >
                    <Button size="small" danger>
                      {t('people.policy.clear')}
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]
      : []),
  ];

  const active = view.data?.activePreset;
  return (
    <>
      <PageTitle title={t('people.policy.title')} />
      {view.isError ? <ErrorAlert error={view.error} onRetry={() => void view.refetch()} /> : null}
      {view.isPending ? <Loading /> : null}
      {active ? (
        <Card size="small" title={t('people.policy.active')} style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('people.policy.preset')}>
              <Typography.Text strong data-testid="active-preset">
                {lang === 'en' ? active.nameEn : active.nameZh}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('people.policy.since')}>
              {formatDateTime(active.since)}
            </Descriptions.Item>
            <Descriptions.Item label={t('people.policy.about')} span={2}>
              {active.description}
            </Descriptions.Item>
          </Descriptions>
          {mayWrite ? (
            <Space style={{ marginTop: 8 }}>
              <Typography.Text>{t('people.policy.switch')}</Typography.Text>
              <Select
                aria-label={t('people.policy.switch')}
                style={{ width: 360 }}
                value={active.code}
                loading={presets.isPending}
                options={(presets.data?.items ?? []).map((p) => ({
                  value: p.code,
                  label: lang === 'en' ? p.nameEn : p.nameZh,
                }))}
                onChange={switchTo}
              />
            </Space>
          ) : null}
        </Card>
      ) : null}
      {view.data ? (
        <Card
          size="small"
          title={t('people.policy.rules', { n: view.data.rules.length })}
          extra={
            <Input.Search
              allowClear
              size="small"
              aria-label={t('people.policy.search')}
              placeholder={t('people.policy.search')}
              onChange={(e) => setQ(e.target.value)}
              style={{ width: 240 }}
            />
          }
        >
          <Table<EffectiveRule>
            rowKey="key"
            size="small"
            tableLayout="fixed"
            columns={columns}
            dataSource={rules}
            pagination={{
              pageSize: 20,
              hideOnSinglePage: true,
              showTotal: (total) => t('common.total', { total }),
            }}
            locale={{
              emptyText: (
                <EmptyState message={t('people.policy.noMatch')} hint={t('people.policy.noMatchHint')} />
              ),
            }}
          />
        </Card>
      ) : null}
      {editing ? <RuleEditor rule={editing} lang={lang} onClose={() => setEditing(null)} /> : null}
    </>
  );
}

interface RuleForm {
  value: unknown;
  noLimit?: boolean;
  reason: string;
}

function RuleEditor({ rule, lang, onClose }: { rule: EffectiveRule; lang: Lang; onClose: () => void }) {
  const { t } = useI18n();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RuleForm>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const noLimit = Form.useWatch('noLimit', form);
  const numeric = ['working_days', 'years', 'months', 'yuan', 'ratio'].includes(rule.unit);

  const save = (v: RuleForm) => {
    const value: unknown = numeric && v.noLimit ? null : v.value;
    modal.confirm({
      title: t('people.policy.adjustConfirm'),
      content: t('people.policy.adjustText', {
        rule: lang === 'en' ? rule.descriptionEn : rule.descriptionZh,
        from: formatValue(rule.value, rule.unit, t),
        to: formatValue(value as Value, rule.unit, t),
      }),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setProblem(null);
        try {
          await api.put<EffectiveRule>(`/policy/rules/${encodeURIComponent(rule.key)}`, {
            value,
            reason: v.reason,
          });
          await qc.invalidateQueries({ queryKey: ['policy'] });
          void message.success(t('people.policy.adjusted'));
          onClose();
        } catch (err) {
          setProblem(formProblem(form, err, lang));
        }
      },
    });
  };

  let input = <Input />;
  if (numeric) {
    input = (
      <InputNumber
        style={{ width: '100%' }}
        min={0}
        max={rule.unit === 'ratio' ? 1 : undefined}
        step={rule.unit === 'ratio' ? 0.05 : 1}
        disabled={noLimit === true}
      />
    );
  } else if (rule.unit === 'boolean') {
    input = (
      <Radio.Group>
        <Radio value={true}>{t('common.yes')}</Radio>
        <Radio value={false}>{t('common.no')}</Radio>
      </Radio.Group>
    );
  } else if (rule.unit === 'list') {
    input = <Select mode="tags" tokenSeparators={[',', '，']} />;
  }

  return (
    <Modal
      open
      title={t('people.policy.adjustTitle')}
      okText={t('people.policy.adjust')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('people.policy.rule')}>
          {lang === 'en' ? rule.descriptionEn : rule.descriptionZh}
        </Descriptions.Item>
        <Descriptions.Item label={t('people.policy.source')}>{rule.legalSource}</Descriptions.Item>
        <Descriptions.Item label={t('people.policy.presetValue')}>
          {formatValue(rule.presetValue, rule.unit, t)}
        </Descriptions.Item>
      </Descriptions>
      {problem ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          message={problem.message}
          description={problem.details.length > 0 ? problem.details.join('；') : undefined}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Form<RuleForm>
        form={form}
        layout="vertical"
        initialValues={{ value: rule.value, noLimit: rule.value === null, reason: '' }}
        onFinish={save}
      >
        <Form.Item
          name="value"
          label={t('people.policy.newValue')}
          extra={t(`people.policy.unitName.${rule.unit}`)}
        >
          {input}
        </Form.Item>
        {numeric ? (
          <Form.Item name="noLimit" style={{ marginTop: -12 }}>
            <Radio.Group>
              <Radio value={false}>{t('people.policy.hasLimit')}</Radio>
              <Radio value={true}>{t('people.policy.noLimit')}</Radio>
            </Radio.Group>
          </Form.Item>
        ) : null}
        <Form.Item
          name="reason"
          label={t('people.policy.reason')}
          rules={[{ required: true, whitespace: true, message: t('people.policy.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} placeholder={t('people.policy.reasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
