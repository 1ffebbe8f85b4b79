// CONTRACT (to be implemented): the policy routes.
import type { RoutesPlugin } from '../../http/plugin.js';

export const policyRoutes: RoutesPlugin = async () => {};
