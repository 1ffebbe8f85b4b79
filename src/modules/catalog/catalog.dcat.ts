/**
 * The open part of the published catalog as DCAT-AP 3 JSON-LD (DCAT 3 + the EU application profile).
 *
 * Only entries that are published and open (无条件开放 or 有条件开放) appear: never drafts, entries under
 * review, withdrawn entries, open revisions, or entries that are not open (不予开放).
 *
 * The document carries its own `@context` (JSON-LD 1.1): nothing is fetched when it is built or read.
 * Its shape is one `@graph` holding the catalog, the datasets (each with its distribution embedded),
 * the agents (publishers), the theme concepts and their scheme, the locations and the local formats.
 *
 * Mappings to controlled vocabularies (the ones DCAT-AP recommends):
 * - update cycle → EU frequency authority table (dct:accrualPeriodicity);
 * - open type → EU access-right authority table (dct:accessRights);
 * - format type → EU file-type authority table where the type has a code there, a local concept otherwise;
 * - organization → foaf:Agent with the ADMS publisher type;
 * - category and basic library → SKOS concepts of the platform's own theme scheme (dcat:theme);
 * - provider's GB/T 2260 division → dct:Location (dct:spatial).
 */
import { DomainError } from '../../kernel/errors.js';
import type { Json, JsonObject } from '../../kernel/json.js';
import type { EntryView, ItemView } from './catalog.model.js';
import { catalogRepository as repo } from './catalog.repository.js';
import type { CatalogService } from './catalog.service.js';
import {
  BASIC_LIBRARIES,
  type BasicLibrary,
  CATEGORIES,
  type Category,
  DATA_TYPES,
  type OpenType,
  type UpdateCycle,
} from './catalog.values.js';

export const NS = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  adms: 'http://www.w3.org/ns/adms#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
} as const;

const EU = 'http://publications.europa.eu/resource/authority';

/**
 * 更新周期 → EU frequency table. 实时 is "continuously updated" (UPDATE_CONT; CONT means "continuous",
 * i.e. without gaps); 每半年 is ANNUAL_2 ("semiannual"; BIENNIAL would be every two years).
 */
export const FREQUENCY: Record<UpdateCycle, string> = {
  realtime: `${EU}/frequency/UPDATE_CONT`,
  daily: `${EU}/frequency/DAILY`,
  weekly: `${EU}/frequency/WEEKLY`,
  monthly: `${EU}/frequency/MONTHLY`,
  quarterly: `${EU}/frequency/QUARTERLY`,
  semiannual: `${EU}/frequency/ANNUAL_2`,
  annual: `${EU}/frequency/ANNUAL`,
  irregular: `${EU}/frequency/IRREG`,
  other: `${EU}/frequency/OTHER`,
};

/** 开放类型 → EU access-right table (not_open never appears in the document; listed for completeness). */
export const ACCESS_RIGHTS: Record<OpenType, string> = {
  general: `${EU}/access-right/PUBLIC`,
  authorized: `${EU}/access-right/RESTRICTED`,
  not_open: `${EU}/access-right/NON_PUBLIC`,
};

/** Format types of the national guide that have a code in the EU file-type table (lower-cased keys). */
export const EU_FILE_TYPES: Readonly<Record<string, string>> = {
  xml: 'XML',
  txt: 'TXT',
  doc: 'DOC',
  docx: 'DOCX',
  html: 'HTML',
  pdf: 'PDF',
  ppt: 'PPT',
  xls: 'XLS',
  xlsx: 'XLSX',
  json: 'JSON',
  jpg: 'JPEG',
  gif: 'GIF',
  bmp: 'BMP',
  dbf: 'DBF',
  dbase: 'DBF',
  access: 'MDB',
};

export const LANGUAGE = { zh: `${EU}/language/ZHO`, en: `${EU}/language/ENG` } as const;

/**
 * ADMS publisher type. Every organization on the platform is a city or county body (or a public
 * institution exercising public functions for one), hence a local authority.
 */
export const PUBLISHER_TYPE = 'http://purl.org/adms/publishertype/LocalAuthority';

const CATEGORY_EN: Record<Category, string> = {
  '1': 'Basic information resources',
  '2': 'Thematic information resources',
  '3': 'Departmental information resources',
};

const BASIC_LIBRARY_EN: Record<BasicLibrary, string> = {
  population: 'Population',
  legal_person: 'Legal persons',
  geo: 'Natural resources and spatial geography',
  credit: 'Social credit',
  license: 'Electronic licences and certificates',
};

const CATALOG_TITLE = { zh: '咸宁市政务数据开放目录', en: 'Xianning Open Government Data Catalogue' };
const CATALOG_DESCRIPTION = {
  zh: '咸宁市政务数据共享交换平台发布的政务数据开放目录，包括无条件开放和有条件开放的政务信息资源。',
  en: 'The open government data catalogue published by the Xianning government data sharing platform: the resources opened unconditionally or on conditions.',
};

