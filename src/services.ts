/** The composition root: every service of a node, built once from its config and database. */

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { type Db, migrateToLatest } from './db/index.js';
import { type Clock, systemClock } from './kernel/clock.js';
import { DomainError } from './kernel/errors.js';
import { SecretBox } from './kernel/secrets.js';
import { AuditLog } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { CalendarService } from './modules/calendar/calendar.service.js';
import { CatalogService, DemandService } from './modules/catalog/catalog.service.js';
import { ExchangeService } from './modules/exchange/exchange.service.js';
import { InventoryService } from './modules/inventory/inventory.service.js';
import { SelfcheckService } from './modules/inventory/selfcheck.service.js';
import { OrgsService } from './modules/orgs/orgs.service.js';
import { PolicyService } from './modules/policy/policy.service.js';
import { ProjectsService } from './modules/projects/projects.service.js';
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
  readonly exchange: ExchangeService;
  readonly inventory: InventoryService;
  readonly projects: ProjectsService;
  readonly selfcheck: SelfcheckService;
  /** In-process events: 'grant' (a grant changed: caches drop it). */
  readonly events: EventEmitter;
  /** The node's SM4 box for secrets at rest (source passwords, webhook secrets). */
  secrets(): SecretBox;
}

/**
 * The key for secrets at rest: GOVSHARE_SECRET_KEY; on the embedded PGlite, a key file beside the data
 * (created on first use, readable by the owner only). A PostgreSQL node needs the variable.
 */
function secretBoxFor(config: Config): () => SecretBox {
  let box: SecretBox | null = null;
  return () => {
    if (box) return box;
    let key = config.secretKey;
    if (!key && !config.databaseUrl) {
      const file = join(config.dataDir, 'secret.key');
      if (!existsSync(file)) writeFileSync(file, randomBytes(16).toString('hex'), { mode: 0o600 });
      key = readFileSync(file, 'utf8').trim();
    }
    if (!key) {
      throw new DomainError('INVALID_STATE', {
        zh: '未配置 GOVSHARE_SECRET_KEY，无法加密保存凭据',
        en: 'GOVSHARE_SECRET_KEY is not set: credentials cannot be stored encrypted',
      });
    }
    box = new SecretBox(key);
    return box;
  };
}

export interface ServiceOptions {
  /** The time services read; tests fix it to run deadlines on chosen days. */
  clock?: Clock;
}

export function createServices(config: Config, db: Db, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const k = db.kysely;
  const audit = new AuditLog(k, { sweepMs: 2000, pipeline: config.auditPipeline, run: db.run });
  const calendar = new CalendarService(k, audit);
  const policy = new PolicyService(k, audit);
  const orgs = new OrgsService(k, audit, calendar, policy);
  const auth = new AuthService(k, audit, config);
  const catalog = new CatalogService(k, audit, calendar, policy);
  const demands = new DemandService(k, audit, catalog);
  const sharing = new SharingService(k, audit, calendar, policy, catalog, demands, clock);
  const grants = new GrantService(k, audit, clock);
  const events = new EventEmitter();
  const secrets = secretBoxFor(config);
  const exchange = new ExchangeService(k, audit, catalog, grants, secrets, clock, config);
  events.on('grant', () => exchange.invalidateGrants());
  grants.events = events;
  sharing.events = events;
  const inventory = new InventoryService(k, audit, clock);
  return {
    config,
    db,
    audit,
    calendar,
    policy,
    orgs,
    auth,
    catalog,
    demands,
    sharing,
    grants,
    clock,
    exchange,
    inventory,
    projects: new ProjectsService(k, audit, calendar, policy, catalog, inventory, clock),
    selfcheck: new SelfcheckService(k, audit, calendar, inventory, clock),
    events,
    secrets,
  };
}

/** Brings a database to a runnable state: schema, shipped presets, the calendar, leftover audit events. */
export async function bootstrap(services: Services): Promise<void> {
  await migrateToLatest(services.db.kysely);
  await services.policy.installPresets();
  await services.calendar.ensureLoaded();
  await services.audit.drain();
}
