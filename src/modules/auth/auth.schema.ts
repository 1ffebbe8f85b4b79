import { type Static, Type } from '@fastify/type-provider-typebox';

export const RoleSchema = Type.Union(
  [
    Type.Literal('platform_admin'),
    Type.Literal('auditor'),
    Type.Literal('dept_admin'),
    Type.Literal('data_officer'),
    Type.Literal('tech_officer'),
  ],
  {
    description:
      'platform_admin 平台管理员 · auditor 审计员 · dept_admin 部门管理员 · data_officer 数据专员 · tech_officer 技术专员',
  },
);

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid });

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64, examples: ['ga_officer'] }),
    password: Type.String({ minLength: 1, maxLength: 128, examples: ['Demo@2026'] }),
  },
  { additionalProperties: false },
);

export const UserSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

export const MeSchema = Type.Object({
  user: UserSchema,
  activeOrgId: Type.String({
    description: 'The organization the user acts for (platform admins may switch)',
  }),
  csrfToken: Type.String({ description: 'Send as the x-csrf-token header on every change' }),
  permissions: Type.Array(Type.String(), { description: 'The actions this user may perform' }),
});

export const CreateUserBody = Type.Object(
  {
    orgId: Uuid,
    username: Type.String({ examples: ['mz_clerk'] }),
    displayName: Type.String({ examples: ['王芳'] }),
    role: RoleSchema,
    password: Type.String({
      description: 'At least 8 characters mixing three of upper, lower, digits, symbols',
    }),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(Type.String()),
    role: Type.Optional(RoleSchema),
    disabled: Type.Optional(Type.Boolean()),
    unlock: Type.Optional(Type.Boolean({ description: 'Clear a lockout after repeated failed logins' })),
  },
  { additionalProperties: false },
);

export const PasswordBody = Type.Object({ password: Type.String() }, { additionalProperties: false });

export const UserListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  orgId: Type.Optional(Uuid),
});

export const UserFilterQuery = Type.Object({
  ...UserListQuery.properties,
  role: Type.Optional(RoleSchema),
  q: Type.Optional(
    Type.String({ maxLength: 64, description: 'Part of the username or display name', examples: ['mz_'] }),
  ),
  disabled: Type.Optional(
    Type.Boolean({ description: 'true: only disabled users; false: only enabled ones' }),
  ),
});

export function pageOf<T extends ReturnType<typeof Type.Object>>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });
}

export const SystemSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
  createdAt: Type.String(),
});

export const CreateSystemBody = Type.Object(
  {
    orgId: Type.Optional(Uuid),
    code: Type.String({ examples: ['mz-dibao'] }),
    name: Type.String({ examples: ['最低生活保障审批系统'] }),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const UpdateSystemBody = Type.Object(
  {
    name: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('retired')])),
  },
  { additionalProperties: false },
);

export const TokenSchema = Type.Object({
  id: Type.String(),
  systemId: Type.String(),
  orgId: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
});

export const IssueTokenBody = Type.Object(
  {
    name: Type.String({ examples: ['生产环境'] }),
    expiresInDays: Type.Integer({ minimum: 1, maximum: 366, default: 90 }),
  },
  { additionalProperties: false },
);

export const IssuedTokenSchema = Type.Object({
  token: Type.String({ description: 'The bearer token. Shown only in this answer; store it now.' }),
  tokenInfo: TokenSchema,
});

export type CreateUserBodyT = Static<typeof CreateUserBody>;
