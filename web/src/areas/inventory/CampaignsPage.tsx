/** 自查与核查: the self-check campaigns, paged on the server; the platform office opens one. */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, api, applyProblemToForm } from '../../api';
import { EmptyState, ErrorAlert, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDate } from '../../format';
import { useI18n } from '../../i18n';
import { orgName, useOrgDirectory } from '../../lookups';
import { useSession } from '../../session';
import type { Campaign, CampaignPage } from './types';

interface OpenValues {
  title: string;
  note?: string;
  mode: 'days' | 'date';
  workingDays?: number;
  deadline?: Dayjs;
  financeOrgId?: string;
}

function OpenCampaign({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const dir = useOrgDirectory();
  const [form] = Form.useForm<OpenValues>();
  const mode = Form.useWatch('mode', form);
  const [alert, setAlert] = useState<string | null>(null);
  const finance = [...(dir.data?.values() ?? [])].find((o) => o.shortName === '市财政局');
  const save = useMutation({
    mutationFn: (v: OpenValues) =>
      api.post<Campaign>('/inventory/campaigns', {
        title: v.title,
        note: v.note ?? '',
        workingDays: v.mode === 'days' ? (v.workingDays ?? null) : null,
        deadline: v.mode === 'date' && v.deadline ? v.deadline.format('YYYY-MM-DD') : null,
        financeOrgId: v.financeOrgId ?? null,
      }),
    onSuccess: async (c) => {
      void message.success(t('inventory.campaign.opened'));
      await queryClient.invalidateQueries({ queryKey: ['inventory', 'campaigns'] });
      onClose();
      void navigate(`/inventory/campaigns/${c.id}`);
    },
    onError: (err) => {
      const { message: m, unmatched } = applyProblemToForm(form, err, lang);
      setAlert(err instanceof ApiError && err.problem.fields.length > 0 && unmatched.length === 0 ? null : m);
    },
  });
  return (
    <Modal
      open={open}
      title={t('inventory.campaigns.open')}
      okText={t('inventory.campaigns.open')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={620}
    >
      {alert ? <Alert type="error" showIcon message={alert} style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ mode: 'days', workingDays: 15, financeOrgId: finance?.id }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          name="title"
          label={t('inventory.campaign.title')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('inventory.field.required', { label: t('inventory.campaign.title') }),
            },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="note" label={t('inventory.campaign.note')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="mode" label={t('inventory.campaign.deadlineMode')}>
          <Radio.Group
            options={[
              { value: 'days', label: t('inventory.campaign.byDays') },
              { value: 'date', label: t('inventory.campaign.byDate') },
            ]}
          />
        </Form.Item>
        {mode === 'date' ? (
          <Form.Item
            name="deadline"
            label={t('inventory.campaign.deadline')}
            rules={[
              {
                required: true,
                message: t('inventory.field.required', { label: t('inventory.campaign.deadline') }),
              },
            ]}
          >
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) => d.isBefore(dayjs().add(1, 'day'), 'day')}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="workingDays"
            label={t('inventory.campaign.workingDays')}
            rules={[
              {
                required: true,
                message: t('inventory.field.required', { label: t('inventory.campaign.workingDays') }),
              },
            ]}
          >
            <InputNumber min={1} max={120} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item
          name="financeOrgId"
          label={t('inventory.campaign.financeOrg')}
          extra={t('inventory.campaign.financeHelp')}
        >
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={[...(dir.data?.values() ?? [])]
              .filter((o) => o.kind !== 'platform_office')
              .map((o) => ({ value: o.id, label: orgName(o, lang) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function CampaignsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [page, setPage] = useState(1);
  const [opening, setOpening] = useState(false);
  const list = useQuery({
    queryKey: ['inventory', 'campaigns', page],
    queryFn: ({ signal }) => api.get<CampaignPage>('/inventory/campaigns', { page, pageSize: 10 }, signal),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnsType<Campaign> = [
    {
      title: t('inventory.campaign.title'),
      dataIndex: 'title',
      render: (title: string, c) => <Link to={`/inventory/campaigns/${c.id}`}>{title}</Link>,
    },
    { title: t('inventory.campaign.openedOn'), dataIndex: 'openedOn', render: formatDate },
    {
      title: t('inventory.campaign.deadline'),
      dataIndex: 'deadline',
      render: (d: string, c) =>
        c.workingDays
          ? t('inventory.campaign.deadlineDays', { date: formatDate(d), n: c.workingDays })
          : formatDate(d),
    },
    {
      title: t('inventory.campaign.status'),
      dataIndex: 'status',
      render: (s: Campaign['status']) => (
        <Tag color={s === 'open' ? 'blue' : 'default'}>{t(`inventory.campaign.status.${s}`)}</Tag>
      ),
    },
    {
      title: t('inventory.campaign.reports'),
      key: 'progress',
      render: (_: unknown, c) =>
        t('inventory.campaigns.progress', {
          submitted: c.submitted,
          reports: c.reports,
          verified: c.verified,
        }),
    },
  ];
  return (
    <>
      <PageTitle
        title={t('inventory.campaigns.title')}
        sub={<Typography.Text type="secondary">{t('inventory.campaigns.sub')}</Typography.Text>}
        extra={
          can('inventory.campaign.manage') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)}>
              {t('inventory.campaigns.open')}
            </Button>
          ) : null
        }
      />
      <Card size="small">
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table
            rowKey="id"
            data-testid="campaigns-table"
            loading={list.isFetching}
            columns={columns}
            dataSource={list.data?.items ?? []}
            locale={{
              emptyText: list.isPending ? (
                <Loading />
              ) : (
                <EmptyState
                  message={t('inventory.campaigns.empty')}
                  hint={t('inventory.campaigns.emptyHint')}
                />
              ),
            }}
            pagination={{
              current: page,
              pageSize: 10,
              total: list.data?.total ?? 0,
              showTotal: (total) => t('common.total', { total }),
              onChange: setPage,
            }}
          />
        )}
      </Card>
      <OpenCampaign open={opening} onClose={() => setOpening(false)} />
    </>
  );
}
