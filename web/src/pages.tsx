/**
 * The console's pages. To add one: write `pages/MyPage.tsx` with a default export, add a line here
 * (its path, the permission from /auth/me it needs, and `menu` if it belongs in the side menu), and put
 * its words in i18n.ts. The layout builds the menu and the routes from this list; a page the user's
 * role may not use is neither in the menu nor reachable.
 */
import { AppstoreOutlined, DashboardOutlined } from '@ant-design/icons';
import { PAGES as audit } from './areas/audit';
import { PAGES as catalog } from './areas/catalog';
import { PAGES as exchange } from './areas/exchange';
import { PAGES as inventory } from './areas/inventory';
import { PAGES as people } from './areas/people';
import { PAGES as projects } from './areas/projects';
import { PAGES as sharing } from './areas/sharing';
import { type ConsolePage, page } from './page';

export type { ConsolePage } from './page';

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
  // One list per area of the console (areas/<area>.tsx); the menu follows this order.
  ...catalog,
  ...sharing,
  ...exchange,
  ...people,
  ...audit,
  ...inventory,
  ...projects,
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
