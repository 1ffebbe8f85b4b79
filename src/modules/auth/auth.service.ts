/**
 * Identity and access: users with scrypt passwords and lockout, console sessions (HttpOnly cookie +
 * CSRF token), consuming systems with bearer tokens that are random, stored hashed, shown once,
 * expiring, revocable and bound to an organization and a registered system.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError, Problems } from '../../kernel/errors.js';
import { randomSecret } from '../../kernel/ids.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { checkCreditCode } from '../../kernel/validators.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { SystemActor, UserActor } from './auth.policy.js';
import { authRepository as repo, type UserFilter } from './auth.repository.js';
import { type ApiTokenRow, type AppUserRow, type ConsumerSystemRow, ROLES, type Role } from './auth.table.js';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scryptAsync(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that makes unknown usernames cost as much as known ones. */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

export const TOKEN_PREFIX = 'gst_';

export function passwordProblems(password: string, field = 'password'): Problems {
  const p = new Problems();
  if (password.length < 8 || password.length > 128) {
    p.add(field, 'password.length', '密码长度应为 8 到 128 个字符', 'Password must be 8 to 128 characters');
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) {
    p.add(
      field,
      'password.complexity',
      '密码须包含大写字母、小写字母、数字、符号中的至少三类',
      'Password must mix at least three of: upper case, lower case, digits, symbols',
    );
  }
  return p;
}

export interface UserView {
  id: string;
  orgId: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export function userView(u: AppUserRow): UserView {
  return {
    id: u.id,
    orgId: u.org_id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    disabled: u.disabled,
    lockedUntil: u.locked_until && u.locked_until > new Date() ? u.locked_until.toISOString() : null,
    lastLoginAt: u.last_login_at?.toISOString() ?? null,
    createdAt: u.created_at.toISOString(),
  };
}

export interface SystemView {
  id: string;
  orgId: string;
  code: string;
  name: string;
  description: string;
  status: 'active' | 'retired';
  createdAt: string;
}

function systemView(s: ConsumerSystemRow): SystemView {
  return {
    id: s.id,
    orgId: s.org_id,
    code: s.code,
    name: s.name,
    description: s.description,
    status: s.status,
    createdAt: s.created_at.toISOString(),
  };
}

export interface TokenView {
  id: string;
  systemId: string;
  orgId: string;
  name: string;
  /** The first characters, so an officer can tell tokens apart; the token itself is never shown again. */
  prefix: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  status: 'active' | 'expired' | 'revoked';
}

function tokenView(t: ApiTokenRow, now = new Date()): TokenView {
  return {
    id: t.id,
    systemId: t.system_id,
    orgId: t.org_id,
    name: t.name,
    prefix: t.prefix,
    expiresAt: t.expires_at.toISOString(),
    revokedAt: t.revoked_at?.toISOString() ?? null,
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
    createdAt: t.created_at.toISOString(),
    status: t.revoked_at ? 'revoked' : t.expires_at <= now ? 'expired' : 'active',
  };
}

export interface LoginResult {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: UserView;
}

export interface SessionInfo {
  actor: UserActor;
  csrfToken: string;
  displayName: string;
}

const USERNAME = /^[a-z][a-z0-9_.-]{2,31}$/;

/** Roles a department administrator may hand out; the platform roles stay with the platform office. */
const DEPT_GRANTABLE: readonly Role[] = ['dept_admin', 'data_officer', 'tech_officer'];

const TOKEN_TTL_MS = 2_000;

export class AuthService {
  private readonly tokenCache = new Map<string, { actor: SystemActor | null; expiresAt: Date; at: number }>();

  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
    readonly config: Pick<Config, 'sessionHours' | 'loginMaxFailures' | 'loginLockMinutes'>,
  ) {}

  // ── users ────────────────────────────────────────────────────────────────────────────────

