/**
 * The Xianning (咸宁市, Hubei) demo: the organization tree of seed 004, the four named officers of
 * every organization (004 §7, §14), and one user per role.
 *
 * Loaded on first start when `config.demo` is on and the database holds no organization yet. Each
 * logical step (organizations, officers, users) is one transaction and skips what already exists,
 * so a start that crashed half-way finishes the demo on the next start; a database holding
 * organizations other than the demo's is never touched.
 *
 * The tree: the platform office 咸宁市政务服务和大数据管理局 (市政务办, also 市政府大数据中心) is the root
 * of the platform's tenant tree, and every city department, county government and park hangs
 * directly under it as a tenant of the city platform (004 §6: counties build no platform of their
 * own). The tree models who the platform serves, not the government's reporting lines: 市政府
 * itself is not a tenant, so it is not a node.
 */
import type { RequestMeta } from '../http/context.js';
import { DomainError } from '../kernel/errors.js';
import { creditCodeCheckChar, orgCodeCheckChar } from '../kernel/validators.js';
import type { UserActor } from '../modules/auth/auth.policy.js';
import type { Role } from '../modules/auth/auth.table.js';
import type { OfficerChangeInput, OfficerChangePlan } from '../modules/orgs/orgs.service.js';
import type { OfficerDuty, OrgKind, OrgLevel } from '../modules/orgs/orgs.table.js';
import type { Services } from '../services.js';
import { DEMO_CATALOG } from './catalog-data.js';
import { loadDemoFileSource } from './filesource-demo.js';
import { loadDemoProjects } from './projects-demo.js';
import { loadDemoSelfcheck } from './selfcheck-demo.js';
import { loadDemoSharing } from './sharing-demo.js';

export const DEMO_PASSWORD = 'Demo@2026';

export interface DemoLogin {
  username: string;
  role: string;
  org: string;
}

/** The audit action of every row the demo writes. */
const DEMO_ACTION = 'demo.load';

interface DemoOrg {
  name: string;
  /** Also the key the officers and users below refer to. */
  shortName: string;
  nameEn: string;
  kind: OrgKind;
  level: OrgLevel;
  divisionCode: string;
  /**
   * GB 32100 registration authority + organization type: 11 机构编制·机关, 12 机构编制·事业单位,
   * 13 机构编制·中央编办直接管理机构编制的群众团体.
   */
  authority: '11' | '12' | '13';
  /** The first 8 characters of the demo GB 11714 organization code. */
  orgCodeBase: string;
  /** Titles of the principal and of the leader in charge. */
  head: string;
  deputy: string;
  /** Mailbox prefix of the officers' role addresses. */
  mail: string;
}

const CITY = '421200';

