/** The console's catalog editing pages (see pages.tsx for how a page is declared). */
import { AuditOutlined, FileAddOutlined, UploadOutlined } from '@ant-design/icons';
import { type ConsolePage, page } from '../page';

export const PAGES: ConsolePage[] = [
  {
    path: '/catalog/new',
    permission: 'catalog.write',
    menu: { label: 'catalogNav.new', icon: <FileAddOutlined /> },
    ...page(() => import('./catalog/EntryEditor')),
  },
  {
    path: '/catalog/entries/:id/edit',
    permission: 'catalog.write',
    ...page(() => import('./catalog/EntryEditor')),
  },
  {
    path: '/catalog/reviews',
    permission: 'catalog.review',
    menu: { label: 'catalogNav.reviews', icon: <AuditOutlined /> },
    ...page(() => import('./catalog/ReviewQueue')),
  },
  {
    path: '/catalog/import',
    permission: 'catalog.write',
    menu: { label: 'catalogNav.import', icon: <UploadOutlined /> },
    ...page(() => import('./catalog/CatalogImport')),
  },
];
