/**
 * Sign-in, sessions, users, consuming systems and their tokens. Also the authentication hook that
 * turns a session cookie or a bearer token into req.actor, and the CSRF check on changes.
 */
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { DomainError } from '../../kernel/errors.js';
import { pageRequest } from '../../kernel/pagination.js';
import type { Services } from '../../services.js';
import { type Action, authorize, isAllowed, listScope, PERMISSIONS, requireUser } from './auth.policy.js';
import {
  CreateSystemBody,
  CreateUserBody,
  IdParams,
  IssuedTokenSchema,
  IssueTokenBody,
  LoginBody,
  MeSchema,
  PasswordBody,
  pageOf,
  SystemSchema,
  TokenSchema,
  UpdateSystemBody,
  UpdateUserBody,
  UserFilterQuery,
  UserListQuery,
  UserSchema,
} from './auth.schema.js';

export const SESSION_COOKIE = 'gs_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Console API paths open without a session. */
const PUBLIC_API = new Set(['/api/v1/auth/login']);

/** Resolves the caller on every request. Routes then authorize explicitly. */
export function installAuthentication(app: FastifyInstance, services: Services): void {
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (req) => {
    req.actor = { kind: 'anonymous' };
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const actor = await services.auth.authenticateToken(auth.slice(7).trim());
      if (actor) req.actor = actor;
      return;
    }
    const sid = req.cookies[SESSION_COOKIE];
    const session = sid ? await services.auth.session(sid) : null;
    if (!session) {
      // The console API is for signed-in users only; say so before parsing anything else.
      if (req.url.startsWith('/api/v1/') && !PUBLIC_API.has(req.url.split('?')[0] ?? '')) {
        throw new DomainError('UNAUTHENTICATED', { zh: '请先登录', en: 'Sign in first' });
      }
      return;
    }
    req.actor = session.actor;
    if (UNSAFE.has(req.method) && req.headers['x-csrf-token'] !== session.csrfToken) {
      throw new DomainError('CSRF', {
        zh: '缺少或错误的 x-csrf-token 请求头',
        en: 'Missing or wrong x-csrf-token header',
      });
    }
  });
}

function setSessionCookie(reply: FastifyReply, value: string, expires: Date, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires });
}

const PERMISSION_LIST = Object.keys(PERMISSIONS) as Action[];