/** The platform office first: everything else is created under it. */
const ORGS: DemoOrg[] = [
  {
    name: '咸宁市政务服务和大数据管理局',
    shortName: '市政务办',
    nameEn: 'Xianning Administration of Government Services and Big Data (Xianning Big Data Center)',
    kind: 'platform_office',
    level: 'city',
    divisionCode: CITY,
    authority: '11',
    orgCodeBase: 'MB150001',
    head: '局长',
    deputy: '副局长',
    mail: 'zwb',
  },
  dept('咸宁市公安局', '市公安局', 'Xianning Municipal Public Security Bureau', 'MB150002', 'gaj'),
  dept('咸宁市民政局', '市民政局', 'Xianning Municipal Civil Affairs Bureau', 'MB150003', 'mzj'),
  {
    ...dept('咸宁市卫生健康委员会', '市卫健委', 'Xianning Municipal Health Commission', 'MB150004', 'wjw'),
    head: '主任',
    deputy: '副主任',
  },
  dept(
    '咸宁市人力资源和社会保障局',
    '市人社局',
    'Xianning Municipal Human Resources and Social Security Bureau',
    'MB150005',
    'rsj',
  ),
  dept('咸宁市教育局', '市教育局', 'Xianning Municipal Education Bureau', 'MB150006', 'jyj'),
  {
    ...dept('咸宁市残疾人联合会', '市残联', "Xianning Disabled Persons' Federation", 'MB150007', 'cl'),
    kind: 'public_institution',
    authority: '13',
    head: '理事长',
    deputy: '副理事长',
  },
  {
    ...dept(
      '咸宁市住房公积金中心',
      '市公积金中心',
      'Xianning Housing Provident Fund Center',
      'MB150008',
      'gjj',
    ),
    kind: 'public_institution',
    authority: '12',
    head: '主任',
    deputy: '副主任',
  },
  dept(
    '咸宁市市场监督管理局',
    '市市场监管局',
    'Xianning Municipal Administration for Market Regulation',
    'MB150009',
    'scjg',
  ),
  dept(
    '国家税务总局咸宁市税务局',
    '市税务局',
    'Xianning Municipal Tax Service, State Taxation Administration',
    'MB150010',
    'sw',
  ),
  {
    ...dept(
      '中共咸宁市委机构编制委员会办公室',
      '市编办',
      'Office of the Xianning Municipal Commission for Public Sector Reform',
      'MB150011',
      'bb',
    ),
    head: '主任',
    deputy: '副主任',
  },
  dept(
    '咸宁市自然资源和规划局',
    '市自然资源和规划局',
    'Xianning Municipal Bureau of Natural Resources and Planning',
    'MB150012',
    'zrzy',
  ),
  dept('咸宁市财政局', '市财政局', 'Xianning Municipal Finance Bureau', 'MB150013', 'czj'),
  dept('咸宁市审计局', '市审计局', 'Xianning Municipal Audit Bureau', 'MB150014', 'sjj'),
  {
    ...dept(
      '咸宁市发展和改革委员会',
      '市发改委',
      'Xianning Municipal Development and Reform Commission',
      'MB150015',
      'fgw',
    ),
    head: '主任',
    deputy: '副主任',
  },
  county(
    '咸安区人民政府',
    '咸安区政府',
    "People's Government of Xian'an District",
    '421202',
    'MB150016',
    '区',
    'xaq',
  ),
  county(
    '嘉鱼县人民政府',
    '嘉鱼县政府',
    "People's Government of Jiayu County",
    '421221',
    'MB150017',
    '县',
    'jyx',
  ),
  county(
    '通城县人民政府',
    '通城县政府',
    "People's Government of Tongcheng County",
    '421222',
    'MB150018',
    '县',
    'tcx',
  ),
  county(
    '崇阳县人民政府',
    '崇阳县政府',
    "People's Government of Chongyang County",
    '421223',
    'MB150019',
    '县',
    'cyx',
  ),
  county(
    '通山县人民政府',
    '通山县政府',
    "People's Government of Tongshan County",
    '421224',
    'MB150020',
    '县',
    'tsx',
  ),
  county(
    '赤壁市人民政府',
    '赤壁市政府',
    "People's Government of Chibi City",
    '421281',
    'MB150021',
    '市',
    'cbs',
  ),
  {
    name: '咸宁高新技术产业开发区管理委员会',
    shortName: '咸宁高新区管委会',
    nameEn: 'Administrative Committee of Xianning High-tech Industrial Development Zone',
    kind: 'park',
    level: 'park',
    // A development zone is no administrative division: it has no GB/T 2260 code of its own and
    // carries the code of the city it belongs to.
    divisionCode: CITY,
    authority: '11',
    orgCodeBase: 'MB150022',
    head: '主任',
    deputy: '副主任',
    mail: 'gxq',
  },
];

function dept(name: string, shortName: string, nameEn: string, orgCodeBase: string, mail: string): DemoOrg {
  return {
    name,
    shortName,
    nameEn,
    kind: 'department',
    level: 'city',
    divisionCode: CITY,
    authority: '11',
    orgCodeBase,
    head: '局长',
    deputy: '副局长',
    mail,
  };
}

function county(
  name: string,
  shortName: string,
  nameEn: string,
  divisionCode: string,
  orgCodeBase: string,
  unit: '区' | '县' | '市',
  mail: string,
): DemoOrg {
  return {
    name,
    shortName,
    nameEn,
    kind: 'county_government',
    level: 'county',
    divisionCode,
    authority: '11',
    orgCodeBase,
    head: `${unit}长`,
    deputy: `副${unit}长`,
    mail,
  };
}