/** A language-tagged string. */
export function zh(value: string): JsonObject {
  return { '@language': 'zh', '@value': value };
}

export function en(value: string): JsonObject {
  return { '@language': 'en', '@value': value };
}

/**
 * The document's context. Every property is used as a compact IRI (prefix:name); the entries below
 * only coerce values: IRI-valued properties take plain strings as IRIs, dates get their XSD type,
 * and the data items (gs:dataItem) keep their order.
 */
export function dcatContext(baseUrl: string): JsonObject {
  const base = normalizeBase(baseUrl);
  const iri = { '@type': '@id' };
  const iriProps = [
    'dcat:dataset',
    'dcat:distribution',
    'dcat:accessURL',
    'dcat:theme',
    'dcat:themeTaxonomy',
    'dct:publisher',
    'dct:accrualPeriodicity',
    'dct:accessRights',
    'dct:spatial',
    'dct:language',
    'dct:format',
    'dct:type',
    'dct:relation',
    'foaf:homepage',
    'skos:inScheme',
    'skos:broader',
  ];
  return {
    '@version': 1.1,
    ...NS,
    gs: `${base}/ns#`,
    ...Object.fromEntries(iriProps.map((p) => [p, iri])),
    'dct:issued': { '@type': 'xsd:date' },
    'dct:modified': { '@type': 'xsd:dateTime' },
    'gs:dataItem': { '@container': '@list' },
    'gs:length': { '@type': 'xsd:integer' },
    'gs:seq': { '@type': 'xsd:integer' },
  };
}

/** The base URL without a trailing slash; it must be absolute (every IRI of the document hangs off it). */
export function normalizeBase(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`catalogJsonLd: base URL must be absolute, got "${baseUrl}"`);
  }
  if (url.search || url.hash) throw new Error(`catalogJsonLd: base URL may carry no query or fragment`);
  return url.href.replace(/\/+$/, '');
}

/** IRIs of the document. A resource code contains '/', so it is percent-encoded as one path segment. */
export const dcatIris = (base: string) => ({
  catalog: `${base}/catalog.jsonld#catalog`,
  dataset: (code: string) => `${base}/catalog/entries/${encodeURIComponent(code)}`,
  distribution: (code: string) => `${base}/catalog/entries/${encodeURIComponent(code)}#dist-api`,
  /**
   * The open-data access point of a dataset, to be built later (`/open/v1/datasets/:code`). DCAT-AP
   * makes dcat:accessURL mandatory, so the distribution names it now; it is the one place a harvester
   * will get the data (for authorized opening, after the condition is met).
   */
  access: (code: string) => `${base}/open/v1/datasets/${encodeURIComponent(code)}`,
  agent: (orgId: string) => `${base}/orgs/${orgId}`,
  themes: `${base}/themes`,
  category: (c: Category) => `${base}/themes/category/${c}`,
  basicLibrary: (b: BasicLibrary) => `${base}/themes/basic-library/${b}`,
  division: (code: string) => `${base}/divisions/${code}`,
  localFormat: (type: string) => `${base}/formats/${encodeURIComponent(type)}`,
});

/** The format of a distribution: the EU file-type code if there is one, a local concept otherwise. */
export function formatIri(base: string, formatType: string): { iri: string; local: boolean } {
  const code = EU_FILE_TYPES[formatType.toLowerCase()];
  return code
    ? { iri: `${EU}/file-type/${code}`, local: false }
    : { iri: dcatIris(base).localFormat(formatType), local: true };
}

interface Org {
  id: string;
  name: string;
  short_name: string;
  credit_code: string;
  division_code: string;
  kind: string;
}

const CHUNK = 500;

/** Published, open, current entries (not revisions), in code order. */
async function openEntries(catalog: CatalogService): Promise<EntryView[]> {
  const ids = await repo.entryIds(catalog.db, { statuses: ['published'], openOnly: true });
  const views: EntryView[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    views.push(...(await catalog.views(catalog.db, ids.slice(i, i + CHUNK))));
  }
  // The ids and the views are two reads: check again so that nothing withdrawn in between leaks.
  return views.filter(
    (v) => v.status === 'published' && v.revisionOf === null && !v.classified && v.openType !== 'not_open',
  );
}

function agentNode(iris: ReturnType<typeof dcatIris>, org: Org): JsonObject {
  return {
    '@id': iris.agent(org.id),
    '@type': ['foaf:Agent', 'foaf:Organization'],
    'foaf:name': zh(org.name),
    // GB 32100 unified social credit code.
    'dct:identifier': org.credit_code,
    'dct:type': PUBLISHER_TYPE,
  };
}

