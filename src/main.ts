/**
 * The govshare CLI: serve, migrate, demo, user add, audit verify, calendar load.
 * Usage errors (unknown flags, bad values) exit with code 2; failures with 1.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { build, VERSION } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { connect, migrateToLatest } from './db/index.js';
import { DEMO_LOGINS, DEMO_PASSWORD, loadDemo } from './demo/index.js';
import { DomainError } from './kernel/errors.js';
import { verifyChain } from './modules/audit/audit.service.js';
import { ROLES, type Role } from './modules/auth/auth.table.js';
import { feedFor, startFeedJobs } from './modules/exchange/exchange.feed.js';
import { syncServiceOf } from './modules/exchange/exchange.sync.js';
import { bootstrap, createServices, type Services } from './services.js';
import { runSyncCli, SYNC_HELP } from './sync-worker.js';

class UsageError extends Error {}

const COMMON_HELP = `Common options:
  --data-dir <dir>   PGlite data directory (default ./data; env GOVSHARE_DATA_DIR)
  -h, --help         Show help for the command
Environment: DATABASE_URL=postgres://… runs on PostgreSQL instead of the embedded PGlite.`;

const HELP: Record<string, string> = {
  main: `govshare ${VERSION} — 政务数据共享交换平台 (government data sharing and exchange platform)

Usage: govshare <command> [options]

Commands:
  serve            Run the node (migrates, loads the demo data on first start)
  migrate          Bring the database schema up to date
  demo             Load the Xianning demo data (only into an empty platform)
  user add         Create a user (how an operator creates the first administrator)
  audit verify     Verify the whole audit chain; names the first broken event
  calendar load    Load a year's official holiday schedule from a JSON file
  sync <jobId>     Run a batch-exchange job (库表交换) to the end of a pass; --due runs every due job

${COMMON_HELP}
Run "govshare <command> --help" for a command's options.`,
  serve: `Usage: govshare serve [--port <n>] [--host <addr>] [--no-demo] [--data-dir <dir>]

  --port <n>     Port to listen on (default 8080; env PORT)
  --host <addr>  Address to bind (default 0.0.0.0; env HOST)
  --no-demo      Do not load the demo data on first start

${COMMON_HELP}`,
  migrate: `Usage: govshare migrate [--data-dir <dir>]

${COMMON_HELP}`,
  demo: `Usage: govshare demo [--data-dir <dir>]

Loads the Xianning organizations, officers and demo users into a platform that has no organizations yet.

${COMMON_HELP}`,
  'user add': `Usage: govshare user add --org <credit code> --role <role> --username <u> --password <p> [--name <display name>]

  --org <code>       The organization's unified social credit code (18 characters)
  --role <role>      One of: ${ROLES.join(', ')}
  --username <u>     Login name: a lower-case letter, then 2-31 of a-z 0-9 _ . -
  --password <p>     At least 8 characters mixing three of: upper, lower, digits, symbols
  --name <name>      Display name (default: the username)

${COMMON_HELP}`,
  'audit verify': `Usage: govshare audit verify [--data-dir <dir>]

Recomputes every SM3 hash of the audit chain. Exit code 0 when the chain is intact; 1 and the first
broken event (sequence number and id) when it is not.

${COMMON_HELP}`,
  'calendar load': `Usage: govshare calendar load --year <yyyy> --file <schedule.json> [--replace-overrides]

The JSON file: {"document": "国办发明电〔…〕…号", "holidays": [{"name": "元旦", "from": "2027-01-01",
"to": "2027-01-01"}, …], "workdays": ["2027-02-07", …]} — the State Council's schedule for the year.

${COMMON_HELP}`,
};

const COMMON_OPTIONS = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: OptionSpec): { values: Values } {
  try {
    const r = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...options },
      strict: true,
      allowPositionals: false,
    });
    return { values: r.values as Values };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function configFrom(
  values: Record<string, unknown>,
  extra: Partial<Record<keyof Config, string | number | boolean>> = {},
): Config {
  const flags: Partial<Record<keyof Config, string | number | boolean | null>> = { ...extra };
  if (typeof values['data-dir'] === 'string') flags.dataDir = values['data-dir'];
  return loadConfig({ flags });
}

async function withServices<T>(config: Config, fn: (s: Services) => Promise<T>): Promise<T> {
  const db = await connect(config);
  const services = createServices(config, db);
  try {
    await bootstrap(services);
    return await fn(services);
  } finally {
    await services.audit.stop();
    await db.close();
  }
}

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);
function help(text: string): number {
  out(text);
  return 0;
}

async function serve(args: string[]): Promise<number> {
  const { values } = parse(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'no-demo': { type: 'boolean' },
  });
  if (values.help) return help(HELP.serve ?? '');
  const extra: Partial<Record<keyof Config, string | number | boolean>> = {};
  if (values.port !== undefined) extra.port = String(values.port);
  if (values.host !== undefined) extra.host = String(values.host);
  if (values['no-demo']) extra.demo = false;
  const config = configFrom(values, extra);
  const db = await connect(config);
  const services = createServices(config, db);
  await bootstrap(services);
  const loaded = config.demo ? await loadDemo(services) : false;
  services.audit.start();
  // The deadline job: at start, then hourly (idempotent, so several nodes may run it).
  const sweep = () =>
    services.sharing
      .sweep()
      .catch((e: unknown) => process.emitWarning(`deadline job failed: ${(e as Error).message}`));
  await sweep();
  const sweeper = setInterval(() => void sweep(), 3_600_000);
  sweeper.unref();
  // The source health check: every 10 minutes keeps each source's status (联通率).
  const health = setInterval(() => void services.exchange.checkAll().catch(() => undefined), 600_000);
  health.unref();
  // The change feed: poll mounted sources and deliver to subscribers.
  const stopFeed = startFeedJobs(feedFor(services));
  // Scheduled batch exchange: due jobs every minute (leases keep two nodes off one job).
  const syncTimer = setInterval(
    () =>
      void syncServiceOf(services)
        .runDue()
        .catch(() => undefined),
    60_000,
  );
  syncTimer.unref();
  const app = await build(services);
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    stopFeed();
    clearInterval(syncTimer);
    await syncServiceOf(services).stop();
    await feedFor(services).stop();
    await services.exchange.stop();
    await services.audit.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  out('');
  out(
    `GovShare ${VERSION} is running on ${url}  (database: ${db.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
  );
  out(`  API documentation: ${url}/docs   health: ${url}/healthz`);
  if (config.demo) {
    out(loaded ? '  Demo data loaded (咸宁市).' : '  Demo data present.');
    out(`  Demo logins (password ${DEMO_PASSWORD}):`);
    for (const l of DEMO_LOGINS) out(`    ${l.username.padEnd(12)} ${l.role.padEnd(15)} ${l.org}`);
  }
  out('');
  return -1; // keep running
}

async function migrate(args: string[]): Promise<number> {
  const { values } = parse(args, {});
  if (values.help) return help(HELP.migrate ?? '');
  const config = configFrom(values);
  const db = await connect(config);
  try {
    const r = await migrateToLatest(db.kysely);
    const applied = r.results?.filter((m) => m.status === 'Success').map((m) => m.migrationName) ?? [];
    out(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.');
  } finally {
    await db.close();
  }
  return 0;
}

async function demo(args: string[]): Promise<number> {
  const { values } = parse(args, {});
  if (values.help) return help(HELP.demo ?? '');
  const config = configFrom(values, { demo: true });
  return withServices(config, async (s) => {
    const loaded = await loadDemo(s);
    out(
      loaded
        ? `Demo data loaded. Logins (password ${DEMO_PASSWORD}): ${DEMO_LOGINS.map((l) => l.username).join(', ')}`
        : 'The platform already has organizations; demo data not loaded.',
    );
    return 0;
  });
}

async function userAdd(args: string[]): Promise<number> {
  const { values } = parse(args, {
    org: { type: 'string' },
    role: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
  });
  if (values.help) return help(HELP['user add'] ?? '');
  const missing = (['org', 'role', 'username', 'password'] as const).filter((k) => !values[k]);
  if (missing.length) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  if (!ROLES.includes(values.role as Role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${values.role}"`);
  }
  const config = configFrom(values, { demo: false });
  return withServices(config, async (s) => {
    const orgId = await s.auth.orgIdByCreditCode(String(values.org));
    const u = await s.auth.createUser(null, {
      orgId,
      username: String(values.username),
      displayName: String(values.name ?? values.username),
      role: values.role as Role,
      password: String(values.password),
    });
    out(`Created user ${u.username} (${u.role}) id ${u.id}`);
    return 0;
  });
}

async function auditVerify(args: string[]): Promise<number> {
  const { values } = parse(args, {});
  if (values.help) return help(HELP['audit verify'] ?? '');
  const config = configFrom(values, { demo: false });
  const db = await connect(config);
  try {
    await migrateToLatest(db.kysely);
    const r = await verifyChain(db.kysely);
    if (r.ok) {
      out(
        `Audit chain intact: ${r.checked} events verified (head ${r.headSeq}; ${r.pending} staged, not yet chained).`,
      );
      return 0;
    }
    err(
      `Audit chain BROKEN at event seq ${r.broken?.seq} id ${r.broken?.id || '(none)'}: ${r.broken?.reason}`,
    );
    err(`${r.checked} events before it verified.`);
    return 1;
  } finally {
    await db.close();
  }
}

async function calendarLoad(args: string[]): Promise<number> {
  const { values } = parse(args, {
    year: { type: 'string' },
    file: { type: 'string' },
    'replace-overrides': { type: 'boolean' },
  });
  if (values.help) return help(HELP['calendar load'] ?? '');
  if (!values.year || !/^\d{4}$/.test(String(values.year)))
    throw new UsageError('--year must be a four-digit year');
  if (!values.file) throw new UsageError('missing --file');
  let schedule: unknown;
  try {
    schedule = JSON.parse(await readFile(String(values.file), 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read ${values.file}: ${(e as Error).message}`);
  }
  const config = configFrom(values, { demo: false });
  return withServices(config, async (s) => {
    const result = await s.calendar.loadOfficialSchedule(
      { actor: { username: 'cli' }, requestId: 'cli', ip: '127.0.0.1' },
      Number(values.year),
      { ...(schedule as object), replaceOverrides: Boolean(values['replace-overrides']) } as Parameters<
        Services['calendar']['loadOfficialSchedule']
      >[2],
    );
    out(`Loaded the official schedule for ${values.year}: ${JSON.stringify(result)}`);
    return 0;
  });
}

/** Runs the CLI; returns the exit code, or -1 when a server keeps running. */
export async function runCli(argv: string[]): Promise<number> {
  const [cmd, sub] = argv;
  try {
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(HELP.main ?? '');
        return cmd === undefined ? 2 : 0;
      case '--version':
      case '-v':
        out(VERSION);
        return 0;
      case 'serve':
        return await serve(argv.slice(1));
      case 'migrate':
        return await migrate(argv.slice(1));
      case 'demo':
        return await demo(argv.slice(1));
      case 'user':
        if (sub === 'add') return await userAdd(argv.slice(2));
        if (sub === '--help' || sub === '-h') return help(HELP['user add'] ?? '');
        throw new UsageError(`unknown command "user ${sub ?? ''}"; did you mean "user add"?`);
      case 'audit':
        if (sub === 'verify') return await auditVerify(argv.slice(2));
        if (sub === '--help' || sub === '-h') return help(HELP['audit verify'] ?? '');
        throw new UsageError(`unknown command "audit ${sub ?? ''}"; did you mean "audit verify"?`);
      case 'sync':
        if (sub === '--help' || sub === '-h') return help(SYNC_HELP);
        return await runSyncCli(argv.slice(1));
      case 'calendar':
        if (sub === 'load') return await calendarLoad(argv.slice(2));
        if (sub === '--help' || sub === '-h') return help(HELP['calendar load'] ?? '');
        throw new UsageError(`unknown command "calendar ${sub ?? ''}"; did you mean "calendar load"?`);
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`govshare: ${e.message}`);
      err('Run "govshare --help" for usage.');
      return 2;
    }
    if (e instanceof ConfigError) {
      err(`govshare: ${e.message}`);
      return 2;
    }
    if (e instanceof DomainError) {
      err(`govshare: ${e.zh} / ${e.en}`);
      for (const f of e.fields) err(`  - ${f.field} [${f.rule}]: ${f.zh} / ${f.en}`);
      return e.code === 'VALIDATION' ? 2 : 1;
    }
    err(`govshare: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}

// Run when executed directly (node dist/src/main.js …).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const code = await runCli(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
}
