/** The catalog search page's actions: a new entry, the import, and the export of the current search. */
import { DownloadOutlined, FileAddOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip } from 'antd';
import { useNavigate } from 'react-router';
import { API_BASE, type Query, queryString } from '../../api';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';

export function SearchActions({ query }: { query: Query }) {
  const { t } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const { page: _page, pageSize: _pageSize, ...search } = query;
  return (
    <Space wrap>
      <Tooltip title={t('catalogSearch.exportHint')}>
        <Button
          icon={<DownloadOutlined />}
          href={`${API_BASE}/catalog/export.xlsx${queryString(search)}`}
          data-testid="catalog-export"
        >
          {t('catalogSearch.export')}
        </Button>
      </Tooltip>
      {can('catalog.write') ? (
        <>
          <Button icon={<UploadOutlined />} onClick={() => void navigate('/catalog/import')}>
            {t('catalogSearch.import')}
          </Button>
          <Button
            type="primary"
            icon={<FileAddOutlined />}
            onClick={() => void navigate('/catalog/new')}
            data-testid="catalog-new"
          >
            {t('catalogSearch.new')}
          </Button>
        </>
      ) : null}
    </Space>
  );
}
