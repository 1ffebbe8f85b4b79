// CONTRACT (to be implemented): the calendar routes.
import type { RoutesPlugin } from '../../http/plugin.js';

export const calendarRoutes: RoutesPlugin = async () => {};
