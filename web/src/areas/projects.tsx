/** The console's projects pages (see pages.tsx for how a page is declared). */
import { ProjectOutlined, TeamOutlined } from '@ant-design/icons';
import { type ConsolePage, page } from '../page';

export const PAGES: ConsolePage[] = [
  {
    path: '/projects',
    permission: 'projects.read',
    menu: { label: 'projects.nav.list', icon: <ProjectOutlined /> },
    ...page(() => import('./projects/ProjectList')),
  },
  {
    path: '/projects/new',
    permission: 'projects.write',
    ...page(() => import('./projects/ProjectNew')),
  },
  {
    path: '/projects/experts',
    permission: 'projects.read',
    menu: { label: 'projects.nav.experts', icon: <TeamOutlined /> },
    ...page(() => import('./projects/ExpertPool')),
  },
  {
    path: '/projects/:id',
    permission: 'projects.read',
    ...page(() => import('./projects/ProjectDetail')),
  },
];
