/** The console's people pages (see pages.tsx for how a page is declared). */
import {
  ApartmentOutlined,
  CalendarOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { type ConsolePage, page } from '../page';

export const PAGES: ConsolePage[] = [
  {
    path: '/orgs',
    permission: 'orgs.read',
    menu: { label: 'people.nav.orgs', icon: <ApartmentOutlined /> },
    ...page(() => import('./people/Orgs')),
  },
  {
    path: '/users',
    permission: 'users.read',
    menu: { label: 'people.nav.users', icon: <TeamOutlined /> },
    ...page(() => import('./people/Users')),
  },
  {
    path: '/calendar',
    permission: 'calendar.read',
    menu: { label: 'people.nav.calendar', icon: <CalendarOutlined /> },
    ...page(() => import('./people/Calendar')),
  },
  {
    path: '/policy',
    permission: 'policy.read',
    menu: { label: 'people.nav.policy', icon: <SafetyCertificateOutlined /> },
    ...page(() => import('./people/Policy')),
  },
];
