/**
 * Demo sharing between the Xianning departments, taken through the real workflow so that every inbox,
 * outbox, grant, agreement and reminder a newcomer opens has something true in it.
 */
import type { RequestMeta } from '../http/context.js';
import { pageRequest } from '../kernel/pagination.js';
import type { UserActor } from '../modules/auth/auth.policy.js';
import type { Role } from '../modules/auth/auth.table.js';
import type { Services } from '../services.js';

interface Want {
  applicant: string;
  provider: string;
  entry: string;
  items: number;
  purposeCategory: 'administrative_basis' | 'work_reference' | 'data_verification' | 'business_collaboration';
  basis: string;
  scenario: string;
  purpose: string;
  /** How far the demo takes it. */
  to: 'supplied' | 'submitted' | 'returned' | 'negotiating';
}

const WANTS: Want[] = [
  {
    applicant: '市民政局',
    provider: '市公安局',
    entry: '户籍人口基本信息',
    items: 3,
    purposeCategory: 'data_verification',
    basis: '《社会救助暂行办法》第十一条：县级人民政府民政部门应当对申请人的家庭收入、财产状况进行调查核实',
    scenario: '最低生活保障申请审核：核对申请人及共同生活家庭成员户籍',
    purpose: '核验低保申请人家庭成员户籍关系',
    to: 'supplied',
  },
  {
    applicant: '市人社局',
    provider: '市民政局',
    entry: '婚姻登记信息',
    items: 3,
    purposeCategory: 'administrative_basis',
    basis:
      '《工伤保险条例》第三十九条：供养亲属抚恤金按照职工本人工资的一定比例发给由因工死亡职工生前提供主要生活来源的亲属',
    scenario: '工亡职工供养亲属抚恤金核定',
    purpose: '核实供养亲属的婚姻关系',
    to: 'submitted',
  },
  {
    applicant: '市民政局',
    provider: '市人社局',
    entry: '社会保险参保信息',
    items: 3,
    purposeCategory: 'data_verification',
    basis: '《社会救助暂行办法》第十一条',
    scenario: '低保家庭收入核对',
    purpose: '核对申请人参保及就业状况',
    to: 'returned',
  },
  {
    applicant: '市人社局',
    provider: '市公安局',
    entry: '居住证登记信息',
    items: 2,
    purposeCategory: 'business_collaboration',
    basis: '《湖北省居住证实施办法》：居住证持有人享有参加社会保险等基本公共服务',
    scenario: '灵活就业人员参保登记',
    purpose: '确认居住证持有人的居住信息',
    to: 'negotiating',
  },
];

const META: RequestMeta = { actor: { username: 'demo' }, requestId: 'demo-load', ip: '' };

/** Loads the demo applications once (when there are none). Returns whether it wrote anything. */
export async function loadDemoSharing(
  services: Services,
  orgId: (shortName: string) => string,
): Promise<boolean> {
  const admin = await services.auth.findUser('admin');
  if (!admin) return false;
  const office: UserActor = {
    kind: 'user',
    userId: admin.id,
    username: 'demo',
    role: 'platform_admin',
    homeOrgId: admin.orgId,
    orgId: admin.orgId,
    sessionId: '',
  };
  const existing = await services.sharing.list(office, 'all', {}, pageRequest(1, 1));
  if (existing.total > 0) return false;
  // The departments' officers, as the demo acts for them (the audit trail says "demo").
  const as = (org: string, role: Role): UserActor => ({
    ...office,
    role,
    orgId: orgId(org),
    homeOrgId: orgId(org),
  });
  const systems = new Map<string, string>();
  const systemOf = async (org: string): Promise<string> => {
    const known = systems.get(org);
    if (known) return known;
    const s = await services.auth.createSystem(META, {
      orgId: orgId(org),
      code: `demo-${systems.size + 1}`,
      name: `${org}业务审批系统`,
    });
    systems.set(org, s.id);
    return s.id;
  };
  const year = Number(services.clock.now().toISOString().slice(0, 4));
  for (const w of WANTS) {
    const found = await services.catalog.search(office, {
      q: w.entry,
      publishedOnly: true,
      filters: { provider: [orgId(w.provider)] },
      page: pageRequest(1, 5),
    });
    const entry = found.items.find((e) => e.name === w.entry);
    if (!entry) continue;
    const applicant = as(w.applicant, 'data_officer');
    const head = as(w.applicant, 'dept_admin');
    const provider = as(w.provider, 'dept_admin');
    const app = await services.sharing.create(META, applicant, {
      entryId: entry.id,
      requestedItems: entry.items.slice(0, w.items).map((i) => i.name),
      basis: w.basis,
      scenario: w.scenario,
      purposeCategory: w.purposeCategory,
      purpose: w.purpose,
      scope: `${w.applicant}相关业务科室`,
      accessMode: 'api',
      periodFrom: `${year}-01-01`,
      periodTo: `${year + 1}-12-31`,
      consumerSystemId: await systemOf(w.applicant),
      attested: true,
    });
    await services.sharing.act(META, applicant, app.id, 'submit');
    const out = await services.sharing.act(META, head, app.id, 'internal_approve');
    if (out.status !== 'submitted') continue;
    if (w.to === 'supplied') {
      const approved = await services.sharing.act(META, provider, app.id, 'approve', { dailyQuota: 5000 });
      if (approved.status === 'approved')
        await services.sharing.act(META, provider, app.id, 'supply', { dailyQuota: 5000 });
    } else if (w.to === 'returned') {
      await services.sharing.act(META, provider, app.id, 'return_incomplete', {
        missing: [
          { field: 'basis', note: '请补充所引法规的具体条款原文' },
          { field: 'scope', note: '请写明使用科室和经办人员范围' },
        ],
      });
    } else if (w.to === 'negotiating') {
      await services.sharing.act(META, provider, app.id, 'refuse', {
        reason: '居住证信息含流动人口敏感信息，现阶段仅向公安、民政部门共享',
      });
      await services.sharing.act(META, applicant, app.id, 'dispute');
      await services.sharing.postMessage(
        META,
        applicant,
        app.id,
        '灵活就业人员参保须核实居住信息，仅需居住地址和居住证号码，恳请协商。',
      );
    }
  }
  return true;
}
