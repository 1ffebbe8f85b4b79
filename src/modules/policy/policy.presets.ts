/**
 * The shipped policy presets, as data (STANDARDS.md "Deadlines — two rule sets").
 *
 * - `seed_xianning_2019`: 咸政办发〔2019〕5号 — 《咸宁市政务信息资源共享管理实施细则》 and
 *   《咸宁市电子政务项目建设管理办法》 (seed 004).
 * - `national_2025`: 《政务数据共享条例》(国务院令第809号, in force 2025-08-01). Where the national
 *   regulation is silent the city's still-valid local rules apply, so this preset carries those local
 *   rules too (officer change report, e-government project limits), citing their local source.
 *
 * A value of null means "no such limit in this preset". Code reads these through PolicyService and
 * never uses a literal number of days.
 */
export type PolicyUnit = 'working_days' | 'years' | 'months' | 'yuan' | 'ratio' | 'boolean' | 'list' | 'mode';

export const POLICY_UNITS: readonly PolicyUnit[] = [
  'working_days',
  'years',
  'months',
  'yuan',
  'ratio',
  'boolean',
  'list',
  'mode',
];

/** The values a rule can hold. */
export type RuleValue = number | boolean | string | string[] | null;

export interface PresetRule {
  key: string;
  value: RuleValue;
  unit: PolicyUnit;
  legalSource: string;
  descriptionZh: string;
  descriptionEn: string;
}

export interface PresetDefinition {
  code: string;
  nameZh: string;
  nameEn: string;
  description: string;
  rules: PresetRule[];
}

export const NATIONAL_PRESET = 'national_2025';
export const SEED_PRESET = 'seed_xianning_2019';
/** The preset a new installation starts with. */
export const DEFAULT_PRESET = NATIONAL_PRESET;

/** Allowed values of 'mode' rules and allowed items of 'list' rules; an override must keep to them. */
export const RULE_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  'application.unconditional.mode': ['direct', 'answer'],
  'catalog.not_shared.accepted_basis_kinds': [
    'law',
    'administrative_regulation',
    'local_regulation',
    'rule',
    'central_policy',
    'state_council_decision',
  ],
  'dispute.path': ['negotiation', 'platform_office', 'upper_platform_office', 'government'],
};

// Legal sources.
const XN_SHARE = '《咸宁市政务信息资源共享管理实施细则》（咸政办发〔2019〕5号）';
const XN_PROJECT = '《咸宁市电子政务项目建设管理办法》（咸政办发〔2019〕5号）';
const NATIONAL = '《政务数据共享条例》（国务院令第809号）';
const xn = (article: string) => `${XN_SHARE}${article}`;
const xnProject = (article: string) => `${XN_PROJECT}${article}`;
const nat = (article: string) => `${NATIONAL}${article}`;

/** A rule as it stands in both presets: [seed value, seed source], [national value, national source]. */
interface RuleSpec {
  key: string;
  unit: PolicyUnit;
  zh: string;
  en: string;
  seed: [RuleValue, string];
  national: [RuleValue, string];
}

const PROJECT_RULES: RuleSpec[] = [
  {
    key: 'project.joint_review_days',
    unit: 'working_days',
    zh: '电子政务项目建设联席会议审核项目建设需求方案、出具审核意见的时限（工作日）',
    en: "Working days for the joint meeting to review an e-government project's needs proposal",
    seed: [20, xnProject('第九条')],
    national: [20, `${xnProject('第九条')}（条例未作规定，沿用本市规定）`],
  },
  {
    key: 'project.tech_review_days',
    unit: 'working_days',
    zh: '市政务办组织技术方案评审、出具审查意见的时限（工作日）',
    en: "Working days for the platform office's technical plan review",
    seed: [10, xnProject('第十条')],
    national: [10, `${xnProject('第十条')}（条例未作规定，沿用本市规定）`],
  },
  {
    key: 'project.contract_notice_days',
    unit: 'working_days',
    zh: '项目合同签订后发布合同信息公告的时限（工作日）',
    en: 'Working days after signing within which the contract notice is published',
    seed: [2, xnProject('第十三条')],
    national: [2, `${xnProject('第十三条')}（条例未作规定，沿用本市规定）`],
  },
  {
    key: 'project.supervision_threshold_yuan',
    unit: 'yuan',
    zh: '须引入监理机制和系统测评机制的项目资金预算起点（元，超过即须）',
    en: 'Budget (yuan) above which a project needs supervision and system testing',
    seed: [500000, xnProject('第十四条')],
    national: [500000, `${xnProject('第十四条')}（条例未作规定，沿用本市规定）`],
  },
  {
    key: 'project.trial_months',
    unit: 'months',
    zh: '项目建成试用多长时间后方可申请竣工验收（月）',
    en: 'Months of trial operation before a project may apply for acceptance',
    seed: [3, xnProject('第十六条')],
    national: [3, `${xnProject('第十六条')}（条例未作规定，沿用本市规定）`],
  },
  {
    key: 'project.budget_deviation_max',
    unit: 'ratio',
    zh: '技术方案资金预算相对需求方案的最大调整幅度；超出须重新申报需求方案',
    en: 'Largest budget change of the technical plan against the needs proposal before it goes back to the needs stage',
    seed: [0.1, xnProject('第十一条')],
    national: [0.1, `${xnProject('第十一条')}（条例未作规定，沿用本市规定）`],
  },
];

