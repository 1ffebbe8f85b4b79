/** Sign-in: username and password; wrong credentials, lockout and rate limits are told in place. */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, applyProblemToForm } from '../api';
import { LANGS, type Lang, useI18n } from '../i18n';
import { preloadPage } from '../pages';
import { useSession } from '../session';

interface Values {
  username: string;
  password: string;
}

interface Failure {
  title: string;
  detail: string;
  locked: boolean;
}

/** The lockout message carries the ISO instant; show it in local time. */
function lockedUntil(err: ApiError): string | null {
  const m = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/.exec(err.problem.message.en);
  return m ? dayjs(m[0]).format('YYYY-MM-DD HH:mm') : null;
}

export default function SignIn() {
  const { t, lang, setLang } = useI18n();
  const { signIn } = useSession();
  const [form] = Form.useForm<Values>();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const [params] = useSearchParams();

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')}`;
  }, [t]);

  // While the officer types, fetch the workbench's code so it shows at once after signing in.
  useEffect(() => {
    const id = window.setTimeout(() => preloadPage('/'), 200);
    return () => window.clearTimeout(id);
  }, []);

  const onFinish = async (values: Values) => {
    setBusy(true);
    setFailure(null);
    try {
      await signIn(values.username.trim(), values.password);
      const next = params.get('next');
      void navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (err) {
      const { message } = applyProblemToForm(form, err, lang);
      if (err instanceof ApiError && err.code === 'ACCOUNT_LOCKED') {
        const until = lockedUntil(err);
        setFailure({
          title: t('login.locked'),
          detail: until ? t('login.lockedUntil', { until }) : message,
          locked: true,
        });
      } else {
        setFailure({ title: t('login.failed'), detail: message, locked: false });
      }
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="gs-login">
      <div className="gs-login-lang">
        <Segmented<Lang>
          aria-label={t('lang.label')}
          size="small"
          value={lang}
          options={LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
          onChange={(v) => setLang(v)}
        />
      </div>
      <Card className="gs-login-card" variant="borderless">
        <div className="gs-login-head">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </div>
        </div>
        <Typography.Title level={4} style={{ marginTop: 24 }}>
          {t('login.welcome')}
        </Typography.Title>
        {failure ? (
          <Alert
            data-testid="login-error"
            role="alert"
            type={failure.locked ? 'warning' : 'error'}
            showIcon
            message={failure.title}
            description={failure.detail}
            style={{ marginBottom: 16 }}
          />
        ) : null}
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={onFinish}
          onValuesChange={() => setFailure(null)}
          data-testid="login-form"
        >
          <Form.Item
            label={t('login.username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined aria-hidden />}
              autoComplete="current-password"
              size="large"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 24, marginBottom: 0, fontSize: 12 }}>
          {t('login.footer')}
        </Typography.Paragraph>
      </Card>
    </main>
  );
}
