/**
 * 目录导入: upload the national fill-in template (.xlsx). The server checks every row with the same
 * rules as the editor; if any row is wrong nothing is imported and the report lists each problem by
 * row, column and field. Otherwise every row becomes a draft and the count is shown.
 */
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Result, Space, Steps, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { API_BASE, ApiError, type FieldProblem } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { useI18n } from '../../i18n';
import { useMe } from '../../session';
import type { ImportProblem, ImportResult } from './types';
import { postFile } from './upload';

const MAX_BYTES = 20 * 1024 * 1024;

type State =
  | { kind: 'idle' }
  | { kind: 'checking' | 'importing'; file: string }
  | { kind: 'refused'; file: string; problems: ImportProblem[] }
  | { kind: 'failed'; file: string; message: string }
  | { kind: 'done'; file: string; result: ImportResult };

/** A refusal of the import itself (the rows changed between check and import): 'sheet!C5' back to row and column. */
function fromFieldProblems(fields: FieldProblem[]): ImportProblem[] {
  return fields.map((f) => {
    const m = /^(.*)!([A-Z]+)(\d+)$/.exec(f.field);
    return {
      sheet: m?.[1] ?? '',
      row: Number(m?.[3] ?? 0),
      column: m?.[2] ?? '',
      field: f.field,
      rule: f.rule,
      zh: f.zh,
      en: f.en,
    };
  });
}

export default function CatalogImport() {
  const { t, lang } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const busy = state.kind === 'checking' || state.kind === 'importing';

  const upload = async (file: File) => {
    if (!/\.xlsx$/i.test(file.name)) {
      setState({ kind: 'failed', file: file.name, message: t('catalogImport.notXlsx') });
      return;
    }
    if (file.size > MAX_BYTES) {
      setState({ kind: 'failed', file: file.name, message: t('catalogImport.tooLarge') });
      return;
    }
    try {
      setState({ kind: 'checking', file: file.name });
      const check = await postFile<{ problems: ImportProblem[] }>(
        '/catalog/import/check',
        file,
        me.csrfToken,
      );
      if (check.problems.length) {
        setState({ kind: 'refused', file: file.name, problems: check.problems });
        return;
      }
      setState({ kind: 'importing', file: file.name });
      const result = await postFile<ImportResult>('/catalog/import', file, me.csrfToken);
      await queryClient.invalidateQueries({ queryKey: ['catalog'] });
      setState({ kind: 'done', file: file.name, result });
    } catch (err) {
      if (err instanceof ApiError && err.problem.fields.length) {
        setState({ kind: 'refused', file: file.name, problems: fromFieldProblems(err.problem.fields) });
      } else {
        setState({
          kind: 'failed',
          file: file.name,
          message: err instanceof ApiError ? err.text(lang) : t('common.unexpected'),
        });
      }
    }
  };

  // A refusal stops at the check: nothing reached the import.
  const step = { idle: 0, checking: 1, refused: 1, failed: 1, importing: 2, done: 3 }[state.kind];
  return (
    <div data-testid="catalog-import">
      <PageTitle
        title={t('catalogImport.title')}
        extra={
          <Button
            icon={<DownloadOutlined />}
            href={`${API_BASE}/catalog/import/template.xlsx`}
            data-testid="template-download"
          >
            {t('catalogImport.template')}
          </Button>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Typography.Paragraph>{t('catalogImport.hint')}</Typography.Paragraph>
        <Steps
          size="small"
          style={{ marginBottom: 16 }}
          current={step}
          status={
            state.kind === 'refused' || state.kind === 'failed'
              ? 'error'
              : state.kind === 'done'
                ? 'finish'
                : 'process'
          }
          items={[
            { title: t('catalogImport.step.choose') },
            { title: t('catalogImport.step.check') },
            { title: t('catalogImport.step.import') },
            { title: t('catalogImport.step.result') },
          ]}
        />
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
          aria-label={t('catalogImport.choose')}
          data-testid="import-dragger"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">
            {busy
              ? state.kind === 'checking'
                ? t('catalogImport.checking', { file: state.file })
                : t('catalogImport.importing', { file: state.file })
              : t('catalogImport.choose')}
          </p>
          <p className="ant-upload-hint">{t('catalogImport.chooseHint')}</p>
        </Upload.Dragger>
      </Card>

      {state.kind === 'failed' ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          message={t('catalogImport.failed', { file: state.file })}
          description={state.message}
        />
      ) : null}

      {state.kind === 'done' ? (
        <Card data-testid="import-done">
          <Result
            status="success"
            title={t('catalogImport.done', { n: state.result.created })}
            subTitle={t('catalogImport.doneHint', { file: state.file })}
          />
          <Table
            size="small"
            rowKey="id"
            dataSource={state.result.entries}
            pagination={{
              pageSize: 10,
              hideOnSinglePage: true,
              showTotal: (total) => t('common.total', { total }),
            }}
            columns={[
              { title: t('catalog.col.code'), dataIndex: 'code', width: 220 },
              {
                title: t('catalog.col.name'),
                key: 'name',
                render: (_: unknown, e) => <Link to={`/catalog/entries/${e.id}`}>{e.name}</Link>,
              },
            ]}
          />
        </Card>
      ) : null}

      {state.kind === 'refused' ? (
        <Card data-testid="import-report">
          <Alert
            type="error"
            showIcon
            role="alert"
            style={{ marginBottom: 16 }}
            message={t('catalogImport.refused', { file: state.file, n: state.problems.length })}
            description={t('catalogImport.refusedHint')}
          />
          <Table<ImportProblem>
            size="small"
            rowKey={(p) => `${p.sheet}-${p.row}-${p.column}-${p.rule}-${p.field}`}
            dataSource={state.problems}
            tableLayout="fixed"
            pagination={{
              pageSize: 20,
              hideOnSinglePage: true,
              showTotal: (total) => t('common.total', { total }),
            }}
            columns={[
              { title: t('catalogImport.col.sheet'), dataIndex: 'sheet', width: 130 },
              { title: t('catalogImport.col.row'), dataIndex: 'row', width: 70 },
              {
                title: t('catalogImport.col.cell'),
                key: 'cell',
                width: 80,
                render: (_: unknown, p) => (p.column ? `${p.column}${p.row}` : '—'),
              },
              { title: t('catalogImport.col.field'), dataIndex: 'field', width: 180 },
              {
                title: t('catalogImport.col.message'),
                key: 'message',
                render: (_: unknown, p) => (lang === 'en' ? p.en : p.zh),
              },
            ]}
          />
          <Space style={{ marginTop: 12 }}>
            <Button onClick={() => setState({ kind: 'idle' })}>{t('catalogImport.again')}</Button>
          </Space>
        </Card>
      ) : null}
    </div>
  );
}