  async createUser(
    meta: RequestMeta | null,
    input: { orgId: string; username: string; displayName: string; role: Role; password: string },
    grantor?: UserActor,
  ): Promise<UserView> {
    const p = new Problems();
    if (!USERNAME.test(input.username)) {
      p.add(
        'username',
        'username.format',
        '用户名须以小写字母开头，由 3 到 32 个小写字母、数字、_ . - 组成',
        'Username must start with a lower-case letter and have 3-32 of a-z 0-9 _ . -',
      );
    }
    if (!input.displayName.trim()) p.add('displayName', 'required', '姓名必填', 'Display name is required');
    if (!ROLES.includes(input.role))
      p.add('role', 'role.enum', '角色无效', `Role must be one of ${ROLES.join(', ')}`);
    if (grantor && grantor.role !== 'platform_admin' && !DEPT_GRANTABLE.includes(input.role)) {
      p.add(
        'role',
        'role.not_grantable',
        '部门管理员只能授予部门管理员、数据专员、技术专员角色',
        'A department administrator may grant only dept_admin, data_officer or tech_officer',
      );
    }
    p.addAll([...passwordProblems(input.password).items]);
    if (!(await repo.orgExists(this.db, input.orgId))) {
      p.add('orgId', 'org.exists', '所属单位不存在', 'Organization does not exist');
    }
    p.throwIfAny();
    if (await repo.userByUsername(this.db, input.username)) {
      throw DomainError.conflict({ zh: '用户名已被使用', en: 'Username is taken' }, [
        { field: 'username', rule: 'username.unique', zh: '用户名已被使用', en: 'Username is taken' },
      ]);
    }
    const password_hash = await hashPassword(input.password);
    const user = await this.audit.transaction(async (tx) => {
      const u = await repo.insertUser(tx, {
        org_id: input.orgId,
        username: input.username,
        display_name: input.displayName.trim(),
        role: input.role,
        password_hash,
        locked_until: null,
        last_login_at: null,
      });
      await this.audit.stage(tx, {
        ...(meta ?? { actor: { username: 'cli' } }),
        action: 'user.create',
        objectType: 'user',
        objectId: u.id,
        detail: { username: u.username, role: u.role, orgId: u.org_id },
      });
      return u;
    });
    return userView(user);
  }

  /** The organization with this unified social credit code (the CLI names organizations this way). */
  async orgIdByCreditCode(creditCode: string): Promise<string> {
    const check = checkCreditCode(creditCode.toUpperCase());
    if (!check.ok) {
      throw DomainError.validation([
        {
          field: 'org',
          rule: check.rule ?? 'credit_code',
          zh: check.zh ?? '统一社会信用代码无效',
          en: check.en ?? 'Invalid credit code',
        },
      ]);
    }
    const id = await repo.orgIdByCreditCode(this.db, creditCode.toUpperCase());
    if (!id) {
      throw DomainError.validation([
        {
          field: 'org',
          rule: 'org.exists',
          zh: `没有统一社会信用代码为 ${creditCode} 的单位`,
          en: `No organization has credit code ${creditCode}`,
        },
      ]);
    }
    return id;
  }

  async findUser(username: string): Promise<UserView | null> {
    const u = await repo.userByUsername(this.db, username);
    return u ? userView(u) : null;
  }

  async getUser(id: string): Promise<UserView> {
    const u = await repo.userById(this.db, id);
    if (!u) throw DomainError.notFound({ zh: '用户', en: 'User' });
    return userView(u);
  }

  async listUsers(orgId: string | null, page: PageRequest, filter: UserFilter = {}): Promise<Page<UserView>> {
    const q = filter.q?.trim();
    const { rows, total } = await repo.listUsers(this.db, orgId, page, { ...filter, q: q || undefined });
    return { items: rows.map(userView), total, page: page.page, pageSize: page.pageSize };
  }

