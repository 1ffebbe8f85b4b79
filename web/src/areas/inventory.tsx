/** The console's inventory pages (see pages.tsx for how a page is declared). */
import { AuditOutlined, DatabaseOutlined, FundOutlined } from '@ant-design/icons';
import { type ConsolePage, page } from '../page';

export const PAGES: ConsolePage[] = [
  {
    path: '/inventory',
    permission: 'inventory.read',
    menu: { label: 'inventory.nav.register', icon: <DatabaseOutlined /> },
    ...page(() => import('./inventory/RegisterPage')),
  },
  {
    path: '/inventory/systems/:id',
    permission: 'inventory.read',
    ...page(() => import('./inventory/SystemPage')),
  },
  {
    path: '/inventory/funding',
    permission: 'finance.read',
    menu: { label: 'inventory.nav.funding', icon: <FundOutlined /> },
    ...page(() => import('./inventory/FundingPage')),
  },
  {
    path: '/inventory/campaigns',
    permission: 'inventory.campaign.read',
    menu: { label: 'inventory.nav.campaigns', icon: <AuditOutlined /> },
    ...page(() => import('./inventory/CampaignsPage')),
  },
  {
    path: '/inventory/campaigns/:id',
    permission: 'inventory.campaign.read',
    ...page(() => import('./inventory/CampaignPage')),
  },
  {
    path: '/inventory/campaigns/:id/reports/:orgId',
    permission: 'inventory.campaign.read',
    ...page(() => import('./inventory/ReportPage')),
  },
];
