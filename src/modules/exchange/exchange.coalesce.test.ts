/**
 * Coalesced lookups against a real PostgreSQL source: under concurrency every caller gets exactly the
 * rows its own statement returns (same rows, same order, its own limit and offset), lookups really are
 * answered together, and a statement the coalesced form breaks falls back to one statement per lookup.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceServer } from '../../../test/helpers.js';
import { type Connector, openConnector, type SelectSpec } from './exchange.connectors.js';

const SOURCE_URL = process.env.GOVSHARE_TEST_SOURCE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const available = await sourceServer('postgres');

interface Coalescing extends Connector {
  lookups: { stats: { statements: number; coalesced: number; fallbacks: number } };
}

describe.runIf(available)('coalesced lookups on a PostgreSQL source', () => {
  const dbName = `govshare_coalesce_${process.pid}_${Date.now() % 100000}`;
  let direct: pg.Client;
  let connector: Coalescing;

  const dbUrl = () => {
    const u = new URL(SOURCE_URL);
    u.pathname = `/${dbName}`;
    return u;
  };

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: SOURCE_URL });
    await admin.connect();
    await admin.query(`create database "${dbName}"`);
    await admin.end();
    direct = new pg.Client({ connectionString: dbUrl().toString() });
    await direct.connect();
    // A unique key, a non-unique district with several people each, and a table named v (the alias the
    // coalesced statement gives its values), on which the coalesced form cannot run.
    await direct.query(`
      create table person (person_no text primary key, district text not null, full_name text, born date);
      insert into person
        select 'P' || lpad(g::text, 5, '0'), '4212' || lpad((g % 7)::text, 2, '0'), '居民' || g,
               date '1980-01-01' + g from generate_series(1, 700) g;
      create table v (k0 text primary key, note text);
      insert into v select 'K' || g, '备注' || g from generate_series(1, 50) g;`);
    const u = dbUrl();
    connector = openConnector(
      'postgres',
      { host: u.hostname, port: Number(u.port || 5432), database: dbName, user: u.username || 'postgres' },
      u.password || null,
    ) as Coalescing;
  });

  afterAll(async () => {
    await connector?.close();
    await direct?.end();
    const admin = new pg.Client({ connectionString: SOURCE_URL });
    await admin.connect();
    await admin.query(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  });

  /** What one statement of its own returns for a lookup: the reference each coalesced answer must equal. */
  async function alone(s: SelectSpec): Promise<Record<string, unknown>[]> {
    const q = (id: string) => `"${id}"`;
    const where = s.filters.map((f, i) => `${q(f.column)}::text = $${i + 1}`).join(' and ');
    const r = await direct.query(
      `select ${s.columns.map(q).join(', ')} from ${s.relation} where ${where} order by ${s.orderBy
        .map(q)
        .join(', ')} limit ${s.limit} offset ${s.offset}`,
      s.filters.map((f) => f.value),
    );
    return r.rows;
  }

  it('answers every concurrent lookup with exactly its own rows, in its own order and page', async () => {
    const specs: SelectSpec[] = [];
    for (let i = 0; i < 400; i++) {
      const kind = i % 4;
      if (kind === 0) {
        // By the unique key; every ninth one a key that does not exist, or a value full of SQL.
        const value =
          i % 9 === 0
            ? i % 2
              ? "P'); drop table person; --"
              : 'P99999'
            : `P${String(1 + ((i * 37) % 700)).padStart(5, '0')}`;
        specs.push({
          relation: 'public.person',
          columns: ['full_name', 'born'],
          filters: [{ column: 'person_no', value }],
          orderBy: ['person_no'],
          limit: 20,
          offset: 0,
        });
      } else if (kind === 1 || kind === 2) {
        // By a district: a hundred people each, paged — two pages of different sizes.
        specs.push({
          relation: 'public.person',
          columns: ['person_no', 'full_name'],
          filters: [{ column: 'district', value: `4212${String(i % 7).padStart(2, '0')}` }],
          orderBy: ['person_no'],
          limit: kind === 1 ? 5 : 3,
          offset: kind === 1 ? 10 : (i % 5) * 3,
        });
      } else {
        // By two filter columns at once.
        const n = 1 + ((i * 13) % 700);
        specs.push({
          relation: 'public.person',
          columns: ['person_no', 'district', 'born'],
          filters: [
            { column: 'district', value: `4212${String(i % 2 ? n % 7 : (n + 1) % 7).padStart(2, '0')}` },
            { column: 'person_no', value: `P${String(n).padStart(5, '0')}` },
          ],
          orderBy: ['person_no'],
          limit: 2,
          offset: 0,
        });
      }
    }
    const before = { ...connector.lookups.stats };
    const answers = await Promise.all(specs.map((s) => connector.select(s)));
    const after = connector.lookups.stats;
    // Lookups really were answered together: far fewer statements than lookups.
    expect(after.coalesced - before.coalesced).toBeGreaterThan(100);
    expect(after.statements - before.statements).toBeLessThan(specs.length / 3);
    for (const [i, s] of specs.entries()) {
      expect(answers[i], `lookup ${i}`).toEqual(await alone(s));
    }
    // The references are not trivially empty: pages of people, a missing key, and found records.
    expect(answers.filter((a) => a.length === 0).length).toBeGreaterThan(0);
    expect(answers.some((a) => a.length === 5)).toBe(true);
    expect(answers.some((a, i) => a.length === 1 && specs[i]?.filters.length === 2)).toBe(true);
    expect(after.fallbacks).toBe(before.fallbacks);
  });

  it('answers lookups on a table named like the aliases a coalesced statement could have used', async () => {
    const specs: SelectSpec[] = Array.from({ length: 60 }, (_, i) => ({
      relation: 'public.v',
      columns: ['note'],
      filters: [{ column: 'k0', value: `K${1 + (i % 55)}` }],
      orderBy: ['k0'],
      limit: 1,
      offset: 0,
    }));
    const before = connector.lookups.stats.coalesced;
    const answers = await Promise.all(specs.map((s) => connector.select(s)));
    expect(connector.lookups.stats.coalesced).toBeGreaterThan(before);
    for (const [i, s] of specs.entries()) expect(answers[i]).toEqual(await alone(s));
    expect(answers.filter((a) => a.length === 0)).toHaveLength(5);
  });

  it("never lets one caller's value fail another's lookup: a refused coalesced statement runs each alone", async () => {
    const spec = (value: string): SelectSpec => ({
      relation: 'public.person',
      columns: ['full_name'],
      filters: [{ column: 'person_no', value }],
      orderBy: ['person_no'],
      limit: 1,
      offset: 0,
    });
    // PostgreSQL refuses a NUL byte in text: the statement carrying it fails, whichever lookups it holds.
    const values = Array.from({ length: 80 }, (_, i) =>
      i === 41 ? 'P00042\u0000' : `P${String(1 + i).padStart(5, '0')}`,
    );
    const before = connector.lookups.stats.fallbacks;
    const results = await Promise.allSettled(values.map((v) => connector.select(spec(v))));
    expect(connector.lookups.stats.fallbacks).toBeGreaterThan(before);
    for (const [i, r] of results.entries()) {
      if (i === 41) {
        expect(r.status).toBe('rejected');
        continue;
      }
      expect(r.status, `lookup ${i}`).toBe('fulfilled');
      expect((r as PromiseFulfilledResult<Record<string, unknown>[]>).value).toEqual([
        { full_name: `居民${i + 1}` },
      ]);
    }
  });

  it('fails each lookup on its own when the source refuses the statement, and then works on', async () => {
    const spec = (i: number): SelectSpec => ({
      relation: 'public.missing_table',
      columns: ['x'],
      filters: [{ column: 'x', value: String(i) }],
      orderBy: ['x'],
      limit: 1,
      offset: 0,
    });
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => connector.select(spec(i))));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/missing_table/);
    // Nothing is left waiting or counted as in flight: the next lookups go through.
    const ok = await Promise.all(
      [1, 2, 3].map((n) =>
        connector.select({
          relation: 'public.person',
          columns: ['full_name'],
          filters: [{ column: 'person_no', value: `P0000${n}` }],
          orderBy: ['person_no'],
          limit: 1,
          offset: 0,
        }),
      ),
    );
    expect(ok.map((r) => r[0]?.full_name)).toEqual(['居民1', '居民2', '居民3']);
  });
});