/** A division's name where the data has it: a county government is named after its division. */
function divisionLabels(orgs: Org[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const o of orgs) {
    if (o.kind === 'county_government' && o.name.endsWith('人民政府')) {
      m.set(o.division_code, o.name.slice(0, -'人民政府'.length));
    }
  }
  return m;
}

function keywords(v: EntryView): Json[] {
  const words = v.className
    .split('/')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (v.basicLibrary) words.push(BASIC_LIBRARIES[v.basicLibrary]);
  return [...new Set(words)].map(zh);
}

/**
 * Whether a data item is listed in the open catalog. The catalog has no per-item opening flag, so
 * sensitive and highly sensitive items (e.g. citizen ID numbers) are left out: an open dataset does not
 * open them, and listing them would say it does.
 */
export function listedItem(item: ItemView): boolean {
  return item.sensitivity === 'public' || item.sensitivity === 'internal';
}

function distributionNode(base: string, v: EntryView): JsonObject {
  const iris = dcatIris(base);
  const description =
    v.openType === 'authorized'
      ? `有条件开放。开放条件：${v.openCondition}`
      : '无条件开放，可通过开放数据接口获取。';
  return {
    '@id': iris.distribution(v.code),
    '@type': 'dcat:Distribution',
    'dcat:accessURL': iris.access(v.code),
    'dct:title': [zh(`${v.name}（开放数据接口）`), en('Open data API')],
    'dct:description': zh(description),
    'dct:format': formatIri(base, v.formatType).iri,
  };
}

function datasetNode(base: string, v: EntryView, openCodes: ReadonlySet<string>): JsonObject {
  const iris = dcatIris(base);
  const unit = v.providerUnit.trim();
  const node: JsonObject = {
    '@id': iris.dataset(v.code),
    '@type': 'dcat:Dataset',
    'dct:identifier': v.code,
    'dct:title': zh(v.name),
    'dct:description': zh(v.summary),
    'dct:publisher': iris.agent(v.providerOrgId),
    'dcat:theme': [iris.category(v.category), ...(v.basicLibrary ? [iris.basicLibrary(v.basicLibrary)] : [])],
    'dcat:keyword': keywords(v),
    'dct:accrualPeriodicity': FREQUENCY[v.updateCycle],
    'dct:accessRights': ACCESS_RIGHTS[v.openType],
    'dct:spatial': iris.division(v.providerDivisionCode),
    'dct:language': LANGUAGE.zh,
    'dcat:version': String(v.version),
    'dcat:contactPoint': {
      '@type': 'vcard:Organization',
      'vcard:fn': zh(unit ? `${v.providerName} ${unit}` : v.providerName),
    },
    'dcat:distribution': [distributionNode(base, v)],
  };
  if (v.publishDate) node['dct:issued'] = v.publishDate;
  if (v.publishedAt) node['dct:modified'] = v.publishedAt;
  // Related resources, only those in this document (a link must not reveal an entry that is not open).
  const related = v.relatedCodes.filter((c) => c !== v.code && openCodes.has(c));
  if (related.length) node['dct:relation'] = related.map((c) => iris.dataset(c));
  // GovShare extension (not DCAT-AP): the data items (信息项) of the resource, in order, under the
  // platform's own namespace gs: (`${base}/ns#`). DCAT has no notion of a dataset's fields.
  const items = v.items.filter(listedItem);
  if (items.length) {
    node['gs:dataItem'] = items.map((it) => {
      const item: JsonObject = {
        '@type': 'gs:DataItem',
        'gs:seq': it.seq,
        'dct:identifier': it.code,
        'gs:name': zh(it.name),
        'gs:dataType': it.dataType,
        'gs:dataTypeLabel': zh(DATA_TYPES[it.dataType]),
      };
      if (it.length !== null) item['gs:length'] = it.length;
      if (it.description.trim()) item['dct:description'] = zh(it.description.trim());
      return item;
    });
  }
  return node;
}

/**
 * The published open catalog as a DCAT-AP 3 JSON-LD document. `baseUrl` is the public address of the
 * platform (e.g. https://data.xianning.gov.cn); every IRI of the document is built from it.
 */
