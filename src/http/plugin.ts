import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../services.js';

/** Every module's routes are a plugin of this shape, registered under /api/v1 in app.ts. */
export type RoutesPlugin = FastifyPluginAsyncTypebox<{ services: Services }>;
