/**
 * Builds one migrated, bootstrapped database with the demo data per test run; every test file
 * then starts from a copy of it (a PGlite dump, or a PostgreSQL template database).
 */
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/index.js';
import { loadDemo } from '../src/demo/index.js';
import { bootstrap, createServices } from '../src/services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    pgTemplate: string;
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const TEMPLATE_DB = `govshare_tpl_${process.pid}`;
  const databaseUrl = process.env.DATABASE_URL ?? '';
  project.provide('databaseUrl', databaseUrl);
  if (databaseUrl) {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`drop database if exists "${TEMPLATE_DB}" with (force)`);
    await admin.query(`create database "${TEMPLATE_DB}"`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${TEMPLATE_DB}`;
    const config = loadConfig({ env: { DATABASE_URL: url.toString(), GOVSHARE_DEMO: 'true' } });
    const db = await connect(config, { poolSize: 2 });
    const services = createServices(config, db);
    await bootstrap(services);
    await loadDemo(services);
    await services.audit.stop();
    await db.close();
    project.provide('pgTemplate', TEMPLATE_DB);
    project.provide('pgliteDump', '');
    return async () => {
      const a = new pg.Client({ connectionString: databaseUrl });
      await a.connect();
      await a.query(`drop database if exists "${TEMPLATE_DB}" with (force)`);
      await a.end();
    };
  }
  const config = loadConfig({ env: { GOVSHARE_DEMO: 'true' } });
  const db = await connect(config, { memory: true });
  const services = createServices(config, db);
  await bootstrap(services);
  await loadDemo(services);
  await services.audit.stop();
  if (!db.pglite) throw new Error('expected PGlite');
  const dump = await db.pglite.dumpDataDir('none');
  const path = join(tmpdir(), `govshare-template-${process.pid}.tar`);
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide('pgliteDump', path);
  project.provide('pgTemplate', '');
  return async () => {
    await rm(path, { force: true });
  };
}
