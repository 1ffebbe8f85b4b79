// CONTRACT (to be implemented): the orgs routes.
import type { RoutesPlugin } from '../../http/plugin.js';

export const orgsRoutes: RoutesPlugin = async () => {};
