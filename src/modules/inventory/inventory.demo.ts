/**
 * The demo inventory: 54 systems of the Xianning demo departments, as a 清查 would find them. Planted:
 * clear zombies (one per rule), shadow pairs by function and by data resources, and systems that exist
 * in the name of one internal unit. Every other system is healthy and unlike the rest.
 */
import type { SystemInput } from './inventory.model.js';
import { stableUuid } from './inventory.model.js';

export interface DemoSystem extends Omit<SystemInput, 'orgId' | 'replacedById'> {
  /** A stable demo code; the system's id is derived from it. */
  code: string;
  /** The organization's short name. */
  org: string;
  replacedBy?: string;
}

export function demoSystemId(code: string): string {
  return stableUuid(`inventory-demo|${code}`);
}

function sys(
  code: string,
  org: string,
  name: string,
  functionDescription: string,
  dataResources: string,
  more: Partial<DemoSystem> = {},
): DemoSystem {
  return {
    code,
    org,
    internalUnit: null,
    name,
    functionDescription,
    scopeOfUse: '市、县两级本系统工作人员',
    frequencyOfUse: '每日',
    approvingDepartment: '咸宁市发展和改革委员会',
    approvalDate: '2019-06-18',
    fundingSource: '市级财政预算',
    network: 'extranet',
    builder: '湖北省楚天云有限公司',
    investmentWan: 120,
    omCostWan: 18,
    fundingChannel: '部门预算',
    dataResources,
    catalogEntryIds: [],
    protectionLevel: 2,
    protectionFilingNo: `42120013${String(code.length * 7919 + code.charCodeAt(0)).padStart(4, '0')}-${code}`,
    classified: false,
    classifiedFilingNo: null,
    deployment: 'gov_cloud',
    monthlyActiveUsers: 180,
    monthlyTransactions: 5200,
    lastMaintenanceOn: '2026-09-15',
    utilizationPct: 46,
    businessLink: true,
    mustConnect: true,
    connected: true,
    ...more,
  };
}

