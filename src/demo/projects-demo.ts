/**
 * Demo e-government projects of the Xianning departments (R10), taken through the real lifecycle on
 * the days they happened: one in each interesting place — a needs proposal being drafted, one under the
 * joint meeting's review (and one held up by its missing catalog and last year's poor evaluation), one
 * in technical review, one in its trial, and two finished with their performance evaluation.
 */
import type { RequestMeta } from '../http/context.js';
import type { UserActor } from '../modules/auth/auth.policy.js';
import { demoSystemId } from '../modules/inventory/inventory.demo.js';
import { stableUuid } from '../modules/inventory/inventory.model.js';
import type {
  DocKind,
  ExpertField,
  ProjectAction,
  ProjectKind,
  Stage,
} from '../modules/projects/projects.machine.js';
import { DOC_KIND_NAMES, PANEL_STAGES, TRANSITIONS } from '../modules/projects/projects.machine.js';
import type { StepInput } from '../modules/projects/projects.service.js';
import type { Services } from '../services.js';

export function demoProjectId(code: string): string {
  return stableUuid(`projects-demo|${code}`);
}

interface DemoExpert {
  name: string;
  field: ExpertField;
  title: string;
  orgName: string;
  org?: string;
}

const EXPERTS: DemoExpert[] = [
  { name: '胡志强', field: 'software', title: '教授', orgName: '湖北科技学院计算机科学与技术学院' },
  { name: '陈立新', field: 'network', title: '高级工程师', orgName: '中国电信股份有限公司咸宁分公司' },
  { name: '王晓燕', field: 'security', title: '高级工程师', orgName: '湖北省信息安全测评中心' },
  { name: '李建华', field: 'finance', title: '高级会计师', orgName: '咸宁市财政局', org: '市财政局' },
  { name: '周文斌', field: 'law', title: '律师', orgName: '湖北温泉律师事务所' },
  {
    name: '吴海涛',
    field: 'management',
    title: '高级工程师（信息系统监理师）',
    orgName: '咸宁市工程咨询有限公司',
  },
  {
    name: '杨帆',
    field: 'software',
    title: '高级工程师',
    orgName: '咸宁市公安局科技信息化支队',
    org: '市公安局',
  },
  { name: '徐丽', field: 'data', title: '副教授', orgName: '湖北科技学院数学与统计学院' },
];

interface DemoStep {
  on: string;
  action: ProjectAction;
  input?: Omit<StepInput, 'action'>;
}

interface DemoProject {
  code: string;
  org: string;
  /** The department user who files it (the platform office files for departments without a demo user). */
  user: string;
  on: string;
  name: string;
  kind: ProjectKind;
  summary: string;
  budget: number;
  omCost: number;
  fundingChannel: string;
  dataResources: string;
  systems: string[];
  protectionLevel: number | null;
  protectionFilingNo: string | null;
  catalog: string[];
  steps: DemoStep[];
}

