/**
 * The console's pages. To add one: write `pages/MyPage.tsx` with a default export, add a line here
 * (its path, the permission from /auth/me it needs, and `menu` if it belongs in the side menu), and put
 * its words in i18n.ts. The layout builds the menu and the routes from this list; a page the user's
 * role may not use is neither in the menu nor reachable.
 */
import { AppstoreOutlined, DashboardOutlined } from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import type { MessageKey } from './i18n';

export interface ConsolePage {
  /** react-router path, e.g. '/catalog/entries/:id'. */
  path: string;
  /** The permission (GET /auth/me → permissions) the page needs; none: every signed-in user. */
  permission?: string;
  /** In the side menu, under this label; pages below a menu path light up their parent. */
  menu?: { label: MessageKey; icon: ReactNode };
  component: LazyExoticComponent<ComponentType>;
  /** Fetches the page's code ahead of need (the same module the lazy component loads). */
  preload: () => Promise<unknown>;
}

type Module = Promise<{ default: ComponentType }>;

/** A lazily loaded page whose code can also be fetched ahead (e.g. the workbench while signing in). */
function page(load: () => Module): Pick<ConsolePage, 'component' | 'preload'> {
  return { component: lazy(load), preload: load };
}

export const PAGES: ConsolePage[] = [
  {
    path: '/',
    menu: { label: 'nav.workbench', icon: <DashboardOutlined /> },
    ...page(() => import('./pages/Workbench')),
  },
  {
    path: '/catalog',
    permission: 'catalog.read',
    menu: { label: 'nav.catalog', icon: <AppstoreOutlined /> },
    ...page(() => import('./pages/CatalogSearch')),
  },
  {
    path: '/catalog/entries/:id',
    permission: 'catalog.read',
    ...page(() => import('./pages/EntryDetail')),
  },
];

/** Starts loading a page's code without showing it. */
export function preloadPage(path: string): void {
  void PAGES.find((p) => p.path === path)
    ?.preload()
    .catch(() => undefined);
}

/** The menu entry a location belongs to: the longest menu path that prefixes it. */
export function menuKeyFor(pathname: string, pages: ConsolePage[]): string | undefined {
  let best: string | undefined;
  for (const p of pages) {
    if (!p.menu) continue;
    const match =
      p.path === '/' ? pathname === '/' : pathname === p.path || pathname.startsWith(`${p.path}/`);
    if (match && (!best || p.path.length > best.length)) best = p.path;
  }
  return best;
}
