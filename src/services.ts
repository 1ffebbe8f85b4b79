/** The composition root: every service of a node, built once from its config and database. */
import type { Config } from './config.js';
import { type Db, migrateToLatest } from './db/index.js';
import { type Clock, systemClock } from './kernel/clock.js';
import { AuditLog } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { CalendarService } from './modules/calendar/calendar.service.js';
import { CatalogService, DemandService } from './modules/catalog/catalog.service.js';
import { OrgsService } from './modules/orgs/orgs.service.js';
import { PolicyService } from './modules/policy/policy.service.js';
import { GrantService, SharingService } from './modules/sharing/sharing.service.js';

export interface Services {
  readonly config: Config;
  readonly db: Db;
  readonly audit: AuditLog;
  readonly calendar: CalendarService;
  readonly policy: PolicyService;
  readonly orgs: OrgsService;
  readonly auth: AuthService;
  readonly catalog: CatalogService;
  readonly demands: DemandService;
  readonly sharing: SharingService;
  readonly grants: GrantService;
  readonly clock: Clock;
}

export interface ServiceOptions {
  /** The time services read; tests fix it to run deadlines on chosen days. */
  clock?: Clock;
}

export function createServices(config: Config, db: Db, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const k = db.kysely;
  const audit = new AuditLog(k, { sweepMs: 2000 });
  const calendar = new CalendarService(k, audit);
  const policy = new PolicyService(k, audit);
  const orgs = new OrgsService(k, audit, calendar, policy);
  const auth = new AuthService(k, audit, config);
  const catalog = new CatalogService(k, audit, calendar, policy);
  const demands = new DemandService(k, audit, catalog);
  const sharing = new SharingService(k, audit, calendar, policy, catalog, demands, clock);
  const grants = new GrantService(k, audit, clock);
  return { config, db, audit, calendar, policy, orgs, auth, catalog, demands, sharing, grants, clock };
}

/** Brings a database to a runnable state: schema, shipped presets, the calendar, leftover audit events. */
export async function bootstrap(services: Services): Promise<void> {
  await migrateToLatest(services.db.kysely);
  await services.policy.installPresets();
  await services.calendar.ensureLoaded();
  await services.audit.drain();
}