const PROJECTS: DemoProject[] = [
  {
    code: 'WJ-P1',
    org: '市卫健委',
    user: 'admin',
    on: '2025-03-03',
    name: '咸宁市全民健康信息平台（二期）建设项目',
    kind: 'upgrade',
    summary: '扩展区域电子病历共享和电子健康档案调阅，接入市直及县级医院，建设分级诊疗转诊和远程会诊模块。',
    budget: 3_200_000,
    omCost: 280_000,
    fundingChannel: '市级财政预算（卫生健康信息化专项）',
    dataResources: '电子健康档案、电子病历索引、出生医学证明',
    systems: ['WJ-03'],
    protectionLevel: 3,
    protectionFilingNo: '42120013012-25001',
    catalog: ['出生医学证明信息'],
    steps: [
      { on: '2025-03-03', action: 'submit_needs' },
      { on: '2025-03-27', action: 'pass' },
      { on: '2025-04-08', action: 'submit_tech_plan', input: { budgetYuan: 3_150_000 } },
      { on: '2025-04-18', action: 'pass' },
      { on: '2025-04-25', action: 'sign_agreement', input: { signedOn: '2025-04-25' } },
      { on: '2025-05-09', action: 'pass', input: { planYear: 2025 } },
      {
        on: '2025-06-13',
        action: 'complete_procurement',
        input: { note: '公开招标，湖北省公共资源交易中心咸宁分中心' },
      },
      {
        on: '2025-06-20',
        action: 'file_contract',
        input: {
          signedOn: '2025-06-18',
          noticePublishedOn: '2025-06-19',
          counterparty: '湖北楚天云有限公司',
          amountYuan: 3_080_000,
        },
      },
      { on: '2025-09-05', action: 'complete_supervision', input: { counterparty: '咸宁市工程咨询有限公司' } },
      { on: '2025-12-08', action: 'apply_acceptance' },
      { on: '2025-12-19', action: 'pass' },
      { on: '2026-04-15', action: 'pass', input: { note: '咸宁市审计局抽样审计：资金使用合规，未发现问题' } },
      {
        on: '2026-06-30',
        action: 'file_om',
        input: {
          counterparty: '湖北楚天云有限公司',
          amountYuan: 280_000,
          note: '平台运行平稳，月均调阅电子健康档案 4.2 万次，接入医院 23 家',
        },
      },
      {
        on: '2026-08-14',
        action: 'evaluate',
        input: { score: 86, note: '应用实效和共享开放良好，使用频度达到预期' },
      },
    ],
  },
  {
    code: 'ZR-P1',
    org: '市自然资源和规划局',
    user: 'admin',
    on: '2025-02-17',
    name: '咸宁市国土空间基础信息平台建设项目',
    kind: 'new',
    summary: '建设国土空间基础信息平台，汇聚基础测绘、土地利用、规划管控数据，提供“一张图”共享服务。',
    budget: 1_650_000,
    omCost: 150_000,
    fundingChannel: '市级财政预算',
    dataResources: '空间地理基础信息、土地资源信息、城乡规划信息',
    systems: [],
    protectionLevel: 2,
    protectionFilingNo: '42120013012-25017',
    catalog: ['空间地理基础信息'],
    steps: [
      { on: '2025-02-17', action: 'submit_needs' },
      { on: '2025-03-14', action: 'pass' },
      { on: '2025-03-26', action: 'submit_tech_plan', input: { budgetYuan: 1_700_000 } },
      { on: '2025-04-03', action: 'pass' },
      { on: '2025-04-10', action: 'sign_agreement', input: { signedOn: '2025-04-10' } },
      { on: '2025-05-09', action: 'pass', input: { planYear: 2025 } },
      { on: '2025-05-30', action: 'complete_procurement', input: { note: '竞争性磋商' } },
      {
        on: '2025-06-10',
        action: 'file_contract',
        input: {
          signedOn: '2025-06-04',
          noticePublishedOn: '2025-06-09',
          counterparty: '武汉吉奥信息技术有限公司',
          amountYuan: 1_620_000,
        },
      },
      {
        on: '2025-08-01',
        action: 'complete_supervision',
        input: { counterparty: '湖北正信工程咨询有限公司' },
      },
      { on: '2025-11-03', action: 'apply_acceptance' },
      { on: '2025-11-20', action: 'pass' },
      {
        on: '2026-03-20',
        action: 'pass',
        input: { note: '咸宁市审计局审计：部分功能未按合同交付，已督促整改' },
      },
      {
        on: '2026-06-12',
        action: 'file_om',
        input: {
          counterparty: '武汉吉奥信息技术有限公司',
          amountYuan: 150_000,
          note: '月均访问量不足 300 次，共享服务调用少',
        },
      },
      {
        on: '2026-07-15',
        action: 'evaluate',
        input: { score: 55, note: '使用频度低，共享开放不足，未实现项目建设目标；限期整改' },
      },
    ],
  },
  {
    code: 'GA-P1',
    org: '市公安局',
    user: 'ga_admin',
    on: '2026-03-02',
    name: '咸宁市“互联网+可信身份认证”服务平台建设项目',
    kind: 'new',
    summary: '依托公安人口信息建设网上可信身份认证服务，为政务服务“一网通办”提供实名核验。',
    budget: 2_350_000,
    omCost: 200_000,
    fundingChannel: '市级财政预算（政务信息化专项）',
    dataResources: '户籍人口基本信息、居住证登记信息',
    systems: ['GA-01', 'GA-02'],
    protectionLevel: 3,
    protectionFilingNo: '42120013012-26003',
    catalog: ['居住证登记信息'],
    steps: [
      { on: '2026-03-02', action: 'submit_needs' },
      { on: '2026-03-27', action: 'pass' },
      { on: '2026-04-09', action: 'submit_tech_plan', input: { budgetYuan: 2_420_000 } },
      { on: '2026-04-21', action: 'pass' },
      { on: '2026-04-28', action: 'sign_agreement', input: { signedOn: '2026-04-28' } },
      { on: '2026-05-15', action: 'pass', input: { planYear: 2026 } },
      { on: '2026-06-26', action: 'complete_procurement', input: { note: '公开招标' } },
      {
        on: '2026-07-10',
        action: 'file_contract',
        input: {
          signedOn: '2026-07-06',
          noticePublishedOn: '2026-07-10',
          counterparty: '湖北省楚天云有限公司',
          amountYuan: 2_310_000,
        },
      },
      { on: '2026-10-20', action: 'complete_supervision', input: { counterparty: '咸宁市工程咨询有限公司' } },
    ],
  },
  {
    code: 'RS-P1',
    org: '市人社局',
    user: 'rs_officer',
    on: '2026-09-01',
    name: '咸宁市社会保障卡“一卡通”服务平台项目',
    kind: 'new',
    summary: '以社会保障卡为载体，实现人社、医保、交通、文旅等领域“一卡通用”。',
    budget: 860_000,
    omCost: 90_000,
    fundingChannel: '市级财政预算',
    dataResources: '社会保险参保信息、专业技术职务资格信息',
    systems: ['RS-01'],
    protectionLevel: 3,
    protectionFilingNo: '42120013012-26011',
    catalog: ['专业技术职务资格信息'],
    steps: [
      { on: '2026-09-01', action: 'submit_needs' },
      { on: '2026-09-24', action: 'pass' },
      { on: '2026-11-25', action: 'submit_tech_plan', input: { budgetYuan: 900_000 } },
    ],
  },
  {
    code: 'MZ-P1',
    org: '市民政局',
    user: 'mz_admin',
    on: '2026-11-20',
    name: '咸宁市智慧养老服务平台建设项目',
    kind: 'new',
    summary: '整合养老机构、居家和社区养老服务资源，建设养老服务补贴、床位和服务质量监管平台。',
    budget: 1_280_000,
    omCost: 110_000,
    fundingChannel: '市级财政预算、福彩公益金',
    dataResources: '养老机构信息、养老床位信息、社会福利机构登记信息',
    systems: ['MZ-04'],
    protectionLevel: 2,
    protectionFilingNo: '42120013012-26020',
    catalog: ['社会福利机构登记信息', '收养登记信息'],
    steps: [{ on: '2026-11-20', action: 'submit_needs' }],
  },
  {
    code: 'ZR-P2',
    org: '市自然资源和规划局',
    user: 'admin',
    on: '2026-12-01',
    name: '咸宁市不动产登记“一网通办”系统建设项目',
    kind: 'new',
    summary: '不动产登记与税务、住建、公积金业务协同，实现网上申请、一窗受理、当日办结。',
    budget: 720_000,
    omCost: 60_000,
    fundingChannel: '市级财政预算',
    dataResources: '不动产登记信息',
    systems: [],
    protectionLevel: 2,
    protectionFilingNo: '42120013012-26031',
    catalog: [],
    steps: [{ on: '2026-12-01', action: 'submit_needs' }],
  },
  {
    code: 'GA-P2',
    org: '市公安局',
    user: 'ga_admin',
    on: '2026-12-02',
    name: '咸宁市公安局视频图像信息共享平台扩容项目',
    kind: 'upgrade',
    summary: '扩容视频图像共享平台存储与解析能力，向城管、交通运输部门按需共享视频资源。',
    budget: 380_000,
    omCost: 40_000,
    fundingChannel: '部门预算',
    dataResources: '公共视频监控点位信息',
    systems: [],
    protectionLevel: 3,
    protectionFilingNo: '42120013012-26044',
    catalog: [],
    steps: [],
  },
];

