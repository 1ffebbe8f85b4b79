/**
 * 工作日历: a year at a glance — holidays, adjusted working days (调休上班), days set by hand — with the
 * year's source and a warning when the year is not (or only provisionally) known. The platform office
 * corrects one day (with the reason) and loads a year's official schedule: paste or upload it, see
 * every day it would change (the server's preview), then confirm.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, api, applyProblemToForm, type FieldProblem } from '../../api';
import { EmptyState, ErrorAlert, errorText, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { formProblem } from './formProblem';
import { type ParsedSchedule, parseSchedule } from './schedule';
import type { CalendarDay, CalendarRange, CalendarYears, YearLoad, YearPreview } from './types';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const MONTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;

function dayClass(d: CalendarDay): string {
  if (!d.known) return 'unknown';
  const weekend = d.weekday >= 6;
  if (d.isWorkday) return weekend ? 'adjusted' : 'work';
  return d.name ? 'holiday' : 'off';
}

const COLORS: Record<string, { background: string; color: string }> = {
  work: { background: '#fff', color: 'rgba(0,0,0,0.88)' },
  off: { background: '#f5f5f5', color: 'rgba(0,0,0,0.45)' },
  holiday: { background: '#fff1f0', color: '#cf1322' },
  adjusted: { background: '#fff7e6', color: '#d46b08' },
  unknown: { background: '#fafafa', color: 'rgba(0,0,0,0.25)' },
};

export default function CalendarPage() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || dayjs().year();
  const [editing, setEditing] = useState<CalendarDay | null>(null);
  const [loading, setLoading] = useState(false);
  const mayWrite = can('calendar.write');

  const years = useQuery({
    queryKey: ['calendar', 'years'],
    queryFn: ({ signal }) => api.get<CalendarYears>('/calendar/years', undefined, signal),
  });
  const days = useQuery({
    queryKey: ['calendar', 'days', year],
    queryFn: ({ signal }) =>
      api.get<CalendarRange>('/calendar', { from: `${year}-01-01`, to: `${year}-12-31` }, signal),
  });
  const info = years.data?.items.find((y) => y.year === year);
  const yearOptions = useMemo(() => {
    const set = new Set((years.data?.items ?? []).map((y) => y.year));
    for (let y = dayjs().year() - 1; y <= dayjs().year() + 2; y++) set.add(y);
    return [...set].sort((a, b) => b - a).map((y) => ({ value: y, label: t('people.cal.yearN', { n: y }) }));
  }, [years.data, t]);

  const special = (days.data?.days ?? []).filter((d) => d.known && (d.name || d.source === 'override'));

  return (
    <>
      <PageTitle
        title={t('people.cal.title')}
        extra={
          mayWrite ? (
            <Button type="primary" onClick={() => setLoading(true)}>
              {t('people.cal.load')}
            </Button>
          ) : null
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap align="center">
          <Select
            aria-label={t('people.cal.year')}
            value={year}
            options={yearOptions}
            onChange={(y: number) => setParams({ year: String(y) })}
            style={{ width: 120 }}
          />
          {info ? (
            <Space size={4} wrap>
              <Tag
                color={info.source === 'official' ? 'blue' : info.source === 'package' ? 'green' : 'orange'}
              >
                {t(`people.cal.source.${info.source}`)}
              </Tag>
              <Typography.Text type="secondary">
                {t('people.cal.yearInfo', {
                  document: info.document || '—',
                  workdays: info.workdays,
                  overrides: info.overrides,
                  at: formatDateTime(info.loadedAt),
                })}
              </Typography.Text>
            </Space>
          ) : null}
        </Space>
        <div style={{ marginTop: 8 }}>
          <Space size={12} wrap>
            {(['work', 'off', 'holiday', 'adjusted', 'unknown'] as const).map((k) => (
              <Space key={k} size={4}>
                <span
                  style={{
                    display: 'inline-block',
                    width: 14,
                    height: 14,
                    border: '1px solid #d9d9d9',
                    ...COLORS[k],
                  }}
                />
                <Typography.Text style={{ fontSize: 12 }}>{t(`people.cal.legend.${k}`)}</Typography.Text>
              </Space>
            ))}
            <Space size={4}>
              <span style={{ display: 'inline-block', width: 14, height: 14, border: '2px solid #1677ff' }} />
              <Typography.Text style={{ fontSize: 12 }}>{t('people.cal.legend.override')}</Typography.Text>
            </Space>
          </Space>
        </div>
      </Card>
      {!years.isPending && !info ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          message={t('people.cal.unknownYear', { year })}
          description={t('people.cal.unknownYearHint')}
        />
      ) : info?.source === 'statutory' ? (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          message={t('people.cal.provisional', { year })}
          description={t('people.cal.provisionalHint')}
        />
      ) : null}
      {days.isError ? <ErrorAlert error={days.error} onRetry={() => void days.refetch()} /> : null}
      {days.isPending ? (
        <Loading />
      ) : days.data ? (
        <Row gutter={[12, 12]}>
          {MONTHS.map((m) => (
            <Col key={m} xs={24} sm={12} lg={8} xxl={6}>
              <Month year={year} month={m} days={days.data.days} onPick={mayWrite ? setEditing : undefined} />
            </Col>
          ))}
        </Row>
      ) : null}
      <Card title={t('people.cal.special', { year })} size="small" style={{ marginTop: 16 }}>
        <Table<CalendarDay>
          rowKey="day"
          size="small"
          dataSource={special}
          pagination={{ pageSize: 15, hideOnSinglePage: true }}
          columns={[
            { title: t('people.cal.day'), dataIndex: 'day' },
            {
              title: t('people.cal.weekday'),
              dataIndex: 'weekday',
              render: (w: number) => t(`people.cal.wd.${w}` as 'people.cal.wd.1'),
            },
            {
              title: t('people.cal.kind'),
              key: 'kind',
              render: (_: unknown, d) => (
                <Tag color={d.isWorkday ? 'orange' : 'red'}>
                  {d.isWorkday ? t('people.cal.workday') : t('people.cal.dayOff')}
                </Tag>
              ),
            },
            { title: t('people.cal.name'), dataIndex: 'name', render: (v: string) => v || '—' },
            {
              title: t('people.cal.sourceCol'),
              dataIndex: 'source',
              render: (s: CalendarDay['source']) => (s ? t(`people.cal.daySource.${s}`) : '—'),
            },
            { title: t('people.cal.note'), dataIndex: 'note', render: (v: string) => v || '—' },
          ]}
          locale={{ emptyText: <EmptyState message={t('people.cal.noSpecial')} /> }}
        />
      </Card>
      {editing ? <DayEditor day={editing} onClose={() => setEditing(null)} /> : null}
      {loading ? (
        <ScheduleLoader
          defaultYear={info ? year + (info.source === 'statutory' ? 0 : 1) : year}
          onClose={() => setLoading(false)}
          lang={lang}
        />
      ) : null}
    </>
  );
}

function Month({
  year,
  month,
  days,
  onPick,
}: {
  year: number;
  month: number;
  days: CalendarDay[];
  onPick: ((d: CalendarDay) => void) | undefined;
}) {
  const { t } = useI18n();
  const prefix = `${year}-${String(month + 1).padStart(2, '0')}-`;
  const mine = days.filter((d) => d.day.startsWith(prefix));
  const lead = (mine[0]?.weekday ?? 1) - 1;
  return (
    <Card
      size="small"
      title={t('people.cal.month', { year, month: month + 1 })}
      styles={{ body: { padding: 8 } }}
    >
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2, fontSize: 12 }}>
        {WEEKDAYS.map((w) => (
          <div key={w} style={{ textAlign: 'center', color: 'rgba(0,0,0,0.45)' }}>
            {t(`people.cal.wds.${w}`)}
          </div>
        ))}
        {Array.from({ length: lead }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: fixed blank cells before the first day
          <div key={`blank-${i}`} />
        ))}
        {mine.map((d) => {
          const cls = dayClass(d);
          const label = [
            d.day,
            d.known
              ? d.isWorkday
                ? t('people.cal.workday')
                : t('people.cal.dayOff')
              : t('people.cal.legend.unknown'),
            d.name,
            d.note,
          ]
            .filter(Boolean)
            .join(' · ');
          const cell = (
            <button
              type="button"
              aria-label={label}
              data-day={d.day}
              disabled={!onPick}
              onClick={() => onPick?.(d)}
              style={{
                ...COLORS[cls],
                border: d.source === 'override' ? '2px solid #1677ff' : '1px solid #f0f0f0',
                borderRadius: 4,
                height: 34,
                padding: 0,
                cursor: onPick ? 'pointer' : 'default',
                lineHeight: 1.1,
                width: '100%',
              }}
            >
              <div>{Number(d.day.slice(8))}</div>
              <div style={{ fontSize: 10, overflow: 'hidden', whiteSpace: 'nowrap' }}>
                {cls === 'holiday' ? t('people.cal.off') : cls === 'adjusted' ? t('people.cal.on') : '\u00a0'}
              </div>
            </button>
          );
          return (
            <Tooltip key={d.day} title={label}>
              {cell}
            </Tooltip>
          );
        })}
      </div>
    </Card>
  );
}

interface DayForm {
  isWorkday: boolean;
  name?: string;
  note: string;
}

function DayEditor({ day, onClose }: { day: CalendarDay; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<DayForm>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const save = async (v: DayForm) => {
    setSaving(true);
    setProblem(null);
    try {
      await api.put<CalendarDay>(`/calendar/days/${day.day}`, {
        isWorkday: v.isWorkday,
        ...(v.name ? { name: v.name } : {}),
        note: v.note,
      });
      await qc.invalidateQueries({ queryKey: ['calendar'] });
      void message.success(t('people.cal.daySaved', { day: day.day }));
      onClose();
    } catch (err) {
      const r = formProblem(form, err, lang);
      setProblem(r ? [r.message, ...r.details].join('；') : null);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('people.cal.correct', { day: day.day })}
      okText={t('people.cal.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('people.cal.now')}>
          {day.known
            ? day.isWorkday
              ? t('people.cal.workday')
              : t('people.cal.dayOff')
            : t('people.cal.legend.unknown')}
          {day.name ? ` · ${day.name}` : ''}
          {day.source ? ` · ${t(`people.cal.daySource.${day.source}`)}` : ''}
        </Descriptions.Item>
      </Descriptions>
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} /> : null}
      <Form<DayForm>
        form={form}
        layout="vertical"
        initialValues={{ isWorkday: !(day.isWorkday ?? true), name: day.name }}
        onFinish={(v) => void save(v)}
      >
        <Form.Item name="isWorkday" label={t('people.cal.setAs')} rules={[{ required: true }]}>
          <Radio.Group>
            <Radio value={true}>{t('people.cal.workday')}</Radio>
            <Radio value={false}>{t('people.cal.dayOff')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="name" label={t('people.cal.name')}>
          <Input maxLength={100} placeholder={t('people.cal.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('people.cal.reason')}
          rules={[{ required: true, whitespace: true, message: t('people.cal.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} placeholder={t('people.cal.reasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface LoadForm {
  year: number;
  document: string;
  text: string;
  replaceOverrides: boolean;
}

function ScheduleLoader({
  defaultYear,
  onClose,
  lang,
}: {
  defaultYear: number;
  onClose: () => void;
  lang: 'zh-CN' | 'en';
}) {
  const { t } = useI18n();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<LoadForm>();
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<{
    body: ParsedSchedule['body'];
    year: number;
    result: YearPreview;
  } | null>(null);
  const [problem, setProblem] = useState<{ message: string; unmatched: FieldProblem[] } | null>(null);

  const check = async (v: LoadForm) => {
    const parsed = parseSchedule(v.text);
    if (parsed.errors.length > 0) {
      form.setFields([
        {
          name: 'text',
          errors: parsed.errors.map((e) => t('people.cal.parseError', { line: e.line, text: e.text })),
        },
      ]);
      return;
    }
    const body = { ...parsed.body, document: v.document, replaceOverrides: v.replaceOverrides };
    setBusy(true);
    setProblem(null);
    try {
      const result = await api.post<YearPreview>(`/calendar/years/${v.year}/preview`, body);
      setPreview({ body, year: v.year, result });
    } catch (err) {
      const r = applyProblemToForm(form, err, lang);
      // Problems of one holiday or working day name the pasted line they came from.
      const lines = r.unmatched.map((p) => {
        const line = parsed.lineOf(p.field);
        const text = lang === 'en' ? p.en : p.zh;
        return line ? t('people.cal.lineProblem', { line, text }) : text;
      });
      if (lines.length > 0) form.setFields([{ name: 'text', errors: lines }]);
      // An error no control can show (not a field problem) goes above the form.
      if (!(err instanceof ApiError) || err.problem.fields.length === 0)
        setProblem({ message: r.message, unmatched: [] });
    } finally {
      setBusy(false);
    }
  };

  const load = () => {
    if (!preview) return;
    modal.confirm({
      title: t('people.cal.loadConfirm', { year: preview.year }),
      content: t('people.cal.loadConfirmText', {
        changes: preview.result.changes.length,
        kept: preview.result.keptOverrides.length,
        replaced: preview.result.replacedOverrides.length,
      }),
      okText: t('people.cal.loadOk'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const r = await api.put<YearLoad>(`/calendar/years/${preview.year}`, preview.body);
          await qc.invalidateQueries({ queryKey: ['calendar'] });
          void message.success(t('people.cal.loaded', { year: r.year.year, workdays: r.year.workdays }));
          onClose();
        } catch (err) {
          setPreview(null);
          setProblem({ message: errorText(err, lang, t('common.unexpected')), unmatched: [] });
        }
      },
    });
  };

  return (
    <Modal
      open
      width={760}
      title={t('people.cal.loadTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        preview ? (
          <Space>
            <Button onClick={() => setPreview(null)}>{t('people.cal.back')}</Button>
            <Button type="primary" onClick={load}>
              {t('people.cal.loadOk')}
            </Button>
          </Space>
        ) : (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()}>
              {t('people.cal.previewBtn')}
            </Button>
          </Space>
        )
      }
    >
      {problem ? (
        <Alert type="error" showIcon role="alert" message={problem.message} style={{ marginBottom: 12 }} />
      ) : null}
      <div style={{ display: preview ? 'none' : 'block' }}>
        <Form<LoadForm>
          form={form}
          layout="vertical"
          initialValues={{ year: defaultYear, replaceOverrides: false, text: '' }}
          onFinish={(v) => void check(v)}
        >
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="year" label={t('people.cal.year')} rules={[{ required: true }]}>
                <InputNumber min={1949} max={2199} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item
                name="document"
                label={t('people.cal.document')}
                rules={[{ required: true, whitespace: true, message: t('people.cal.documentRequired') }]}
              >
                <Input maxLength={200} placeholder={t('people.cal.documentPlaceholder')} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="text"
            label={t('people.cal.scheduleText')}
            extra={t('people.cal.scheduleHint')}
            rules={[{ required: true, whitespace: true, message: t('people.cal.scheduleRequired') }]}
          >
            <Input.TextArea rows={8} placeholder={t('people.cal.schedulePlaceholder')} spellCheck={false} />
          </Form.Item>
          <Space style={{ marginBottom: 12 }}>
            <Upload
              accept=".txt,.json,.csv"
              showUploadList={false}
              beforeUpload={(file) => {
                void file.text().then((text) => form.setFieldsValue({ text }));
                return false;
              }}
            >
              <Button>{t('people.cal.upload')}</Button>
            </Upload>
          </Space>
          <Form.Item name="replaceOverrides" valuePropName="checked">
            <Checkbox>{t('people.cal.replaceOverrides')}</Checkbox>
          </Form.Item>
        </Form>
      </div>
      {preview ? <PreviewView preview={preview.result} /> : null}
    </Modal>
  );
}

function PreviewView({ preview }: { preview: YearPreview }) {
  const { t } = useI18n();
  const state = (s: { isWorkday: boolean; name: string } | null) =>
    s
      ? `${s.isWorkday ? t('people.cal.workday') : t('people.cal.dayOff')}${s.name ? ` · ${s.name}` : ''}`
      : t('people.cal.legend.unknown');
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message={t('people.cal.previewSummary', {
          year: preview.year,
          changes: preview.changes.length,
          workdays: preview.workdays,
        })}
        description={
          preview.keptOverrides.length + preview.replacedOverrides.length > 0
            ? t('people.cal.previewOverrides', {
                kept: preview.keptOverrides.join('、') || '—',
                replaced: preview.replacedOverrides.join('、') || '—',
              })
            : undefined
        }
      />
      <Table
        rowKey="day"
        size="small"
        dataSource={preview.changes}
        pagination={{
          pageSize: 10,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        columns={[
          { title: t('people.cal.day'), dataIndex: 'day' },
          {
            title: t('people.cal.before'),
            key: 'before',
            render: (_: unknown, c: YearPreview['changes'][number]) => state(c.before),
          },
          {
            title: t('people.cal.after'),
            key: 'after',
            render: (_: unknown, c: YearPreview['changes'][number]) => (
              <Typography.Text strong>{state(c.after)}</Typography.Text>
            ),
          },
        ]}
        locale={{ emptyText: <EmptyState message={t('people.cal.noChanges')} /> }}
      />
    </>
  );
}