  async updateUser(
    meta: RequestMeta,
    grantor: UserActor,
    id: string,
    patch: { displayName?: string; role?: Role; disabled?: boolean; unlock?: boolean },
  ): Promise<UserView> {
    const existing = await repo.userById(this.db, id);
    if (!existing) throw DomainError.notFound({ zh: '用户', en: 'User' });
    const p = new Problems();
    if (patch.role && grantor.role !== 'platform_admin' && !DEPT_GRANTABLE.includes(patch.role)) {
      p.add(
        'role',
        'role.not_grantable',
        '部门管理员不能授予该角色',
        'A department administrator may not grant this role',
      );
    }
    if (grantor.role !== 'platform_admin' && !DEPT_GRANTABLE.includes(existing.role)) {
      p.add(
        'id',
        'role.not_manageable',
        '不能修改平台角色的用户',
        'Users with platform roles are managed by the platform office',
      );
    }
    if (patch.displayName !== undefined && !patch.displayName.trim()) {
      p.add('displayName', 'required', '姓名必填', 'Display name is required');
    }
    if (id === grantor.userId && (patch.disabled === true || (patch.role && patch.role !== existing.role))) {
      p.add(
        'id',
        'self.lockout',
        '不能停用自己或修改自己的角色',
        'You cannot disable yourself or change your own role',
      );
    }
    p.throwIfAny();
    return userView(
      await this.audit.transaction(async (tx) => {
        const u = await repo.updateUser(tx, id, {
          ...(patch.displayName !== undefined ? { display_name: patch.displayName.trim() } : {}),
          ...(patch.role ? { role: patch.role } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          ...(patch.unlock ? { failed_attempts: 0, locked_until: null } : {}),
        });
        if (!u) throw DomainError.notFound({ zh: '用户', en: 'User' });
        if (patch.disabled || (patch.role && patch.role !== existing.role))
          await repo.deleteUserSessions(tx, id);
        await this.audit.stage(tx, {
          ...meta,
          action: 'user.update',
          objectType: 'user',
          objectId: id,
          detail: {
            changes: {
              ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
              ...(patch.role ? { role: patch.role } : {}),
              ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
              ...(patch.unlock ? { unlock: true } : {}),
            },
          },
        });
        return u;
      }),
    );
  }

  async setPassword(meta: RequestMeta | null, id: string, password: string): Promise<void> {
    passwordProblems(password).throwIfAny();
    const hash = await hashPassword(password);
    await this.audit.transaction(async (tx) => {
      const u = await repo.updateUser(tx, id, {
        password_hash: hash,
        failed_attempts: 0,
        locked_until: null,
      });
      if (!u) throw DomainError.notFound({ zh: '用户', en: 'User' });
      await repo.deleteUserSessions(tx, id);
      await this.audit.stage(tx, {
        ...(meta ?? { actor: { username: 'cli' } }),
        action: 'user.password.set',
        objectType: 'user',
        objectId: id,
      });
    });
  }

  // ── sessions ─────────────────────────────────────────────────────────────────────────────

  async login(
    username: string,
    password: string,
    ip: string,
    userAgent: string,
    requestId: string,
  ): Promise<LoginResult> {
    const now = new Date();
    const user = await repo.userByUsername(this.db, username);
    const valid = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    const base = { requestId, ip, objectType: 'user' as const };
    const invalid = new DomainError('UNAUTHENTICATED', {
      zh: '用户名或密码错误',
      en: 'Wrong username or password',
    });
    if (!user) {
      await this.audit.record({
        ...base,
        actor: { username },
        action: 'auth.login',
        outcome: 'denied',
        detail: { reason: 'unknown_user' },
      });
      throw invalid;
    }
    const actor = { userId: user.id, username: user.username, orgId: user.org_id };
    if (user.locked_until && user.locked_until > now) {
      await this.audit.record({
        ...base,
        actor,
        action: 'auth.login',
        objectId: user.id,
        outcome: 'denied',
        detail: { reason: 'locked' },
      });
      throw new DomainError('ACCOUNT_LOCKED', {
        zh: `账号已锁定，请于 ${user.locked_until.toISOString()} 后再试或联系管理员解锁`,
        en: `Account locked until ${user.locked_until.toISOString()}; try later or ask an administrator to unlock it`,
      });
    }
    if (user.disabled) {
      await this.audit.record({
        ...base,
        actor,
        action: 'auth.login',
        objectId: user.id,
        outcome: 'denied',
        detail: { reason: 'disabled' },
      });
      throw new DomainError('UNAUTHENTICATED', { zh: '账号已停用', en: 'Account disabled' });
    }
    if (!valid) {
      const failures = user.failed_attempts + 1;
      const lock = failures >= this.config.loginMaxFailures;
      await this.audit.transaction(async (tx) => {
        await repo.updateUser(tx, user.id, {
          failed_attempts: lock ? 0 : failures,
          locked_until: lock
            ? new Date(now.getTime() + this.config.loginLockMinutes * 60_000)
            : user.locked_until,
        });
        await this.audit.stage(tx, {
          ...base,
          actor,
          action: lock ? 'auth.lockout' : 'auth.login',
          objectId: user.id,
          outcome: 'denied',
          detail: { reason: 'bad_password', failures },
        });
      });
      throw invalid;
    }
    const sessionId = randomSecret(32);
    const csrfToken = randomSecret(24);
    const expiresAt = new Date(now.getTime() + this.config.sessionHours * 3_600_000);
    const updated = await this.audit.transaction(async (tx) => {
      await repo.deleteExpiredSessions(tx, now);
      await repo.insertSession(tx, {
        id_hash: sm3Hex(sessionId),
        user_id: user.id,
        csrf_token: csrfToken,
        expires_at: expiresAt,
        ip,
        user_agent: userAgent.slice(0, 300),
      });
      const u = await repo.updateUser(tx, user.id, {
        failed_attempts: 0,
        locked_until: null,
        last_login_at: now,
      });
      await this.audit.stage(tx, { ...base, actor, action: 'auth.login', objectId: user.id, detail: {} });
      return u ?? user;
    });
    return { sessionId, csrfToken, expiresAt, user: userView(updated) };
  }

  async session(sessionId: string): Promise<SessionInfo | null> {
    const idHash = sm3Hex(sessionId);
    const s = await repo.sessionWithUser(this.db, idHash);
    if (!s || s.disabled || s.expires_at <= new Date()) return null;
    return {
      csrfToken: s.csrf_token,
      displayName: s.display_name,
      actor: {
        kind: 'user',
        userId: s.user_id,
        username: s.username,
        role: s.role,
        homeOrgId: s.org_id,
        orgId: s.active_org_id ?? s.org_id,
        sessionId: idHash,
      },
    };
  }

  async logout(meta: RequestMeta, actor: UserActor): Promise<void> {
    await this.audit.transaction(async (tx) => {
      await repo.deleteSession(tx, actor.sessionId);
      await this.audit.stage(tx, {
        ...meta,
        action: 'auth.logout',
        objectType: 'user',
        objectId: actor.userId,
      });
    });
  }

  async switchOrg(meta: RequestMeta, actor: UserActor, orgId: string): Promise<void> {
    if (!(await repo.orgExists(this.db, orgId))) {
      throw DomainError.validation([
        { field: 'orgId', rule: 'org.exists', zh: '单位不存在', en: 'Organization does not exist' },
      ]);
    }
    await this.audit.transaction(async (tx) => {
      await repo.setActiveOrg(tx, actor.sessionId, orgId);
      await this.audit.stage(tx, {
        ...meta,
        action: 'auth.switch_org',
        objectType: 'organization',
        objectId: orgId,
        detail: { from: actor.orgId },
      });
    });
  }

  // ── consuming systems and their tokens ──────────────────────────────────────────────────

  async createSystem(
    meta: RequestMeta,
    input: { orgId: string; code: string; name: string; description?: string },
  ): Promise<SystemView> {
    const p = new Problems();
    if (!/^[A-Za-z0-9_-]{2,64}$/.test(input.code)) {
      p.add(
        'code',
        'system.code.format',
        '系统编码须为 2 到 64 位字母、数字、_ 或 -',
        'Code must be 2-64 of A-Z a-z 0-9 _ -',
      );
    }
    if (!input.name.trim()) p.add('name', 'required', '系统名称必填', 'Name is required');
    if (!(await repo.orgExists(this.db, input.orgId)))
      p.add('orgId', 'org.exists', '单位不存在', 'Organization does not exist');
    p.throwIfAny();
    if (await repo.systemByCode(this.db, input.orgId, input.code)) {
      throw DomainError.conflict(
        { zh: '本单位已有该编码的系统', en: 'Your organization already has a system with this code' },
        [{ field: 'code', rule: 'system.code.unique', zh: '系统编码已存在', en: 'Code already used' }],
      );
    }
    const s = await this.audit.transaction(async (tx) => {
      const row = await repo.insertSystem(tx, {
        org_id: input.orgId,
        code: input.code,
        name: input.name.trim(),
        description: input.description ?? '',
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'system.create',
        objectType: 'consumer_system',
        objectId: row.id,
        detail: { code: row.code, name: row.name, orgId: row.org_id },
      });
      return row;
    });
    return systemView(s);
  }

  async getSystem(id: string): Promise<SystemView> {
    const s = await repo.systemById(this.db, id);
    if (!s) throw DomainError.notFound({ zh: '业务系统', en: 'Consumer system' });
    return systemView(s);
  }

  async listSystems(orgId: string | null, page: PageRequest): Promise<Page<SystemView>> {
    const { rows, total } = await repo.listSystems(this.db, orgId, page);
    return { items: rows.map(systemView), total, page: page.page, pageSize: page.pageSize };
  }

  /** Retiring a system revokes all its tokens in the same transaction. */
  async updateSystem(
    meta: RequestMeta,
    id: string,
    patch: { name?: string; description?: string; status?: 'active' | 'retired' },
  ): Promise<SystemView> {
    if (patch.name !== undefined && !patch.name.trim()) {
      throw DomainError.validation([
        { field: 'name', rule: 'required', zh: '系统名称必填', en: 'Name is required' },
      ]);
    }
    const s = await this.audit.transaction(async (tx) => {
      const row = await repo.updateSystem(tx, id, {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.status ? { status: patch.status } : {}),
      });
      if (!row) throw DomainError.notFound({ zh: '业务系统', en: 'Consumer system' });
      if (patch.status === 'retired') {
        await repo.revokeSystemTokens(tx, id, new Date());
        this.tokenCache.clear();
      }
      await this.audit.stage(tx, {
        ...meta,
        action: 'system.update',
        objectType: 'consumer_system',
        objectId: id,
        detail: { changes: { ...patch } },
      });
      return row;
    });
    return systemView(s);
  }

