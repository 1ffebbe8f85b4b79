/**
 * The batch-exchange worker, a process of its own: claims a sync job (or every due one), runs it to the
 * end of a pass and exits. Killed at any point, it leaves the target exact; run again, it resumes from
 * the target's last committed chunk once the dead worker's lease has lapsed.
 *
 *   node dist/src/sync-worker.js <jobId> [--wait <s>] [--chunk-rows <n>] [--lease-seconds <s>]
 *   node dist/src/sync-worker.js --due [--loop <s>]
 *
 * It reads the same configuration as the server (DATABASE_URL, or --data-dir for PGlite; a PGlite data
 * directory opens in one process at a time, so stop the server first there) and GOVSHARE_SECRET_KEY.
 * Exit codes: 0 done; 1 the run failed; 2 usage or configuration; 3 the job is leased by another worker.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { connect } from './db/index.js';
import { DomainError } from './kernel/errors.js';
import { JobLeasedError, type RunResult, SyncService } from './modules/exchange/exchange.sync.js';
import { createServices } from './services.js';

export const SYNC_HELP = `Usage: govshare sync <jobId> [options]     run one batch-exchange job (库表交换) to the end of a pass
       govshare sync --due [--loop <seconds>]  run every due job (once, or every <seconds>)

  --wait <s>            If another worker holds the job, retry for up to <s> seconds (default 0)
  --chunk-rows <n>      Rows per chunk and target transaction (default 5000)
  --lease-seconds <s>   Lease length; renewed while running, lapses when the worker dies (default 60)
  --worker <id>         Worker id shown on the job (default host:pid)
  --data-dir <dir>      PGlite data directory (default ./data; env GOVSHARE_DATA_DIR)
  -h, --help            Show this help
Environment: DATABASE_URL, GOVSHARE_SECRET_KEY as for "govshare serve".
Exit codes: 0 done, 1 the run failed, 2 usage, 3 the job is leased by another worker.`;

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

function intFlag(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

class UsageError extends Error {}

function describe(r: RunResult): string {
  const total = r.rowsTotal === null ? '?' : String(r.rowsTotal);
  return `sync ${r.jobId}: ${r.status}; ${r.rowsThisRun} rows this run${r.resumed ? ' (resumed)' : ''}, ${r.rowsDone}/${total} in this pass${r.error ? `; ${r.error}` : ''}`;
}

/** Runs the worker; returns the exit code. */
export async function runSyncCli(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    const r = parseArgs({
      args: argv,
      options: {
        wait: { type: 'string' },
        'chunk-rows': { type: 'string' },
        'lease-seconds': { type: 'string' },
        worker: { type: 'string' },
        due: { type: 'boolean' },
        loop: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    values = r.values;
    positionals = r.positionals;
  } catch (e) {
    err(`govshare sync: ${(e as Error).message}`);
    return 2;
  }
  if (values.help) {
    out(SYNC_HELP);
    return 0;
  }
  let wait: number;
  let chunkRows: number | undefined;
  let leaseSeconds: number | undefined;
  let loop: number | undefined;
  const jobId = positionals[0];
  try {
    wait = intFlag(values.wait as string | undefined, 'wait', 0, 86_400) ?? 0;
    chunkRows = intFlag(values['chunk-rows'] as string | undefined, 'chunk-rows', 1, 1_000_000);
    leaseSeconds = intFlag(values['lease-seconds'] as string | undefined, 'lease-seconds', 1, 86_400);
    loop = intFlag(values.loop as string | undefined, 'loop', 1, 86_400);
    if (positionals.length > 1) throw new UsageError('one job id at a time');
    if (!values.due && !jobId) throw new UsageError('give a job id, or --due');
    if (values.due && jobId) throw new UsageError('give a job id or --due, not both');
    if (jobId && !/^[0-9a-f-]{36}$/i.test(jobId)) throw new UsageError(`"${jobId}" is not a job id`);
  } catch (e) {
    err(`govshare sync: ${(e as Error).message}`);
    err('Run "govshare sync --help" for usage.');
    return 2;
  }

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      flags: {
        ...(typeof values['data-dir'] === 'string' ? { dataDir: values['data-dir'] } : {}),
        demo: false,
      },
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      err(`govshare sync: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const db = await connect(config, { poolSize: 3 });
  const services = createServices(config, db);
  const sync = new SyncService(
    {
      db: db.kysely,
      audit: services.audit,
      grants: services.grants,
      exchange: services.exchange,
      secrets: services.secrets,
      clock: services.clock,
    },
    {
      ...(leaseSeconds !== undefined ? { leaseSeconds } : {}),
      ...(chunkRows !== undefined ? { chunkRows } : {}),
      ...(typeof values.worker === 'string' ? { workerId: values.worker } : {}),
    },
  );
  // SIGTERM / SIGINT: stop at the next chunk boundary; the job is marked interrupted and due again.
  const ctrl = new AbortController();
  const onSignal = () => ctrl.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    if (jobId) {
      const deadline = Date.now() + wait * 1000;
      for (;;) {
        try {
          const r = await sync.runJob(jobId, sync.workerId, { signal: ctrl.signal });
          (r.status === 'succeeded' ? out : err)(describe(r));
          return r.status === 'succeeded' ? 0 : 1;
        } catch (e) {
          if (e instanceof JobLeasedError && Date.now() < deadline && !ctrl.signal.aborted) {
            await sleep(500);
            continue;
          }
          throw e;
        }
      }
    }
    let failed = false;
    do {
      const results = await sync.runDue(sync.workerId);
      for (const r of results) {
        (r.status === 'succeeded' ? out : err)(describe(r));
        if (r.status !== 'succeeded') failed = true;
      }
      if (loop !== undefined && !ctrl.signal.aborted) await sleep(loop * 1000, ctrl.signal);
    } while (loop !== undefined && !ctrl.signal.aborted);
    return failed ? 1 : 0;
  } catch (e) {
    if (e instanceof JobLeasedError) {
      err(`govshare sync: ${e.zh} / ${e.en}`);
      return 3;
    }
    if (e instanceof DomainError) {
      err(`govshare sync: ${e.zh} / ${e.en}`);
      return 1;
    }
    err(`govshare sync: ${(e as Error).stack ?? String(e)}`);
    return 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await services.audit.stop().catch(() => undefined);
    await services.exchange.stop().catch(() => undefined);
    await db.close();
  }
}

// Run when executed directly (node dist/src/sync-worker.js …).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await runSyncCli(process.argv.slice(2));
}