/**
 * DEMO VALUES, not the bodies' real codes (those cannot be looked up here): a check-valid
 * GB 32100 code = authority and type ('11' 机构编制·机关 …) + division code + a GB 11714
 * organization code (a fixed 8-character base per organization + its check character) + the
 * credit code's own check character.
 */
export function demoCreditCode(org: Pick<DemoOrg, 'authority' | 'divisionCode' | 'orgCodeBase'>): string {
  const orgCode = org.orgCodeBase + orgCodeCheckChar(org.orgCodeBase);
  const first17 = org.authority + org.divisionCode + orgCode;
  return first17 + creditCodeCheckChar(first17);
}

/** The organizations of the demo: full name, short name, kind, level, division and credit code. */
export const DEMO_ORGS = ORGS.map((o) => ({
  name: o.name,
  shortName: o.shortName,
  kind: o.kind,
  level: o.level,
  divisionCode: o.divisionCode,
  creditCode: demoCreditCode(o),
}));

// ── officers ──

/** Fictional names: a surname and a given name, paired so that no two officers share a name. */
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
  '梁',
  '宋',
  '郑',
  '谢',
  '韩',
  '唐',
  '冯',
  '余',
  '董',
  '叶',
  '程',
  '曹',
  '袁',
  '邓',
  '许',
  '傅',
  '沈',
  '曾',
  '彭',
  '吕',
];
const GIVEN = [
  '志强',
  '丽华',
  '建国',
  '海燕',
  '文斌',
  '晓东',
  '秀英',
  '国平',
  '春梅',
  '明辉',
  '红霞',
  '德胜',
  '振华',
  '雪梅',
  '立新',
  '玉兰',
  '新民',
  '慧敏',
  '家豪',
  '婷婷',
  '俊杰',
  '淑芬',
  '永刚',
  '晓燕',
  '长青',
  '桂芳',
  '卫东',
  '思远',
  '金凤',
  '宏伟',
];

function personName(i: number): string {
  // i ↦ (i mod 40, 7i mod 30) is one-to-one for i < 120.
  return `${SURNAMES[i % SURNAMES.length] ?? '王'}${GIVEN[(i * 7) % GIVEN.length] ?? '明'}`;
}

const DUTY_MAIL: Record<OfficerDuty, string> = {
  principal: 'fzr',
  leader_in_charge: 'fgld',
  sharing_officer: 'gxzr',
  technical_officer: 'jszr',
};

function officerTitle(org: DemoOrg, duty: OfficerDuty): string {
  switch (duty) {
    case 'principal':
      return org.head;
    case 'leader_in_charge':
      return org.deputy;
    case 'sharing_officer':
      if (org.kind === 'county_government') return '政务服务和大数据管理局局长';
      if (org.kind === 'park') return '党政办公室主任';
      return '信息化科科长';
    case 'technical_officer':
      if (org.kind === 'county_government') return '大数据中心主任';
      return '信息中心工程师';
  }
}

const ORDERED_DUTIES: OfficerDuty[] = [
  'principal',
  'leader_in_charge',
  'sharing_officer',
  'technical_officer',
];

interface DemoOfficerChange {
  org: string;
  input: OfficerChangeInput;
}

/** Everyone took office early in January 2026 and was reported within three days. */
function initialOfficers(): DemoOfficerChange[] {
  const out: DemoOfficerChange[] = [];
  ORGS.forEach((org, o) => {
    ORDERED_DUTIES.forEach((duty, d) => {
      const i = o * 4 + d;
      out.push({
        org: org.shortName,
        input: {
          duty,
          name: personName(i),
          title: officerTitle(org, duty),
          phone: `0715-8${String(210000 + i * 1379).padStart(6, '0')}`,
          email: `${org.mail}.${DUTY_MAIL[duty]}@xianning.gov.cn`,
          effectiveFrom: '2026-01-05',
          reportedOn: `2026-01-0${6 + (o % 3)}`,
        },
      });
    });
  });
  return out;
}

