/** Providers (language, Ant Design locale and theme, query cache, session) and the routes. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense, useCallback, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { ApiError } from './api';
import { ForbiddenResult, Loading, NotFoundResult } from './components/Feedback';
import { type I18n, I18nContext, initialLang, type Lang, saveLang, translate } from './i18n';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { type ConsolePage, PAGES } from './pages';
import SignIn from './pages/SignIn';
import { SessionProvider, useSession } from './session';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A refusal or a bad request will not change by asking again; a network hiccup may.
      retry: (count, err) => !(err instanceof ApiError && err.status < 500 && err.status > 0) && count < 2,
    },
  },
});

const FONT =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', " +
  "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Helvetica Neue', Arial, sans-serif";

function setDayjsLocale(lang: Lang) {
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
}

function PageGate({ page }: { page: ConsolePage }) {
  const { can } = useSession();
  if (page.permission && !can(page.permission)) return <ForbiddenResult />;
  const Component = page.component;
  return <Component />;
}

function RedirectToSignIn() {
  const location = useLocation();
  const next = `${location.pathname}${location.search}`;
  return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
}

function SignedInRedirect() {
  const location = useLocation();
  const next = new URLSearchParams(location.search).get('next');
  return <Navigate to={next?.startsWith('/') && !next.startsWith('//') ? next : '/'} replace />;
}

function AppRoutes() {
  const { me, loading } = useSession();
  if (loading) return <Loading />;
  return (
    <Routes>
      <Route path="/login" element={me ? <SignedInRedirect /> : <SignIn />} />
      <Route element={me ? <ConsoleLayout /> : <RedirectToSignIn />}>
        {PAGES.map((p) => (
          <Route key={p.path} path={p.path} element={<PageGate page={p} />} />
        ))}
        <Route path="*" element={<NotFoundResult />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initialLang();
    setDayjsLocale(l);
    document.documentElement.lang = l;
    return l;
  });
  const setLang = useCallback((l: Lang) => {
    saveLang(l);
    setDayjsLocale(l);
    setLangState(l);
  }, []);
  const i18n = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, vars) => translate(lang, key, vars) }),
    [lang, setLang],
  );

  return (
    <I18nContext.Provider value={i18n}>
      <ConfigProvider
        locale={lang === 'en' ? enUS : zhCN}
        theme={{ token: { colorPrimary: '#1d4ed8', fontFamily: FONT, borderRadius: 6 } }}
      >
        <AntApp>
          <QueryClientProvider client={queryClient}>
            <SessionProvider>
              <BrowserRouter>
                <Suspense fallback={<Loading />}>
                  <AppRoutes />
                </Suspense>
              </BrowserRouter>
            </SessionProvider>
          </QueryClientProvider>
        </AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}
