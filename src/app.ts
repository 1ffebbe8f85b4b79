/**
 * build(services) → the Fastify app. listen() lives in main.ts only; tests use app.inject().
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import Fastify, { type FastifyInstance } from 'fastify';
import { installProblemHandler } from './http/problem.js';
import { newId } from './kernel/ids.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes, exchangeIdentityRoutes, installAuthentication } from './modules/auth/auth.routes.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { catalogRoutes, dcatRoutes } from './modules/catalog/catalog.routes.js';
import { exchangeConsoleReadRoutes } from './modules/exchange/exchange.console.routes.js';
import { feedConsoleRoutes, feedGateRoutes } from './modules/exchange/exchange.feed.routes.js';
import { exchangeConsoleRoutes, exchangeGateRoutes } from './modules/exchange/exchange.routes.js';
import { syncRoutes } from './modules/exchange/exchange.sync.routes.js';
import { inventoryRoutes } from './modules/inventory/inventory.routes.js';
import { orgsRoutes } from './modules/orgs/orgs.routes.js';
import { policyRoutes } from './modules/policy/policy.routes.js';
import { projectsRoutes } from './modules/projects/projects.routes.js';
import { sharingRecordsRoutes } from './modules/sharing/sharing.records.routes.js';
import { sharingRoutes } from './modules/sharing/sharing.routes.js';
import type { Services } from './services.js';

export const VERSION = '0.1.0';

// ajv-formats is CommonJS: its default export is the plugin function.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const AJV_OPTIONS = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false } as const;

export interface BuildOptions {
  /** false: no logs at all (tests); default: JSON lines on stdout at config.logLevel. */
  logger?: boolean;
  /** Where log lines go instead of stdout (tests read them back). */
  logStream?: NodeJS.WritableStream;
}

export async function build(services: Services, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            ...(options.logStream ? { stream: options.logStream } : {}),
            // Secrets never reach a log line.
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                'req.headers["x-csrf-token"]',
                'res.headers["set-cookie"]',
                '*.password',
                '*.token',
                '*.secret',
              ],
              censor: '[redacted]',
            },
          },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : newId();
    },
    requestIdHeader: false,
    trustProxy: true,
    bodyLimit: 10 * 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Query strings and params arrive as text and are coerced to their schema types; JSON bodies are
  // taken exactly as sent (coercion would turn a null into 0 or "" and hide the sender's mistake).
  const coercing = addFormats(new Ajv({ ...AJV_OPTIONS, coerceTypes: 'array' }));
  const exact = addFormats(new Ajv({ ...AJV_OPTIONS, coerceTypes: false }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? exact : coercing).compile(schema),
  );

  // Set as the request arrives (every answer, errors included, carries them); a synchronous hook costs
  // no promise on the exchange hot path.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    done();
  });

  installProblemHandler(app, services.audit);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'GovShare API',
        version: VERSION,
        description:
          'GovShare 政务数据共享交换平台. Console API under /api/v1 (session cookie + x-csrf-token header on ' +
          'changes); exchange API under /exchange/v1 (Bearer token). Errors are application/problem+json ' +
          'with a stable code, zh-CN and English messages and the offending fields.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'gs_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  installAuthentication(app, services);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await services.db.kysely.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
      return { status: 'ready', database: services.db.kind };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: services.db.kind });
    }
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(authRoutes, { prefix: '/api/v1', services });
  await app.register(orgsRoutes, { prefix: '/api/v1', services });
  await app.register(calendarRoutes, { prefix: '/api/v1', services });
  await app.register(policyRoutes, { prefix: '/api/v1', services });
  await app.register(catalogRoutes, { prefix: '/api/v1', services });
  await app.register(sharingRoutes, { prefix: '/api/v1', services });
  await app.register(sharingRecordsRoutes, { prefix: '/api/v1', services });
  await app.register(exchangeConsoleRoutes, { prefix: '/api/v1', services });
  await app.register(exchangeGateRoutes, { prefix: '/exchange/v1', services });
  await app.register(feedConsoleRoutes, { prefix: '/api/v1', services });
  await app.register(syncRoutes, { prefix: '/api/v1', services });
  await app.register(exchangeConsoleReadRoutes, { prefix: '/api/v1', services });
  await app.register(feedGateRoutes, { prefix: '/exchange/v1', services });
  await app.register(dcatRoutes, { services });
  await app.register(auditRoutes, { prefix: '/api/v1', services });
  await app.register(inventoryRoutes, { prefix: '/api/v1', services });
  await app.register(projectsRoutes, { prefix: '/api/v1', services });
  await app.register(exchangeIdentityRoutes, { prefix: '/exchange/v1', services });
  await registerConsole(app);

  await app.ready();
  return app;
}

/**
 * What the console's SPA fallback never answers: the APIs and the node's own documents. Only
 * /exchange/v1 is the gateway; /exchange/… is the console's exchange area.
 */
const NOT_CONSOLE = [
  '/api',
  '/exchange/v1',
  '/docs',
  '/openapi.json',
  '/healthz',
  '/readyz',
  '/catalog.jsonld',
];

const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/**
 * The web console built into web/dist (`npm run build`), served at / with index.html for every other
 * GET so that its client-side routes load directly. Skipped silently when the console is not built.
 */
async function registerConsole(app: FastifyInstance): Promise<void> {
  // dist/src/app.js (built) or src/app.ts (run from source) → <repo>/web/dist
  const root = ['../../web/dist/', '../web/dist/']
    .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
    .find((dir) => existsSync(join(dir, 'index.html')));
  if (!root) return;
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    setHeaders: (reply, path) => {
      if (path.includes(`${sep}assets${sep}`)) {
        // Vite puts a content hash in every asset's name.
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      } else {
        reply.header('cache-control', 'no-cache');
        if (path.endsWith('.html')) reply.header('content-security-policy', CONSOLE_CSP);
      }
    },
  });
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    const reserved = NOT_CONSOLE.some((p) => path === p || path.startsWith(`${p}/`));
    // A missing file (anything with an extension) is a 404, not the console.
    if (reserved || /\.[A-Za-z0-9]+$/.test(path)) return reply.callNotFound();
    return reply.header('content-security-policy', CONSOLE_CSP).sendFile('index.html');
  });
}