/** Later changes: two reported on time, and 市民政局's new sharing officer reported late. */
const LATER_CHANGES: DemoOfficerChange[] = [
  {
    org: '市公安局',
    input: {
      duty: 'technical_officer',
      name: personName(100),
      title: '科技信息化支队副支队长',
      phone: '0715-8356021',
      email: 'gaj.jszr@xianning.gov.cn',
      effectiveFrom: '2026-06-01',
      reportedOn: '2026-06-03',
    },
  },
  {
    org: '咸安区政府',
    input: {
      duty: 'leader_in_charge',
      name: personName(101),
      title: '副区长',
      phone: '0715-8611208',
      email: 'xaq.fgld@xianning.gov.cn',
      effectiveFrom: '2026-03-02',
      reportedOn: '2026-03-04',
    },
  },
  {
    // Took office on Tuesday 1 September, reported on the 15th: past the 5 working days of 004 §14.
    org: '市民政局',
    input: {
      duty: 'sharing_officer',
      name: personName(102),
      title: '办公室主任',
      phone: '0715-8127730',
      email: 'mzj.gxzr@xianning.gov.cn',
      effectiveFrom: '2026-09-01',
      reportedOn: '2026-09-15',
    },
  },
];

// ── users ──

interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  org: string;
}

const USERS: DemoUser[] = [
  { username: 'admin', displayName: '平台管理员', role: 'platform_admin', org: '市政务办' },
  { username: 'auditor', displayName: '审计员', role: 'auditor', org: '市审计局' },
  { username: 'ga_admin', displayName: '公安局管理员', role: 'dept_admin', org: '市公安局' },
  { username: 'ga_officer', displayName: '公安局数据专员', role: 'data_officer', org: '市公安局' },
  { username: 'ga_tech', displayName: '公安局技术专员', role: 'tech_officer', org: '市公安局' },
  { username: 'mz_officer', displayName: '民政局数据专员', role: 'data_officer', org: '市民政局' },
  { username: 'mz_admin', displayName: '民政局管理员', role: 'dept_admin', org: '市民政局' },
  { username: 'rs_officer', displayName: '人社局数据专员', role: 'data_officer', org: '市人社局' },
  // The head of the finance bureau verifies the inventory self-check for finance (R2.2).
  { username: 'czj_admin', displayName: '财政局管理员', role: 'dept_admin', org: '市财政局' },
];

export const DEMO_LOGINS: DemoLogin[] = USERS.map((u) => ({
  username: u.username,
  role: u.role,
  org: u.org,
}));

// ── loading ──

const DEMO_META: RequestMeta = { actor: { username: 'demo' }, requestId: 'demo-load', ip: '' };

