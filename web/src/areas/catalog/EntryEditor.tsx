/**
 * 目录编辑: a new entry, or a draft / returned one changed. Every element of the national guide with
 * the standard's pick-lists (from GET /catalog/value-sets), the data items table, the same rules the
 * server enforces checked as the officer types (validate.ts), and the server's own field errors put
 * under their controls when it refuses anyway.
 */
import { DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api, type FieldProblem } from '../../api';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { PageTitle } from '../../components/PageTitle';
import { type MessageKey, useI18n, type ValueSetName } from '../../i18n';
import { orgName, useOrgDirectory, useValueLabel, useValueSets } from '../../lookups';
import { useMe, useSession } from '../../session';
import type { Entry } from '../../types';
import type { EntryInput } from './types';
import { type EditorValues, fieldKey, type Problem, validateEditor } from './validate';

const CENSUS = [
  'storageGb',
  'recordCount',
  'sharedGb',
  'sharedRecords',
  'openedGb',
  'openedRecords',
] as const;
const EDITABLE = new Set(['draft', 'returned']);

/** A form rule that asks validate.ts (fits Form.Item and Form.List alike). */
interface CheckRule {
  validator: (rule: unknown, value: unknown) => Promise<void>;
}

/** The form's values of an existing entry. */
function valuesOf(e: Entry): EditorValues {
  return {
    classCode: e.classCode,
    className: e.className,
    name: e.name,
    providerOrgId: e.providerOrgId,
    providerUnit: e.providerUnit,
    summary: e.summary,
    formatCategory: e.formatCategory,
    formatType: e.formatType,
    shareType: e.shareType,
    shareConditionScope: e.shareConditionScope,
    shareConditionUse: e.shareConditionUse,
    notSharedBasisKind: e.notSharedBasisKind,
    notSharedBasis: e.notSharedBasis,
    shareModes: e.shareModes,
    openType: e.openType,
    openCondition: e.openCondition,
    updateCycle: e.updateCycle,
    relatedCodes: e.relatedCodes,
    sourceSystem: e.sourceSystem,
    basicLibrary: e.basicLibrary,
    classified: e.classified,
    dataCategory: e.dataCategory,
    dataGrade: e.dataGrade,
    census: { ...e.census },
    items: e.items.map((i) => ({
      name: i.name,
      dataType: i.dataType,
      length: i.length,
      description: i.description,
      collectingOrgId: i.collectingOrgId,
      sensitivity: i.sensitivity,
      masking: i.masking,
      standardElement: i.standardElement,
    })),
  };
}

const str = (v: string | null | undefined): string => (v ?? '').trim();

/** What the API receives: trimmed text, nulls where nothing was chosen, only the share type's fields. */
function inputOf(v: EditorValues): EntryInput {
  const census: NonNullable<EntryInput['census']> = {};
  for (const k of CENSUS) census[k] = v.census?.[k] ?? null;
  return {
    classCode: str(v.classCode),
    className: str(v.className),
    name: str(v.name),
    providerOrgId: v.providerOrgId ?? '',
    providerUnit: str(v.providerUnit),
    summary: str(v.summary),
    formatCategory: v.formatCategory ?? '',
    formatType: v.formatType ?? '',
    shareType: v.shareType ?? '',
    shareConditionScope: v.shareType === 'conditional' ? str(v.shareConditionScope) : '',
    shareConditionUse: v.shareType === 'conditional' ? str(v.shareConditionUse) : '',
    notSharedBasisKind: v.shareType === 'not_shared' ? (v.notSharedBasisKind ?? null) : null,
    notSharedBasis: v.shareType === 'not_shared' ? str(v.notSharedBasis) : '',
    shareModes: v.shareModes ?? [],
    openType: v.openType ?? '',
    openCondition: v.openType === 'authorized' ? str(v.openCondition) : '',
    updateCycle: v.updateCycle ?? '',
    relatedCodes: (v.relatedCodes ?? []).map((c) => c.trim()).filter(Boolean),
    sourceSystem: str(v.sourceSystem),
    basicLibrary: v.basicLibrary ?? null,
    classified: v.classified === true,
    dataCategory: str(v.dataCategory),
    dataGrade: v.dataGrade ?? '',
    census,
    items: (v.items ?? []).map((i) => ({
      name: str(i.name),
      dataType: i.dataType ?? '',
      length: i.length ?? null,
      description: str(i.description),
      collectingOrgId: i.collectingOrgId ?? null,
      sensitivity: i.sensitivity ?? 'internal',
      masking: i.masking ?? 'none',
      standardElement: str(i.standardElement) || null,
    })),
  };
}

