/** The console's audit pages (see pages.tsx for how a page is declared). */
import { AuditOutlined, SafetyOutlined } from '@ant-design/icons';
import { type ConsolePage, page } from '../page';

export const PAGES: ConsolePage[] = [
  {
    path: '/audit',
    permission: 'audit.read',
    menu: { label: 'audit.nav.search', icon: <AuditOutlined /> },
    ...page(() => import('./audit/AuditSearch')),
  },
  {
    path: '/audit/events/:seq',
    permission: 'audit.read',
    ...page(() => import('./audit/AuditEventPage')),
  },
  {
    path: '/audit/verify',
    permission: 'audit.read',
    menu: { label: 'audit.nav.verify', icon: <SafetyOutlined /> },
    ...page(() => import('./audit/AuditVerify')),
  },
];
