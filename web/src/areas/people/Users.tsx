/**
 * 用户与角色: users paged and filtered on the server (organization, role, enabled, text), a new user
 * with the password rules and every field problem in place, a change of role, disable/enable with a
 * confirmation. A department administrator sees and manages only its own organization (the server
 * decides). Password hashes never leave the server; the list has no such field.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api';
import { EmptyState, ErrorAlert, errorText } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { useMe } from '../../session';
import type { Page } from '../../types';
import { type FormProblem, formProblem } from './formProblem';
import { ROLES, type UserRow } from './types';

type Role = (typeof ROLES)[number];
const DEPT_ROLES: readonly Role[] = ['dept_admin', 'data_officer', 'tech_officer'];

export default function Users() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const orgs = useOrgDirectory();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const isOffice = me?.user.role === 'platform_admin';

  const filter = {
    orgId: params.get('orgId') ?? undefined,
    role: params.get('role') ?? undefined,
    q: params.get('q') ?? undefined,
    disabled: params.get('disabled') ?? undefined,
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize: Number(params.get('pageSize')) || 20,
  };
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };

  const users = useQuery({
    queryKey: ['users', filter],
    queryFn: ({ signal }) => api.get<Page<UserRow>>('/users', filter, signal),
    placeholderData: keepPreviousData,
  });

  const orgLabel = (id: string) => orgName(orgs.data?.get(id), lang, id);
  const orgOptions = [...(orgs.data?.values() ?? [])].map((o) => ({
    value: o.id,
    label: lang === 'en' ? (o.nameEn ?? o.shortName) : o.shortName,
  }));
  const grantable = isOffice ? ROLES : DEPT_ROLES;

  const patch = async (u: UserRow, body: Record<string, unknown>, done: string) => {
    setBusy(u.id);
    try {
      await api.patch<UserRow>(`/users/${u.id}`, body);
      await qc.invalidateQueries({ queryKey: ['users'] });
      void message.success(done);
    } catch (err) {
      void message.error(errorText(err, lang, t('common.unexpected')));
    } finally {
      setBusy(null);
    }
  };

  const changeRole = (u: UserRow, role: Role) => {
    modal.confirm({
      title: t('people.users.roleConfirm'),
      content: t('people.users.roleConfirmText', {
        user: u.displayName,
        from: t(`role.${u.role}`),
        to: t(`role.${role}`),
      }),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      onOk: () => patch(u, { role }, t('people.users.roleChanged')),
    });
  };

  const toggle = (u: UserRow) => {
    modal.confirm({
      title: u.disabled ? t('people.users.enableConfirm') : t('people.users.disableConfirm'),
      content: u.disabled
        ? t('people.users.enableText', { user: u.displayName })
        : t('people.users.disableText', { user: u.displayName }),
      okText: u.disabled ? t('people.users.enable') : t('people.users.disable'),
      okButtonProps: { danger: !u.disabled },
      cancelText: t('common.cancel'),
      onOk: () =>
        patch(
          u,
          { disabled: !u.disabled },
          u.disabled ? t('people.users.enabled') : t('people.users.disabled'),
        ),
    });
  };

  const columns: ColumnsType<UserRow> = [
    { title: t('people.users.username'), dataIndex: 'username' },
    { title: t('people.users.displayName'), dataIndex: 'displayName' },
    { title: t('people.users.org'), dataIndex: 'orgId', render: orgLabel },
    {
      title: t('people.users.role'),
      dataIndex: 'role',
      render: (role: Role, u) =>
        me?.user.id === u.id ? (
          t(`role.${role}`)
        ) : (
          <Select<Role>
            size="small"
            aria-label={t('people.users.roleOf', { user: u.username })}
            value={role}
            style={{ minWidth: 140 }}
            disabled={busy === u.id || (!isOffice && !DEPT_ROLES.includes(role))}
            options={(grantable.includes(role) ? grantable : [role, ...grantable]).map((r) => ({
              value: r,
              label: t(`role.${r}`),
            }))}
            onChange={(r) => changeRole(u, r)}
          />
        ),
    },
    {
      title: t('people.users.status'),
      key: 'status',
      render: (_: unknown, u) =>
        u.disabled ? (
          <Tag>{t('people.users.statusDisabled')}</Tag>
        ) : u.lockedUntil && new Date(u.lockedUntil) > new Date() ? (
          <Tag color="orange">{t('people.users.statusLocked', { until: formatDateTime(u.lockedUntil) })}</Tag>
        ) : (
          <Tag color="green">{t('people.users.statusActive')}</Tag>
        ),
    },
    { title: t('people.users.lastLogin'), dataIndex: 'lastLoginAt', render: formatDateTime },
    {
      title: t('people.users.actions'),
      key: 'actions',
      render: (_: unknown, u) =>
        me?.user.id === u.id ? (
          <Typography.Text type="secondary">{t('people.users.self')}</Typography.Text>
        ) : (
          <Space>
            <Button size="small" danger={!u.disabled} loading={busy === u.id} onClick={() => toggle(u)}>
              {u.disabled ? t('people.users.enable') : t('people.users.disable')}
            </Button>
            {u.lockedUntil && new Date(u.lockedUntil) > new Date() ? (
              <Button
                size="small"
                onClick={() => void patch(u, { unlock: true }, t('people.users.unlocked'))}
              >
                {t('people.users.unlock')}
              </Button>
            ) : null}
          </Space>
        ),
    },
  ];

  const filtered = Boolean(filter.orgId || filter.role || filter.q || filter.disabled);

  return (
    <>
      <PageTitle
        title={t('people.users.title')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('people.users.create')}
          </Button>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap>
          <Input.Search
            key={filter.q ?? ''}
            allowClear
            aria-label={t('people.users.search')}
            placeholder={t('people.users.search')}
            defaultValue={filter.q}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            style={{ width: 240 }}
          />
          {isOffice ? (
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              aria-label={t('people.users.filterOrg')}
              placeholder={t('people.users.filterOrg')}
              value={filter.orgId}
              options={orgOptions}
              onChange={(v: string | undefined) => set({ orgId: v })}
              style={{ width: 220 }}
            />
          ) : null}
          <Select
            allowClear
            aria-label={t('people.users.filterRole')}
            placeholder={t('people.users.filterRole')}
            value={filter.role}
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={(v: string | undefined) => set({ role: v })}
            style={{ width: 180 }}
          />
          <Select
            allowClear
            aria-label={t('people.users.filterStatus')}
            placeholder={t('people.users.filterStatus')}
            value={filter.disabled}
            options={[
              { value: 'false', label: t('people.users.statusActive') },
              { value: 'true', label: t('people.users.statusDisabled') },
            ]}
            onChange={(v: string | undefined) => set({ disabled: v })}
            style={{ width: 140 }}
          />
        </Space>
      </Card>
      {users.isError ? <ErrorAlert error={users.error} onRetry={() => void users.refetch()} /> : null}
      <Table<UserRow>
        rowKey="id"
        size="middle"
        loading={users.isFetching}
        columns={columns}
        dataSource={users.data?.items ?? []}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: users.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (page, pageSize) => set({ page: String(page), pageSize: String(pageSize) }),
        }}
        locale={{
          emptyText: (
            <EmptyState
              message={filtered ? t('people.users.noMatch') : t('people.users.empty')}
              hint={filtered ? t('people.users.noMatchHint') : t('people.users.emptyHint')}
            />
          ),
        }}
      />
      {creating ? (
        <CreateUser
          defaultOrg={isOffice ? undefined : me?.activeOrgId}
          orgOptions={isOffice ? orgOptions : orgOptions.filter((o) => o.value === me?.activeOrgId)}
          roles={grantable}
          onClose={() => setCreating(false)}
        />
      ) : null}
    </>
  );
}

interface CreateForm {
  orgId: string;
  username: string;
  displayName: string;
  role: Role;
  password: string;
  confirm: string;
}

function CreateUser({
  defaultOrg,
  orgOptions,
  roles,
  onClose,
}: {
  defaultOrg: string | undefined;
  orgOptions: { value: string; label: string }[];
  roles: readonly Role[];
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<CreateForm>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);

  const save = async ({ confirm: _confirm, ...body }: CreateForm) => {
    setSaving(true);
    setProblem(null);
    try {
      const u = await api.post<UserRow>('/users', body);
      await qc.invalidateQueries({ queryKey: ['users'] });
      void message.success(t('people.users.created', { user: u.username }));
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
      title={t('people.users.create')}
      okText={t('people.users.createOk')}
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
          role="alert"
          style={{ marginBottom: 12 }}
          message={problem.message}
          description={problem.details.length > 0 ? problem.details.join('；') : undefined}
        />
      ) : null}
      <Form<CreateForm>
        form={form}
        layout="vertical"
        initialValues={{ orgId: defaultOrg, role: 'data_officer' }}
        onFinish={(v) => void save(v)}
      >
        <Form.Item
          name="orgId"
          label={t('people.users.org')}
          rules={[{ required: true, message: t('people.users.orgRequired') }]}
        >
          <Select showSearch optionFilterProp="label" options={orgOptions} />
        </Form.Item>
        <Form.Item
          name="username"
          label={t('people.users.username')}
          extra={t('people.users.usernameHint')}
          rules={[{ required: true, whitespace: true, message: t('people.users.usernameRequired') }]}
        >
          <Input autoComplete="off" maxLength={64} />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('people.users.displayName')}
          rules={[{ required: true, whitespace: true, message: t('people.users.displayNameRequired') }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="role" label={t('people.users.role')} rules={[{ required: true }]}>
          <Select options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('people.users.password')}
          extra={t('people.users.passwordRule')}
          rules={[{ required: true, message: t('people.users.passwordRequired') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('people.users.passwordConfirm')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('people.users.passwordConfirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_r, value) =>
                !value || getFieldValue('password') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('people.users.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
