/** The console's sharing pages (see pages.tsx for how a page is declared). */
import { SafetyCertificateOutlined, SwapOutlined } from '@ant-design/icons';
import { type ConsolePage, page } from '../page';

export const PAGES: ConsolePage[] = [
  {
    path: '/sharing',
    permission: 'sharing.read',
    menu: { label: 'sharing.nav.requests', icon: <SwapOutlined /> },
    ...page(() => import('./sharing/Applications')),
  },
  {
    path: '/sharing/new',
    permission: 'sharing.act',
    ...page(() => import('./sharing/RequestForm')),
  },
  {
    path: '/sharing/applications/:id',
    permission: 'sharing.read',
    ...page(() => import('./sharing/ApplicationDetail')),
  },
  {
    path: '/sharing/applications/:id/edit',
    permission: 'sharing.act',
    ...page(() => import('./sharing/RequestForm')),
  },
  {
    path: '/sharing/grants',
    permission: 'grants.read',
    menu: { label: 'sharing.nav.grants', icon: <SafetyCertificateOutlined /> },
    ...page(() => import('./sharing/Grants')),
  },
  {
    path: '/sharing/grants/:id',
    permission: 'grants.read',
    ...page(() => import('./sharing/GrantDetail')),
  },
];
