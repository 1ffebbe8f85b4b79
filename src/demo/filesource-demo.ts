/**
 * Demo of a file source: 市人社局 has no database link to the platform yet and uploads its monthly
 * 金保工程 export of social insurance registrations as a CSV; the platform loads it into a table of its
 * own, and the published entry 社会保险参保信息 (seed 004 第六条) is mounted on it, so grants on that
 * entry are answered from the file. Everything goes through the services; loaded once.
 */
import type { RequestMeta } from '../http/context.js';
import { idNumberCheckChar } from '../kernel/validators.js';
import type { UserActor } from '../modules/auth/auth.policy.js';
import { fileSourcesFor } from '../modules/exchange/exchange.filesource.js';
import type { Services } from '../services.js';

const SOURCE_NAME = '社会保险参保登记（金保工程月度导出）';
const ENTRY_NAME = '社会保险参保信息';

const HEADER = [
  '姓名',
  '身份证件类型',
  '身份证件号码',
  '从业状况',
  '个人参保状况',
  '个人社保号',
  '险种类型',
  '个人参保日期',
  '个人停保日期',
  '工作单位名称',
  '工作单位社保号',
  '登记机关',
  '登记机关行政区划',
  '登记日期',
];

/** Districts of 咸宁市 (GB/T 2260) with their social insurance centres. */
const DISTRICTS = [
  { code: '421202', centre: '咸宁市咸安区社会保险中心' },
  { code: '421221', centre: '嘉鱼县社会保险中心' },
  { code: '421222', centre: '通城县社会保险中心' },
  { code: '421223', centre: '崇阳县社会保险中心' },
  { code: '421224', centre: '通山县社会保险中心' },
  { code: '421281', centre: '赤壁市社会保险中心' },
];

const SURNAMES = '陈李张刘王周胡吴黄徐熊余程邓何';
const GIVEN = [
  '志强',
  '秀英',
  '建华',
  '丽娟',
  '海涛',
  '慧敏',
  '国庆',
  '桂兰',
  '文杰',
  '红梅',
  '俊峰',
  '晓燕',
];
const EMPLOYERS = [
  { name: '咸宁市中心医院', code: '42120031' },
  { name: '湖北香城建设工程有限公司', code: '42120417' },
  { name: '赤壁市青砖茶业有限公司', code: '42128106' },
  { name: '嘉鱼县蔬菜产销合作社', code: '42122152' },
  { name: '通山县九宫山旅游开发有限公司', code: '42122489' },
];
/** GB/T 2261.4 从业状况 codes and 险种 codes of the 金保工程. */
const OCCUPATIONS = ['13', '17', '21', '24', '27', '51', '54'];
const SCHEMES = ['110', '170', '210', '310', '410'];

function csvOf(rows: string[][]): Buffer {
  return Buffer.from(`${rows.map((r) => r.join(',')).join('\r\n')}\r\n`, 'utf8');
}

/** Thirty registrations, the same on every run. */
function rows(): string[][] {
  return Array.from({ length: 30 }, (_, i) => {
    const d = DISTRICTS[i % DISTRICTS.length] as (typeof DISTRICTS)[number];
    const born = `19${String(62 + ((i * 7) % 38)).padStart(2, '0')}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + ((i * 5) % 28)).padStart(2, '0')}`;
    const first17 = `${d.code}${born}${String(101 + i * 3).padStart(3, '0')}`;
    const id = first17 + idNumberCheckChar(first17);
    const employed = i % 5 !== 4;
    const e = EMPLOYERS[i % EMPLOYERS.length] as (typeof EMPLOYERS)[number];
    const start = `20${String(8 + (i % 15)).padStart(2, '0')}-${String(1 + ((i * 3) % 12)).padStart(2, '0')}-01`;
    const stopped = i % 9 === 8;
    return [
      `${SURNAMES[i % SURNAMES.length]}${GIVEN[i % GIVEN.length]}`,
      '111',
      id,
      employed ? (OCCUPATIONS[i % OCCUPATIONS.length] as string) : '70',
      stopped ? '暂停缴费' : '参保缴费',
      `42${String(10_000_000 + i * 7919).padStart(8, '0')}`,
      employed ? (SCHEMES[i % SCHEMES.length] as string) : '170',
      start,
      stopped ? '2026-06-30' : '',
      employed ? e.name : '',
      employed ? e.code : '',
      d.centre,
      d.code,
      start,
    ];
  });
}

/** Loads the demo file source once; true when it wrote something. */
export async function loadDemoFileSource(
  services: Services,
  meta: RequestMeta,
  orgId: (shortName: string) => string,
): Promise<boolean> {
  const rs = orgId('市人社局');
  const existing = await services.exchange.listSources(rs);
  if (existing.some((s) => s.name === SOURCE_NAME)) return false;
  const admin = await services.auth.findUser('admin');
  if (!admin) throw new Error('demo: the admin user is missing');
  const actor: UserActor = {
    kind: 'user',
    userId: admin.id,
    username: admin.username,
    role: admin.role,
    homeOrgId: admin.orgId,
    orgId: admin.orgId,
    sessionId: 'demo',
  };
  const source = await services.exchange.createSource(meta, {
    orgId: rs,
    name: SOURCE_NAME,
    kind: 'file',
    config: {
      columns: [
        { name: '身份证件类型', type: 'text' },
        { name: '从业状况', type: 'text' },
        { name: '险种类型', type: 'text' },
        { name: '个人参保日期', type: 'date' },
        { name: '个人停保日期', type: 'date' },
        { name: '登记机关行政区划', type: 'text' },
        { name: '工作单位社保号', type: 'text' },
        { name: '登记日期', type: 'date' },
      ],
    },
  });
  const loaded = await fileSourcesFor(services).upload(meta, actor, source.id, {
    name: '社会保险参保登记_202611.csv',
    contentType: 'text/csv',
    sm3: undefined,
    data: csvOf([HEADER, ...rows()]),
  });
  const entry = await services.db.kysely
    .selectFrom('catalog_entry')
    .select('id')
    .where('name', '=', ENTRY_NAME)
    .where('provider_org_id', '=', rs)
    .where('status', '=', 'published')
    .where('revision_of', 'is', null)
    .executeTakeFirst();
  if (entry) {
    await services.exchange.mount(meta, actor, {
      entryId: entry.id,
      sourceId: source.id,
      relation: loaded.relation,
      keyColumns: ['身份证件号码'],
      mapping: Object.fromEntries(HEADER.map((h) => [h, h])),
    });
  }
  return true;
}
