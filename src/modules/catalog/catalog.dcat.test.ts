import jsonld from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDb, testDb } from '../../../test/helpers.js';
import type { RequestMeta } from '../../http/context.js';
import type { JsonObject } from '../../kernel/json.js';
import { createServices, type Services } from '../../services.js';
import type { UserActor } from '../auth/auth.policy.js';
import { catalogJsonLd, NS } from './catalog.dcat.js';
import type { EntryInput, EntryView } from './catalog.model.js';

const BASE = 'https://data.xianning.gov.cn/';
const ROOT = 'https://data.xianning.gov.cn';

const RDF_TYPE = '@type';
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const EU = 'http://publications.europa.eu/resource/authority';

const META: RequestMeta = { actor: { username: 'test' }, requestId: 'dcat-test', ip: '' };

/** A node of the expanded form: property IRI → values. */
type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every node object of an expanded document (nested ones too), merged by @id. */
function nodesOf(expanded: unknown): Map<string, Node> {
  const byId = new Map<string, Node>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isNode(v)) return;
    if ('@value' in v) return;
    if ('@list' in v) {
      walk(v['@list']);
      return;
    }
    const id = v['@id'];
    if (typeof id === 'string') byId.set(id, { ...(byId.get(id) ?? {}), ...v });
    for (const [k, x] of Object.entries(v)) if (!k.startsWith('@')) walk(x);
  };
  walk(expanded);
  return byId;
}

function values(node: Node | undefined, prop: string): unknown[] {
  const v = node?.[prop];
  return Array.isArray(v) ? v : [];
}

function types(node: Node): string[] {
  return values(node, RDF_TYPE).filter((t): t is string => typeof t === 'string');
}

function ids(node: Node | undefined, prop: string): string[] {
  return values(node, prop).flatMap((v) => (isNode(v) && typeof v['@id'] === 'string' ? [v['@id']] : []));
}

function literals(node: Node | undefined, prop: string): { value: string; language?: string }[] {
  return values(node, prop).flatMap((v) =>
    isNode(v) && typeof v['@value'] === 'string'
      ? [{ value: v['@value'], ...(typeof v['@language'] === 'string' ? { language: v['@language'] } : {}) }]
      : [],
  );
}

function ofType(nodes: Map<string, Node>, type: string): Node[] {
  return [...nodes.values()].filter((n) => types(n).includes(type));
}

let t: TestDb;
let services: Services;
let admin: UserActor;
let gaAdmin: UserActor;
const loaderCalls: string[] = [];

/** Fails the test if the processor tries to fetch anything (the context must be inline). */
async function noFetch(url: string): Promise<never> {
  loaderCalls.push(url);
  throw new Error(`document loader called for ${url}`);
}

/** Expands with a loader that refuses, in safe mode (a term or IRI that would be dropped is an error). */
async function expand(doc: JsonObject) {
  const options = { documentLoader: noFetch, safe: true };
  return jsonld.expand(doc, options);
}