export const DEMO_INVENTORY: DemoSystem[] = [
  // 市公安局
  sys(
    'GA-01',
    '市公安局',
    '公安人口信息管理系统',
    '常住人口户籍登记、迁入迁出、出生申报、死亡注销和居民身份证受理，维护全市户籍人口底册',
    '常住人口户籍信息、居民身份证受理信息',
    { network: 'private', protectionLevel: 3, monthlyActiveUsers: 1200, monthlyTransactions: 86000 },
  ),
  sys(
    'GA-02',
    '市公安局',
    '流动人口居住证管理系统',
    '流动人口居住登记、居住证申领签注和有效期提醒',
    '居住证信息、流动人口居住登记信息',
    { network: 'private', protectionLevel: 3 },
  ),
  sys(
    'GA-03',
    '市公安局',
    '交通违法处理系统',
    '机动车驾驶人交通违法记录录入、罚款缴纳对账和记分处理',
    '交通违法记录',
    {
      network: 'private',
      protectionLevel: 3,
    },
  ),
  sys(
    'GA-04',
    '市公安局',
    '旅馆业治安管理系统',
    '旅馆住宿旅客身份登记上传与布控比对，供治安民警核查',
    '旅馆住宿登记信息',
    { internalUnit: '治安管理支队', network: 'private', protectionLevel: 3 },
  ),
  sys(
    'GA-05',
    '市公安局',
    '出入境证件受理系统',
    '因私出入境证件的申请受理、审批流转和制证发放',
    '出入境证件信息',
    {
      network: 'private',
      protectionLevel: 3,
    },
  ),
  sys(
    'GA-06',
    '市公安局',
    '警务视频会商系统（旧）',
    '早期建设的点对点视频会商终端管理，现已由省厅统一视频会议替代',
    '会商终端台账',
    {
      network: 'private',
      businessLink: false,
      utilizationPct: 4,
      lastMaintenanceOn: '2024-05-10',
      monthlyActiveUsers: 2,
      monthlyTransactions: 0,
      mustConnect: false,
      connected: false,
      deployment: 'own_room',
    },
  ),
  // 市民政局
  sys(
    'MZ-01',
    '市民政局',
    '婚姻登记信息系统',
    '结婚登记、离婚登记、补领婚姻登记证的受理审查与婚姻档案电子化',
    '婚姻登记信息',
    { monthlyActiveUsers: 90, monthlyTransactions: 2100 },
  ),
  sys(
    'MZ-02',
    '市民政局',
    '最低生活保障信息系统',
    '城乡居民最低生活保障申请受理、家庭经济状况核对、审核审批、保障金发放和动态管理',
    '低保对象信息、低保金发放信息',
    { monthlyActiveUsers: 260, monthlyTransactions: 9400 },
  ),
  sys(
    'MZ-03',
    '市民政局',
    '婚姻登记网上预约系统（旧版）',
    '群众网上预约婚姻登记时段，已并入湖北政务服务网统一预约',
    '婚姻登记预约记录',
    {
      businessLink: false,
      monthlyActiveUsers: 40,
      monthlyTransactions: 300,
      utilizationPct: 22,
      internalUnit: '婚姻登记处',
      mustConnect: false,
      connected: false,
    },
  ),
  sys(
    'MZ-04',
    '市民政局',
    '养老服务机构管理系统',
    '养老机构备案、床位统计、服务质量检查和运营补贴申报',
    '养老机构信息、养老床位信息',
  ),
  sys(
    'MZ-05',
    '市民政局',
    '社会组织管理系统',
    '社会团体、民办非企业单位和基金会的登记、年检与信用公示',
    '社会组织登记信息',
  ),
  sys(
    'MZ-06',
    '市民政局',
    '殡葬服务管理系统',
    '遗体火化登记、殡仪服务预约和惠民殡葬补贴发放',
    '火化登记信息',
    {
      mustConnect: true,
      connected: false,
    },
  ),
  sys(
    'MZ-07',
    '市民政局',
    '居民家庭经济状况核对系统',
    '对低保、特困等救助申请家庭的收入、存款、车辆、房产进行跨部门核对，出具核对报告',
    '家庭经济状况核对报告',
  ),
  // 市人社局
  sys(
    'RS-01',
    '市人社局',
    '社会保险参保登记系统',
    '企业职工和城乡居民基本养老保险参保登记、缴费基数申报与个人权益记录',
    '社会保险参保人员信息、养老保险缴费记录',
    { monthlyActiveUsers: 640, monthlyTransactions: 48000, protectionLevel: 3 },
  ),
  sys(
    'RS-02',
    '市人社局',
    '劳动保障监察综合管理系统',
    '劳动保障监察案件受理、调查处理、欠薪预警和农民工工资支付监控',
    '劳动保障监察案件信息、欠薪预警信息',
  ),
  sys(
    'RS-03',
    '市人社局',
    '劳动监察举报投诉旧系统',
    '受理劳动者举报投诉并登记处理结果，功能已由劳动保障监察综合管理系统覆盖',
    '举报投诉登记簿',
    { replacedBy: 'RS-02', monthlyActiveUsers: 15, monthlyTransactions: 140, utilizationPct: 18 },
  ),
  sys(
    'RS-04',
    '市人社局',
    '就业创业服务系统',
    '失业登记、就业困难人员认定、创业担保贷款申请和职业介绍',
    '就业失业登记信息',
  ),
  sys(
    'RS-05',
    '市人社局',
    '职业技能鉴定管理系统',
    '职业技能等级认定报名、考务安排、成绩管理和证书核发',
    '职业技能等级证书信息',
  ),
  sys(
    'RS-06',
    '市人社局',
    '工伤认定管理系统',
    '工伤认定申请受理、调查取证、认定决定和劳动能力鉴定衔接',
    '工伤认定信息',
  ),
  // 市卫健委
  sys(
    'WJ-01',
    '市卫健委',
    '出生医学证明管理系统',
    '出生医学证明空白证件入库、助产机构签发、换发补发登记和证件核验',
    '出生医学证明信息',
    { monthlyActiveUsers: 150, monthlyTransactions: 1800 },
  ),
  sys(
    'WJ-02',
    '市卫健委',
    '出生医学证明签发系统',
    '助产机构签发出生医学证明，空白证件入库，换发补发登记与证件核验',
    '新生儿出生证签发记录',
    { internalUnit: '妇幼健康科', monthlyActiveUsers: 35, monthlyTransactions: 600 },
  ),
  sys(
    'WJ-03',
    '市卫健委',
    '全民健康信息平台',
    '汇聚区域电子病历和电子健康档案，支撑分级诊疗与远程会诊',
    '电子健康档案、电子病历索引',
    {
      protectionLevel: 3,
    },
  ),
  sys(
    'WJ-04',
    '市卫健委',
    '计划生育家庭奖励扶助系统',
    '农村部分计划生育家庭奖励扶助和特别扶助对象的资格确认与资金发放',
    '计划生育奖扶对象信息',
  ),
  sys(
    'WJ-05',
    '市卫健委',
    '医疗机构执业登记系统',
    '医疗机构设置审批、执业登记、校验与医师执业注册',
    '医疗机构执业登记信息',
  ),
  sys(
    'WJ-06',
    '市卫健委',
    '突发公共卫生事件报告系统（单机版）',
    '早年部署的突发事件报告单机程序，报告已统一通过国家疾控直报系统',
    '突发事件报告底稿',
    {
      utilizationPct: 2,
      lastMaintenanceOn: '2023-11-02',
      monthlyActiveUsers: 1,
      monthlyTransactions: 3,
      deployment: 'own_room',
      mustConnect: false,
      connected: false,
    },
  ),
  // 市教育局
  sys(
    'JY-01',
    '市教育局',
    '中小学学籍管理系统',
    '中小学生学籍注册、转学休学复学、毕业升级和学籍异动审核',
    '中小学生学籍信息',
    {
      monthlyActiveUsers: 820,
      monthlyTransactions: 15000,
    },
  ),
  sys(
    'JY-02',
    '市教育局',
    '学前教育资助系统',
    '家庭经济困难幼儿入园资助申请、审核和资助金发放',
    '学前教育资助对象信息',
  ),
  sys(
    'JY-03',
    '市教育局',
    '教师资格认定系统（县级部署）',
    '教师资格认定材料本地留存，认定已全部由全国教师资格网办理',
    '教师资格认定材料扫描件',
    { utilizationPct: 6, monthlyActiveUsers: 20, monthlyTransactions: 160, deployment: 'own_room' },
  ),
  sys(
    'JY-04',
    '市教育局',
    '义务教育招生入学系统',
    '适龄儿童入学报名、学区划片、房产户籍材料审核和录取结果发布',
    '义务教育招生报名信息',
    {
      network: 'internet',
      protectionLevel: 3,
      monthlyActiveUsers: 30000,
      monthlyTransactions: 42000,
    },
  ),
  // 市残联
  sys('CL-01', '市残联', '残疾人证管理系统', '残疾人证申请、残疾评定、发证换证和注销管理', '残疾人证信息'),
  sys(
    'CL-02',
    '市残联',
    '残疾人两项补贴发放系统',
    '困难残疾人生活补贴和重度残疾人护理补贴的申请审核与发放',
    '残疾人两项补贴发放信息',
    {
      mustConnect: true,
      connected: false,
    },
  ),
  sys(
    'CL-03',
    '市残联',
    '残疾人就业培训报名系统',
    '残疾人职业技能培训班网上报名和培训签到',
    '残疾人培训报名名单',
    { lastMaintenanceOn: '2024-08-20', monthlyActiveUsers: 25, monthlyTransactions: 180, utilizationPct: 15 },
  ),
  // 市公积金中心
  sys(
    'GJJ-01',
    '市公积金中心',
    '住房公积金综合业务系统',
    '住房公积金归集、提取、贷款发放与回收、个人账户管理',
    '住房公积金缴存信息、住房公积金贷款信息',
    {
      protectionLevel: 3,
      monthlyActiveUsers: 300,
      monthlyTransactions: 39000,
    },
  ),
  sys(
    'GJJ-02',
    '市公积金中心',
    '公积金短信通知平台',
    '向缴存职工发送缴存到账和还款提醒短信',
    '短信发送日志',
    { monthlyActiveUsers: 3, monthlyTransactions: 20, utilizationPct: 12 },
  ),
  // 市市场监管局
  sys(
    'SJ-01',
    '市市场监管局',
    '企业登记注册系统',
    '企业设立、变更、注销登记申请受理、名称自主申报、营业执照核发和电子营业执照',
    '企业登记注册信息、营业执照信息',
    { monthlyActiveUsers: 210, monthlyTransactions: 12000, protectionLevel: 3 },
  ),
  sys(
    'SJ-02',
    '市市场监管局',
    '食品经营许可管理系统',
    '食品经营许可申请受理、现场核查、许可证核发和变更延续',
    '食品经营许可信息',
  ),
  sys(
    'SJ-03',
    '市市场监管局',
    '个体工商户登记系统',
    '个体工商户开业、变更、注销登记和年度报告',
    '个体工商户登记信息',
  ),
  sys(
    'SJ-04',
    '市市场监管局',
    '特种设备安全监察系统',
    '锅炉、压力容器、电梯等特种设备使用登记、定期检验和隐患整改',
    '特种设备使用登记信息',
  ),
  // 咸宁高新区管委会
  sys(
    'GX-01',
    '咸宁高新区管委会',
    '高新区企业注册登记服务系统',
    '园区企业设立、变更、注销登记申请受理、名称自主申报、营业执照核发和电子营业执照',
    '园区企业名录',
    { monthlyActiveUsers: 25, monthlyTransactions: 310 },
  ),
  sys(
    'GX-02',
    '咸宁高新区管委会',
    '园区项目建设管理系统',
    '园区招商项目入园审批、用地规划、施工进度和竣工验收跟踪',
    '园区项目建设台账',
  ),
  // 市自然资源和规划局
  sys(
    'ZR-01',
    '市自然资源和规划局',
    '不动产登记信息管理系统',
    '不动产首次登记、转移登记、抵押登记、查封登记和不动产权证书核发',
    '不动产登记信息',
    {
      protectionLevel: 3,
      monthlyActiveUsers: 160,
      monthlyTransactions: 21000,
    },
  ),
  sys(
    'ZR-02',
    '市自然资源和规划局',
    '国土空间规划一张图系统',
    '国土空间总体规划、详细规划成果入库和规划审查比对',
    '国土空间规划成果',
  ),
  sys(
    'ZR-03',
    '市自然资源和规划局',
    '土地卫片执法系统',
    '卫星遥感图斑下发、外业核查和违法用地整改销号',
    '卫片图斑核查信息',
  ),
  // 市财政局
  sys(
    'CZ-01',
    '市财政局',
    '预算管理一体化系统',
    '部门预算编制、指标管理、国库集中支付和会计核算一体化',
    '部门预算指标信息',
    {
      network: 'extranet',
      protectionLevel: 3,
    },
  ),
  sys(
    'CZ-02',
    '市财政局',
    '非税收入收缴系统',
    '行政事业性收费和罚没收入的缴款书开具、银行收缴和对账',
    '非税收入缴款信息',
  ),
  sys(
    'CZ-03',
    '市财政局',
    '行政事业单位资产管理系统',
    '国有资产卡片登记、配置审批、处置核销和年度资产报告',
    '国有资产卡片信息',
  ),
  // 市税务局
  sys(
    'SW-01',
    '市税务局',
    '社保费征缴登记系统',
    '社会保险费缴费人登记、申报核定和征收入库，与人社部门交换参保信息',
    '社会保险参保人员信息、社保费征收入库信息',
    { network: 'private', protectionLevel: 3 },
  ),
  sys(
    'SW-02',
    '市税务局',
    '涉税信息共享平台',
    '与不动产、市场监管等部门交换涉税信息，支撑房地产交易税收征管',
    '涉税交换信息',
  ),
  // 市发改委
  sys(
    'FG-01',
    '市发改委',
    '投资项目在线审批监管平台',
    '企业投资项目核准备案、审批事项并联办理和项目代码赋码',
    '投资项目审批信息',
  ),
  sys(
    'FG-02',
    '市发改委',
    '社会信用信息平台',
    '归集行政许可、行政处罚和守信失信信息，提供信用查询与联合奖惩',
    '公共信用信息、双公示信息',
    {
      protectionLevel: 3,
    },
  ),
  sys(
    'FG-03',
    '市发改委',
    '价格监测预警系统',
    '重要商品和服务价格采价点数据上报与异常波动预警',
    '价格监测采价数据',
    { internalUnit: '价格监测中心', monthlyActiveUsers: 12, monthlyTransactions: 260 },
  ),
  // 市政务办
  sys(
    'ZW-01',
    '市政务办',
    '政务服务一网通办平台',
    '政务服务事项统一受理、办件流转、好差评和电子证照调用',
    '政务服务办件信息、电子证照目录',
    {
      network: 'internet',
      protectionLevel: 3,
      monthlyActiveUsers: 52000,
      monthlyTransactions: 160000,
    },
  ),
  sys(
    'ZW-02',
    '市政务办',
    '12345政务服务便民热线系统',
    '热线工单受理、派单、督办回访和知识库维护',
    '热线工单信息',
    {
      network: 'internet',
    },
  ),
  // 县区
  sys(
    'XA-01',
    '咸安区政府',
    '咸安区低保信息管理系统',
    '城乡居民最低生活保障申请受理、家庭经济状况核对、审核审批和保障金发放动态管理',
    '咸安区低保救助台账',
    {
      monthlyActiveUsers: 40,
      monthlyTransactions: 900,
      deployment: 'own_room',
      mustConnect: true,
      connected: false,
    },
  ),
  sys(
    'CB-01',
    '赤壁市政府',
    '赤壁市城市综合管理平台',
    '城市部件事件巡查上报、数字城管案件派遣和考核评价',
    '城管案件信息',
  ),
  sys(
    'JYX-01',
    '嘉鱼县政府',
    '嘉鱼县河湖长制信息系统',
    '河湖长巡河记录、问题交办和水质监测数据汇总',
    '巡河记录信息',
  ),
  sys(
    'TC-01',
    '通城县政府',
    '通城县农村集体三资监管平台',
    '农村集体资金、资产、资源台账登记和交易监管',
    '农村集体三资台账',
  ),
];
