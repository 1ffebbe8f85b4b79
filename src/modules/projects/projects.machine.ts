/**
 * The lifecycle of an e-government project (电子政务项目, seed 004 《咸宁市电子政务项目建设管理办法》,
 * R10) as data: the stages in order, which action leaves which stage for which, who takes it, and which
 * documents it needs. `ProjectsService.act()` consults this table on every step; the policy decides
 * the branches (budget deviation back to needs, supervision above the budget threshold) and the deadlines.
 *
 *   needs ─submit_needs─▶ joint_review ─pass─▶ tech_plan ─submit_tech_plan─▶ tech_review | needs (>10 %)
 *   joint_review ─return─▶ needs            tech_review ─return─▶ tech_plan
 *   tech_review ─pass─▶ agreement ─sign_agreement─▶ annual_plan ─pass─▶ procurement
 *   procurement ─complete_procurement─▶ contract ─file_contract─▶ supervision (budget > threshold) | trial
 *   supervision ─complete_supervision─▶ trial ─apply_acceptance (after the trial)─▶ acceptance
 *   acceptance ─pass─▶ audit ─pass (the next year)─▶ om_filing ─file_om─▶ evaluation ─evaluate─▶ completed
 *   acceptance ─return─▶ trial
 */

export const STAGES = [
  'needs',
  'joint_review',
  'tech_plan',
  'tech_review',
  'agreement',
  'annual_plan',
  'procurement',
  'contract',
  'supervision',
  'trial',
  'acceptance',
  'audit',
  'om_filing',
  'evaluation',
  'completed',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_NAMES: Record<Stage, { zh: string; en: string }> = {
  needs: { zh: '需求方案编制', en: 'Needs proposal' },
  joint_review: { zh: '联席会议需求审核', en: 'Joint-meeting review' },
  tech_plan: { zh: '技术方案编制', en: 'Technical plan' },
  tech_review: { zh: '技术方案评审', en: 'Technical plan review' },
  agreement: { zh: '签订信息资源共享开放协议', en: 'Sharing agreement' },
  annual_plan: { zh: '列入年度建设计划', en: 'Annual plan' },
  procurement: { zh: '政府采购', en: 'Procurement' },
  contract: { zh: '合同备案', en: 'Contract filing' },
  supervision: { zh: '监理与系统测评', en: 'Supervision and testing' },
  trial: { zh: '试运行', en: 'Trial operation' },
  acceptance: { zh: '竣工验收', en: 'Acceptance' },
  audit: { zh: '次年审计', en: 'Next-year audit' },
  om_filing: { zh: '年度运维备案', en: 'Annual O&M filing' },
  evaluation: { zh: '绩效评估', en: 'Performance evaluation' },
  completed: { zh: '已完成', en: 'Completed' },
};

export const PROJECT_KINDS = ['new', 'continued', 'upgrade', 'om', 'service'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

export const DOC_KINDS = [
  'needs_proposal',
  'tech_plan',
  'review_opinion',
  'sharing_agreement',
  'annual_plan',
  'procurement',
  'contract',
  'contract_notice',
  'supervision_report',
  'test_report',
  'trial_report',
  'acceptance_report',
  'audit_report',
  'om_report',
  'evaluation_report',
  'other',
] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export const DOC_KIND_NAMES: Record<DocKind, string> = {
  needs_proposal: '项目建设需求方案',
  tech_plan: '项目建设技术方案',
  review_opinion: '审核/评审意见',
  sharing_agreement: '信息资源共享开放协议',
  annual_plan: '年度建设计划',
  procurement: '采购文件',
  contract: '项目合同',
  contract_notice: '合同信息公告',
  supervision_report: '监理报告',
  test_report: '系统测评报告',
  trial_report: '试运行报告',
  acceptance_report: '验收报告',
  audit_report: '审计报告',
  om_report: '运维情况报告',
  evaluation_report: '绩效评估报告',
  other: '其他',
};

export const EXPERT_FIELDS = [
  'software',
  'network',
  'security',
  'data',
  'finance',
  'law',
  'management',
] as const;
export type ExpertField = (typeof EXPERT_FIELDS)[number];

export const GRADES = ['excellent', 'good', 'pass', 'poor'] as const;
export type Grade = (typeof GRADES)[number];

/** The grade of a performance score (0–100): 优秀 ≥ 90, 良好 ≥ 75, 合格 ≥ 60, 不合格 below. */
export function gradeOf(score: number): Grade {
  if (score >= 90) return 'excellent';
  if (score >= 75) return 'good';
  if (score >= 60) return 'pass';
  return 'poor';
}

export type Party = 'department' | 'platform';

export interface Transition {
  from: readonly Stage[];
  to: readonly Stage[];
  by: Party;
  /** Document kinds the department files in this stage (since it was entered) before the step. */
  docs: readonly DocKind[];
  zh: string;
  en: string;
}

export const DEPARTMENT_ACTIONS = [
  'submit_needs',
  'submit_tech_plan',
  'sign_agreement',
  'complete_procurement',
  'file_contract',
  'complete_supervision',
  'apply_acceptance',
  'file_om',
] as const;
export type DepartmentAction = (typeof DEPARTMENT_ACTIONS)[number];

export const PLATFORM_ACTIONS = ['pass', 'return', 'evaluate'] as const;
export type PlatformAction = (typeof PLATFORM_ACTIONS)[number];

export type ProjectAction = DepartmentAction | PlatformAction;

export const TRANSITIONS: Record<ProjectAction, Transition> = {
  submit_needs: {
    from: ['needs'],
    to: ['joint_review'],
    by: 'department',
    docs: ['needs_proposal'],
    zh: '提交需求方案',
    en: 'Submit the needs proposal',
  },
  submit_tech_plan: {
    from: ['tech_plan'],
    to: ['tech_review', 'needs'],
    by: 'department',
    docs: ['tech_plan'],
    zh: '提交技术方案',
    en: 'Submit the technical plan',
  },
  sign_agreement: {
    from: ['agreement'],
    to: ['annual_plan'],
    by: 'department',
    docs: ['sharing_agreement'],
    zh: '登记共享开放协议',
    en: 'File the sharing agreement',
  },
  complete_procurement: {
    from: ['procurement'],
    to: ['contract'],
    by: 'department',
    docs: ['procurement'],
    zh: '完成政府采购',
    en: 'Complete procurement',
  },
  file_contract: {
    from: ['contract'],
    to: ['supervision', 'trial'],
    by: 'department',
    docs: ['contract', 'contract_notice'],
    zh: '合同备案',
    en: 'File the contract',
  },
  complete_supervision: {
    from: ['supervision'],
    to: ['trial'],
    by: 'department',
    docs: ['supervision_report', 'test_report'],
    zh: '提交监理和测评报告',
    en: 'File supervision and test reports',
  },
  apply_acceptance: {
    from: ['trial'],
    to: ['acceptance'],
    by: 'department',
    docs: ['trial_report'],
    zh: '申请竣工验收',
    en: 'Apply for acceptance',
  },
  file_om: {
    from: ['om_filing'],
    to: ['evaluation'],
    by: 'department',
    docs: ['om_report'],
    zh: '年度运维备案',
    en: 'File annual O&M',
  },
  pass: {
    from: ['joint_review', 'tech_review', 'annual_plan', 'acceptance', 'audit'],
    to: ['tech_plan', 'agreement', 'procurement', 'audit', 'om_filing'],
    by: 'platform',
    docs: [],
    zh: '通过',
    en: 'Pass',
  },
  return: {
    from: ['joint_review', 'tech_review', 'acceptance'],
    to: ['needs', 'tech_plan', 'trial'],
    by: 'platform',
    docs: [],
    zh: '退回',
    en: 'Return',
  },
  evaluate: {
    from: ['evaluation'],
    to: ['completed'],
    by: 'platform',
    docs: [],
    zh: '登记绩效评估结果',
    en: 'Record the performance evaluation',
  },
};

/** Where a pass leads from each stage that is decided by the platform office. */
export const PASS_TO: Partial<Record<Stage, Stage>> = {
  joint_review: 'tech_plan',
  tech_review: 'agreement',
  annual_plan: 'procurement',
  acceptance: 'audit',
  audit: 'om_filing',
};

/** Where a return sends a project back to. */
export const RETURN_TO: Partial<Record<Stage, Stage>> = {
  joint_review: 'needs',
  tech_review: 'tech_plan',
  acceptance: 'trial',
};

/** Stages decided by an expert panel from the pool (004 §7: the office keeps the consulting expert pool). */
export const PANEL_STAGES: readonly Stage[] = ['joint_review', 'tech_review', 'acceptance'];
/** Reviews whose pass needs the pre-compiled resource catalog (实施细则第二十五条). */
export const CATALOG_REVIEW_STAGES: readonly Stage[] = ['joint_review', 'tech_review'];
/** The smallest expert panel of a review. */
export const PANEL_MIN = 3;

export function allows(action: ProjectAction, from: Stage, to: Stage): boolean {
  const t = TRANSITIONS[action];
  return t.from.includes(from) && t.to.includes(to);
}

/** The actions that may leave a stage. */
export function actionsFrom(stage: Stage): ProjectAction[] {
  return (Object.keys(TRANSITIONS) as ProjectAction[]).filter((a) => TRANSITIONS[a].from.includes(stage));
}