export async function catalogJsonLd(catalog: CatalogService, baseUrl: string): Promise<JsonObject> {
  const base = normalizeBase(baseUrl);
  const iris = dcatIris(base);
  const [entries, orgs] = await Promise.all([openEntries(catalog), repo.orgNames(catalog.db)]);
  const platform = orgs
    .filter((o) => o.kind === 'platform_office')
    .sort((a, b) => a.id.localeCompare(b.id))[0];
  if (!platform) {
    throw DomainError.invalidState({
      zh: '未设置平台管理机构，无法生成开放目录',
      en: 'No platform office is set up: the open catalog has no publisher',
    });
  }
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const openCodes = new Set(entries.map((e) => e.code));

  const datasets = entries.map((v) => datasetNode(base, v, openCodes));

  // Agents: the platform office (the catalog's publisher), then every provider, by name. The view
  // carries the provider's name and codes too, should the organization list have been read before it.
  const agentOrgs = new Map<string, Org>([[platform.id, platform]]);
  for (const e of entries) {
    if (agentOrgs.has(e.providerOrgId)) continue;
    agentOrgs.set(
      e.providerOrgId,
      orgById.get(e.providerOrgId) ?? {
        id: e.providerOrgId,
        name: e.providerName,
        short_name: e.providerName,
        credit_code: e.providerCreditCode,
        division_code: e.providerDivisionCode,
        kind: 'department',
      },
    );
  }
  const agents = [...agentOrgs.values()]
    .sort((a, b) =>
      a.id === platform.id ? -1 : b.id === platform.id ? 1 : a.name.localeCompare(b.name, 'zh'),
    )
    .map((o) => agentNode(iris, o));

  // Themes: the guide's categories and basic libraries as one concept scheme.
  const usedCategories = new Set<Category>(entries.map((e) => e.category));
  const usedLibraries = new Set<BasicLibrary>(
    entries.flatMap((e) => (e.basicLibrary ? [e.basicLibrary] : [])),
  );
  const concepts: JsonObject[] = [
    ...(Object.keys(CATEGORIES) as Category[])
      .filter((c) => usedCategories.has(c))
      .map(
        (c): JsonObject => ({
          '@id': iris.category(c),
          '@type': 'skos:Concept',
          'skos:prefLabel': [zh(CATEGORIES[c]), en(CATEGORY_EN[c])],
          'skos:notation': c,
          'skos:inScheme': iris.themes,
        }),
      ),
    ...(Object.keys(BASIC_LIBRARIES) as BasicLibrary[])
      .filter((b) => usedLibraries.has(b))
      .map(
        (b): JsonObject => ({
          '@id': iris.basicLibrary(b),
          '@type': 'skos:Concept',
          'skos:prefLabel': [zh(`${BASIC_LIBRARIES[b]}基础库`), en(BASIC_LIBRARY_EN[b])],
          'skos:broader': iris.category('1'),
          'skos:inScheme': iris.themes,
        }),
      ),
  ];
  if (usedLibraries.size && !usedCategories.has('1')) {
    concepts.unshift({
      '@id': iris.category('1'),
      '@type': 'skos:Concept',
      'skos:prefLabel': [zh(CATEGORIES['1']), en(CATEGORY_EN['1'])],
      'skos:notation': '1',
      'skos:inScheme': iris.themes,
    });
  }
  const scheme: JsonObject = {
    '@id': iris.themes,
    '@type': 'skos:ConceptScheme',
    'dct:title': [zh('政务信息资源分类'), en('Classification of government information resources')],
  };

  // Locations: the GB/T 2260 divisions of the providers and of the platform office.
  const labels = divisionLabels(orgs);
  const divisions = [...new Set([platform.division_code, ...entries.map((e) => e.providerDivisionCode)])]
    .sort()
    .map((code): JsonObject => {
      const label = labels.get(code);
      return {
        '@id': iris.division(code),
        '@type': 'dct:Location',
        'dct:identifier': code,
        ...(label ? { 'skos:prefLabel': zh(label) } : {}),
      };
    });

  // Format types without an EU code, described locally.
  const localFormats = [...new Set(entries.map((e) => e.formatType))]
    .filter((t) => formatIri(base, t).local)
    .sort()
    .map(
      (t): JsonObject => ({
        '@id': iris.localFormat(t),
        '@type': 'dct:MediaTypeOrExtent',
        'rdfs:label': t,
      }),
    );

  const modified = entries
    .map((e) => e.publishedAt)
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1);

  const catalogNode: JsonObject = {
    '@id': iris.catalog,
    '@type': 'dcat:Catalog',
    'dct:title': [zh(CATALOG_TITLE.zh), en(CATALOG_TITLE.en)],
    'dct:description': [zh(CATALOG_DESCRIPTION.zh), en(CATALOG_DESCRIPTION.en)],
    'dct:publisher': iris.agent(platform.id),
    'foaf:homepage': base,
    'dct:language': [LANGUAGE.zh, LANGUAGE.en],
    'dct:modified': modified ?? new Date().toISOString(),
    'dct:spatial': iris.division(platform.division_code),
    'dcat:themeTaxonomy': iris.themes,
    'dcat:dataset': datasets.map((d) => d['@id'] as string),
  };

  return {
    '@context': dcatContext(base),
    '@graph': [catalogNode, ...datasets, ...agents, scheme, ...concepts, ...divisions, ...localFormats],
  };
}