async function actor(username: string): Promise<UserActor> {
  const u = await t.db.kysely
    .selectFrom('app_user')
    .select(['id', 'username', 'role', 'org_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return {
    kind: 'user',
    userId: u.id,
    username: u.username,
    role: u.role,
    homeOrgId: u.org_id,
    orgId: u.org_id,
    sessionId: '',
  };
}

function input(over: Partial<EntryInput>): EntryInput {
  return {
    classCode: '301001',
    className: '部门信息资源/公安/交通管理',
    name: '测试资源',
    providerOrgId: gaAdmin.orgId,
    providerUnit: '交通管理支队',
    summary: '测试摘要',
    formatCategory: 'self_describing',
    formatType: 'json',
    shareType: 'unconditional',
    shareModes: ['api'],
    openType: 'general',
    updateCycle: 'monthly',
    dataGrade: 'general',
    items: [
      { name: '路段名称', dataType: 'C', length: 100 },
      { name: '统计日期', dataType: 'D' },
    ],
    ...over,
  };
}

async function publish(i: EntryInput): Promise<EntryView> {
  const c = services.catalog;
  const v = await c.create(META, gaAdmin, i);
  await c.recordAssessments(META, gaAdmin, v.id, {
    confidentiality: '不涉及国家秘密',
    personalInformation: '不含个人信息',
  });
  await c.approve(META, gaAdmin, v.id);
  await c.submit(META, gaAdmin, v.id);
  return c.publish(META, admin, v.id);
}

let general: EntryView;
let authorized: EntryView;
let notOpen: EntryView;
let draft: EntryView;
let withdrawn: EntryView;
let before: Set<string>;
let doc: JsonObject;
let nodes: Map<string, Node>;

const datasetIri = (v: EntryView) => `${ROOT}/catalog/entries/${encodeURIComponent(v.code)}`;

beforeAll(async () => {
  t = await testDb({ LOG_LEVEL: 'silent' });
  services = createServices(t.config, t.db);
  admin = await actor('admin');
  gaAdmin = await actor('ga_admin');

  // Whatever the database already publishes (the demo catalog, once it is loaded) stays out of the counts.
  const baseline = nodesOf(await expand(await catalogJsonLd(services.catalog, BASE)));
  before = new Set(ofType(baseline, `${DCAT}Dataset`).map((n) => String(n['@id'])));

  general = await publish(
    input({
      classCode: '101001',
      className: '基础信息资源/人口/户籍',
      basicLibrary: 'population',
      name: '户籍人口统计（按乡镇）',
      summary: '各乡镇（街道）户籍人口数的年度统计。',
      formatCategory: 'database',
      formatType: 'PostgreSQL',
      shareType: 'conditional',
      shareConditionScope: '市直部门',
      shareConditionUse: '人口统计分析',
      shareModes: ['api'],
      updateCycle: 'daily',
      items: [
        { name: '乡镇名称', dataType: 'C', length: 50, description: '乡镇（街道）名称' },
        { name: '户籍人口数', dataType: 'I' },
        {
          name: '统计人员公民身份号码',
          dataType: 'C',
          length: 18,
          sensitivity: 'sensitive',
          masking: 'partial',
        },
      ],
    }),
  );
  authorized = await publish(
    input({
      name: '道路交通流量',
      summary: '主要路段的交通流量监测数据。',
      openType: 'authorized',
      openCondition: '仅向经备案的科研机构开放，用于交通研究',
      updateCycle: 'semiannual',
    }),
  );
  notOpen = await publish(
    input({
      name: '机动车驾驶人违法记录',
      summary: '驾驶人交通违法记录，不予开放。',
      openType: 'not_open',
      updateCycle: 'realtime',
    }),
  );
  draft = await services.catalog.create(META, gaAdmin, input({ name: '交通事故草稿目录', summary: '草稿' }));
  withdrawn = await publish(input({ name: '已撤销的停车场目录', summary: '停车场信息' }));
  await services.catalog.withdraw(META, gaAdmin, withdrawn.id, '数据停止维护');

  doc = await catalogJsonLd(services.catalog, BASE);
  nodes = nodesOf(await expand(doc));
});

afterAll(async () => {
  await services?.audit.stop();
  await t?.dispose();
});

describe('catalogJsonLd (DCAT-AP 3)', () => {
  it('set-up: the entries are in the states the test needs', () => {
    expect([general.status, authorized.status, notOpen.status, draft.status]).toEqual([
      'published',
      'published',
      'published',
      'draft',
    ]);
    expect(general.openType).toBe('general');
    expect(authorized.openType).toBe('authorized');
    expect(notOpen.openType).toBe('not_open');
  });

  it('is JSON-LD 1.1 with an inline context: expands and converts to RDF without fetching anything', async () => {
    const ctx = doc['@context'];
    expect(typeof ctx).toBe('object');
    expect(JSON.stringify(ctx)).not.toMatch(/"https?:\/\/[^"]*\.jsonld"/);
    const expanded = await expand(doc);
    expect(expanded.length).toBeGreaterThan(0);
    // Every property and type expanded to an absolute IRI (a mistyped prefix would stay a compact IRI).
    const known: string[] = [...Object.values(NS), `${ROOT}/ns#`];
    for (const n of nodesOf(expanded).values()) {
      for (const key of [...Object.keys(n).filter((k) => !k.startsWith('@')), ...types(n)]) {
        expect(
          known.some((ns) => key.startsWith(ns)),
          key,
        ).toBe(true);
      }
    }
    const nquads = await jsonld.toRDF(doc, {
      format: 'application/n-quads',
      documentLoader: noFetch,
    });
    expect(typeof nquads).toBe('string');
    const lines = String(nquads)
      .split('\n')
      .filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(20);
    expect(lines).toContain(`<${datasetIri(general)}> <${DCT}title> "户籍人口统计（按乡镇）"@zh .`);
    expect(lines).toContain(
      `<${datasetIri(general)}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${DCAT}Dataset> .`,
    );
    expect(loaderCalls).toEqual([]);
  });

  it('every dataset has a title, a description and a distribution with an absolute access URL', () => {
    const datasets = ofType(nodes, `${DCAT}Dataset`);
    expect(datasets.length).toBeGreaterThanOrEqual(2);
    for (const d of datasets) {
      expect(literals(d, `${DCT}title`).length, String(d['@id'])).toBeGreaterThan(0);
      expect(literals(d, `${DCT}description`).length, String(d['@id'])).toBeGreaterThan(0);
      const dists = ids(d, `${DCAT}distribution`).map((id) => nodes.get(id));
      expect(dists.length, String(d['@id'])).toBeGreaterThan(0);
      const urls = dists.flatMap((x) => ids(x, `${DCAT}accessURL`));
      expect(urls.length, String(d['@id'])).toBeGreaterThan(0);
      for (const u of urls) {
        const url = new URL(u); // throws on a relative IRI
        expect(['http:', 'https:']).toContain(url.protocol);
      }
      for (const x of dists) expect(types(x as Node)).toContain(`${DCAT}Distribution`);
    }
  });

  it('holds exactly the published open entries: not the not-open one, the draft or the withdrawn one', () => {
    const datasets = new Set(ofType(nodes, `${DCAT}Dataset`).map((n) => String(n['@id'])));
    const added = [...datasets].filter((id) => !before.has(id)).sort();
    expect(added).toEqual([datasetIri(general), datasetIri(authorized)].sort());
    for (const v of [notOpen, draft, withdrawn]) expect(datasets.has(datasetIri(v))).toBe(false);
    const text = JSON.stringify(doc);
    for (const v of [notOpen, draft, withdrawn]) expect(text).not.toContain(v.name);
    // The catalog lists the same datasets.
    const catalog = ofType(nodes, `${DCAT}Catalog`);
    expect(catalog).toHaveLength(1);
    expect(new Set(ids(catalog[0], `${DCAT}dataset`))).toEqual(datasets);
  });

  it('the catalog has a title, a description and a publisher; every agent has a name', () => {
    const [catalog] = ofType(nodes, `${DCAT}Catalog`);
    expect(catalog?.['@id']).toBe(`${ROOT}/catalog.jsonld#catalog`);
    expect(literals(catalog, `${DCT}title`)).toContainEqual({
      value: '咸宁市政务数据开放目录',
      language: 'zh',
    });
    expect(literals(catalog, `${DCT}description`).map((l) => l.language)).toEqual(
      expect.arrayContaining(['zh', 'en']),
    );
    expect(ids(catalog, `${FOAF}homepage`)).toEqual([ROOT]);
    const [publisher] = ids(catalog, `${DCT}publisher`);
    expect(literals(nodes.get(publisher as string), `${FOAF}name`)).toContainEqual({
      value: '咸宁市政务服务和大数据管理局',
      language: 'zh',
    });
    const agents = ofType(nodes, `${FOAF}Agent`);
    expect(agents.length).toBeGreaterThanOrEqual(2);
    for (const a of agents) expect(literals(a, `${FOAF}name`).length, String(a['@id'])).toBeGreaterThan(0);
    // Every publisher a dataset names is described.
    for (const d of ofType(nodes, `${DCAT}Dataset`)) {
      for (const p of ids(d, `${DCT}publisher`))
        expect(types(nodes.get(p) as Node)).toContain(`${FOAF}Agent`);
    }
  });

  it('maps frequency, access rights, themes, spatial, format and the provider to their vocabularies', () => {
    const g = nodes.get(datasetIri(general));
    const a = nodes.get(datasetIri(authorized));
    expect(literals(g, `${DCT}identifier`)).toEqual([{ value: general.code }]);
    expect(ids(g, `${DCT}accrualPeriodicity`)).toEqual([`${EU}/frequency/DAILY`]);
    expect(ids(a, `${DCT}accrualPeriodicity`)).toEqual([`${EU}/frequency/ANNUAL_2`]);
    expect(ids(g, `${DCT}accessRights`)).toEqual([`${EU}/access-right/PUBLIC`]);
    expect(ids(a, `${DCT}accessRights`)).toEqual([`${EU}/access-right/RESTRICTED`]);
    expect(ids(g, `${DCAT}theme`)).toEqual([
      `${ROOT}/themes/category/1`,
      `${ROOT}/themes/basic-library/population`,
    ]);
    expect(ids(a, `${DCAT}theme`)).toEqual([`${ROOT}/themes/category/3`]);
    for (const th of [...ids(g, `${DCAT}theme`), ...ids(a, `${DCAT}theme`)]) {
      expect(literals(nodes.get(th), 'http://www.w3.org/2004/02/skos/core#prefLabel').length).toBeGreaterThan(
        0,
      );
    }
    expect(literals(g, `${DCAT}keyword`).map((k) => k.value)).toEqual(['基础信息资源', '人口', '户籍']);
    expect(ids(g, `${DCT}spatial`)).toEqual([`${ROOT}/divisions/${general.providerDivisionCode}`]);
    expect(values(g, `${DCT}issued`)).toEqual([
      { '@value': general.publishDate, '@type': 'http://www.w3.org/2001/XMLSchema#date' },
    ]);

    const publisher = nodes.get(ids(g, `${DCT}publisher`)[0] as string);
    expect(publisher?.['@id']).toBe(`${ROOT}/orgs/${gaAdmin.orgId}`);
    expect(literals(publisher, `${FOAF}name`)).toEqual([{ value: '咸宁市公安局', language: 'zh' }]);
    expect(literals(publisher, `${DCT}identifier`)).toEqual([{ value: general.providerCreditCode }]);

    const gd = nodes.get(`${datasetIri(general)}#dist-api`);
    const ad = nodes.get(`${datasetIri(authorized)}#dist-api`);
    expect(ids(gd, `${DCAT}accessURL`)).toEqual([
      `${ROOT}/open/v1/datasets/${encodeURIComponent(general.code)}`,
    ]);
    expect(ids(ad, `${DCT}format`)).toEqual([`${EU}/file-type/JSON`]);
    // PostgreSQL has no EU file-type code: a local concept with its label.
    const [pgFormat] = ids(gd, `${DCT}format`);
    expect(pgFormat).toBe(`${ROOT}/formats/PostgreSQL`);
    expect(literals(nodes.get(pgFormat as string), 'http://www.w3.org/2000/01/rdf-schema#label')).toEqual([
      { value: 'PostgreSQL' },
    ]);
    expect(literals(ad, `${DCT}description`)[0]?.value).toContain('仅向经备案的科研机构开放，用于交通研究');
  });

  it('lists the data items, in order, under the GovShare extension namespace', () => {
    const g = nodes.get(datasetIri(general));
    const list = values(g, `${ROOT}/ns#dataItem`)[0];
    expect(isNode(list) && Array.isArray(list['@list'])).toBe(true);
    const items = (isNode(list) ? (list['@list'] as Node[]) : []).map((it) => ({
      code: literals(it, `${DCT}identifier`)[0]?.value,
      name: literals(it, `${ROOT}/ns#name`)[0]?.value,
      type: literals(it, `${ROOT}/ns#dataType`)[0]?.value,
    }));
    expect(items).toEqual([
      { code: `${general.code}/001`, name: '乡镇名称', type: 'C' },
      { code: `${general.code}/002`, name: '户籍人口数', type: 'I' },
    ]);
    // A sensitive item is not listed: the open catalog does not open it.
    expect(JSON.stringify(doc)).not.toContain('统计人员公民身份号码');
  });

  it('rejects a relative base URL', async () => {
    await expect(catalogJsonLd(services.catalog, '/catalog')).rejects.toThrow(/absolute/);
  });
});
