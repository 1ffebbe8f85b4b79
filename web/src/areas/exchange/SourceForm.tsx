/** Register or change a data source: PostgreSQL, MySQL or an HTTP JSON API. The password is write-only. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { api, applyProblemToForm } from '../../api';
import { useI18n } from '../../i18n';
import type { Source } from './types';

type Kind = 'postgres' | 'mysql' | 'http';

interface Values {
  name: string;
  kind: Kind;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  ssl?: boolean;
  baseUrl?: string;
  headerName?: string;
  secret?: string;
}

const DEFAULT_PORT: Record<Kind, number | undefined> = { postgres: 5432, mysql: 3306, http: undefined };

export function SourceForm({
  open,
  source,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** The source to change; none: register a new one. */
  source: Source | null;
  onClose: () => void;
  onSaved: (s: Source) => void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form) ?? 'postgres';

  useEffect(() => {
    if (!open) return;
    setAlert(null);
    form.resetFields();
    if (source) {
      form.setFieldsValue({
        name: source.name,
        kind: source.kind as Kind,
        host: source.config.host,
        port: source.config.port,
        database: source.config.database,
        user: source.config.user,
        ssl: source.config.ssl ?? false,
        baseUrl: source.config.baseUrl,
        headerName: source.config.headerName,
      });
    } else {
      form.setFieldsValue({ kind: 'postgres', port: 5432, ssl: false });
    }
  }, [open, source, form]);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const config =
        v.kind === 'http'
          ? { baseUrl: v.baseUrl, ...(v.headerName ? { headerName: v.headerName } : {}) }
          : { host: v.host, port: v.port, database: v.database, user: v.user, ssl: v.ssl ?? false };
      // Blank keeps the stored password (a change); a new source without one stores none.
      const secret = v.secret ? { secret: v.secret } : {};
      if (source) {
        return api.patch<Source>(`/exchange/sources/${source.id}`, { name: v.name, config, ...secret });
      }
      return api.post<Source>('/exchange/sources', { name: v.name, kind: v.kind, config, ...secret });
    },
    onSuccess: (s) => onSaved(s),
    onError: (err) => {
      const r = applyProblemToForm(form, err, lang);
      // The server names config fields as config.host etc.; show those under their controls too.
      const rest = r.unmatched.filter((p) => {
        const m = /^config\.(\w+)$/.exec(p.field);
        if (!m?.[1]) return true;
        form.setFields([{ name: m[1] as keyof Values, errors: [lang === 'en' ? p.en : p.zh] }]);
        return false;
      });
      setAlert(rest.length || r.unmatched.length === 0 ? r.message : null);
    },
  });

  return (
    <Modal
      open={open}
      title={source ? t('exchange.source.editTitle') : t('exchange.source.createTitle')}
      okText={t('exchange.save')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      forceRender
      width={620}
    >
      {alert ? <Alert type="error" showIcon message={alert} style={{ marginBottom: 16 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        name="source"
        onFinish={(v) => {
          setAlert(null);
          save.mutate(v);
        }}
      >
        <Form.Item
          name="name"
          label={t('exchange.source.name')}
          rules={[{ required: true, message: t('exchange.required') }]}
        >
          <Input maxLength={200} placeholder={t('exchange.source.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="kind" label={t('exchange.source.kind')} rules={[{ required: true }]}>
          <Select
            disabled={Boolean(source)}
            options={(['postgres', 'mysql', 'http'] as const).map((k) => ({
              value: k,
              label: t(`exchange.kind.${k}`),
            }))}
            onChange={(k: Kind) => form.setFieldsValue({ port: DEFAULT_PORT[k] })}
          />
        </Form.Item>
        {kind === 'http' ? (
          <>
            <Form.Item
              name="baseUrl"
              label={t('exchange.source.baseUrl')}
              rules={[{ required: true, message: t('exchange.required') }]}
              extra={t('exchange.source.baseUrlHint')}
            >
              <Input placeholder="https://api.dept.xianning.example/v1" />
            </Form.Item>
            <Form.Item name="headerName" label={t('exchange.source.headerName')}>
              <Input placeholder="authorization" />
            </Form.Item>
          </>
        ) : (
          <>
            <div style={{ display: 'flex', gap: 12 }}>
              <Form.Item
                name="host"
                label={t('exchange.source.host')}
                style={{ flex: 1 }}
                rules={[{ required: true, message: t('exchange.required') }]}
              >
                <Input placeholder="10.12.0.21" />
              </Form.Item>
              <Form.Item name="port" label={t('exchange.source.port')}>
                <InputNumber min={1} max={65535} style={{ width: 120 }} />
              </Form.Item>
            </div>
            <div style={{ display: 'flex', gap: 12 }}>
              <Form.Item
                name="database"
                label={t('exchange.source.database')}
                style={{ flex: 1 }}
                rules={[{ required: true, message: t('exchange.required') }]}
              >
                <Input placeholder="huji" />
              </Form.Item>
              <Form.Item
                name="user"
                label={t('exchange.source.user')}
                style={{ flex: 1 }}
                rules={[{ required: true, message: t('exchange.required') }]}
              >
                <Input placeholder="govshare_reader" autoComplete="off" />
              </Form.Item>
            </div>
            <Form.Item name="ssl" label={t('exchange.source.ssl')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="secret"
          label={kind === 'http' ? t('exchange.source.token') : t('exchange.source.password')}
          extra={
            source?.hasSecret
              ? t('exchange.source.secretKeep')
              : source
                ? t('exchange.source.secretNone')
                : t('exchange.source.secretNew')
          }
        >
          <Input.Password autoComplete="new-password" visibilityToggle={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