const RULES: RuleSpec[] = [
  {
    key: 'application.unconditional.mode',
    unit: 'mode',
    zh: '无条件共享数据的获取方式：direct = 通过共享平台直接获取；answer = 提出申请，由提供部门答复',
    en: 'How unconditional data is obtained: direct = straight from the platform; answer = on an application the provider answers',
    seed: ['direct', xn('第十五条')],
    national: ['answer', nat('第二十一条')],
  },
  {
    key: 'application.unconditional.answer_days',
    unit: 'working_days',
    zh: '提供部门答复无条件共享数据申请的时限（工作日）；空 = 直接获取，无需答复',
    en: 'Working days for the provider to answer an application for unconditional data; null = obtained directly',
    seed: [null, xn('第十五条')],
    national: [1, nat('第二十一条')],
  },
  {
    key: 'application.conditional.answer_days',
    unit: 'working_days',
    zh: '提供部门答复有条件共享数据申请的时限（工作日）',
    en: 'Working days for the provider to answer an application for conditional data',
    seed: [10, xn('第十五条')],
    national: [10, nat('第二十一条')],
  },
  {
    key: 'application.conditional.extension_max_days',
    unit: 'working_days',
    zh: '有条件共享申请答复时限最多可延长的工作日数；0 = 不得延长',
    en: 'Most working days the answer to a conditional application may be extended by; 0 = no extension',
    seed: [0, xn('第十五条')],
    national: [10, nat('第二十一条')],
  },
  {
    key: 'application.extension_requires_platform_consent',
    unit: 'boolean',
    zh: '延长答复时限须经共享主管部门同意，并告知申请部门',
    en: "An extension needs the platform office's consent, and the requester is told",
    seed: [false, xn('第十五条')],
    national: [true, nat('第二十一条')],
  },
  {
    key: 'application.incomplete.notify_all_at_once',
    unit: 'boolean',
    zh: '申请材料不齐全的，一次性告知需补正的全部内容，不得以此拒绝',
    en: 'An incomplete application is told every missing item at once and may not be refused for it',
    seed: [false, xn('第十五条')],
    national: [true, nat('第二十一条')],
  },
  {
    key: 'application.internal_approval_required',
    unit: 'boolean',
    zh: '共享申请须先经申请部门政务数据共享工作机构负责人审核同意，并承诺真实、合法、必要',
    en: "An application is approved first by the head of the applying department's sharing office and attests to being true, lawful and necessary",
    seed: [false, xn('第十五条')],
    national: [true, nat('第二十条')],
  },
  {
    key: 'supply.after_approval_days',
    unit: 'working_days',
    zh: '同意共享后提供数据的时限（工作日）；空 = 无此时限',
    en: 'Working days after approval within which the data is supplied; null = no such limit',
    seed: [null, xn('第十五条')],
    national: [20, nat('第二十二条')],
  },
  {
    key: 'supply.after_decision_days',
    unit: 'working_days',
    zh: '经政府决定应当共享的，提供部门提供数据的时限（工作日）；空 = 无此时限',
    en: 'Working days within which the provider supplies data after a government decision; null = no such limit',
    seed: [5, xn('第十五条')],
    national: [null, nat('第二十八条')],
  },
  {
    key: 'objection.check_days',
    unit: 'working_days',
    zh: '收到疑义（校核）申请后进行核查的时限（工作日）；空 = 无单独时限',
    en: 'Working days to check an objection after it is received; null = no separate limit',
    seed: [5, xn('第十九条')],
    national: [null, nat('第二十六条')],
  },
  {
    key: 'objection.correct_days',
    unit: 'working_days',
    zh: '查明原因后更正数据（或由责任采集部门核查更正）的时限（工作日）；空 = 无单独时限',
    en: 'Working days to correct the data once the cause is found (or for the collecting department to check and correct); null = no separate limit',
    seed: [5, xn('第十九条')],
    national: [null, nat('第二十六条')],
  },
  {
    key: 'objection.resolve_days',
    unit: 'working_days',
    zh: '提供部门核实、更正并答复疑义的总时限（工作日）；空 = 无总时限',
    en: 'Working days for the provider to verify, correct and answer an objection in all; null = no overall limit',
    seed: [null, xn('第十九条')],
    national: [10, nat('第二十六条')],
  },
  {
    key: 'catalog.update_after_change_days',
    unit: 'working_days',
    zh: '法律法规修订或职能变化后更新本部门目录的时限（工作日）',
    en: "Working days after a change of law or of the department's functions within which its catalog is updated",
    seed: [15, xn('第八条')],
    national: [10, nat('第十七条')],
  },
  {
    key: 'catalog.update_extension_days',
    unit: 'working_days',
    zh: '目录更新时限经同意可延长的工作日数；0 = 不得延长',
    en: 'Working days the catalog update limit may be extended by, with consent; 0 = no extension',
    seed: [0, xn('第八条')],
    national: [5, nat('第十七条')],
  },
  {
    key: 'catalog.review_days',
    unit: 'working_days',
    zh: '共享主管部门审核并发布更新后目录的时限（工作日）；空 = 无此时限',
    en: 'Working days for the platform office to review and publish an updated catalog; null = no such limit',
    seed: [null, xn('第八条')],
    national: [2, nat('第十七条')],
  },
  {
    key: 'catalog.not_shared.accepted_basis_kinds',
    unit: 'list',
    zh: '列为不予共享时可以援引的依据种类',
    en: 'Kinds of legal basis a not-shared catalog entry may cite',
    seed: [
      ['law', 'administrative_regulation', 'local_regulation', 'rule', 'central_policy'],
      xn('第十一条'),
    ],
    national: [['law', 'administrative_regulation', 'state_council_decision'], nat('第十四条、第十五条')],
  },
  {
    key: 'catalog.pre_issue_assessments_required',
    unit: 'boolean',
    zh: '目录发布前须完成保密风险评估和个人信息保护影响评估，并经部门负责人批准',
    en: 'Before a catalog is issued, confidentiality-risk and personal-information impact assessments are done and the department head approves',
    seed: [false, xn('第八条')],
    national: [true, nat('第十三条')],
  },
  {
    key: 'officer.change_report_days',
    unit: 'working_days',
    zh: '共享工作分管领导、信息共享责任人、技术实施责任人变更后书面告知的时限（工作日）',
    en: 'Working days after a change of responsible officers within which it is reported in writing',
    seed: [5, xn('第十四条')],
    national: [5, `${xn('第十四条')}（条例未作规定，沿用本市规定）`],
  },
  {
    key: 'usage_records.retention_years',
    unit: 'years',
    zh: '使用记录（应用场景、使用过程、使用效果、存储、销毁）的最短保存年限；空 = 无此要求',
    en: 'Least years usage records (scenario, process, effect, storage, destruction) are kept; null = no such requirement',
    seed: [null, xn('第十八条')],
    national: [3, nat('第二十九条')],
  },
  {
    key: 'dispute.path',
    unit: 'list',
    zh: '共享争议的处理路径，按顺序：协商 → 同级共享主管部门协调 → 共同上级共享主管部门（跨层级） → 政府决定',
    en: 'The dispute path, in order: negotiation → platform office of the same level → common upper platform office (cross-level) → the government',
    seed: [['negotiation', 'platform_office', 'government'], xn('第十五条、第二十条')],
    national: [['negotiation', 'platform_office', 'upper_platform_office', 'government'], nat('第二十八条')],
  },
  ...PROJECT_RULES,
];

function rulesOf(which: 'seed' | 'national'): PresetRule[] {
  return RULES.map((r) => {
    const [value, legalSource] = r[which];
    return { key: r.key, value, unit: r.unit, legalSource, descriptionZh: r.zh, descriptionEn: r.en };
  });
}

export const PRESETS: readonly PresetDefinition[] = [
  {
    code: NATIONAL_PRESET,
    nameZh: '国家《政务数据共享条例》（2025）',
    nameEn: 'National Regulation on Government Data Sharing (2025)',
    description:
      '《政务数据共享条例》（国务院令第809号，2025年8月1日起施行）规定的时限和程序；条例未作规定的，沿用本市仍然有效的规定（注明其出处）。',
    rules: rulesOf('national'),
  },
  {
    code: SEED_PRESET,
    nameZh: '咸宁市实施细则（2019）',
    nameEn: 'Xianning implementing rules (2019)',
    description:
      '咸政办发〔2019〕5号：《咸宁市政务信息资源共享管理实施细则》与《咸宁市电子政务项目建设管理办法》规定的时限和程序。',
    rules: rulesOf('seed'),
  },
];
