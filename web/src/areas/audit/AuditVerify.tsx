/**
 * 审计链校验: recomputes every hash of the chain, segment by segment (GET /audit/verify?afterSeq=&limit=),
 * so the auditor sees how far it has got and can stop it. The result says the chain is intact up to the
 * head, or names the first event that does not verify and why. Every segment is audited by the server.
 */
import { Alert, Button, Card, Descriptions, Progress, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { ErrorAlert } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import type { VerifyResult } from './types';

const SEGMENT = 2000;

type State =
  | { phase: 'idle' }
  | { phase: 'running'; checked: number; headSeq: number }
  | { phase: 'stopped'; checked: number; headSeq: number }
  | { phase: 'done'; result: VerifyResult; checked: number; at: string; seconds: number }
  | { phase: 'failed'; error: unknown };

export default function AuditVerify() {
  const { t, lang } = useI18n();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const stop = useRef(false);

  const run = async () => {
    stop.current = false;
    const started = performance.now();
    let after = 0;
    let checked = 0;
    setState({ phase: 'running', checked: 0, headSeq: 0 });
    try {
      for (;;) {
        const r = await api.get<VerifyResult>('/audit/verify', { afterSeq: after, limit: SEGMENT });
        checked += r.checked;
        if (r.done !== false) {
          setState({
            phase: 'done',
            result: r,
            checked,
            at: new Date().toISOString(),
            seconds: Math.round((performance.now() - started) / 100) / 10,
          });
          return;
        }
        after = r.lastSeq ?? after + r.checked;
        if (stop.current) {
          setState({ phase: 'stopped', checked, headSeq: r.headSeq });
          return;
        }
        setState({ phase: 'running', checked, headSeq: r.headSeq });
      }
    } catch (error) {
      setState({ phase: 'failed', error });
    }
  };

  const percent =
    state.phase === 'running' || state.phase === 'stopped'
      ? state.headSeq > 0
        ? Math.min(99, Math.floor((state.checked / state.headSeq) * 100))
        : 0
      : state.phase === 'done'
        ? 100
        : 0;

  return (
    <>
      <PageTitle
        title={t('audit.verify.title')}
        extra={
          <Link to="/audit">
            <Button>{t('audit.search.title')}</Button>
          </Link>
        }
      />
      <Card size="small">
        <Typography.Paragraph>{t('audit.verify.intro')}</Typography.Paragraph>
        <Space style={{ marginBottom: 16 }}>
          <Button type="primary" loading={state.phase === 'running'} onClick={() => void run()}>
            {state.phase === 'idle' ? t('audit.verify.run') : t('audit.verify.again')}
          </Button>
          {state.phase === 'running' ? (
            <Button
              onClick={() => {
                stop.current = true;
              }}
            >
              {t('audit.verify.stop')}
            </Button>
          ) : null}
        </Space>
        {state.phase !== 'idle' && state.phase !== 'failed' ? (
          <div role="status" aria-live="polite" style={{ marginBottom: 16 }}>
            <Progress
              percent={percent}
              status={
                state.phase === 'done'
                  ? state.result.ok
                    ? 'success'
                    : 'exception'
                  : state.phase === 'running'
                    ? 'active'
                    : 'normal'
              }
            />
            <Typography.Text type="secondary">
              {t('audit.verify.progress', {
                checked: formatNumber(state.checked, lang),
                head: formatNumber(state.phase === 'done' ? state.result.headSeq : state.headSeq, lang),
              })}
            </Typography.Text>
          </div>
        ) : null}
        {state.phase === 'failed' ? <ErrorAlert error={state.error} onRetry={() => void run()} /> : null}
        {state.phase === 'stopped' ? (
          <Alert type="warning" showIcon message={t('audit.verify.stopped')} />
        ) : null}
        {state.phase === 'done' ? (
          state.result.ok ? (
            <Alert
              type="success"
              showIcon
              data-testid="verify-result"
              message={t('audit.verify.intact')}
              description={t('audit.verify.intactText', {
                checked: formatNumber(state.checked, lang),
                head: formatNumber(state.result.headSeq, lang),
                seconds: state.seconds,
                at: formatDateTime(state.at),
              })}
            />
          ) : (
            <Alert
              type="error"
              showIcon
              role="alert"
              data-testid="verify-result"
              message={t('audit.verify.broken')}
              description={
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={t('audit.verify.brokenAt')}>
                    {state.result.broken?.id ? (
                      <Link to={`/audit/events/${state.result.broken.seq}`}>#{state.result.broken.seq}</Link>
                    ) : (
                      `#${state.result.broken?.seq ?? '—'}`
                    )}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('audit.verify.reason')}>
                    {state.result.broken?.reason ?? '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('audit.verify.before')}>
                    {formatNumber(state.checked, lang)}
                  </Descriptions.Item>
                </Descriptions>
              }
            />
          )
        ) : null}
        {state.phase === 'done' && state.result.pending > 0 ? (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 12 }}
            message={t('audit.verify.pending', { n: state.result.pending })}
          />
        ) : null}
      </Card>
    </>
  );
}