  /** Issues a token; the returned secret is shown this once and stored only as its SM3 hash. */
  async issueToken(
    meta: RequestMeta,
    actor: UserActor,
    systemId: string,
    input: { name: string; expiresInDays: number },
  ): Promise<{ token: string; view: TokenView }> {
    const sys = await repo.systemById(this.db, systemId);
    if (!sys) throw DomainError.notFound({ zh: '业务系统', en: 'Consumer system' });
    if (sys.status !== 'active') {
      throw DomainError.invalidState({
        zh: '系统已停用，不能签发令牌',
        en: 'The system is retired; no tokens can be issued',
      });
    }
    const p = new Problems();
    if (!input.name.trim()) p.add('name', 'required', '令牌名称必填', 'Name is required');
    if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > 366) {
      p.add('expiresInDays', 'range', '有效期应为 1 到 366 天', 'Validity must be 1 to 366 days');
    }
    p.throwIfAny();
    const secret = `${TOKEN_PREFIX}${randomSecret(32)}`;
    const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
    const row = await this.audit.transaction(async (tx) => {
      const t = await repo.insertToken(tx, {
        system_id: sys.id,
        org_id: sys.org_id,
        name: input.name.trim(),
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        token_hash: sm3Hex(secret),
        expires_at: expiresAt,
        revoked_at: null,
        created_by: actor.userId,
        last_used_at: null,
      });
      await this.audit.stage(tx, {
        ...meta,
        action: 'token.issue',
        objectType: 'api_token',
        objectId: t.id,
        detail: { systemId: sys.id, name: t.name, expiresAt: expiresAt.toISOString() },
      });
      return t;
    });
    return { token: secret, view: tokenView(row) };
  }

  async listTokens(systemId: string): Promise<TokenView[]> {
    const now = new Date();
    return (await repo.tokensOfSystem(this.db, systemId)).map((t) => tokenView(t, now));
  }

  async tokenOwner(tokenId: string): Promise<ApiTokenRow> {
    const t = await repo.tokenById(this.db, tokenId);
    if (!t) throw DomainError.notFound({ zh: '令牌', en: 'Token' });
    return t;
  }

  async revokeToken(meta: RequestMeta, tokenId: string): Promise<TokenView> {
    const t = await this.tokenOwner(tokenId);
    if (t.revoked_at) return tokenView(t);
    const at = new Date();
    await this.audit.transaction(async (tx) => {
      await repo.revokeToken(tx, tokenId, at);
      await this.audit.stage(tx, {
        ...meta,
        action: 'token.revoke',
        objectType: 'api_token',
        objectId: tokenId,
        detail: { systemId: t.system_id },
      });
    });
    this.tokenCache.clear();
    return tokenView({ ...t, revoked_at: at });
  }

  /**
   * Resolves a bearer token to its system; null for unknown, revoked, expired or retired. The exchange
   * gate calls this on every request, so answers are kept for a moment (revocation on this node
   * drops them at once; other nodes within TOKEN_TTL_MS) and last_used_at is written at most once a minute.
   */
  async authenticateToken(secret: string): Promise<SystemActor | null> {
    if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
    const hash = sm3Hex(secret);
    const now = new Date();
    const hit = this.tokenCache.get(hash);
    if (hit && now.getTime() - hit.at < TOKEN_TTL_MS) {
      return hit.actor && hit.expiresAt > now ? hit.actor : null;
    }
    const t = await repo.activeTokenByHash(this.db, hash);
    const actor: SystemActor | null =
      !t || t.revoked_at || t.expires_at <= now || t.system_status !== 'active'
        ? null
        : { kind: 'system', systemId: t.system_id, orgId: t.org_id, tokenId: t.id };
    this.tokenCache.set(hash, { actor, expiresAt: t?.expires_at ?? now, at: now.getTime() });
    if (this.tokenCache.size > 10_000) this.tokenCache.clear();
    if (actor && t && (!t.last_used_at || now.getTime() - t.last_used_at.getTime() > 60_000)) {
      await repo.touchToken(this.db, t.id, now);
    }
    return actor;
  }
}
