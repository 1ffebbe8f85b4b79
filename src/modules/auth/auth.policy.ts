/**
 * Who may do what: one explicit check per action, called by every route before it touches a service.
 * A department sees and changes only its own things unless its role says otherwise.
 */
import { DomainError } from '../../kernel/errors.js';
import type { Role } from './auth.table.js';

export interface UserActor {
  kind: 'user';
  userId: string;
  username: string;
  role: Role;
  /** The user's own organization. */
  homeOrgId: string;
  /** The organization the user acts for (platform admins may switch). */
  orgId: string;
  sessionId: string;
}

export interface SystemActor {
  kind: 'system';
  systemId: string;
  orgId: string;
  tokenId: string;
}

export interface Anonymous {
  kind: 'anonymous';
}

export type Actor = UserActor | SystemActor | Anonymous;

/** Scope rules: 'any' = all organizations; 'own' = only the actor's organization. */
type Scope = 'any' | 'own';

/** The action catalogue. Each route names exactly one of these. */
export const PERMISSIONS = {
  'orgs.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'any',
    data_officer: 'any',
    tech_officer: 'any',
  },
  'orgs.create': { platform_admin: 'any' },
  'orgs.update': { platform_admin: 'any', dept_admin: 'own' },
  'officers.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'any',
    data_officer: 'any',
    tech_officer: 'any',
  },
  'officers.write': { platform_admin: 'any', dept_admin: 'own' },
  'users.read': { platform_admin: 'any', dept_admin: 'own' },
  'users.write': { platform_admin: 'any', dept_admin: 'own' },
  'systems.read': { platform_admin: 'any', dept_admin: 'own', data_officer: 'own', tech_officer: 'own' },
  'systems.write': { platform_admin: 'any', dept_admin: 'own', tech_officer: 'own' },
  'tokens.write': { platform_admin: 'any', dept_admin: 'own', tech_officer: 'own' },
  'audit.read': { auditor: 'any' },
  'calendar.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'any',
    data_officer: 'any',
    tech_officer: 'any',
  },
  'calendar.write': { platform_admin: 'any' },
  'policy.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'any',
    data_officer: 'any',
    tech_officer: 'any',
  },
  'policy.write': { platform_admin: 'any' },
  'session.switch_org': { platform_admin: 'any' },
  // The catalog: everyone reads the published catalog (drafts stay with their department and the
  // platform office); departments compile their own; the department head approves; the office reviews.
  'catalog.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'any',
    data_officer: 'any',
    tech_officer: 'any',
  },
  'catalog.write': { platform_admin: 'any', dept_admin: 'own', data_officer: 'own' },
  'catalog.approve': { dept_admin: 'own' },
  'catalog.review': { platform_admin: 'any' },
  'catalog.withdraw': { platform_admin: 'any', dept_admin: 'own' },
  'catalog.change': { platform_admin: 'any', dept_admin: 'own' },
  'catalog.extend': { platform_admin: 'any' },
  'demand.read': { platform_admin: 'any', dept_admin: 'own', data_officer: 'own' },
  'demand.write': { platform_admin: 'any', dept_admin: 'own', data_officer: 'own' },
  // Sharing: departments apply and answer for themselves (the service checks which party the actor
  // is to each application); the platform office coordinates; auditors read.
  'sharing.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'own',
    data_officer: 'own',
    tech_officer: 'own',
  },
  'sharing.act': { platform_admin: 'any', dept_admin: 'own', data_officer: 'own', tech_officer: 'own' },
  'sharing.sweep': { platform_admin: 'any' },
  // Confidentiality agreements are accepted by each side's head; usage records kept by the consumer.
  'sharing.agreement.accept': { dept_admin: 'own' },
  'sharing.usage.write': { dept_admin: 'own', data_officer: 'own' },
  'grants.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'own',
    data_officer: 'own',
    tech_officer: 'own',
  },
  'grants.manage': { platform_admin: 'any', dept_admin: 'own' },
  'finance.read': { platform_admin: 'any', auditor: 'any' },
  // The exchange: departments register and mount their own sources (technical officers too).
  'exchange.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'own',
    data_officer: 'own',
    tech_officer: 'own',
  },
  'exchange.write': { platform_admin: 'any', dept_admin: 'own', tech_officer: 'own' },
  'exchange.operate': { platform_admin: 'any' },
  // The information-system inventory (R2): departments register their own; officers resolve flags.
  'inventory.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'own',
    data_officer: 'own',
    tech_officer: 'own',
  },
  'inventory.write': { platform_admin: 'any', dept_admin: 'own', tech_officer: 'own' },
  'inventory.dispose': { platform_admin: 'any', dept_admin: 'own' },
  'inventory.review': { platform_admin: 'any', dept_admin: 'own', data_officer: 'own', tech_officer: 'own' },
  // E-government projects (R10): departments file their own projects and steps; the platform office
  // (the joint meeting's office, 004 §6-7) decides the reviews, keeps the expert pool and evaluates.
  'projects.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'own',
    data_officer: 'own',
    tech_officer: 'own',
  },
  'projects.write': { platform_admin: 'any', dept_admin: 'own', tech_officer: 'own' },
  'projects.review': { platform_admin: 'any' },
  'projects.experts': { platform_admin: 'any' },
  // The self-check campaign (R2.2): the platform office opens it; each department's head submits its report;
  // the platform office, audit and finance verify. Finance is an organization, not a role: the head
  // (dept_admin) of the finance bureau the campaign names verifies — 'own' scope checked against that
  // organization, so no other department's head passes.
  'inventory.campaign.read': {
    platform_admin: 'any',
    auditor: 'any',
    dept_admin: 'own',
    data_officer: 'own',
    tech_officer: 'own',
  },
  'inventory.campaign.manage': { platform_admin: 'any' },
  'inventory.selfcheck.submit': { dept_admin: 'own' },
  'inventory.selfcheck.verify': { platform_admin: 'any', auditor: 'any', dept_admin: 'own' },
} as const satisfies Record<string, Partial<Record<Role, Scope>>>;

export type Action = keyof typeof PERMISSIONS;

export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== 'user') {
    throw new DomainError('UNAUTHENTICATED', { zh: '请先登录', en: 'Sign in first' });
  }
  return actor;
}

/**
 * Throws unless the actor may perform the action on something owned by `ownerOrgId`
 * (omit it for actions on nothing in particular, such as listing with the actor's own scope).
 */
export function authorize(actor: Actor, action: Action, ownerOrgId?: string | null): UserActor {
  const user = requireUser(actor);
  const scope = (PERMISSIONS[action] as Partial<Record<Role, Scope>>)[user.role];
  if (!scope) {
    throw DomainError.forbidden({
      zh: `角色“${user.role}”无权执行“${action}”`,
      en: `Role "${user.role}" may not perform "${action}"`,
    });
  }
  if (scope === 'own' && ownerOrgId != null && ownerOrgId !== user.orgId) {
    throw DomainError.forbidden({
      zh: '只能操作本单位的数据',
      en: "You may act only on your own organization's data",
    });
  }
  return user;
}

/** The organization a list is restricted to: null = all (scope 'any'), else the actor's own. */
export function listScope(actor: UserActor, action: Action): string | null {
  const scope = (PERMISSIONS[action] as Partial<Record<Role, Scope>>)[actor.role];
  return scope === 'any' ? null : actor.orgId;
}

export function isAllowed(actor: Actor, action: Action, ownerOrgId?: string | null): boolean {
  try {
    authorize(actor, action, ownerOrgId);
    return true;
  } catch {
    return false;
  }
}
