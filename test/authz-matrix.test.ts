/**
 * The authorization matrix: every console endpoint, tried with every role and with no session.
 * A role the permission table allows gets past authorization; every other role gets 403; no session
 * gets 401. Then department A (市公安局) tries to change department B's (市民政局) things: 403 each time.
 * A new endpoint that is not in the table below fails the completeness test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCreditCode } from '../src/demo/index.js';
import { type Action, PERMISSIONS } from '../src/modules/auth/auth.policy.js';
import { ROLES, type Role } from '../src/modules/auth/auth.table.js';
import { json, login, type Session, type TestApp, testApp } from './helpers.js';

const ROLE_USERS: Record<Role, string> = {
  platform_admin: 'admin',
  auditor: 'auditor',
  dept_admin: 'ga_admin',
  data_officer: 'ga_officer',
  tech_officer: 'ga_tech',
};

interface Ctx {
  gaOrg: string;
  mzOrg: string;
  gaSystem: string;
  mzSystem: string;
  gaToken: string;
  mzToken: string;
  gaUser: string;
  mzUser: string;
  n: number;
  day: number;
  /** Catalog fixtures of 市公安局 (ga) and 市民政局 (mz). */
  gaPublished: string;
  gaPublished2: string;
  gaDraft: string;
  gaDrafts: string[];
  gaSubmitted: string;
  mzDraft: string;
  mzPublished: string;
  task: string;
  gaDemand: string;
  mzDemand: string;
  /** An application of 市民政局 to 市公安局's resource, supplied: its grant. */
  application: string;
  grant: string;
  source: string;
}

function catalogEntry(providerOrgId: string, name: string) {
  return {
    classCode: '309001',
    className: '部门信息资源/矩阵/测试',
    name,
    providerOrgId,
    summary: '授权矩阵测试资源',
    formatCategory: 'database',
    formatType: 'PostgreSQL',
    shareType: 'unconditional',
    shareModes: ['api'],
    openType: 'not_open',
    updateCycle: 'daily',
    dataGrade: 'general',
    items: [{ name: '统一社会信用代码', dataType: 'C', length: 18 }],
  };
}

