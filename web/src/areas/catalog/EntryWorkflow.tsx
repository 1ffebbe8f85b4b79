/**
 * The workflow of one entry, shown on its detail page: where it stands (compiled → assessed → head
 * approved → submitted → published), the returned reason, and the actions the user may take now —
 * edit, record the two assessments, head approval, submit; publish or return (platform office);
 * withdraw, revise or delete. Destructive steps ask first; each step shows progress.
 */
import {
  CheckOutlined,
  DeleteOutlined,
  EditOutlined,
  FileSearchOutlined,
  RollbackOutlined,
  SendOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, applyProblemToForm } from '../../api';
import { type MessageKey, useI18n } from '../../i18n';
import { useMe, useSession } from '../../session';
import type { Entry } from '../../types';

type ReasonKind = 'return' | 'withdraw';

function stepOf(e: Entry): number {
  if (e.status === 'published' || e.status === 'withdrawn') return 4;
  if (e.status === 'submitted' || e.status === 'returned') return 3;
  if (e.assessments.headApprovedAt) return 3;
  if (e.assessments.assessedAt) return 2;
  return 1;
}

export function EntryWorkflow({ entry: e }: { entry: Entry }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [assessOpen, setAssessOpen] = useState(false);
  const [reasonKind, setReasonKind] = useState<ReasonKind | null>(null);
  const [assessForm] = Form.useForm<{ confidentiality: string; personalInformation: string }>();
  const [reasonForm] = Form.useForm<{ reason: string }>();

  const platform = can('catalog.review');
  const own = e.providerOrgId === me.activeOrgId || platform;
  const editable = e.status === 'draft' || e.status === 'returned';
  const canWrite = can('catalog.write') && own;

  const done = async (updated: Entry | null, okKey: MessageKey) => {
    if (updated) queryClient.setQueryData(['catalog', 'entry', e.id], updated);
    await queryClient.invalidateQueries({ queryKey: ['catalog'] });
    void message.success(t(okKey));
  };

  /** Runs one step; a refusal shows its message above the actions. */
  const run = async (key: string, path: string, okKey: MessageKey, body?: object) => {
    setBusy(key);
    setError(null);
    try {
      const updated = await api.post<Entry>(`/catalog/entries/${e.id}/${path}`, body);
      await done(updated, okKey);
      return true;
    } catch (err) {
      setError(err instanceof ApiError ? err.text(lang) : t('common.unexpected'));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const saveAssessments = async (values: { confidentiality: string; personalInformation: string }) => {
    setBusy('assess');
    try {
      const updated = await api.post<Entry>(`/catalog/entries/${e.id}/assessments`, values);
      await done(updated, 'catalogFlow.assessed');
      setAssessOpen(false);
    } catch (err) {
      applyProblemToForm(assessForm, err, lang);
    } finally {
      setBusy(null);
    }
  };

  const saveReason = async ({ reason }: { reason: string }) => {
    if (!reasonKind) return;
    setBusy(reasonKind);
    try {
      const updated = await api.post<Entry>(`/catalog/entries/${e.id}/${reasonKind}`, { reason });
      await done(updated, reasonKind === 'return' ? 'catalogFlow.returned' : 'catalogFlow.withdrawn');
      setReasonKind(null);
      reasonForm.resetFields();
    } catch (err) {
      // A problem with the reason stays under it; any other refusal closes the dialog and shows above.
      const r = applyProblemToForm(reasonForm, err, lang);
      if (!(err instanceof ApiError) || err.problem.fields.length === 0) {
        setError(r.message);
        setReasonKind(null);
      }
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    setBusy('delete');
    setError(null);
    try {
      await api.delete<null>(`/catalog/entries/${e.id}`);
      await queryClient.invalidateQueries({ queryKey: ['catalog'] });
      void message.success(t('catalogFlow.deleted'));
      void navigate('/catalog');
    } catch (err) {
      setError(err instanceof ApiError ? err.text(lang) : t('common.unexpected'));
    } finally {
      setBusy(null);
    }
  };

  const revise = async () => {
    setBusy('revise');
    setError(null);
    try {
      const r = await api.post<Entry>(`/catalog/entries/${e.id}/revisions`);
      await queryClient.invalidateQueries({ queryKey: ['catalog'] });
      void navigate(`/catalog/entries/${r.id}/edit`);
    } catch (err) {
      setError(err instanceof ApiError ? err.text(lang) : t('common.unexpected'));
    } finally {
      setBusy(null);
    }
  };

  const actions = [
    editable && canWrite ? (
      <Button
        key="edit"
        icon={<EditOutlined />}
        onClick={() => void navigate(`/catalog/entries/${e.id}/edit`)}
        data-testid="flow-edit"
      >
        {t('catalogFlow.edit')}
      </Button>
    ) : null,
    editable && canWrite ? (
      <Button
        key="assess"
        icon={<FileSearchOutlined />}
        data-testid="flow-assess"
        onClick={() => {
          assessForm.setFieldsValue({
            confidentiality: e.assessments.confidentiality ?? '',
            personalInformation: e.assessments.personalInformation ?? '',
          });
          setAssessOpen(true);
        }}
      >
        {e.assessments.assessedAt ? t('catalogFlow.reassess') : t('catalogFlow.assess')}
      </Button>
    ) : null,
    editable && can('catalog.approve') && own ? (
      <Popconfirm
        key="approve"
        title={t('catalogFlow.approveConfirm')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        onConfirm={() => run('approve', 'approve', 'catalogFlow.approved')}
      >
        <Button
          icon={<CheckOutlined />}
          loading={busy === 'approve'}
          disabled={!e.assessments.assessedAt}
          data-testid="flow-approve"
        >
          {t('catalogFlow.approve')}
        </Button>
      </Popconfirm>
    ) : null,
    editable && canWrite ? (
      <Popconfirm
        key="submit"
        title={t('catalogFlow.submitConfirm')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        onConfirm={() => run('submit', 'submit', 'catalogFlow.submitted')}
      >
        <Button type="primary" icon={<SendOutlined />} loading={busy === 'submit'} data-testid="flow-submit">
          {t('catalogFlow.submit')}
        </Button>
      </Popconfirm>
    ) : null,
    e.status === 'submitted' && platform ? (
      <Popconfirm
        key="publish"
        title={t('catalogFlow.publishConfirm')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        onConfirm={() => run('publish', 'publish', 'catalogFlow.published')}
      >
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={busy === 'publish'}
          data-testid="flow-publish"
        >
          {t('catalogFlow.publish')}
        </Button>
      </Popconfirm>
    ) : null,
    e.status === 'submitted' && platform ? (
      <Button
        key="return"
        danger
        icon={<RollbackOutlined />}
        onClick={() => setReasonKind('return')}
        data-testid="flow-return"
      >
        {t('catalogFlow.return')}
      </Button>
    ) : null,
    e.status === 'published' && !e.revisionOf && canWrite ? (
      <Button
        key="revise"
        icon={<EditOutlined />}
        loading={busy === 'revise'}
        onClick={() => void revise()}
        data-testid="flow-revise"
      >
        {t('catalogFlow.revise')}
      </Button>
    ) : null,
    e.status === 'published' && !e.revisionOf && can('catalog.withdraw') && own ? (
      <Button
        key="withdraw"
        danger
        icon={<StopOutlined />}
        onClick={() => setReasonKind('withdraw')}
        data-testid="flow-withdraw"
      >
        {t('catalogFlow.withdraw')}
      </Button>
    ) : null,
    editable && canWrite && (e.version === 0 || e.revisionOf) ? (
      <Popconfirm
        key="delete"
        title={t('catalogFlow.deleteConfirm')}
        okText={t('common.confirm')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        onConfirm={() => remove()}
      >
        <Button
          danger
          type="text"
          icon={<DeleteOutlined />}
          loading={busy === 'delete'}
          data-testid="flow-delete"
        >
          {t('catalogFlow.delete')}
        </Button>
      </Popconfirm>
    ) : null,
  ].filter(Boolean);

  if (e.status === 'published' && actions.length === 0 && !e.revisionOf) return null;

  return (
    <Card title={t('catalogFlow.title')} style={{ marginBottom: 16 }} data-testid="entry-workflow">
      {e.status === 'returned' && e.returnedReason ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('catalogFlow.returnedReason')}
          description={e.returnedReason}
          data-testid="returned-reason"
        />
      ) : null}
      {e.status === 'withdrawn' && e.withdrawnReason ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('catalogFlow.withdrawnReason')}
          description={e.withdrawnReason}
        />
      ) : null}
      {e.status !== 'withdrawn' && e.status !== 'published' ? (
        <Steps
          size="small"
          current={stepOf(e)}
          style={{ marginBottom: 16 }}
          status={e.status === 'returned' ? 'error' : e.status === 'published' ? 'finish' : 'process'}
          items={[
            { title: t('catalogFlow.step.compile') },
            { title: t('catalogFlow.step.assess') },
            { title: t('catalogFlow.step.approve') },
            {
              title: e.status === 'returned' ? t('catalogFlow.step.returned') : t('catalogFlow.step.review'),
            },
            { title: t('catalogFlow.step.publish') },
          ]}
        />
      ) : null}
      {error ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          closable
          onClose={() => setError(null)}
          message={error}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      {actions.length ? (
        <Space wrap>{actions}</Space>
      ) : (
        <Typography.Text type="secondary">{t('catalogFlow.nothingToDo')}</Typography.Text>
      )}

      <Modal
        open={assessOpen}
        title={t('catalogFlow.assessTitle')}
        okText={t('catalogFlow.assessSave')}
        cancelText={t('common.cancel')}
        confirmLoading={busy === 'assess'}
        onOk={() => assessForm.submit()}
        onCancel={() => setAssessOpen(false)}
        forceRender
      >
        <Form form={assessForm} layout="vertical" onFinish={saveAssessments}>
          <Form.Item
            name="confidentiality"
            label={t('entry.f.confidentiality')}
            rules={[{ required: true, whitespace: true, message: t('catalogFlow.assessRequired') }]}
          >
            <Input.TextArea
              rows={3}
              maxLength={4000}
              placeholder={t('catalogFlow.confidentialityHint')}
              data-testid="assess-confidentiality"
            />
          </Form.Item>
          <Form.Item
            name="personalInformation"
            label={t('entry.f.personalInformation')}
            rules={[{ required: true, whitespace: true, message: t('catalogFlow.assessRequired') }]}
          >
            <Input.TextArea
              rows={3}
              maxLength={4000}
              placeholder={t('catalogFlow.piHint')}
              data-testid="assess-pi"
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={reasonKind !== null}
        title={reasonKind === 'withdraw' ? t('catalogFlow.withdrawTitle') : t('catalogFlow.returnTitle')}
        okText={reasonKind === 'withdraw' ? t('catalogFlow.withdraw') : t('catalogFlow.return')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        confirmLoading={busy === reasonKind}
        onOk={() => reasonForm.submit()}
        onCancel={() => setReasonKind(null)}
        forceRender
      >
        <Typography.Paragraph type="secondary">
          {reasonKind === 'withdraw' ? t('catalogFlow.withdrawWarn') : t('catalogFlow.returnWarn')}
        </Typography.Paragraph>
        <Form form={reasonForm} layout="vertical" onFinish={saveReason}>
          <Form.Item
            name="reason"
            label={t('catalogFlow.reason')}
            rules={[{ required: true, whitespace: true, message: t('catalogFlow.reasonRequired') }]}
          >
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="reason-input" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