export const authRoutes: RoutesPlugin = async (app, { services }) => {
  const { auth, config } = services;

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: '登录 Sign in',
        description: 'Sets an HttpOnly session cookie and returns the CSRF token to send on changes.',
        body: LoginBody,
        response: { 200: MeSchema },
      },
      config: { rateLimit: { max: config.loginRateLimit, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const r = await auth.login(
        req.body.username,
        req.body.password,
        req.ip,
        String(req.headers['user-agent'] ?? ''),
        String(req.id),
      );
      setSessionCookie(reply, r.sessionId, r.expiresAt, config.secureCookies);
      const actor = { kind: 'user', role: r.user.role, orgId: r.user.orgId } as const;
      return {
        user: r.user,
        activeOrgId: r.user.orgId,
        csrfToken: r.csrfToken,
        permissions: PERMISSION_LIST.filter((a) =>
          isAllowed(
            {
              ...actor,
              userId: r.user.id,
              username: r.user.username,
              homeOrgId: r.user.orgId,
              sessionId: '',
            },
            a,
          ),
        ),
      };
    },
  );

  app.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: '当前用户 Who am I', response: { 200: MeSchema } } },
    async (req) => {
      const actor = requireUser(req.actor);
      const sid = req.cookies[SESSION_COOKIE] ?? '';
      const session = await auth.session(sid);
      if (!session) throw new DomainError('UNAUTHENTICATED', { zh: '请先登录', en: 'Sign in first' });
      return {
        user: await auth.getUser(actor.userId),
        activeOrgId: actor.orgId,
        csrfToken: session.csrfToken,
        permissions: PERMISSION_LIST.filter((a) => isAllowed(actor, a)),
      };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: '退出 Sign out', response: { 204: Type.Null() } } },
    async (req, reply) => {
      const actor = requireUser(req.actor);
      await auth.logout(metaOf(req), actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/switch-org',
    {
      schema: {
        tags: ['auth'],
        summary: '切换单位 Act for another organization (platform office)',
        body: Type.Object({ orgId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'session.switch_org');
      await auth.switchOrg(metaOf(req), actor, req.body.orgId);
      return reply.status(204).send(null);
    },
  );

  // ── users ──
  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: '用户列表 Users',
        description:
          'Filter by organization, role, enabled/disabled and part of the username or display name.',
        querystring: UserFilterQuery,
        response: { 200: pageOf(UserSchema) },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'users.read', req.query.orgId ?? null);
      const scope = listScope(actor, 'users.read') ?? req.query.orgId ?? null;
      const { role, q, disabled } = req.query;
      return auth.listUsers(scope, pageRequest(req.query.page, req.query.pageSize), { role, q, disabled });
    },
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: '新建用户 Create a user',
        body: CreateUserBody,
        response: { 201: UserSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'users.write', req.body.orgId);
      const user = await auth.createUser(metaOf(req), req.body, actor);
      return reply.status(201).send(user);
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: '用户详情 A user',
        params: IdParams,
        response: { 200: UserSchema },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const user = await auth.getUser(req.params.id);
      authorize(req.actor, 'users.read', user.orgId);
      return user;
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: '修改用户 Change a user',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserSchema },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const user = await auth.getUser(req.params.id);
      const actor = authorize(req.actor, 'users.write', user.orgId);
      return auth.updateUser(metaOf(req), actor, req.params.id, req.body);
    },
  );

  app.put(
    '/users/:id/password',
    {
      schema: {
        tags: ['users'],
        summary: '重置密码 Set a password',
        params: IdParams,
        body: PasswordBody,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const actor = requireUser(req.actor);
      const user = await auth.getUser(req.params.id);
      // Everyone may change their own password; administrators may set others' within their scope.
      if (user.id !== actor.userId) authorize(req.actor, 'users.write', user.orgId);
      await auth.setPassword(metaOf(req), req.params.id, req.body.password);
      return reply.status(204).send(null);
    },
  );

  // ── consuming systems ──
  app.get(
    '/systems',
    {
      schema: {
        tags: ['systems'],
        summary: '业务系统 Consumer systems',
        querystring: UserListQuery,
        response: { 200: pageOf(SystemSchema) },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'systems.read', req.query.orgId ?? null);
      const scope = listScope(actor, 'systems.read') ?? req.query.orgId ?? null;
      return auth.listSystems(scope, pageRequest(req.query.page, req.query.pageSize));
    },
  );

  app.post(
    '/systems',
    {
      schema: {
        tags: ['systems'],
        summary: '登记业务系统 Register a system',
        body: CreateSystemBody,
        response: { 201: SystemSchema },
      },
    },
    async (req, reply) => {
      const user = requireUser(req.actor);
      const orgId = req.body.orgId ?? user.orgId;
      authorize(req.actor, 'systems.write', orgId);
      const s = await auth.createSystem(metaOf(req), { ...req.body, orgId });
      return reply.status(201).send(s);
    },
  );

  app.get(
    '/systems/:id',
    {
      schema: {
        tags: ['systems'],
        summary: '业务系统详情 A system',
        params: IdParams,
        response: { 200: SystemSchema },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const s = await auth.getSystem(req.params.id);
      authorize(req.actor, 'systems.read', s.orgId);
      return s;
    },
  );

  app.patch(
    '/systems/:id',
    {
      schema: {
        tags: ['systems'],
        summary: '修改或停用系统 Change or retire a system',
        params: IdParams,
        body: UpdateSystemBody,
        response: { 200: SystemSchema },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const s = await auth.getSystem(req.params.id);
      authorize(req.actor, 'systems.write', s.orgId);
      return auth.updateSystem(metaOf(req), req.params.id, req.body);
    },
  );

  app.get(
    '/systems/:id/tokens',
    {
      schema: {
        tags: ['systems'],
        summary: '令牌列表 Tokens of a system',
        params: IdParams,
        response: { 200: Type.Array(TokenSchema) },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const s = await auth.getSystem(req.params.id);
      authorize(req.actor, 'systems.read', s.orgId);
      return auth.listTokens(s.id);
    },
  );

  app.post(
    '/systems/:id/tokens',
    {
      schema: {
        tags: ['systems'],
        summary: '签发令牌 Issue a token (shown once)',
        params: IdParams,
        body: IssueTokenBody,
        response: { 201: IssuedTokenSchema },
      },
    },
    async (req, reply) => {
      requireUser(req.actor);
      const s = await auth.getSystem(req.params.id);
      const actor = authorize(req.actor, 'tokens.write', s.orgId);
      const r = await auth.issueToken(metaOf(req), actor, s.id, req.body);
      reply.header('cache-control', 'no-store');
      return reply.status(201).send({ token: r.token, tokenInfo: r.view });
    },
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags: ['systems'],
        summary: '吊销令牌 Revoke a token',
        params: IdParams,
        response: { 200: TokenSchema },
      },
    },
    async (req) => {
      requireUser(req.actor);
      const t = await auth.tokenOwner(req.params.id);
      authorize(req.actor, 'tokens.write', t.org_id);
      return auth.revokeToken(metaOf(req), req.params.id);
    },
  );
};

/** The exchange API's identity check: a department's developer tests a token with it. */
export const exchangeIdentityRoutes: RoutesPlugin = async (app, { services }) => {
  app.get(
    '/whoami',
    {
      schema: {
        tags: ['exchange'],
        summary: '令牌自检 Which system is this token?',
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({
            systemId: Type.String(),
            systemCode: Type.String(),
            orgId: Type.String(),
            tokenId: Type.String(),
          }),
        },
      },
    },
    async (req) => {
      if (req.actor.kind !== 'system') {
        throw new DomainError('UNAUTHENTICATED', {
          zh: '需要有效的 Bearer 令牌',
          en: 'A valid Bearer token is required',
        });
      }
      const a = req.actor;
      const s = await services.auth.getSystem(a.systemId);
      await services.audit.record({
        ...metaOf(req),
        action: 'exchange.whoami',
        objectType: 'consumer_system',
        objectId: a.systemId,
      });
      return { systemId: a.systemId, systemCode: s.code, orgId: a.orgId, tokenId: a.tokenId };
    },
  );
};
