/**
 * The signed-in frame: side menu built from PAGES by the user's permissions; header with the
 * organization (a switcher for the platform office), the language switch, the user and sign-out.
 */
import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Layout, Menu, Segmented, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../api';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { errorText, Loading } from '../components/Feedback';
import { LANGS, type Lang, useI18n } from '../i18n';
import { orgName, useOrgDirectory } from '../lookups';
import { menuKeyFor, PAGES } from '../pages';
import { useMe, useSession } from '../session';
import type { Org, OrgPageT } from '../types';

const { Header, Sider, Content } = Layout;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(id);
  }, [value, ms]);
  return v;
}

function OrgSwitcher({ current }: { current: Org | undefined }) {
  const { t, lang } = useI18n();
  const { switchOrg } = useSession();
  const { message } = App.useApp();
  const me = useMe();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const [busy, setBusy] = useState(false);
  const { data, isFetching } = useQuery({
    queryKey: ['orgs', 'switcher', q],
    queryFn: ({ signal }) =>
      api.get<OrgPageT>('/orgs', { q: q || undefined, status: 'active', pageSize: 30 }, signal),
  });
  const options = useMemo(() => {
    const list = data?.items ?? [];
    const withCurrent = current && !list.some((o) => o.id === current.id) ? [current, ...list] : list;
    return withCurrent.map((o) => ({ value: o.id, label: orgName(o, lang) }));
  }, [data, current, lang]);

  return (
    <Tooltip title={t('header.switchOrgHint')} placement="bottom">
      <Select
        aria-label={t('header.switchOrg')}
        data-testid="org-switcher"
        showSearch
        filterOption={false}
        onSearch={setSearch}
        loading={isFetching || busy}
        disabled={busy}
        value={me.activeOrgId}
        options={options}
        placeholder={t('header.switchOrgSearch')}
        notFoundContent={t('header.switchOrgSearch')}
        style={{ width: lang === 'en' ? 320 : 220 }}
        popupMatchSelectWidth={false}
        onChange={async (orgId: string) => {
          if (orgId === me.activeOrgId) return;
          setBusy(true);
          try {
            await switchOrg(orgId);
            const label = options.find((o) => o.value === orgId)?.label ?? '';
            void message.success(t('header.switched', { name: label }));
          } catch (err) {
            void message.error(errorText(err, lang, t('common.unexpected')));
          } finally {
            setBusy(false);
            setSearch('');
          }
        }}
      />
    </Tooltip>
  );
}

export function ConsoleLayout() {
  const { t, lang, setLang } = useI18n();
  const { can, signOut } = useSession();
  const me = useMe();
  const { modal, message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const directory = useOrgDirectory();
  const org = directory.data?.get(me.activeOrgId);

  const menuItems = PAGES.filter((p) => p.menu && (!p.permission || can(p.permission))).map((p) => ({
    key: p.path,
    icon: p.menu?.icon,
    label: <Link to={p.path}>{p.menu ? t(p.menu.label) : ''}</Link>,
  }));
  const selected = menuKeyFor(location.pathname, PAGES);

  const confirmSignOut = () => {
    modal.confirm({
      title: t('header.signOutConfirm'),
      okText: t('header.signOutOk'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        await signOut();
        void message.success(t('header.signedOut'));
        void navigate('/login', { replace: true });
      },
    });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="gs-skip" href="#main">
        {t('nav.skip')}
      </a>
      <Sider
        theme="dark"
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={208}
        breakpoint="lg"
        onBreakpoint={(broken) => setCollapsed(broken)}
      >
        <div className="gs-brand" title={t('app.name')}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {collapsed ? null : (
            <span className="gs-brand-text">
              <span className="gs-brand-name">{t('app.short')}</span>
              <span className="gs-brand-sub">{t('app.city')}</span>
            </span>
          )}
        </div>
        <nav aria-label={t('nav.menu')}>
          <Menu theme="dark" mode="inline" selectedKeys={selected ? [selected] : []} items={menuItems} />
        </nav>
      </Sider>
      <Layout>
        <Header className="gs-header" style={{ background: '#fff', padding: '0 20px 0 8px' }}>
          <Space size="middle" wrap={false} style={{ minWidth: 0 }}>
            <Button
              type="text"
              aria-label={collapsed ? t('nav.expand') : t('nav.collapse')}
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed(!collapsed)}
            />
            <Typography.Text type="secondary">{t('header.org')}</Typography.Text>
            {can('session.switch_org') ? (
              <OrgSwitcher current={org} />
            ) : (
              <Typography.Text strong data-testid="current-org">
                {orgName(org, lang, '…')}
              </Typography.Text>
            )}
          </Space>
          <Space size="middle" wrap={false}>
            <Segmented<Lang>
              aria-label={t('lang.label')}
              data-testid="lang-switch"
              size="small"
              value={lang}
              options={LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
              onChange={(v) => setLang(v)}
            />
            <Space size={6} aria-label={t('header.user')}>
              <UserOutlined aria-hidden />
              <Typography.Text data-testid="current-user">{me.user.displayName}</Typography.Text>
              <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                {t(`role.${me.user.role}`)}
              </Tag>
            </Space>
            <Button icon={<LogoutOutlined />} onClick={confirmSignOut}>
              {t('header.signOut')}
            </Button>
          </Space>
        </Header>
        <Content id="main" tabIndex={-1} className="gs-content">
          <ErrorBoundary key={location.pathname}>
            <Suspense fallback={<Loading />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </Content>
      </Layout>
    </Layout>
  );
}
