/**
 * One dialog for every step of the workflow: it says what the step does, asks for what the step needs
 * (a written reason, every missing item, the days of an extension, the decision's document number …),
 * and is itself the confirmation; the server's field problems appear under the fields.
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { isMessageKey, useI18n } from '../../i18n';
import type { Application } from '../../types';
import { type FormProblem, MISSING_FIELDS, showProblem, useCodeLabel } from './common';

interface Values {
  reason?: string;
  note?: string;
  days?: number | null;
  dailyQuota?: number | null;
  document?: string;
  outcome?: 'share' | 'not_share';
  missing?: { field?: string; note?: string }[];
}

/** The actions whose reason is mandatory (the server says so too). */
const REASON_REQUIRED = new Set(['internal_reject', 'refuse', 'request_extension']);
const REASON_OPTIONAL = new Set(['withdraw', 'deny_extension']);
const QUOTA = new Set(['approve', 'agree', 'supply']);
const NOTE = new Set([
  'internal_approve',
  'approve',
  'agree',
  'supply',
  'dispute',
  'escalate',
  'escalate_upper',
  'refer_to_government',
  'consent_extension',
  'close',
  'submit',
]);
/** Steps that say no or end the request: the confirming button is red. */
const DANGER = new Set(['refuse', 'withdraw', 'close', 'internal_reject']);
/** Steps that cannot be taken back: the dialog says so in red. */
export const DESTRUCTIVE = new Set(['refuse', 'withdraw', 'close', 'approve', 'agree', 'supply', 'decide']);

function body(action: string, v: Values): Record<string, unknown> {
  const b: Record<string, unknown> = {};
  if (v.reason?.trim()) b.reason = v.reason;
  else if (REASON_REQUIRED.has(action)) b.reason = '';
  if (v.note?.trim()) b.note = v.note;
  if (action === 'request_extension') b.days = v.days ?? 0;
  if (QUOTA.has(action) && v.dailyQuota) b.dailyQuota = v.dailyQuota;
  if (action === 'decide') {
    b.document = v.document ?? '';
    if (v.outcome) b.outcome = v.outcome;
  }
  if (action === 'return_incomplete') {
    b.missing = (v.missing ?? []).map((m) => ({ field: m.field ?? '', note: m.note ?? '' }));
  }
  return b;
}

