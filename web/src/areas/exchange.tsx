/** The console's exchange pages (see pages.tsx for how a page is declared). */
import { ApiOutlined, KeyOutlined, NotificationOutlined, SyncOutlined } from '@ant-design/icons';
import { type ConsolePage, page } from '../page';

export const PAGES: ConsolePage[] = [
  {
    path: '/exchange/sources',
    permission: 'exchange.read',
    menu: { label: 'exchange.nav.sources', icon: <ApiOutlined /> },
    ...page(() => import('./exchange/Sources')),
  },
  {
    path: '/exchange/sources/:id',
    permission: 'exchange.read',
    ...page(() => import('./exchange/SourceDetail')),
  },
  {
    path: '/exchange/systems',
    permission: 'systems.read',
    menu: { label: 'exchange.nav.systems', icon: <KeyOutlined /> },
    ...page(() => import('./exchange/Systems')),
  },
  {
    path: '/exchange/sync-jobs',
    permission: 'exchange.read',
    menu: { label: 'exchange.nav.sync', icon: <SyncOutlined /> },
    ...page(() => import('./exchange/SyncJobs')),
  },
  {
    path: '/exchange/sync-jobs/:id',
    permission: 'exchange.read',
    ...page(() => import('./exchange/SyncJobDetail')),
  },
  {
    path: '/exchange/subscriptions',
    permission: 'exchange.read',
    menu: { label: 'exchange.nav.subscriptions', icon: <NotificationOutlined /> },
    ...page(() => import('./exchange/Subscriptions')),
  },
  {
    path: '/exchange/subscriptions/:id',
    permission: 'exchange.read',
    ...page(() => import('./exchange/SubscriptionDetail')),
  },
];