const META: RequestMeta = { actor: { username: 'demo' }, requestId: 'demo-load', ip: '' };

async function actorOf(services: Services, username: string): Promise<UserActor> {
  const u = await services.auth.findUser(username);
  if (!u) throw new Error(`demo: no user ${username}`);
  return {
    kind: 'user',
    userId: u.id,
    username: u.username,
    role: u.role,
    homeOrgId: u.orgId,
    orgId: u.orgId,
    sessionId: '',
  };
}

/** The document a demo step files, with a real SM3 fingerprint of its (short) text. */
function docContent(project: string, kind: DocKind): string {
  return Buffer.from(`${project}\n${DOC_KIND_NAMES[kind]}\n咸宁市电子政务项目演示文件`, 'utf8').toString(
    'base64',
  );
}

/** Loads the demo projects once; returns whether it wrote anything. */
export async function loadDemoProjects(
  services: Services,
  orgId: (shortName: string) => string,
): Promise<boolean> {
  const { projects } = services;
  if (!(await projects.isEmpty())) return false;
  const admin = await actorOf(services, 'admin');
  const experts: { id: string; orgId: string | null }[] = [];
  for (const e of EXPERTS) {
    const v = await projects.createExpert(META, {
      name: e.name,
      field: e.field,
      title: e.title,
      orgName: e.orgName,
      orgId: e.org ? orgId(e.org) : null,
    });
    experts.push({ id: v.id, orgId: v.orgId });
  }
  for (const p of PROJECTS) {
    const owner = orgId(p.org);
    const dept = await actorOf(services, p.user);
    const id = demoProjectId(p.code);
    await projects.create(
      META,
      dept,
      {
        orgId: owner,
        name: p.name,
        kind: p.kind,
        summary: p.summary,
        needsBudgetYuan: p.budget,
        omCostYuan: p.omCost,
        fundingChannel: p.fundingChannel,
        dataResources: p.dataResources,
        systemIds: p.systems.map(demoSystemId),
        protectionLevel: p.protectionLevel,
        protectionFilingNo: p.protectionFilingNo,
        classifiedFilingNo: null,
      },
      { on: p.on, id },
    );
    for (const entryId of await projects.entryIdsByName(owner, p.catalog))
      await projects.linkEntry(META, id, entryId);
    const panel = experts
      .filter((e) => e.orgId !== owner)
      .slice(0, 3)
      .map((e) => e.id);
    let stage: Stage = 'needs';
    for (const s of p.steps) {
      const t = TRANSITIONS[s.action];
      for (const kind of t.docs)
        await projects.file(
          META,
          dept,
          id,
          { name: `${p.name}${DOC_KIND_NAMES[kind]}`, kind, contentBase64: docContent(p.name, kind) },
          s.on,
        );
      const by = t.by === 'platform' ? admin : dept;
      stage = await projects.move(
        META,
        by,
        id,
        {
          action: s.action,
          ...(PANEL_STAGES.includes(stage) ? { expertIds: panel } : {}),
          ...s.input,
        },
        t.by,
        s.on,
      );
    }
  }
  return true;
}
