/**
 * connect(config) → Kysely over PGlite (embedded, data under config.dataDir) or PostgreSQL (pg pool).
 * Both give the same JS values: int8 and count(*) as numbers, date as 'YYYY-MM-DD', numeric as string.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { type MigrationResultSet, Migrator } from 'kysely/migration';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Database } from './database.js';
import { migrations } from './migrations/index.js';

export type { Database } from './database.js';

export type DbKind = 'pglite' | 'postgres';

/** One statement outside Kysely, for hot paths: prepared once per connection under its name (pg). */
export interface Statement {
  name: string;
  text: string;
  values: unknown[];
}

/** Runs one statement on its own (autocommit) and returns how many rows it changed. */
export type StatementRunner = (statement: Statement) => Promise<number>;

export interface Db {
  readonly kysely: Kysely<Database>;
  /** Hot-path statements (the audit chain's group commit): no query builder, plan cached on pg. */
  readonly run: StatementRunner;
  readonly kind: DbKind;
  /** The embedded instance when running on PGlite (for dumps in tests). */
  readonly pglite: PGlite | null;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

const identity = (v: string): string => v;
const toNumber = (v: string): number => Number(v);

export interface ConnectOptions {
  /** A PGlite data dump to start from (tests copy a migrated template this way). */
  loadDataDir?: Blob | File;
  /** Run PGlite in memory instead of under config.dataDir. */
  memory?: boolean;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export async function connect(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  options: ConnectOptions = {},
): Promise<Db> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === INT8) return toNumber;
          if (oid === DATE || oid === NUMERIC) return identity;
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection the server drops (restart, failover) must not crash the node: the pool
    // discards it and opens a new one on the next query.
    pool.on('error', (err) => {
      process.emitWarning(`PostgreSQL idle connection error: ${err.message}`);
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const run: StatementRunner = async (st) => (await pool.query(st)).rowCount ?? 0;
    return { kysely, run, kind: 'postgres', pglite: null, close: () => kysely.destroy() };
  }
  if (!options.memory) mkdirSync(config.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.memory ? {} : { dataDir: config.dataDir }),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { [INT8]: toNumber, [DATE]: identity, [NUMERIC]: identity },
  });
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  const run: StatementRunner = async (st) => (await pglite.query(st.text, st.values)).affectedRows ?? 0;
  return {
    kysely,
    run,
    kind: 'pglite',
    pglite,
    close: async () => {
      await kysely.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** What repositories run their SQL on: the database itself or an open transaction. */
export type Executor = Kysely<Database> | import('kysely').Transaction<Database>;