/**
 * Puts the server's field problems under their controls ('shareModes[1]' goes to shareModes); what
 * no control takes is returned for the alert above the form.
 */
function applyServerProblems(
  form: FormInstance,
  problems: FieldProblem[],
  lang: 'zh-CN' | 'en',
): FieldProblem[] {
  const registered = new Set(form.getFieldsError().map((f) => fieldKey(f.name)));
  const errors = new Map<string, string[]>();
  const unmatched: FieldProblem[] = [];
  for (const p of problems) {
    let key = fieldKey(p.field);
    if (!registered.has(key)) key = key.replace(/\.\d+$/, '');
    if (!registered.has(key)) {
      unmatched.push(p);
      continue;
    }
    errors.set(key, [...(errors.get(key) ?? []), lang === 'en' ? p.en : p.zh]);
  }
  form.setFields(
    [...errors].map(([key, list]) => ({
      name: key.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
      errors: list,
    })),
  );
  return unmatched;
}

function useOptions() {
  const { data: sets } = useValueSets();
  const label = useValueLabel();
  return useCallback(
    (set: ValueSetName, only?: readonly string[]) => {
      const source = (sets?.[set as keyof typeof sets] ?? {}) as Record<string, string>;
      return Object.keys(source)
        .filter((k) => !only || only.includes(k))
        .map((k) => ({ value: k, label: label(set, k) }));
    },
    [sets, label],
  );
}

