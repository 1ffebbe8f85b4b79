/** The only place that writes SQL for users, sessions, consumer systems and tokens. */
import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../db/index.js';
import { offsetOf, type PageRequest } from '../../kernel/pagination.js';
import type {
  ApiTokenRow,
  ApiTokenTable,
  AppUserRow,
  AppUserTable,
  ConsumerSystemRow,
  ConsumerSystemTable,
  Role,
} from './auth.table.js';

/** Narrows the user list: role, enabled or disabled, and part of the username or display name. */
export interface UserFilter {
  role?: Role | undefined;
  disabled?: boolean | undefined;
  q?: string | undefined;
}

export const authRepository = {
  async userByUsername(db: Executor, username: string): Promise<AppUserRow | undefined> {
    return db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
  },

  async userById(db: Executor, id: string): Promise<AppUserRow | undefined> {
    return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insertUser(db: Executor, row: Insertable<AppUserTable>): Promise<AppUserRow> {
    return db.insertInto('app_user').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async updateUser(
    db: Executor,
    id: string,
    patch: Updateable<AppUserTable>,
  ): Promise<AppUserRow | undefined> {
    return db.updateTable('app_user').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
  },

  async listUsers(
    db: Executor,
    orgId: string | null,
    page: PageRequest,
    filter: UserFilter = {},
  ): Promise<{ rows: AppUserRow[]; total: number }> {
    let q = db.selectFrom('app_user');
    if (orgId) q = q.where('org_id', '=', orgId);
    if (filter.role) q = q.where('role', '=', filter.role);
    if (filter.disabled !== undefined) q = q.where('disabled', '=', filter.disabled);
    if (filter.q) {
      const like = `%${filter.q.replace(/[%_\\]/g, '\\$&')}%`;
      q = q.where((eb) => eb.or([eb('username', 'ilike', like), eb('display_name', 'ilike', like)]));
    }
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('username').limit(page.pageSize).offset(offsetOf(page)).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async orgExists(db: Executor, orgId: string): Promise<boolean> {
    const r = await db
      .selectFrom('organization')
      .select('id')
      .where('id', '=', orgId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return r !== undefined;
  },

  async orgIdByCreditCode(db: Executor, creditCode: string): Promise<string | undefined> {
    const r = await db
      .selectFrom('organization')
      .select('id')
      .where('credit_code', '=', creditCode)
      .executeTakeFirst();
    return r?.id;
  },

  async insertSession(
    db: Executor,
    row: {
      id_hash: string;
      user_id: string;
      csrf_token: string;
      expires_at: Date;
      ip: string;
      user_agent: string;
    },
  ): Promise<void> {
    await db.insertInto('user_session').values(row).execute();
  },

  async sessionWithUser(db: Executor, idHash: string) {
    return db
      .selectFrom('user_session as s')
      .innerJoin('app_user as u', 'u.id', 's.user_id')
      .select([
        's.id_hash',
        's.csrf_token',
        's.expires_at',
        's.active_org_id',
        'u.id as user_id',
        'u.username',
        'u.display_name',
        'u.role',
        'u.org_id',
        'u.disabled',
      ])
      .where('s.id_hash', '=', idHash)
      .executeTakeFirst();
  },

  async deleteSession(db: Executor, idHash: string): Promise<void> {
    await db.deleteFrom('user_session').where('id_hash', '=', idHash).execute();
  },

  async deleteUserSessions(db: Executor, userId: string): Promise<void> {
    await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
  },

  async deleteExpiredSessions(db: Executor, now: Date): Promise<void> {
    await db.deleteFrom('user_session').where('expires_at', '<', now).execute();
  },

  async setActiveOrg(db: Executor, idHash: string, orgId: string): Promise<void> {
    await db
      .updateTable('user_session')
      .set({ active_org_id: orgId })
      .where('id_hash', '=', idHash)
      .execute();
  },

  async insertSystem(db: Executor, row: Insertable<ConsumerSystemTable>): Promise<ConsumerSystemRow> {
    return db.insertInto('consumer_system').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async systemById(db: Executor, id: string): Promise<ConsumerSystemRow | undefined> {
    return db.selectFrom('consumer_system').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async systemByCode(db: Executor, orgId: string, code: string): Promise<ConsumerSystemRow | undefined> {
    return db
      .selectFrom('consumer_system')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('code', '=', code)
      .executeTakeFirst();
  },

  async updateSystem(
    db: Executor,
    id: string,
    patch: Updateable<ConsumerSystemTable>,
  ): Promise<ConsumerSystemRow | undefined> {
    return db
      .updateTable('consumer_system')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  },

  async listSystems(
    db: Executor,
    orgId: string | null,
    page: PageRequest,
  ): Promise<{ rows: ConsumerSystemRow[]; total: number }> {
    let q = db.selectFrom('consumer_system');
    if (orgId) q = q.where('org_id', '=', orgId);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('created_at').limit(page.pageSize).offset(offsetOf(page)).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async insertToken(db: Executor, row: Insertable<ApiTokenTable>): Promise<ApiTokenRow> {
    return db.insertInto('api_token').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async tokensOfSystem(db: Executor, systemId: string): Promise<ApiTokenRow[]> {
    return db
      .selectFrom('api_token')
      .selectAll()
      .where('system_id', '=', systemId)
      .orderBy('created_at', 'desc')
      .execute();
  },

  async tokenById(db: Executor, id: string): Promise<ApiTokenRow | undefined> {
    return db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async revokeToken(db: Executor, id: string, at: Date): Promise<void> {
    await db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).execute();
  },

  async revokeSystemTokens(db: Executor, systemId: string, at: Date): Promise<void> {
    await db
      .updateTable('api_token')
      .set({ revoked_at: at })
      .where('system_id', '=', systemId)
      .where('revoked_at', 'is', null)
      .execute();
  },

  async activeTokenByHash(db: Executor, tokenHash: string) {
    return db
      .selectFrom('api_token as t')
      .innerJoin('consumer_system as s', 's.id', 't.system_id')
      .select([
        't.id',
        't.system_id',
        't.last_used_at',
        't.org_id',
        't.expires_at',
        't.revoked_at',
        's.status as system_status',
      ])
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst();
  },

  async touchToken(db: Executor, id: string, at: Date): Promise<void> {
    await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
  },
};
