/**
 * A server process for bench:exchange, so that the load generator never shares an event loop with it:
 *   node dist/bench/exchange-server.js bare <sourceUrl> <port>        baseline (a): Fastify + indexed SELECT
 *   node dist/bench/exchange-server.js bare-audit <sourceUrl> <port>  baseline (b): (a) + one audit INSERT
 *   node dist/bench/exchange-server.js gateway <configJson> <port>    the GovShare node
 * Prints READY when listening.
 */
import Fastify from 'fastify';
import pg from 'pg';
import { build } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/index.js';
import { createServices } from '../src/services.js';

const [mode, arg, portArg] = process.argv.slice(2);
const port = Number(portArg);

if (mode === 'bare' || mode === 'bare-audit') {
  const pool = new pg.Pool({ connectionString: arg, max: 10 });
  const app = Fastify({ logger: false });
  app.post<{ Body: { id: string } }>('/q', async (req) => {
    const r = await pool.query({
      name: 'q',
      text: 'select full_name, phone from person where person_no = $1',
      values: [req.body.id],
    });
    if (mode === 'bare-audit') {
      await pool.query({
        name: 'a',
        text: 'insert into bench_audit (at, what) values (now(), $1)',
        values: [req.body.id],
      });
    }
    return { records: r.rows };
  });
  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write('READY\n');
  // Exit cleanly on SIGTERM, so that a CPU profile (BENCH_PROFILE) is written for the baselines too.
  process.once('SIGTERM', () => {
    void app.close().then(() => pool.end().then(() => process.exit(0)));
  });
} else if (mode === 'gateway') {
  const env = JSON.parse(arg ?? '{}') as Record<string, string>;
  const config = loadConfig({ env: { ...env, LOG_LEVEL: 'silent' } });
  const db = await connect(config, { poolSize: 10 });
  const services = createServices(config, db);
  const app = await build(services, { logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write('READY\n');
  process.once('SIGTERM', () => {
    void (async () => {
      await app.close();
      await services.exchange.stop();
      await services.audit.stop();
      await db.close();
      process.exit(0);
    })();
  });
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
