/**
 * The demo self-check campaign (R2.2): opened by the platform office three weeks ago with a deadline of
 * 10 working days, so that it is past; 市公安局 submitted on time and is being verified, 市民政局 submitted
 * on time and had one system sent back by audit, 市财政局 submitted after the deadline; every other
 * department has not submitted and is listed as late. The head of 市财政局 (czj_admin) verifies for finance.
 */
import type { UserActor } from '../modules/auth/auth.policy.js';
import { demoSystemId } from '../modules/inventory/inventory.demo.js';
import { stableUuid } from '../modules/inventory/inventory.model.js';
import { chinaDay } from '../modules/inventory/selfcheck.model.js';
import { SelfcheckService } from '../modules/inventory/selfcheck.service.js';
import type { Services } from '../services.js';

export const DEMO_CAMPAIGN_ID = stableUuid('inventory-demo-campaign|2026');
const META = { actor: { username: 'demo' }, requestId: 'demo-load', ip: '' };
const DAY = 86_400_000;

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

export async function loadDemoSelfcheck(
  services: Services,
  orgId: (shortName: string) => string,
): Promise<boolean> {
  const realNow = services.clock.now().getTime();
  let t = realNow - 21 * DAY;
  const clock = { now: () => new Date(t) };
  const sc = new SelfcheckService(
    services.db.kysely,
    services.audit,
    services.calendar,
    services.inventory,
    clock,
  );
  if (await sc.exists(DEMO_CAMPAIGN_ID)) return false;
  const [admin, auditor, finance, ga, mz] = await Promise.all(
    ['admin', 'auditor', 'czj_admin', 'ga_admin', 'mz_admin'].map((u) => actorOf(services, u)),
  );
  if (!admin || !auditor || !finance || !ga || !mz) throw new Error('demo: users missing');
  const c = await sc.open(
    META,
    admin,
    {
      title: `${chinaDay(new Date(t)).slice(0, 4)}年度政务信息系统整合共享自查`,
      note:
        '依据《咸宁市政务信息系统整合共享工作方案》，各单位对本单位政务信息系统逐一自查，' +
        '填报四张清查表并提交自查报告；市政务办会同市审计局、市财政局开展核查。',
      deadline: null,
      workingDays: 10,
      financeOrgId: orgId('市财政局'),
    },
    DEMO_CAMPAIGN_ID,
  );
  const gaOrg = orgId('市公安局');
  const mzOrg = orgId('市民政局');
  t = realNow - 16 * DAY;
  await sc.submit(
    META,
    ga,
    c.id,
    gaOrg,
    '本局共有政务信息系统6个，均已逐一核对登记。出入境证件受理系统拟迁移至市政务云；' +
      '警用装备管理系统使用率低，拟于明年整合进警务综合平台。',
  );
  t = realNow - 15 * DAY;
  await sc.submit(
    META,
    mz,
    c.id,
    mzOrg,
    '本局共有政务信息系统7个。婚姻登记网上预约系统（旧版）已并入湖北政务服务网统一预约，拟清理。',
  );
  t = realNow - 12 * DAY;
  await sc.check(META, admin, c.id, gaOrg, null, 'verified', null);
  await sc.check(META, auditor, c.id, gaOrg, null, 'verified', null);
  const mzReport = await sc.report(admin, c.id, mzOrg);
  const old = mzReport.itemList.find((i) => i.systemId === demoSystemId('MZ-03'));
  if (!old) throw new Error('demo: MZ-03 is not in the report');
  await sc.check(
    META,
    auditor,
    c.id,
    mzOrg,
    old.id,
    'returned',
    '该系统以婚姻登记处名义独立存在且业务已停止，报告未填写处置方式和资产核销情况，请补充后重新提交。',
  );
  await sc.check(META, admin, c.id, mzOrg, null, 'verified', null);
  // 市财政局 submits after the deadline: listed as late.
  t = realNow - 1 * DAY;
  const czj = orgId('市财政局');
  if ((await services.inventory.list(czj)).length > 0)
    await sc.submit(
      META,
      finance,
      c.id,
      czj,
      '本局政务信息系统已全部登记，预算管理一体化系统已接入共享平台。',
    );
  return true;
}