export function ActionDialog({
  app,
  action,
  onClose,
  onDone,
}: {
  app: Application;
  action: string;
  onClose: () => void;
  onDone: (a: Application) => void;
}) {
  const { t, lang } = useI18n();
  const code = useCodeLabel();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const title = code('action', action);
  const hintKey = `sharing.actionHint.${action}`;

  const ok = async () => {
    setProblem(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const done = await api.post<Application>(
        `/sharing/applications/${app.id}/actions/${action}`,
        body(action, v),
      );
      onDone(done);
    } catch (err) {
      setProblem(showProblem(form, err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('sharing.act.confirmTitle', { action: title })}
      okText={title}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: DANGER.has(action), loading: busy }}
      onOk={() => void ok()}
      onCancel={onClose}
      maskClosable={!busy}
      destroyOnClose
      width={640}
    >
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        {isMessageKey(hintKey) ? (
          <Typography.Paragraph style={{ margin: 0 }}>{t(hintKey)}</Typography.Paragraph>
        ) : null}
        {DESTRUCTIVE.has(action) ? (
          <Typography.Text type="danger">{t('sharing.act.irreversible')}</Typography.Text>
        ) : null}
        {problem ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            message={problem.message}
            description={
              problem.unmatched.length > 0 ? (
                <ul style={{ margin: 0, paddingLeft: 20 }}>
                  {problem.unmatched.map((p) => (
                    <li key={`${p.field}-${p.rule}`}>{lang === 'en' ? p.en : p.zh}</li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        ) : null}
        <Form<Values>
          form={form}
          layout="vertical"
          disabled={busy}
          initialValues={action === 'return_incomplete' ? { missing: [{}] } : {}}
        >
          {action === 'return_incomplete' ? (
            <Form.List
              name="missing"
              rules={[
                {
                  validator: async (_, list?: unknown[]) => {
                    if (!list || list.length === 0) throw new Error(t('sharing.act.missingRequired'));
                  },
                },
              ]}
            >
              {(fields, { add, remove }, { errors }) => (
                <Form.Item label={t('sharing.act.missing')} required>
                  {fields.map((f) => (
                    <Space key={f.key} align="start" style={{ display: 'flex', marginBottom: 4 }}>
                      <Form.Item
                        name={[f.name, 'field']}
                        rules={[{ required: true, message: t('sharing.act.missingField') }]}
                        style={{ width: 160, marginBottom: 8 }}
                      >
                        <Select
                          aria-label={t('sharing.act.missingField')}
                          placeholder={t('sharing.act.missingField')}
                          options={MISSING_FIELDS.map((m) => ({ value: m, label: code('missingField', m) }))}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'note']}
                        rules={[
                          { required: true, whitespace: true, message: t('sharing.act.missingNoteRequired') },
                        ]}
                        style={{ width: 340, marginBottom: 8 }}
                      >
                        <Input
                          aria-label={t('sharing.act.missingNote')}
                          placeholder={t('sharing.act.missingNote')}
                        />
                      </Form.Item>
                      <Button
                        type="text"
                        aria-label={t('sharing.act.missingRemove')}
                        icon={<MinusCircleOutlined />}
                        onClick={() => remove(f.name)}
                      />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                    {t('sharing.act.missingAdd')}
                  </Button>
                  <Form.ErrorList errors={errors} />
                </Form.Item>
              )}
            </Form.List>
          ) : null}
          {action === 'request_extension' ? (
            <Form.Item
              name="days"
              label={t('sharing.act.days')}
              rules={[{ required: true, message: t('sharing.act.daysRequired') }]}
            >
              <InputNumber min={1} max={60} precision={0} style={{ width: 160 }} />
            </Form.Item>
          ) : null}
          {action === 'decide' ? (
            <>
              <Form.Item
                name="outcome"
                label={t('sharing.act.outcome')}
                rules={[{ required: true, message: t('sharing.act.outcomeRequired') }]}
              >
                <Radio.Group
                  options={[
                    { value: 'share', label: t('sharing.act.outcomeShare') },
                    { value: 'not_share', label: t('sharing.act.outcomeNotShare') },
                  ]}
                />
              </Form.Item>
              <Form.Item
                name="document"
                label={t('sharing.act.document')}
                rules={[{ required: true, whitespace: true, message: t('sharing.act.documentRequired') }]}
              >
                <Input maxLength={300} placeholder={t('sharing.act.documentPlaceholder')} />
              </Form.Item>
            </>
          ) : null}
          {REASON_REQUIRED.has(action) || REASON_OPTIONAL.has(action) ? (
            <Form.Item
              name="reason"
              label={t('sharing.act.reason')}
              rules={
                REASON_REQUIRED.has(action)
                  ? [{ required: true, whitespace: true, message: t('sharing.act.reasonRequired') }]
                  : []
              }
            >
              <Input.TextArea rows={3} maxLength={4000} placeholder={t('sharing.act.reasonPlaceholder')} />
            </Form.Item>
          ) : null}
          {QUOTA.has(action) ? (
            <Form.Item
              name="dailyQuota"
              label={t('sharing.act.dailyQuota')}
              extra={t('sharing.act.dailyQuotaHint')}
            >
              <InputNumber min={1} precision={0} style={{ width: 200 }} />
            </Form.Item>
          ) : null}
          {NOTE.has(action) ? (
            <Form.Item name="note" label={t('sharing.act.note')}>
              <Input.TextArea rows={2} maxLength={4000} />
            </Form.Item>
          ) : null}
        </Form>
      </Space>
    </Modal>
  );
}
