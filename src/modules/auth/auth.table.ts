import type { ColumnType, Generated, Selectable } from 'kysely';

export type Role = 'platform_admin' | 'auditor' | 'dept_admin' | 'data_officer' | 'tech_officer';
export const ROLES: readonly Role[] = [
  'platform_admin',
  'auditor',
  'dept_admin',
  'data_officer',
  'tech_officer',
];

export interface AppUserTable {
  id: Generated<string>;
  org_id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  failed_attempts: Generated<number>;
  locked_until: Date | null;
  disabled: Generated<boolean>;
  last_login_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface UserSessionTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  active_org_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  expires_at: Date;
  ip: Generated<string>;
  user_agent: Generated<string>;
}

export interface ConsumerSystemTable {
  id: Generated<string>;
  org_id: string;
  code: string;
  name: string;
  description: Generated<string>;
  status: Generated<'active' | 'retired'>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface ApiTokenTable {
  id: Generated<string>;
  system_id: string;
  org_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  expires_at: Date;
  revoked_at: Date | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  last_used_at: Date | null;
}

export type AppUserRow = Selectable<AppUserTable>;
export type ConsumerSystemRow = Selectable<ConsumerSystemTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
