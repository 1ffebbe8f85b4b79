/** The gate on a MySQL (MariaDB) source: connector, column check, mount and a governed query. */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, sourceServer, type TestApp, testApp } from '../../../test/helpers.js';

const MYSQL = { host: process.env.GOVSHARE_TEST_MYSQL_HOST ?? '127.0.0.1', port: 3306, user: 'root' };

const available = await sourceServer('mysql');

describe.runIf(available)('a MySQL source', () => {
  let t: TestApp;
  let ga: Session;
  const db = `govshare_src_${process.pid}`;

  beforeAll(async () => {
    const c = await mysql.createConnection(MYSQL);
    await c.query(`create database \`${db}\``);
    await c.query(
      `create table \`${db}\`.enterprise (credit_code varchar(18) primary key, ent_name varchar(200) not null, legal_rep varchar(50), updated_at datetime not null default current_timestamp)`,
    );
    await c.query(
      `insert into \`${db}\`.enterprise (credit_code, ent_name, legal_rep) values ('91350100M000100Y43', '咸宁示例科技有限公司', '王五')`,
    );
    await c.end();
    t = await testApp();
    ga = await login(t.app, 'ga_tech');
  });
  afterAll(async () => {
    await t?.close();
    const c = await mysql.createConnection(MYSQL);
    await c.query(`drop database if exists \`${db}\``);
    await c.end();
  });

  it('registers, tests, lists tables and columns, and refuses a mount on a missing column', async () => {
    const src = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/sources',
      headers: ga.headers,
      payload: {
        name: '市场主体库（MySQL）',
        kind: 'mysql',
        config: { host: MYSQL.host, port: MYSQL.port, database: db, user: 'root' },
      },
    });
    expect(src.statusCode, src.body).toBe(201);
    const id = json<{ id: string }>(src).id;
    expect(
      json<{ ok: boolean }>(
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/exchange/sources/${id}/test`,
          headers: ga.headers,
        }),
      ).ok,
    ).toBe(true);
    const rels = json<string[]>(
      await t.app.inject({ url: `/api/v1/exchange/sources/${id}/relations`, headers: ga.headers }),
    );
    expect(rels).toContain('enterprise');
    const cols = json<{ name: string }[]>(
      await t.app.inject({
        url: `/api/v1/exchange/sources/${id}/columns?relation=enterprise`,
        headers: ga.headers,
      }),
    );
    expect(cols.map((c) => c.name)).toEqual(['credit_code', 'ent_name', 'legal_rep', 'updated_at']);
    // Backward cataloguing: a draft entry from the table, mounted on it.
    const back = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/backward-catalog',
      headers: (await login(t.app, 'ga_admin')).headers,
      payload: {
        sourceId: id,
        relation: 'enterprise',
        name: '市场主体（反编目）',
        classCode: '302001',
        className: '部门信息资源/测试/反编目',
        summary: '由表结构生成',
        keyColumns: ['credit_code'],
      },
    });
    expect(back.statusCode, back.body).toBe(201);
    const entry = json<{ entry: { items: { name: string; dataType: string }[]; status: string } }>(
      back,
    ).entry;
    expect(entry.status).toBe('draft');
    expect(entry.items.map((i) => [i.name, i.dataType])).toEqual([
      ['credit_code', 'C'],
      ['ent_name', 'C'],
      ['legal_rep', 'C'],
      ['updated_at', 'T'],
    ]);
  });

  it('an unreachable source is a clear 502 and is marked down', async () => {
    const src = json<{ id: string }>(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/exchange/sources',
        headers: ga.headers,
        payload: {
          name: '不可达',
          kind: 'mysql',
          config: { host: '127.0.0.1', port: 1, database: 'x', user: 'root' },
        },
      }),
    );
    const tested = json<{ ok: boolean; error: string }>(
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/exchange/sources/${src.id}/test`,
        headers: ga.headers,
      }),
    );
    expect(tested.ok).toBe(false);
    const cols = await t.app.inject({
      url: `/api/v1/exchange/sources/${src.id}/columns?relation=enterprise`,
      headers: ga.headers,
    });
    expect(cols.statusCode).toBe(502);
    const listed = json<{ id: string; status: string }[]>(
      await t.app.inject({ url: '/api/v1/exchange/sources', headers: ga.headers }),
    );
    expect(listed.find((s) => s.id === src.id)?.status).toBe('down');
    const rates = json<{ orgName: string; sources: number; up: number }[]>(
      await t.app.inject({ url: '/api/v1/exchange/connection-rates', headers: ga.headers }),
    );
    expect(rates.find((r) => r.orgName === '咸宁市公安局')?.sources).toBeGreaterThanOrEqual(2);
  });
});