function dayAfter(start: string, days: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

interface Req {
  url: string;
  payload?: Record<string, unknown>;
}

interface Case {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the OpenAPI document names it. */
  path: string;
  /** The permission checked; 'self' = any signed-in user. */
  action: Action | 'self';
  req: (c: Ctx) => Req;
  /** The same request aimed at department B's things, for actions scoped to one's own organization. */
  other?: (c: Ctx) => Req;
  /** Needs a session of its own (it ends or changes the session). */
  freshSession?: boolean;
  /** The target may be invisible to a refused role: 404 is then as good a refusal as 403. */
  hidden?: boolean;
  /**
   * Past the route's permission, the service checks which party the actor is to the object (applicant,
   * provider, its head, the platform office): a permitted role that is not the right party gets 403 too.
   * The matrix then checks refusals of roles without the permission; the party rules have their own tests.
   */
  partyChecked?: boolean;
}

const CASES: Case[] = [
  { method: 'GET', path: '/api/v1/auth/me', action: 'self', req: () => ({ url: '/api/v1/auth/me' }) },
  {
    method: 'POST',
    path: '/api/v1/auth/logout',
    action: 'self',
    freshSession: true,
    req: () => ({ url: '/api/v1/auth/logout' }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/switch-org',
    action: 'session.switch_org',
    freshSession: true,
    req: (c) => ({ url: '/api/v1/auth/switch-org', payload: { orgId: c.gaOrg } }),
  },
  // users
  {
    method: 'GET',
    path: '/api/v1/users',
    action: 'users.read',
    req: (c) => ({ url: `/api/v1/users?orgId=${c.gaOrg}` }),
    other: (c) => ({ url: `/api/v1/users?orgId=${c.mzOrg}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    action: 'users.write',
    req: (c) => ({
      url: '/api/v1/users',
      payload: {
        orgId: c.gaOrg,
        username: `m_user${c.n++}`,
        displayName: '矩阵',
        role: 'data_officer',
        password: 'Matrix#2026',
      },
    }),
    other: (c) => ({
      url: '/api/v1/users',
      payload: {
        orgId: c.mzOrg,
        username: `m_user${c.n++}`,
        displayName: '矩阵',
        role: 'data_officer',
        password: 'Matrix#2026',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/users/{id}',
    action: 'users.read',
    req: (c) => ({ url: `/api/v1/users/${c.gaUser}` }),
    other: (c) => ({ url: `/api/v1/users/${c.mzUser}` }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/{id}',
    action: 'users.write',
    req: (c) => ({ url: `/api/v1/users/${c.gaUser}`, payload: { displayName: '矩阵目标' } }),
    other: (c) => ({ url: `/api/v1/users/${c.mzUser}`, payload: { displayName: '越权' } }),
  },
  {
    method: 'PUT',
    path: '/api/v1/users/{id}/password',
    action: 'users.write',
    req: (c) => ({ url: `/api/v1/users/${c.gaUser}/password`, payload: { password: 'Matrix#2027' } }),
    other: (c) => ({ url: `/api/v1/users/${c.mzUser}/password`, payload: { password: 'Matrix#2027' } }),
  },
  // consuming systems and tokens
  {
    method: 'GET',
    path: '/api/v1/systems',
    action: 'systems.read',
    req: (c) => ({ url: `/api/v1/systems?orgId=${c.gaOrg}` }),
    other: (c) => ({ url: `/api/v1/systems?orgId=${c.mzOrg}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/systems',
    action: 'systems.write',
    req: (c) => ({
      url: '/api/v1/systems',
      payload: { orgId: c.gaOrg, code: `m-sys-${c.n++}`, name: '矩阵系统' },
    }),
    other: (c) => ({
      url: '/api/v1/systems',
      payload: { orgId: c.mzOrg, code: `m-sys-${c.n++}`, name: '越权系统' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{id}',
    action: 'systems.read',
    req: (c) => ({ url: `/api/v1/systems/${c.gaSystem}` }),
    other: (c) => ({ url: `/api/v1/systems/${c.mzSystem}` }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/systems/{id}',
    action: 'systems.write',
    req: (c) => ({ url: `/api/v1/systems/${c.gaSystem}`, payload: { description: '矩阵测试' } }),
    other: (c) => ({ url: `/api/v1/systems/${c.mzSystem}`, payload: { status: 'retired' } }),
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{id}/tokens',
    action: 'systems.read',
    req: (c) => ({ url: `/api/v1/systems/${c.gaSystem}/tokens` }),
    other: (c) => ({ url: `/api/v1/systems/${c.mzSystem}/tokens` }),
  },
  {
    method: 'POST',
    path: '/api/v1/systems/{id}/tokens',
    action: 'tokens.write',
    req: (c) => ({ url: `/api/v1/systems/${c.gaSystem}/tokens`, payload: { name: 'm', expiresInDays: 1 } }),
    other: (c) => ({ url: `/api/v1/systems/${c.mzSystem}/tokens`, payload: { name: 'm', expiresInDays: 1 } }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/tokens/{id}',
    action: 'tokens.write',
    req: (c) => ({ url: `/api/v1/tokens/${c.gaToken}` }),
    other: (c) => ({ url: `/api/v1/tokens/${c.mzToken}` }),
  },
  // organizations and officers
  { method: 'GET', path: '/api/v1/orgs', action: 'orgs.read', req: () => ({ url: '/api/v1/orgs' }) },
  {
    method: 'GET',
    path: '/api/v1/orgs/tree',
    action: 'orgs.read',
    req: () => ({ url: '/api/v1/orgs/tree' }),
  },
  {
    method: 'GET',
    path: '/api/v1/orgs/{id}',
    action: 'orgs.read',
    req: (c) => ({ url: `/api/v1/orgs/${c.mzOrg}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/orgs',
    action: 'orgs.create',
    req: (c) => {
      const base = `MB19${String(c.n++).padStart(4, '0')}`;
      return {
        url: '/api/v1/orgs',
        payload: {
          name: `咸宁市矩阵测试局${c.n}`,
          shortName: `矩阵${c.n}`,
          kind: 'department',
          level: 'city',
          divisionCode: '421200',
          creditCode: demoCreditCode({ authority: '11', divisionCode: '421200', orgCodeBase: base }),
          parentId: null,
        },
      };
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/orgs/{id}',
    action: 'orgs.update',
    req: (c) => ({ url: `/api/v1/orgs/${c.gaOrg}`, payload: { nameEn: 'Xianning Public Security Bureau' } }),
    other: (c) => ({ url: `/api/v1/orgs/${c.mzOrg}`, payload: { nameEn: 'hijacked' } }),
  },
  {
    method: 'GET',
    path: '/api/v1/orgs/{id}/officers',
    action: 'officers.read',
    req: (c) => ({ url: `/api/v1/orgs/${c.mzOrg}/officers` }),
  },
  {
    method: 'POST',
    path: '/api/v1/orgs/{id}/officers',
    action: 'officers.write',
    req: (c) => ({
      url: `/api/v1/orgs/${c.gaOrg}/officers`,
      // Each accepted change must start after the previous one.
      payload: {
        duty: 'technical_officer',
        name: '矩阵',
        effectiveFrom: dayAfter('2026-10-01', c.day++),
      },
    }),
    other: (c) => ({
      url: `/api/v1/orgs/${c.mzOrg}/officers`,
      payload: { duty: 'technical_officer', name: '越权', effectiveFrom: '2026-11-20' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/officers',
    action: 'officers.read',
    req: () => ({ url: '/api/v1/officers' }),
  },
  {
    method: 'GET',
    path: '/api/v1/officers/late',
    action: 'officers.read',
    req: () => ({ url: '/api/v1/officers/late' }),
  },
  // calendar
  {
    method: 'GET',
    path: '/api/v1/calendar',
    action: 'calendar.read',
    req: () => ({ url: '/api/v1/calendar?from=2026-10-01&to=2026-10-31' }),
  },
  {
    method: 'GET',
    path: '/api/v1/calendar/years',
    action: 'calendar.read',
    req: () => ({ url: '/api/v1/calendar/years' }),
  },
  {
    method: 'GET',
    path: '/api/v1/calendar/add-workdays',
    action: 'calendar.read',
    req: () => ({ url: '/api/v1/calendar/add-workdays?from=2026-09-30&days=5' }),
  },
  {
    method: 'GET',
    path: '/api/v1/calendar/workdays-between',
    action: 'calendar.read',
    req: () => ({ url: '/api/v1/calendar/workdays-between?from=2026-09-30&to=2026-10-13' }),
  },
  {
    method: 'PUT',
    path: '/api/v1/calendar/days/{day}',
    action: 'calendar.write',
    req: () => ({ url: '/api/v1/calendar/days/2026-12-31', payload: { isWorkday: true, note: '矩阵测试' } }),
  },
  {
    method: 'PUT',
    path: '/api/v1/calendar/years/{year}',
    action: 'calendar.write',
    req: () => ({
      url: '/api/v1/calendar/years/2027',
      payload: {
        document: '矩阵测试（非官方）',
        holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }],
        workdays: [],
      },
    }),
  },
  // policy
  { method: 'GET', path: '/api/v1/policy', action: 'policy.read', req: () => ({ url: '/api/v1/policy' }) },
  {
    method: 'GET',
    path: '/api/v1/policy/presets',
    action: 'policy.read',
    req: () => ({ url: '/api/v1/policy/presets' }),
  },
  {
    method: 'PUT',
    path: '/api/v1/policy/active',
    action: 'policy.write',
    req: () => ({ url: '/api/v1/policy/active', payload: { preset: 'national_2025' } }),
  },
  {
    method: 'PUT',
    path: '/api/v1/policy/rules/{key}',
    action: 'policy.write',
    req: () => ({
      url: '/api/v1/policy/rules/catalog.review_days',
      payload: { value: 2, reason: '矩阵测试' },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/policy/rules/{key}/override',
    action: 'policy.write',
    req: () => ({ url: '/api/v1/policy/rules/catalog.review_days/override' }),
  },
  // catalog
  {
    method: 'GET',
    path: '/api/v1/catalog/entries',
    action: 'catalog.read',
    req: () => ({ url: `/api/v1/catalog/entries?q=${encodeURIComponent('户籍')}` }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/city',
    action: 'catalog.read',
    req: () => ({ url: '/api/v1/catalog/city' }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/value-sets',
    action: 'catalog.read',
    req: () => ({ url: '/api/v1/catalog/value-sets' }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/entries',
    action: 'catalog.write',
    req: (c) => ({ url: '/api/v1/catalog/entries', payload: catalogEntry(c.gaOrg, `矩阵新建${c.n++}`) }),
    other: (c) => ({ url: '/api/v1/catalog/entries', payload: catalogEntry(c.mzOrg, `越权新建${c.n++}`) }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/entries/{id}',
    action: 'catalog.read',
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaPublished}` }),
  },
  {
    method: 'PUT',
    path: '/api/v1/catalog/entries/{id}',
    action: 'catalog.write',
    hidden: true,
    req: (c) => ({
      url: `/api/v1/catalog/entries/${c.gaDraft}`,
      payload: catalogEntry(c.gaOrg, '矩阵草稿（已改）'),
    }),
    other: (c) => ({
      url: `/api/v1/catalog/entries/${c.mzDraft}`,
      payload: catalogEntry(c.mzOrg, '越权修改'),
    }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/catalog/entries/{id}',
    action: 'catalog.write',
    hidden: true,
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaDrafts.pop() ?? c.gaDraft}` }),
    other: (c) => ({ url: `/api/v1/catalog/entries/${c.mzDraft}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/entries/{id}/revisions',
    action: 'catalog.write',
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaPublished}/revisions` }),
    other: (c) => ({ url: `/api/v1/catalog/entries/${c.mzPublished}/revisions` }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/entries/{id}/revision',
    action: 'catalog.read',
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaPublished}/revision` }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/entries/{id}/assessments',
    action: 'catalog.write',
    hidden: true,
    req: (c) => ({
      url: `/api/v1/catalog/entries/${c.gaDraft}/assessments`,
      payload: { confidentiality: '不涉密', personalInformation: '无个人信息' },
    }),
    other: (c) => ({
      url: `/api/v1/catalog/entries/${c.mzDraft}/assessments`,
      payload: { confidentiality: 'x', personalInformation: 'x' },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/entries/{id}/approve',
    action: 'catalog.approve',
    hidden: true,
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaDraft}/approve` }),
    other: (c) => ({ url: `/api/v1/catalog/entries/${c.mzDraft}/approve` }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/entries/{id}/submit',
    action: 'catalog.write',
    hidden: true,
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaDraft}/submit` }),
    other: (c) => ({ url: `/api/v1/catalog/entries/${c.mzDraft}/submit` }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/entries/{id}/publish',
    action: 'catalog.review',
    hidden: true,
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaSubmitted}/publish` }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/entries/{id}/return',
    action: 'catalog.review',
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaSubmitted}/return`, payload: { reason: '矩阵退回' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/entries/{id}/withdraw',
    action: 'catalog.withdraw',
    hidden: true,
    req: (c) => ({
      url: `/api/v1/catalog/entries/${c.gaPublished2}/withdraw`,
      payload: { reason: '矩阵撤销' },
    }),
    other: (c) => ({
      url: `/api/v1/catalog/entries/${c.mzPublished}/withdraw`,
      payload: { reason: '越权撤销' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/entries/{id}/history',
    action: 'catalog.read',
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaPublished}/history` }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/entries/{id}/versions/{version}',
    action: 'catalog.read',
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaPublished}/versions/1` }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/entries/{id}/diff',
    action: 'catalog.read',
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaPublished}/diff?from=1&to=1` }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/entries/{id}/consumers',
    action: 'grants.read',
    req: (c) => ({ url: `/api/v1/catalog/entries/${c.gaPublished}/consumers` }),
    other: (c) => ({ url: `/api/v1/catalog/entries/${c.mzPublished}/consumers` }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/reviews',
    action: 'catalog.review',
    req: () => ({ url: '/api/v1/catalog/reviews?page=1&pageSize=5' }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/import/template.xlsx',
    action: 'catalog.write',
    req: () => ({ url: '/api/v1/catalog/import/template.xlsx' }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/reviews/overdue',
    action: 'catalog.review',
    req: () => ({ url: '/api/v1/catalog/reviews/overdue' }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/changes',
    action: 'catalog.change',
    req: (c) => ({
      url: '/api/v1/catalog/changes',
      payload: { kind: 'function', orgId: c.gaOrg, title: '职能调整（矩阵）', effectiveOn: '2026-11-02' },
    }),
    other: (c) => ({
      url: '/api/v1/catalog/changes',
      payload: { kind: 'function', orgId: c.mzOrg, title: '越权登记', effectiveOn: '2026-11-02' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/update-tasks',
    action: 'catalog.read',
    req: () => ({ url: '/api/v1/catalog/update-tasks' }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/update-tasks/{id}/extend',
    action: 'catalog.extend',
    req: (c) => ({ url: `/api/v1/catalog/update-tasks/${c.task}/extend`, payload: { reason: '矩阵延期' } }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/demands',
    action: 'demand.read',
    req: () => ({ url: '/api/v1/catalog/demands' }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/demands',
    action: 'demand.write',
    req: () => ({
      url: '/api/v1/catalog/demands',
      payload: { title: '矩阵需求', basis: '依据', purpose: '用途' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/demands/{id}',
    action: 'demand.read',
    hidden: true,
    req: (c) => ({ url: `/api/v1/catalog/demands/${c.gaDemand}` }),
    other: (c) => ({ url: `/api/v1/catalog/demands/${c.mzDemand}` }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/demands/{id}/suggestions',
    action: 'demand.read',
    hidden: true,
    req: (c) => ({ url: `/api/v1/catalog/demands/${c.gaDemand}/suggestions` }),
    other: (c) => ({ url: `/api/v1/catalog/demands/${c.mzDemand}/suggestions` }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/demands/{id}/match',
    action: 'demand.write',
    hidden: true,
    req: (c) => ({ url: `/api/v1/catalog/demands/${c.gaDemand}/match`, payload: { entryId: c.mzPublished } }),
    other: (c) => ({
      url: `/api/v1/catalog/demands/${c.mzDemand}/match`,
      payload: { entryId: c.gaPublished },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/demands/{id}/hand-over',
    action: 'demand.write',
    hidden: true,
    req: (c) => ({
      url: `/api/v1/catalog/demands/${c.gaDemand}/hand-over`,
      payload: { providerOrgId: c.mzOrg },
    }),
    other: (c) => ({
      url: `/api/v1/catalog/demands/${c.mzDemand}/hand-over`,
      payload: { providerOrgId: c.gaOrg },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/demands/{id}/cancel',
    action: 'demand.write',
    hidden: true,
    req: (c) => ({ url: `/api/v1/catalog/demands/${c.gaDemand}/cancel`, payload: { reason: '矩阵撤回' } }),
    other: (c) => ({ url: `/api/v1/catalog/demands/${c.mzDemand}/cancel`, payload: { reason: '越权' } }),
  },
  {
    method: 'GET',
    path: '/api/v1/catalog/export.xlsx',
    action: 'catalog.read',
    req: () => ({ url: '/api/v1/catalog/export.xlsx' }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/import/check',
    action: 'catalog.write',
    req: () => ({ url: '/api/v1/catalog/import/check', payload: { not: 'a spreadsheet' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/catalog/import',
    action: 'catalog.write',
    req: () => ({ url: '/api/v1/catalog/import', payload: { not: 'a spreadsheet' } }),
  },
  // sharing
  {
    method: 'GET',
    path: '/api/v1/sharing/applications',
    action: 'sharing.read',
    req: () => ({ url: '/api/v1/sharing/applications?box=inbox' }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/applications',
    action: 'sharing.act',
    req: (c) => ({
      url: '/api/v1/sharing/applications',
      payload: {
        entryId: c.gaPublished,
        requestedItems: ['统一社会信用代码'],
        basis: '依据',
        scenario: '场景',
        purpose: '用途',
        scope: '范围',
      },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/applications/from-demand/{id}',
    action: 'sharing.act',
    partyChecked: true,
    hidden: true,
    req: (c) => ({ url: `/api/v1/sharing/applications/from-demand/${c.gaDemand}` }),
  },
  {
    method: 'GET',
    path: '/api/v1/sharing/applications/{id}',
    action: 'sharing.read',
    hidden: true,
    partyChecked: true,
    req: (c) => ({ url: `/api/v1/sharing/applications/${c.application}` }),
  },
  {
    method: 'PUT',
    path: '/api/v1/sharing/applications/{id}',
    action: 'sharing.act',
    partyChecked: true,
    hidden: true,
    req: (c) => ({
      url: `/api/v1/sharing/applications/${c.application}`,
      payload: {
        entryId: c.gaPublished,
        requestedItems: ['统一社会信用代码'],
        basis: '依据',
        scenario: '场景',
        purpose: '用途',
        scope: '范围',
      },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/applications/{id}/actions/{action}',
    action: 'sharing.act',
    partyChecked: true,
    hidden: true,
    req: (c) => ({ url: `/api/v1/sharing/applications/${c.application}/actions/close` }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/applications/{id}/messages',
    action: 'sharing.act',
    partyChecked: true,
    hidden: true,
    req: (c) => ({
      url: `/api/v1/sharing/applications/${c.application}/messages`,
      payload: { body: '矩阵消息' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/sharing/violations',
    action: 'finance.read',
    req: () => ({ url: '/api/v1/sharing/violations' }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/sweep',
    action: 'sharing.sweep',
    req: () => ({ url: '/api/v1/sharing/sweep' }),
  },
  {
    method: 'GET',
    path: '/api/v1/sharing/reminders',
    action: 'sharing.read',
    req: () => ({ url: '/api/v1/sharing/reminders' }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/reminders/{id}/read',
    action: 'sharing.read',
    req: () => ({ url: '/api/v1/sharing/reminders/00000000-0000-4000-8000-000000000000/read' }),
  },
  {
    method: 'GET',
    path: '/api/v1/sharing/grants',
    action: 'grants.read',
    req: () => ({ url: '/api/v1/sharing/grants' }),
  },
  {
    method: 'GET',
    path: '/api/v1/sharing/grants/{id}',
    action: 'grants.read',
    hidden: true,
    partyChecked: true,
    req: (c) => ({ url: `/api/v1/sharing/grants/${c.grant}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/grants/{id}/suspend',
    action: 'grants.manage',
    partyChecked: true,
    hidden: true,
    req: (c) => ({ url: `/api/v1/sharing/grants/${c.grant}/suspend`, payload: { reason: '矩阵暂停' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/grants/{id}/resume',
    action: 'grants.manage',
    partyChecked: true,
    hidden: true,
    req: (c) => ({ url: `/api/v1/sharing/grants/${c.grant}/resume`, payload: { reason: '矩阵恢复' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/grants/{id}/renew',
    action: 'grants.manage',
    partyChecked: true,
    hidden: true,
    req: (c) => ({
      url: `/api/v1/sharing/grants/${c.grant}/renew`,
      payload: { validTo: '2099-12-31', reason: '矩阵续期' },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/grants/{id}/amend',
    action: 'grants.manage',
    partyChecked: true,
    hidden: true,
    req: (c) => ({
      url: `/api/v1/sharing/grants/${c.grant}/amend`,
      payload: { dailyQuota: 99, consultation: '矩阵协商' },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/grants/{id}/revoke',
    action: 'grants.manage',
    partyChecked: true,
    hidden: true,
    req: (c) => ({
      url: `/api/v1/sharing/grants/${c.grant}/revoke`,
      payload: { reason: '矩阵撤销', consultation: '已协商' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/sharing/grants/{id}/agreement',
    action: 'grants.read',
    hidden: true,
    partyChecked: true,
    req: (c) => ({ url: `/api/v1/sharing/grants/${c.grant}/agreement` }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/grants/{id}/agreement/accept',
    action: 'sharing.agreement.accept',
    partyChecked: true,
    hidden: true,
    req: (c) => ({
      url: `/api/v1/sharing/grants/${c.grant}/agreement/accept`,
      payload: { digest: '0'.repeat(64) },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/sharing/grants/{id}/agreement/print',
    action: 'grants.read',
    hidden: true,
    partyChecked: true,
    req: (c) => ({ url: `/api/v1/sharing/grants/${c.grant}/agreement/print` }),
  },
  {
    method: 'GET',
    path: '/api/v1/sharing/grants/{id}/usage',
    action: 'grants.read',
    hidden: true,
    partyChecked: true,
    req: (c) => ({ url: `/api/v1/sharing/grants/${c.grant}/usage` }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/grants/{id}/usage',
    action: 'sharing.usage.write',
    partyChecked: true,
    hidden: true,
    req: (c) => ({
      url: `/api/v1/sharing/grants/${c.grant}/usage`,
      payload: {
        scenario: '矩阵',
        process: '矩阵',
        effect: '矩阵',
        storage: '矩阵',
        occurredOn: '2026-11-20',
      },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/sharing/grants/{id}/disposal',
    action: 'sharing.usage.write',
    partyChecked: true,
    hidden: true,
    req: (c) => ({
      url: `/api/v1/sharing/grants/${c.grant}/disposal`,
      payload: { disposal: '矩阵销毁', occurredOn: '2026-11-20' },
    }),
  },
  // exchange (console)
  {
    method: 'GET',
    path: '/api/v1/exchange/sources',
    action: 'exchange.read',
    req: () => ({ url: '/api/v1/exchange/sources' }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/sources',
    action: 'exchange.write',
    req: (c) => ({
      url: '/api/v1/exchange/sources',
      payload: {
        orgId: c.gaOrg,
        name: `矩阵源${c.n++}`,
        kind: 'http',
        config: { baseUrl: 'http://127.0.0.1:9/' },
      },
    }),
    other: (c) => ({
      url: '/api/v1/exchange/sources',
      payload: { orgId: c.mzOrg, name: '越权源', kind: 'http', config: { baseUrl: 'http://127.0.0.1:9/' } },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/sources/{id}',
    action: 'exchange.read',
    req: (c) => ({ url: `/api/v1/exchange/sources/${c.source}` }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/exchange/sources/{id}',
    action: 'exchange.write',
    req: (c) => ({ url: `/api/v1/exchange/sources/${c.source}`, payload: { name: '矩阵源（改）' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/sources/{id}/test',
    action: 'exchange.write',
    req: (c) => ({ url: `/api/v1/exchange/sources/${c.source}/test` }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/sources/{id}/relations',
    action: 'exchange.write',
    req: (c) => ({ url: `/api/v1/exchange/sources/${c.source}/relations` }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/sources/{id}/columns',
    action: 'exchange.write',
    req: (c) => ({ url: `/api/v1/exchange/sources/${c.source}/columns?relation=t` }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/connection-rates',
    action: 'exchange.read',
    req: () => ({ url: '/api/v1/exchange/connection-rates' }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/health-check',
    action: 'exchange.operate',
    req: () => ({ url: '/api/v1/exchange/health-check' }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/mounts',
    action: 'exchange.read',
    req: () => ({ url: '/api/v1/exchange/mounts' }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/mounts',
    action: 'exchange.write',
    req: (c) => ({
      url: '/api/v1/exchange/mounts',
      payload: { entryId: c.gaPublished, sourceId: c.source, relation: 't', keyColumns: ['id'], mapping: {} },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/backward-catalog',
    action: 'exchange.write',
    partyChecked: true,
    req: (c) => ({
      url: '/api/v1/exchange/backward-catalog',
      payload: {
        sourceId: c.source,
        relation: 't',
        name: '反编目',
        classCode: '309001',
        className: 'x',
        summary: 'x',
        keyColumns: ['id'],
      },
    }),
  },
  // exchange: subscriptions, feed and files (console)
  {
    method: 'GET',
    path: '/api/v1/exchange/subscriptions',
    action: 'exchange.read',
    req: () => ({ url: '/api/v1/exchange/subscriptions' }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/subscriptions',
    action: 'exchange.write',
    partyChecked: true,
    hidden: true,
    req: (c) => ({ url: '/api/v1/exchange/subscriptions', payload: { grantId: c.grant, mode: 'pull' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/subscriptions/{id}/pause',
    action: 'exchange.write',
    partyChecked: true,
    hidden: true,
    req: () => ({ url: '/api/v1/exchange/subscriptions/00000000-0000-4000-8000-000000000000/pause' }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/subscriptions/{id}/resume',
    action: 'exchange.write',
    partyChecked: true,
    hidden: true,
    req: () => ({ url: '/api/v1/exchange/subscriptions/00000000-0000-4000-8000-000000000000/resume' }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/dead-letters',
    action: 'exchange.read',
    req: () => ({ url: '/api/v1/exchange/dead-letters' }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/deliveries/{id}/redeliver',
    action: 'exchange.write',
    partyChecked: true,
    hidden: true,
    req: () => ({ url: '/api/v1/exchange/deliveries/1/redeliver' }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/feed/poll',
    action: 'exchange.operate',
    req: () => ({ url: '/api/v1/exchange/feed/poll' }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/changes',
    action: 'exchange.write',
    partyChecked: true,
    hidden: true,
    req: (c) => ({
      url: '/api/v1/exchange/changes',
      payload: { entryId: c.gaPublished, op: 'delete', key: { 统一社会信用代码: '91350100M000100Y43' } },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/files',
    action: 'exchange.read',
    partyChecked: true,
    hidden: true,
    req: (c) => ({ url: `/api/v1/exchange/files?entryId=${c.gaPublished}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/files',
    action: 'exchange.write',
    partyChecked: true,
    hidden: true,
    req: (c) => ({ url: `/api/v1/exchange/files?entryId=${c.gaPublished}`, payload: { not: 'a file' } }),
  },
  // exchange: batch sync jobs
  {
    method: 'GET',
    path: '/api/v1/exchange/sync-jobs',
    action: 'exchange.read',
    req: () => ({ url: '/api/v1/exchange/sync-jobs' }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/sync-jobs',
    action: 'exchange.write',
    partyChecked: true,
    hidden: true,
    req: (c) => ({
      url: '/api/v1/exchange/sync-jobs',
      payload: {
        grantId: c.grant,
        targetKind: 'postgres',
        targetConfig: { host: '127.0.0.1', database: 'x', user: 'x' },
        targetTable: 'public.t',
        mode: 'full',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/sync-jobs/{id}',
    action: 'exchange.read',
    hidden: true,
    partyChecked: true,
    req: () => ({ url: '/api/v1/exchange/sync-jobs/00000000-0000-4000-8000-000000000000' }),
  },
  {
    method: 'POST',
    path: '/api/v1/exchange/sync-jobs/{id}/run',
    action: 'exchange.write',
    hidden: true,
    partyChecked: true,
    req: () => ({ url: '/api/v1/exchange/sync-jobs/00000000-0000-4000-8000-000000000000/run' }),
  },
  // exchange: the console's paged reads (exchange.console.routes.ts)
  {
    method: 'GET',
    path: '/api/v1/exchange/paged/sources',
    action: 'exchange.read',
    req: () => ({ url: '/api/v1/exchange/paged/sources' }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/paged/sync-jobs',
    action: 'exchange.read',
    req: () => ({ url: '/api/v1/exchange/paged/sync-jobs' }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/sync-jobs/{id}/runs',
    action: 'exchange.read',
    hidden: true,
    partyChecked: true,
    req: () => ({ url: '/api/v1/exchange/sync-jobs/00000000-0000-4000-8000-000000000000/runs' }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/paged/subscriptions',
    action: 'exchange.read',
    req: () => ({ url: '/api/v1/exchange/paged/subscriptions' }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/subscriptions/{id}',
    action: 'exchange.read',
    hidden: true,
    partyChecked: true,
    req: () => ({ url: '/api/v1/exchange/subscriptions/00000000-0000-4000-8000-000000000000' }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/deliveries',
    action: 'exchange.read',
    req: () => ({ url: '/api/v1/exchange/deliveries' }),
  },
  // exchange: file sources and file targets
  {
    method: 'GET',
    path: '/api/v1/exchange/sources/{id}/file',
    action: 'exchange.read',
    req: (c) => ({ url: `/api/v1/exchange/sources/${c.source}/file` }),
  },
  {
    method: 'PUT',
    path: '/api/v1/exchange/sources/{id}/file',
    action: 'exchange.write',
    req: (c) => ({ url: `/api/v1/exchange/sources/${c.source}/file`, payload: { not: 'a file' } }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/sync-jobs/{id}/parts',
    action: 'exchange.read',
    hidden: true,
    partyChecked: true,
    req: () => ({ url: '/api/v1/exchange/sync-jobs/00000000-0000-4000-8000-000000000000/parts' }),
  },
  {
    method: 'GET',
    path: '/api/v1/exchange/sync-jobs/{id}/parts/{partNo}',
    action: 'exchange.read',
    hidden: true,
    partyChecked: true,
    req: () => ({ url: '/api/v1/exchange/sync-jobs/00000000-0000-4000-8000-000000000000/parts/1' }),
  },
  // audit
  {
    method: 'GET',
    path: '/api/v1/audit/events',
    action: 'audit.read',
    req: () => ({ url: '/api/v1/audit/events' }),
  },
  {
    method: 'GET',
    path: '/api/v1/audit/verify',
    action: 'audit.read',
    req: () => ({ url: '/api/v1/audit/verify' }),
  },
  // console: people and audit areas
  {
    method: 'GET',
    path: '/api/v1/audit/events/{seq}',
    action: 'audit.read',
    req: () => ({ url: '/api/v1/audit/events/1' }),
  },
  {
    method: 'POST',
    path: '/api/v1/calendar/years/{year}/preview',
    action: 'calendar.write',
    req: () => ({
      url: '/api/v1/calendar/years/2027/preview',
      payload: {
        document: '矩阵测试（非官方）',
        holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }],
        workdays: [],
      },
    }),
  },
  ...(await import('../src/modules/inventory/inventory.matrix.js')).INVENTORY_MATRIX_CASES,
  ...(await import('../src/modules/projects/projects.matrix.js')).PROJECTS_MATRIX_CASES,
];

/** Public or bearer-only: not console endpoints for a session. */
const NOT_IN_MATRIX = new Set(['POST /api/v1/auth/login', 'GET /exchange/v1/whoami', 'GET /catalog.jsonld']);

function allowed(action: Action | 'self', role: Role): boolean {
  if (action === 'self') return true;
  return (PERMISSIONS[action] as Partial<Record<Role, string>>)[role] !== undefined;
}

describe('authorization matrix', () => {
  let t: TestApp;
  const sessions = {} as Record<Role, Session>;
  const ctx: Ctx = {
    gaOrg: '',
    mzOrg: '',
    gaSystem: '',
    mzSystem: '',
    gaToken: '',
    mzToken: '',
    gaUser: '',
    mzUser: '',
    n: 0,
    day: 0,
    gaPublished: '',
    gaPublished2: '',
    gaDraft: '',
    gaDrafts: [],
    gaSubmitted: '',
    mzDraft: '',
    mzPublished: '',
    task: '',
    gaDemand: '',
    mzDemand: '',
    application: '',
    grant: '',
    source: '',
  };

  beforeAll(async () => {
    t = await testApp();
    for (const role of ROLES) sessions[role] = await login(t.app, ROLE_USERS[role]);
    const me = async (s: Session) =>
      json<{ activeOrgId: string }>(await t.app.inject({ url: '/api/v1/auth/me', headers: s.headers }))
        .activeOrgId;
    ctx.gaOrg = await me(sessions.dept_admin);
    const mzAdmin = await login(t.app, 'mz_admin');
    ctx.mzOrg = await me(mzAdmin);
    const admin = sessions.platform_admin;
    const mk = async (orgId: string, code: string) => {
      const sys = json<{ id: string }>(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/systems',
          headers: admin.headers,
          payload: { orgId, code, name: code },
        }),
      );
      const tok = json<{ tokenInfo: { id: string } }>(
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/systems/${sys.id}/tokens`,
          headers: admin.headers,
          payload: { name: 'matrix', expiresInDays: 5 },
        }),
      );
      return [sys.id, tok.tokenInfo.id] as const;
    };
    [ctx.gaSystem, ctx.gaToken] = await mk(ctx.gaOrg, 'matrix-ga');
    [ctx.mzSystem, ctx.mzToken] = await mk(ctx.mzOrg, 'matrix-mz');
    const user = async (orgId: string, username: string) =>
      json<{ id: string }>(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: admin.headers,
          payload: { orgId, username, displayName: username, role: 'data_officer', password: 'Matrix#2026' },
        }),
      ).id;
    ctx.gaUser = await user(ctx.gaOrg, 'matrix_ga');
    ctx.mzUser = await user(ctx.mzOrg, 'matrix_mz');

    // Catalog fixtures, made through the API as the platform office.
    const created = async (orgId: string, name: string) =>
      json<{ id: string }>(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/catalog/entries',
          headers: admin.headers,
          payload: catalogEntry(orgId, name),
        }),
      ).id;
    const step = async (id: string, s: string, payload?: object) => {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/catalog/entries/${id}/${s}`,
        headers: admin.headers,
        ...(payload ? { payload } : {}),
      });
      if (r.statusCode >= 400) throw new Error(`${s}: ${r.body}`);
    };
    const submitted = async (orgId: string, name: string) => {
      const id = await created(orgId, name);
      await step(id, 'assessments', { confidentiality: '不涉密', personalInformation: '无个人信息' });
      const head = orgId === ctx.gaOrg ? sessions.dept_admin : mzAdmin;
      const a = await t.app.inject({
        method: 'POST',
        url: `/api/v1/catalog/entries/${id}/approve`,
        headers: head.headers,
      });
      if (a.statusCode >= 400) throw new Error(a.body);
      await step(id, 'submit');
      return id;
    };
    const published = async (orgId: string, name: string) => {
      const id = await submitted(orgId, name);
      await step(id, 'publish');
      return id;
    };
    ctx.gaPublished = await published(ctx.gaOrg, '矩阵已发布');
    ctx.gaPublished2 = await published(ctx.gaOrg, '矩阵待撤销');
    ctx.mzPublished = await published(ctx.mzOrg, '民政矩阵已发布');
    ctx.gaSubmitted = await submitted(ctx.gaOrg, '矩阵待审');
    ctx.gaDraft = await created(ctx.gaOrg, '矩阵草稿');
    ctx.mzDraft = await created(ctx.mzOrg, '民政矩阵草稿');
    for (let i = 0; i < 6; i++) ctx.gaDrafts.push(await created(ctx.gaOrg, `矩阵待删${i}`));
    const change = json<{ tasks: { id: string }[] }>(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/catalog/changes',
        headers: admin.headers,
        payload: {
          kind: 'law',
          title: '矩阵法规变化',
          effectiveOn: '2026-11-02',
          entryIds: [ctx.gaPublished],
        },
      }),
    );
    ctx.task = change.tasks[0]?.id ?? '';
    const demand = async (s: Session, title: string) =>
      json<{ id: string }>(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/catalog/demands',
          headers: s.headers,
          payload: { title, basis: '依据', purpose: '用途' },
        }),
      ).id;
    ctx.gaDemand = await demand(sessions.data_officer, '公安矩阵需求');
    const mzApp = json<{ id: string }>(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/sharing/applications',
        headers: mzAdmin.headers,
        payload: {
          entryId: ctx.gaPublished,
          requestedItems: ['统一社会信用代码'],
          basis: '矩阵依据',
          scenario: '矩阵场景',
          purposeCategory: 'work_reference',
          purpose: '矩阵用途',
          scope: '矩阵范围',
          accessMode: 'file',
          periodFrom: '2026-01-01',
          periodTo: '2027-12-31',
          attested: true,
        },
      }),
    );
    ctx.application = mzApp.id;
    const appAct = async (s: Session, a: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/sharing/applications/${mzApp.id}/actions/${a}`,
        headers: s.headers,
        payload: {},
      });
      if (r.statusCode >= 400) throw new Error(`${a}: ${r.body}`);
      return json<{ grantId: string | null; status: string }>(r);
    };
    await appAct(mzAdmin, 'submit');
    await appAct(mzAdmin, 'internal_approve');
    const approved = await appAct(sessions.dept_admin, 'approve');
    ctx.grant = (approved.grantId ?? (await appAct(sessions.dept_admin, 'supply')).grantId) as string;
    ctx.source = json<{ id: string }>(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/exchange/sources',
        headers: sessions.dept_admin.headers,
        payload: { name: '矩阵数据源', kind: 'http', config: { baseUrl: 'http://127.0.0.1:9/' } },
      }),
    ).id;
    ctx.mzDemand = await demand(mzAdmin, '民政矩阵需求');
  });
  afterAll(async () => t.close());

  it('covers every console endpoint the API documents', async () => {
    const spec = json<{ paths: Record<string, Record<string, unknown>> }>(
      await t.app.inject({ url: '/openapi.json' }),
    );
    const documented = Object.entries(spec.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const covered = new Set(CASES.map((c) => `${c.method} ${c.path}`));
    // The gate (/exchange/v1) takes bearer tokens only; its own tests cover it.
    const missing = documented.filter(
      (d) => !covered.has(d) && !NOT_IN_MATRIX.has(d) && !d.includes(' /exchange/v1/'),
    );
    expect(missing).toEqual([]);
    const stale = [...covered].filter((c) => !documented.includes(c));
    expect(stale).toEqual([]);
  });

  for (const c of CASES) {
    describe(`${c.method} ${c.path}`, () => {
      it('answers 401 without a session', async () => {
        const r = c.req(ctx);
        const res = await t.app.inject({
          method: c.method,
          url: r.url,
          ...(r.payload ? { payload: r.payload } : {}),
        });
        expect(res.statusCode).toBe(401);
      });
      for (const role of ROLES) {
        const may = allowed(c.action, role);
        it(`${may ? 'lets' : 'refuses'} ${role}`, async () => {
          const s = c.freshSession ? await login(t.app, ROLE_USERS[role]) : sessions[role];
          const r = c.req(ctx);
          const res = await t.app.inject({
            method: c.method,
            url: r.url,
            headers: s.headers,
            ...(r.payload ? { payload: r.payload } : {}),
          });
          if (may) {
            // Past authorization; the step itself may still be refused for the entry's state (409),
            // or, where the service checks the party, for the actor's part in it (403).
            expect(c.partyChecked ? [401] : [401, 403], res.body).not.toContain(res.statusCode);
            // Never a crash; 502 is an honest answer for an unreachable department source.
            expect([500, 501, 503, 504], res.body).not.toContain(res.statusCode);
          } else {
            expect(c.hidden ? [403, 404] : [403], res.body).toContain(res.statusCode);
          }
        });
      }
      if (c.other) {
        const other = c.other;
        it("refuses department A acting on department B's things", async () => {
          for (const role of ['dept_admin', 'data_officer', 'tech_officer'] as const) {
            const r = other(ctx);
            const res = await t.app.inject({
              method: c.method,
              url: r.url,
              headers: sessions[role].headers,
              ...(r.payload ? { payload: r.payload } : {}),
            });
            expect(c.hidden ? [403, 404] : [403], `${role}: ${res.body}`).toContain(res.statusCode);
          }
        });
      }
    });
  }

  it('leaves department B untouched and every refusal in the audit trail', async () => {
    const mzEntry = await t.db.kysely
      .selectFrom('catalog_entry')
      .select(['status', 'name'])
      .where('id', '=', ctx.mzPublished)
      .executeTakeFirstOrThrow();
    expect(mzEntry).toEqual({ status: 'published', name: '民政矩阵已发布' });
    const mzDraft = await t.db.kysely
      .selectFrom('catalog_entry')
      .select(['name'])
      .where('id', '=', ctx.mzDraft)
      .executeTakeFirstOrThrow();
    expect(mzDraft.name).toBe('民政矩阵草稿');
    const mzDemand = await t.db.kysely
      .selectFrom('catalog_demand')
      .select('status')
      .where('id', '=', ctx.mzDemand)
      .executeTakeFirstOrThrow();
    expect(mzDemand.status).toBe('open');
    const mz = await t.db.kysely
      .selectFrom('organization')
      .select('name_en')
      .where('id', '=', ctx.mzOrg)
      .executeTakeFirstOrThrow();
    expect(mz.name_en).not.toBe('hijacked');
    const sys = await t.db.kysely
      .selectFrom('consumer_system')
      .select('status')
      .where('id', '=', ctx.mzSystem)
      .executeTakeFirstOrThrow();
    expect(sys.status).toBe('active');
    const tok = await t.db.kysely
      .selectFrom('api_token')
      .select('revoked_at')
      .where('id', '=', ctx.mzToken)
      .executeTakeFirstOrThrow();
    expect(tok.revoked_at).toBeNull();
    const denied = await t.db.kysely
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'access.denied')
      .executeTakeFirstOrThrow();
    expect(Number(denied.n)).toBeGreaterThan(50);
  });

  it('keeps the exchange API for bearer tokens only', async () => {
    expect((await t.app.inject({ url: '/exchange/v1/whoami' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ url: '/exchange/v1/whoami', headers: sessions.platform_admin.headers }))
        .statusCode,
    ).toBe(401);
  });
});