/** Loads the demo data unless organizations other than the demo's exist; returns whether it wrote anything. */
export async function loadDemo(services: Services): Promise<boolean> {
  if (!services.config.demo) return false;
  const { orgs, audit } = services;
  const codes = ORGS.map(demoCreditCode);
  const existing = await orgs.findByCreditCodes(codes);
  if (existing.length === 0 && (await orgs.count()) > 0) return false;
  let wrote = false;

  // Step 1: the organizations, root first.
  const idOf = new Map<string, string>();
  const byCode = new Map(existing.map((o) => [o.creditCode, o.id]));
  ORGS.forEach((o, i) => {
    const id = byCode.get(codes[i] ?? '');
    if (id) idOf.set(o.shortName, id);
  });
  if (idOf.size < ORGS.length) {
    await audit.transaction(async (tx) => {
      for (const [i, o] of ORGS.entries()) {
        if (idOf.has(o.shortName)) continue;
        const saved = await orgs.createIn(
          tx,
          DEMO_META,
          {
            name: o.name,
            shortName: o.shortName,
            nameEn: o.nameEn,
            kind: o.kind,
            level: o.level,
            divisionCode: o.divisionCode,
            creditCode: codes[i] ?? '',
            parentId: i === 0 ? null : (idOf.get(ORGS[0]?.shortName ?? '') ?? null),
          },
          DEMO_ACTION,
        );
        idOf.set(o.shortName, saved.id);
      }
    });
    wrote = true;
  }
  const orgId = (shortName: string): string => {
    const id = idOf.get(shortName);
    if (!id) throw new Error(`demo: no organization ${shortName}`);
    return id;
  };

  // Step 2: the officers of every organization that has none yet. Deadlines are computed first
  // (the calendar and the policy read outside the transaction), then everything is written at once.
  const staffed = await orgs.withOfficers([...idOf.values()]);
  const changes = [...initialOfficers(), ...LATER_CHANGES].filter((c) => !staffed.has(orgId(c.org)));
  if (changes.length > 0) {
    const plans: OfficerChangePlan[] = [];
    for (const c of changes) plans.push(await orgs.planOfficerChange(orgId(c.org), c.input));
    await audit.transaction(async (tx) => {
      for (const plan of plans) await orgs.applyOfficerChange(tx, DEMO_META, plan, DEMO_ACTION);
    });
    wrote = true;
  }

  // Step 3: one user per role (each its own transaction in the auth service; a taken name is skipped).
  for (const u of USERS) {
    try {
      await services.auth.createUser(DEMO_META, {
        orgId: orgId(u.org),
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        password: DEMO_PASSWORD,
      });
      wrote = true;
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'CONFLICT')) throw e;
    }
  }

  // Step 4: the first-batch shared catalog of seed 004, taken through the real workflow by the
  // platform office so that every entry has its assessments, approval, review log and version.
  if (await services.catalog.isEmpty()) {
    await loadDemoCatalog(services, orgId);
    wrote = true;
  }
  // Step 6: sharing between the departments, so inboxes, grants and agreements are not empty.
  if (await loadDemoSharing(services, orgId)) wrote = true;
  // Step 7: the information-system inventory (R2), once.
  if (await services.inventory.loadDemo(DEMO_META, orgId)) wrote = true;
  // Step 8: e-government projects at every stage of their lifecycle (R10), once.
  if (await loadDemoProjects(services, orgId)) wrote = true;
  // Step 9: the self-check campaign of the inventory (R2.2), once.
  if (await loadDemoSelfcheck(services, orgId)) wrote = true;
  // Step 10: 市人社局's uploaded CSV as a file source, mounted on 社会保险参保信息.
  if (await loadDemoFileSource(services, DEMO_META, orgId)) wrote = true;
  return wrote;
}

async function loadDemoCatalog(services: Services, orgId: (shortName: string) => string): Promise<void> {
  const { catalog } = services;
  const admin = await services.auth.findUser('admin');
  if (!admin) throw new Error('demo: the admin user is missing');
  const actor: UserActor = {
    kind: 'user',
    userId: admin.id,
    username: admin.username,
    role: admin.role,
    homeOrgId: admin.orgId,
    orgId: admin.orgId,
    sessionId: '',
  };
  const inputs = DEMO_CATALOG.map((e) => {
    const { provider, seedArticle: _article, demoStatus: _status, items, ...rest } = e;
    return {
      input: {
        ...rest,
        providerOrgId: orgId(provider),
        items: items.map(({ collectingOrg, ...it }) => ({
          ...it,
          collectingOrgId: collectingOrg ? orgId(collectingOrg) : null,
        })),
      },
    };
  });
  const ids = await catalog.createMany(DEMO_META, actor, inputs, { action: DEMO_ACTION });
  for (const [i, id] of ids.entries()) {
    const status = DEMO_CATALOG[i]?.demoStatus ?? 'draft';
    if (status === 'draft') continue;
    await catalog.recordAssessments(DEMO_META, actor, id, {
      confidentiality: '经保密审查，不涉及国家秘密、工作秘密',
      personalInformation: '已开展个人信息保护影响评估：共享范围限于依法履职所必需，敏感项默认脱敏',
    });
    await catalog.approve(DEMO_META, actor, id);
    await catalog.submit(DEMO_META, actor, id);
    if (status === 'returned') {
      await catalog.returnEntry(
        DEMO_META,
        actor,
        id,
        '共享条件表述不够具体，请写明可共享的具体部门范围和用途',
      );
    } else if (status === 'published') {
      await catalog.publish(DEMO_META, actor, id);
    }
  }
}
