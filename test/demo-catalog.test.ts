/** The demo catalog as a newcomer meets it: search 户籍 and find 公安's household register first. */
import jsonld from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryView } from '../src/modules/catalog/catalog.model.js';
import { json, login, type Session, type TestApp, testApp } from './helpers.js';

interface SearchResult {
  items: EntryView[];
  total: number;
  facets: Record<string, { value: string; label: string; count: number }[]>;
}

describe('the demo catalog (seed 004, first batch)', () => {
  let t: TestApp;
  let officer: Session;
  beforeAll(async () => {
    t = await testApp();
    officer = await login(t.app, 'mz_officer');
  });
  afterAll(async () => t.close());

  it('returns the household-registration resource of 公安 first for 户籍', async () => {
    const r = json<SearchResult>(
      await t.app.inject({
        url: `/api/v1/catalog/entries?q=${encodeURIComponent('户籍')}`,
        headers: officer.headers,
      }),
    );
    expect(r.total).toBeGreaterThan(1);
    expect(r.items[0]).toMatchObject({
      name: '户籍人口基本信息',
      providerName: '咸宁市公安局',
      basicLibrary: 'population',
    });
    const id = r.items[0]?.items.find((i) => i.name.includes('身份号码'));
    expect(id).toMatchObject({ masking: 'partial', sensitivity: 'sensitive' });
  });

  it('has every facet count equal to the number of results it filters to', async () => {
    const q = `q=${encodeURIComponent('信息')}`;
    const all = json<SearchResult>(
      await t.app.inject({ url: `/api/v1/catalog/entries?${q}&pageSize=1`, headers: officer.headers }),
    );
    expect(all.total).toBeGreaterThan(10);
    let checked = 0;
    for (const [facet, values] of Object.entries(all.facets)) {
      for (const v of values) {
        const r = json<SearchResult>(
          await t.app.inject({
            url: `/api/v1/catalog/entries?${q}&pageSize=1&${facet}=${encodeURIComponent(v.value)}`,
            headers: officer.headers,
          }),
        );
        expect(r.total, `${facet}=${v.value}`).toBe(v.count);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('aggregates the published catalog of the city with regions and providers', async () => {
    const city = json<SearchResult>(
      await t.app.inject({ url: '/api/v1/catalog/city?pageSize=200', headers: officer.headers }),
    );
    expect(city.items.every((i) => i.status === 'published')).toBe(true);
    expect(city.facets.provider?.length).toBeGreaterThan(8);
    const providers = new Set(city.items.map((i) => i.providerName));
    for (const p of ['咸宁市公安局', '咸宁市民政局', '咸宁市市场监督管理局']) expect(providers).toContain(p);
  });

  it('publishes the open part at /catalog.jsonld for anyone, as JSON-LD with a distribution per dataset', async () => {
    const res = await t.app.inject({ url: '/catalog.jsonld', headers: { host: 'data.xianning.example' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/ld+json');
    const doc = JSON.parse(res.body) as object;
    const expanded = (await jsonld.expand(doc, {
      documentLoader: () => Promise.reject(new Error('no remote contexts')),
    })) as Record<string, unknown[]>[];
    const DCAT = 'http://www.w3.org/ns/dcat#';
    const datasets = expanded.filter((n) => (n['@type'] as string[] | undefined)?.includes(`${DCAT}Dataset`));
    expect(datasets.length).toBeGreaterThan(5);
    for (const d of datasets) {
      expect(d['http://purl.org/dc/terms/title']?.length).toBeGreaterThan(0);
      expect(d['http://purl.org/dc/terms/description']?.length).toBeGreaterThan(0);
      expect(d[`${DCAT}distribution`]?.length).toBeGreaterThan(0);
    }
    expect(res.body).not.toContain('户籍人口基本信息'); // not open to the public
  });

  it('shows the workflow states an officer will work with', async () => {
    const admin = await login(t.app, 'admin');
    const r = json<SearchResult>(
      await t.app.inject({ url: '/api/v1/catalog/entries?pageSize=1', headers: admin.headers }),
    );
    expect(r.total).toBeGreaterThanOrEqual(30);
    const byStatus = async (s: string) =>
      json<SearchResult>(
        await t.app.inject({ url: `/api/v1/catalog/entries?status=${s}&pageSize=1`, headers: admin.headers }),
      ).total;
    expect(await byStatus('submitted')).toBe(1);
    expect(await byStatus('returned')).toBe(1);
    expect(await byStatus('draft')).toBe(2);
  });
  it('has sharing between departments in every kind of state, with a grant and its agreement', async () => {
    const admin = await login(t.app, 'admin');
    const apps = json<{ items: { status: string; applicantOrgName: string; providerOrgName: string }[] }>(
      await t.app.inject({ url: '/api/v1/sharing/applications?box=all&pageSize=50', headers: admin.headers }),
    );
    expect(new Set(apps.items.map((a) => a.status))).toEqual(
      new Set(['supplied', 'submitted', 'returned', 'negotiating']),
    );
    const grants = json<{ items: { id: string; status: string }[] }>(
      await t.app.inject({ url: '/api/v1/sharing/grants', headers: admin.headers }),
    );
    expect(grants.items.some((g) => g.status === 'active')).toBe(true);
    const mz = await login(t.app, 'mz_admin');
    const inbox = json<{ total: number }>(
      await t.app.inject({ url: '/api/v1/sharing/applications?box=inbox', headers: mz.headers }),
    );
    expect(inbox.total).toBeGreaterThan(0);
    const agreement = await t.app.inject({
      url: `/api/v1/sharing/grants/${grants.items[0]?.id}/agreement`,
      headers: mz.headers,
    });
    expect(agreement.statusCode).toBe(200);
  });

  // Last: it adds entries.
  it('exports the catalog as the fill-in template and imports it back over HTTP, all or nothing', async () => {
    const ga = await login(t.app, 'ga_admin');
    const me = json<{ activeOrgId: string }>(
      await t.app.inject({ url: '/api/v1/auth/me', headers: ga.headers }),
    );
    const exported = await t.app.inject({
      url: `/api/v1/catalog/export.xlsx?provider=${me.activeOrgId}`,
      headers: ga.headers,
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    const file = exported.rawPayload;
    const xlsx = {
      ...ga.headers,
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    };
    const check = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/import/check',
      headers: xlsx,
      payload: file,
    });
    expect(json<{ problems: unknown[] }>(check).problems).toEqual([]);
    const before = json<SearchResult>(
      await t.app.inject({ url: '/api/v1/catalog/entries?pageSize=1', headers: ga.headers }),
    ).total;
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/import',
      headers: xlsx,
      payload: file,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const created = json<{ created: number }>(imported).created;
    expect(created).toBeGreaterThanOrEqual(2);
    const after = json<SearchResult>(
      await t.app.inject({ url: '/api/v1/catalog/entries?pageSize=1', headers: ga.headers }),
    ).total;
    expect(after).toBe(before + created);
    const notXlsx = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/import',
      headers: xlsx,
      payload: Buffer.from('a,b,c\n'),
    });
    expect(notXlsx.statusCode).toBe(400);
    expect(json<{ fields: { rule: string }[] }>(notXlsx).fields[0]?.rule).toBe('file.format');
    // Someone else's department cannot import into 公安's catalog.
    const mz = await login(t.app, 'mz_officer');
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/import',
      headers: { ...mz.headers, 'content-type': xlsx['content-type'] },
      payload: file,
    });
    expect(foreign.statusCode).toBe(400);
    expect(json<{ fields: { field: string; rule: string }[] }>(foreign).fields[0]).toMatchObject({
      rule: 'import.provider_not_own',
    });
    expect(json<{ fields: { field: string }[] }>(foreign).fields[0]?.field).toMatch(/^信息资源![A-Z]+\d+$/);
  });
});