export default function EntryEditor() {
  const { id } = useParams();
  const editing = Boolean(id);
  const { t, lang } = useI18n();
  const me = useMe();
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EditorValues>();
  const sets = useValueSets();
  const orgs = useOrgDirectory();
  const label = useValueLabel();
  const options = useOptions();
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; unmatched: FieldProblem[] } | null>(null);
  const platform = can('catalog.review');

  const entry = useQuery({
    queryKey: ['catalog', 'entry', id],
    queryFn: ({ signal }) => api.get<Entry>(`/catalog/entries/${id}`, undefined, signal),
    enabled: editing,
  });

  const initial = useMemo<EditorValues | null>(() => {
    if (editing) return entry.data ? valuesOf(entry.data) : null;
    return {
      providerOrgId: me.activeOrgId,
      classCode: '3',
      shareType: 'unconditional',
      shareModes: [],
      openType: 'not_open',
      dataGrade: 'general',
      classified: false,
      relatedCodes: [],
      census: {},
      items: [],
    };
  }, [editing, entry.data, me.activeOrgId]);

  // The checks read the whole form each time, so a rule across fields (share type → conditions) is
  // judged the same way wherever it shows.
  const problemsAt = useCallback(
    (key: string): Problem[] =>
      validateEditor(form.getFieldsValue(true) as EditorValues, sets.data).filter(
        (p) => fieldKey(p.field) === key,
      ),
    [form, sets.data],
  );
  const rule = useCallback(
    (key: string): CheckRule => ({
      validator: () => {
        const found = problemsAt(key);
        if (found.length === 0) return Promise.resolve();
        return Promise.reject(new Error(found.map((p) => t(p.key, p.vars)).join('；')));
      },
    }),
    [problemsAt, t],
  );

  // A change of one field re-judges the fields whose rules depend on it, at once.
  const shareType = Form.useWatch('shareType', form);
  const formatCategory = Form.useWatch('formatCategory', form);
  const openType = Form.useWatch('openType', form);
  const classCode = Form.useWatch('classCode', form);
  const itemCount = (Form.useWatch('items', form) ?? []).length;
  const touched = useRef(false);
  const trigger = [shareType, formatCategory, openType, classCode, itemCount].join('|');
  useEffect(() => {
    if (!touched.current || !trigger) return;
    void form
      .validateFields(
        [
          'shareConditionScope',
          'shareConditionUse',
          'notSharedBasisKind',
          'notSharedBasis',
          'shareModes',
          'formatType',
          'openCondition',
          'basicLibrary',
          'items',
        ],
        { recursive: false },
      )
      .catch(() => undefined);
  }, [form, trigger]);

  if (editing && entry.isPending) return <Loading />;
  if (editing && entry.isError)
    return <ErrorAlert error={entry.error} onRetry={() => void entry.refetch()} />;
  if (sets.isError) return <ErrorAlert error={sets.error} onRetry={() => void sets.refetch()} />;
  if (!initial || sets.isPending) return <Loading />;
  if (editing && entry.data && !EDITABLE.has(entry.data.status)) {
    return (
      <Result
        status="warning"
        title={t('catalogEdit.notEditable')}
        subTitle={t('catalogEdit.notEditableHint', { status: label('statuses', entry.data.status) })}
        extra={<Button onClick={() => void navigate(`/catalog/entries/${id}`)}>{t('common.back')}</Button>}
      />
    );
  }

  const save = async (values: EditorValues) => {
    setSaving(true);
    setServerError(null);
    try {
      const body = inputOf({ ...form.getFieldsValue(true), ...values } as EditorValues);
      const saved = editing
        ? await api.put<Entry>(`/catalog/entries/${id}`, body)
        : await api.post<Entry>('/catalog/entries', body);
      queryClient.setQueryData(['catalog', 'entry', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['catalog'] });
      void navigate(`/catalog/entries/${saved.id}`, { state: { saved: true } });
    } catch (err) {
      if (err instanceof ApiError) {
        const unmatched = applyServerProblems(form, err.problem.fields, lang);
        setServerError({ message: err.text(lang), unmatched });
      } else {
        setServerError({ message: t('common.unexpected'), unmatched: [] });
      }
    } finally {
      setSaving(false);
    }
  };

  const orgOptions = [...(orgs.data?.values() ?? [])]
    .filter((o) => o.status === 'active' || o.id === initial.providerOrgId)
    .map((o) => ({ value: o.id, label: lang === 'en' ? orgName(o, lang) : o.name }));
  const sv = sets.data;
  const fitModes = formatCategory ? (sv.modesForFormat[formatCategory] ?? []) : [];
  const accepted = Array.isArray(sv.acceptedBasisKinds) ? (sv.acceptedBasisKinds as string[]) : [];
  const category = /^[123]/.test(classCode ?? '') ? (classCode ?? '').charAt(0) : undefined;

  const item = (
    name: string,
    key: MessageKey,
    control: ReactNode,
    extra?: Partial<{ help: ReactNode; span: number; required: boolean }>,
  ) => (
    <Col xs={24} md={extra?.span ?? 12}>
      <Form.Item
        name={name}
        label={t(key)}
        rules={[rule(name)]}
        required={extra?.required ?? false}
        {...(extra?.help ? { extra: extra.help } : {})}
      >
        {control}
      </Form.Item>
    </Col>
  );

  return (
    <div data-testid="entry-editor">
      <PageTitle
        title={
          editing ? t('catalogEdit.titleEdit', { name: entry.data?.name ?? '' }) : t('catalogEdit.titleNew')
        }
        sub={
          editing && entry.data ? (
            <Space wrap>
              <Typography.Text type="secondary">{entry.data.code}</Typography.Text>
              <Tag>{label('statuses', entry.data.status)}</Tag>
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('catalogEdit.newHint')}</Typography.Text>
          )
        }
      />
      {editing && entry.data?.returnedReason ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('catalogFlow.returnedReason')}
          description={entry.data.returnedReason}
          data-testid="returned-reason"
        />
      ) : null}
      {serverError ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          data-testid="editor-server-error"
          message={serverError.message}
          description={
            serverError.unmatched.length ? (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {serverError.unmatched.map((p) => (
                  <li key={`${p.field}-${p.rule}`}>{lang === 'en' ? p.en : p.zh}</li>
                ))}
              </ul>
            ) : (
              t('catalogEdit.fixMarked')
            )
          }
        />
      ) : null}
      <Form<EditorValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onValuesChange={() => {
          touched.current = true;
        }}
        onFinish={save}
        onFinishFailed={({ errorFields }) => {
          const first = errorFields[0];
          if (first) form.scrollToField(first.name, { block: 'center' });
        }}
        scrollToFirstError
      >
        <Card title={t('entry.section.resource')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            {item('name', 'entry.f.name', <Input maxLength={200} showCount data-testid="f-name" />, {
              span: 24,
              required: true,
            })}
            <Col xs={24} md={6}>
              <Form.Item label={t('entry.f.category')} required>
                <Select
                  aria-label={t('entry.f.category')}
                  value={category}
                  placeholder={t('catalogEdit.pick')}
                  options={options('categories')}
                  onChange={(c: string) => {
                    const rest = (form.getFieldValue('classCode') as string | undefined)?.slice(1) ?? '';
                    form.setFieldValue('classCode', `${c}${rest}`);
                    touched.current = true;
                    void form.validateFields(['classCode', 'basicLibrary']).catch(() => undefined);
                  }}
                />
              </Form.Item>
            </Col>
            {item('classCode', 'entry.f.classCode', <Input maxLength={12} data-testid="f-classCode" />, {
              span: 6,
              required: true,
              help: t('catalogEdit.classCodeHint'),
            })}
            {item('className', 'entry.f.className', <Input placeholder={t('catalogEdit.classNameHint')} />, {
              required: true,
            })}
            {item(
              'providerOrgId',
              'entry.f.providerName',
              <Select
                showSearch
                optionFilterProp="label"
                options={orgOptions}
                disabled={!platform}
                loading={orgs.isPending}
              />,
              { required: true, ...(platform ? {} : { help: t('catalogEdit.providerOwn') }) },
            )}
            {item('providerUnit', 'entry.f.providerUnit', <Input maxLength={100} />)}
            {item(
              'summary',
              'entry.f.summary',
              <Input.TextArea rows={3} maxLength={2000} showCount data-testid="f-summary" />,
              { span: 24, required: true },
            )}
            {item('sourceSystem', 'entry.f.sourceSystem', <Input maxLength={200} />)}
            {item(
              'relatedCodes',
              'entry.f.relatedCodes',
              <Select mode="tags" tokenSeparators={[',', '，', '、', ' ']} open={false} suffixIcon={null} />,
              { help: t('catalogEdit.relatedHint') },
            )}
            {item(
              'basicLibrary',
              'entry.f.basicLibrary',
              <Select allowClear placeholder={t('catalogEdit.none')} options={options('basicLibraries')} />,
              { help: t('catalogEdit.basicLibraryHint') },
            )}
            {item(
              'dataCategory',
              'entry.f.dataCategory',
              <Input placeholder={t('catalogEdit.dataCategoryHint')} />,
            )}
            {item('dataGrade', 'entry.f.dataGrade', <Select options={options('dataGrades')} />, {
              required: true,
            })}
            {item(
              'updateCycle',
              'entry.f.updateCycle',
              <Select
                placeholder={t('catalogEdit.pick')}
                options={options('updateCycles')}
                data-testid="f-updateCycle"
              />,
              { required: true },
            )}
            {item(
              'classified',
              'entry.f.classified',
              <Radio.Group
                optionType="button"
                options={[
                  { value: false, label: t('catalogEdit.notClassified') },
                  { value: true, label: t('catalogEdit.classified') },
                ]}
              />,
              { help: t('catalogEdit.classifiedHint') },
            )}
          </Row>
        </Card>

        <Card title={t('catalogEdit.section.format')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            {item(
              'formatCategory',
              'entry.f.formatCategory',
              <Select
                placeholder={t('catalogEdit.pick')}
                options={options('formatCategories')}
                data-testid="f-formatCategory"
                onChange={(c: string) => {
                  const types = sv.formatTypes[c] ?? [];
                  if (!types.includes(form.getFieldValue('formatType') as string)) {
                    form.setFieldValue('formatType', types.length === 1 ? types[0] : undefined);
                  }
                }}
              />,
              { required: true },
            )}
            {item(
              'formatType',
              'entry.f.formatType',
              <Select
                placeholder={formatCategory ? t('catalogEdit.pick') : t('catalogEdit.formatFirst')}
                disabled={!formatCategory}
                options={(formatCategory ? (sv.formatTypes[formatCategory] ?? []) : []).map((x) => ({
                  value: x,
                  label: x,
                }))}
                data-testid="f-formatType"
              />,
              { required: true },
            )}
          </Row>
        </Card>

        <Card title={t('entry.section.share')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            {item(
              'shareType',
              'entry.f.shareType',
              <Radio.Group options={options('shareTypes')} data-testid="f-shareType" />,
              { span: 24, required: true },
            )}
            {shareType === 'conditional' ? (
              <>
                {item(
                  'shareConditionScope',
                  'entry.f.shareConditionScope',
                  <Input.TextArea rows={2} maxLength={1000} placeholder={t('catalogEdit.scopeHint')} />,
                  { required: true },
                )}
                {item(
                  'shareConditionUse',
                  'entry.f.shareConditionUse',
                  <Input.TextArea rows={2} maxLength={1000} placeholder={t('catalogEdit.useHint')} />,
                  { required: true },
                )}
              </>
            ) : null}
            {shareType === 'not_shared' ? (
              <>
                {item(
                  'notSharedBasisKind',
                  'entry.f.notSharedBasisKind',
                  <Select
                    placeholder={t('catalogEdit.pick')}
                    options={options('basisKinds').map((o) => ({
                      ...o,
                      label:
                        accepted.length && !accepted.includes(o.value)
                          ? t('catalogEdit.basisNotAccepted', { label: o.label })
                          : o.label,
                    }))}
                  />,
                  { required: true, help: t('catalogEdit.basisKindHint') },
                )}
                {item(
                  'notSharedBasis',
                  'entry.f.notSharedBasis',
                  <Input.TextArea rows={2} maxLength={1000} placeholder={t('catalogEdit.basisHint')} />,
                  { required: true },
                )}
              </>
            ) : null}
            {item(
              'shareModes',
              'entry.f.shareModes',
              <Checkbox.Group
                options={options('shareModes').map((o) => ({
                  ...o,
                  disabled:
                    Boolean(formatCategory) &&
                    !fitModes.includes(o.value) &&
                    !(form.getFieldValue('shareModes') as string[] | undefined)?.includes(o.value),
                }))}
                data-testid="f-shareModes"
              />,
              {
                span: 24,
                required: shareType !== 'not_shared',
                help: formatCategory
                  ? t('catalogEdit.modesFit', {
                      format: label('formatCategories', formatCategory),
                      modes: fitModes.map((m) => label('shareModes', m)).join('、'),
                    })
                  : t('catalogEdit.formatFirst'),
              },
            )}
          </Row>
        </Card>

        <Card title={t('entry.section.open')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            {item('openType', 'entry.f.openType', <Radio.Group options={options('openTypes')} />, {
              required: true,
            })}
            {openType === 'authorized'
              ? item('openCondition', 'entry.f.openCondition', <Input.TextArea rows={2} maxLength={1000} />, {
                  required: true,
                })
              : null}
          </Row>
        </Card>

        <Card title={t('entry.section.census')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            {CENSUS.map((k) => (
              <Col xs={12} md={4} key={k}>
                <Form.Item name={['census', k]} label={t(`entry.f.${k}`)} rules={[rule(`census.${k}`)]}>
                  <InputNumber min={0} style={{ width: '100%' }} precision={/Gb$/.test(k) ? 2 : 0} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Card>

        <ItemsTable form={form} rule={rule} />

        <Card>
          <Space wrap>
            <Button
              type="primary"
              htmlType="submit"
              icon={<SaveOutlined />}
              loading={saving}
              data-testid="save-entry"
            >
              {saving ? t('catalogEdit.saving') : t('catalogEdit.save')}
            </Button>
            <Popconfirm
              title={t('catalogEdit.leaveConfirm')}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => void navigate(editing ? `/catalog/entries/${id}` : '/catalog')}
            >
              <Button>{t('common.cancel')}</Button>
            </Popconfirm>
            <Typography.Text type="secondary">{t('catalogEdit.saveHint')}</Typography.Text>
          </Space>
        </Card>
      </Form>
    </div>
  );
}

function ItemsTable({ form, rule }: { form: FormInstance<EditorValues>; rule: (key: string) => CheckRule }) {
  const { t, lang } = useI18n();
  const options = useOptions();
  const orgs = useOrgDirectory();
  const orgOptions = [...(orgs.data?.values() ?? [])].map((o) => ({
    value: o.id,
    label: orgName(o, lang),
  }));
  return (
    <Card title={t('entry.f.items')} style={{ marginBottom: 16 }}>
      <Form.List name="items" rules={[rule('items')]}>
        {(fields, { add, remove }, { errors }) => (
          <>
            <Table
              data-testid="items-editor"
              size="small"
              rowKey="key"
              dataSource={fields}
              pagination={false}
              tableLayout="fixed"
              scroll={{ x: 1100 }}
              locale={{ emptyText: t('catalogEdit.itemsEmpty') }}
              columns={[
                { title: t('entry.item.seq'), key: 'seq', width: 48, render: (_: unknown, _f, i) => i + 1 },
                {
                  title: t('entry.item.name'),
                  key: 'name',
                  width: 150,
                  render: (_: unknown, f) => (
                    <Form.Item
                      name={[f.name, 'name']}
                      rules={[rule(`items.${f.name}.name`)]}
                      style={{ margin: 0 }}
                    >
                      <Input
                        aria-label={t('entry.item.name')}
                        maxLength={100}
                        data-testid={`item-name-${f.name}`}
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('entry.item.dataType'),
                  key: 'dataType',
                  width: 130,
                  render: (_: unknown, f) => (
                    <Form.Item
                      name={[f.name, 'dataType']}
                      rules={[rule(`items.${f.name}.dataType`)]}
                      style={{ margin: 0 }}
                    >
                      <Select
                        aria-label={t('entry.item.dataType')}
                        options={options('dataTypes').map((o) => ({
                          value: o.value,
                          label: `${o.value} ${o.label}`,
                        }))}
                        onChange={() =>
                          void form.validateFields([['items', f.name, 'length']]).catch(() => undefined)
                        }
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('entry.item.length'),
                  key: 'length',
                  width: 84,
                  render: (_: unknown, f) => (
                    <Form.Item
                      name={[f.name, 'length']}
                      rules={[rule(`items.${f.name}.length`)]}
                      style={{ margin: 0 }}
                    >
                      <InputNumber
                        aria-label={t('entry.item.length')}
                        min={1}
                        precision={0}
                        style={{ width: '100%' }}
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('entry.item.description'),
                  key: 'description',
                  render: (_: unknown, f) => (
                    <Form.Item name={[f.name, 'description']} style={{ margin: 0 }}>
                      <Input aria-label={t('entry.item.description')} maxLength={500} />
                    </Form.Item>
                  ),
                },
                {
                  title: t('entry.item.collectingOrg'),
                  key: 'collectingOrgId',
                  width: 150,
                  render: (_: unknown, f) => (
                    <Form.Item name={[f.name, 'collectingOrgId']} style={{ margin: 0 }}>
                      <Select
                        aria-label={t('entry.item.collectingOrg')}
                        allowClear
                        showSearch
                        optionFilterProp="label"
                        placeholder={t('catalogEdit.collectingDefault')}
                        options={orgOptions}
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('entry.item.sensitivity'),
                  key: 'sensitivity',
                  width: 110,
                  render: (_: unknown, f) => (
                    <Form.Item name={[f.name, 'sensitivity']} style={{ margin: 0 }}>
                      <Select aria-label={t('entry.item.sensitivity')} options={options('sensitivities')} />
                    </Form.Item>
                  ),
                },
                {
                  title: t('entry.item.masking'),
                  key: 'masking',
                  width: 116,
                  render: (_: unknown, f) => (
                    <Form.Item name={[f.name, 'masking']} style={{ margin: 0 }}>
                      <Select aria-label={t('entry.item.masking')} options={options('maskings')} />
                    </Form.Item>
                  ),
                },
                {
                  title: t('entry.item.standardElement'),
                  key: 'standardElement',
                  width: 130,
                  render: (_: unknown, f) => (
                    <Form.Item name={[f.name, 'standardElement']} style={{ margin: 0 }}>
                      <Input aria-label={t('entry.item.standardElement')} maxLength={100} />
                    </Form.Item>
                  ),
                },
                {
                  title: t('catalogEdit.actions'),
                  key: 'remove',
                  width: 56,
                  render: (_: unknown, f) => (
                    <Popconfirm
                      title={t('catalogEdit.removeItem')}
                      okText={t('common.confirm')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => remove(f.name)}
                    >
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('catalogEdit.removeItem')}
                      />
                    </Popconfirm>
                  ),
                },
              ]}
            />
            <Form.ErrorList errors={errors} />
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              style={{ marginTop: 12 }}
              data-testid="add-item"
              onClick={() => add({ dataType: 'C', sensitivity: 'internal', masking: 'none' })}
            >
              {t('catalogEdit.addItem')}
            </Button>
          </>
        )}
      </Form.List>
    </Card>
  );
}
