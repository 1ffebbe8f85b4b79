/**
 * The state machine of a sharing application (共享申请), as data: which action may move an application
 * from which state to which, and which party may take it. The service consults it on every step (and
 * the property test drives it with random sequences); the policy decides the branches (`route`).
 *
 *   draft ─submit─▶ awaiting_internal ─internal_approve─▶ (route)
 *   (route): unconditional+direct → supplied (granted at once) · unconditional/conditional → submitted
 *            · not shared / outside the catalog → negotiating
 *   submitted ─return_incomplete─▶ returned ─submit─▶ …      submitted ─approve─▶ approved | supplied
 *   submitted ─refuse(reason)─▶ refused ─dispute─▶ negotiating ─escalate─▶ coordinating
 *     ─escalate_upper─▶ upper_coordinating ─refer_to_government─▶ awaiting_decision ─decide─▶ decided | closed
 *   negotiating/coordinating/upper_coordinating ─agree─▶ approved | supplied
 *   approved/decided ─supply─▶ supplied (late if after the limit: finance's list)
 */

export const APP_STATUSES = {
  draft: '草稿',
  awaiting_internal: '待本单位审核',
  submitted: '待提供方答复',
  returned: '退回补正',
  approved: '已同意，待提供',
  refused: '已拒绝',
  negotiating: '协商中',
  coordinating: '平台管理部门协调中',
  upper_coordinating: '上级平台管理部门协调中',
  awaiting_decision: '待政府决定',
  decided: '已决定共享，待提供',
  supplied: '已提供',
  closed: '已办结（不予共享）',
  withdrawn: '已撤回',
} as const;
export type AppStatus = keyof typeof APP_STATUSES;

export const PURPOSE_CATEGORIES = {
  administrative_basis: '行政依据',
  work_reference: '工作参考',
  data_verification: '数据校核',
  business_collaboration: '业务协同',
} as const;
export type PurposeCategory = keyof typeof PURPOSE_CATEGORIES;

export const ACCESS_MODES = {
  api: '接口',
  database: '库表',
  file: '文件',
  online_query: '联机查询',
  batch_download: '批量下载',
} as const;
export type AccessMode = keyof typeof ACCESS_MODES;

export const GRANT_STATUSES = {
  active: '有效',
  suspended: '已暂停',
  revoked: '已撤销',
  expired: '已过期',
} as const;
export type GrantStatus = keyof typeof GRANT_STATUSES;

/** Who may take an action: the applicant's officers, its head, the provider's head or officers, the platform office. */
export type Party =
  | 'applicant'
  | 'applicant_head'
  | 'provider'
  | 'provider_head'
  | 'platform'
  | 'either_party';

export interface Transition {
  from: readonly AppStatus[];
  /** The possible targets; the service picks one (routing by share type and policy). */
  to: readonly AppStatus[];
  by: readonly Party[];
  zh: string;
}

export const TRANSITIONS = {
  submit: {
    from: ['draft', 'returned'],
    to: ['awaiting_internal', 'submitted', 'supplied', 'negotiating'],
    by: ['applicant'],
    zh: '提交',
  },
  internal_approve: {
    from: ['awaiting_internal'],
    to: ['submitted', 'supplied', 'negotiating'],
    by: ['applicant_head'],
    zh: '本单位审核通过',
  },
  internal_reject: { from: ['awaiting_internal'], to: ['draft'], by: ['applicant_head'], zh: '本单位退回' },
  return_incomplete: {
    from: ['submitted'],
    to: ['returned'],
    by: ['provider_head', 'provider'],
    zh: '退回补正',
  },
  request_extension: {
    from: ['submitted'],
    to: ['submitted'],
    by: ['provider_head', 'provider'],
    zh: '申请延期答复',
  },
  consent_extension: { from: ['submitted'], to: ['submitted'], by: ['platform'], zh: '同意延期' },
  deny_extension: { from: ['submitted'], to: ['submitted'], by: ['platform'], zh: '不同意延期' },
  approve: { from: ['submitted'], to: ['approved', 'supplied'], by: ['provider_head'], zh: '同意共享' },
  refuse: { from: ['submitted'], to: ['refused'], by: ['provider_head'], zh: '拒绝共享' },
  dispute: { from: ['refused'], to: ['negotiating'], by: ['applicant'], zh: '提出协商' },
  agree: {
    from: ['negotiating', 'coordinating', 'upper_coordinating'],
    to: ['approved', 'supplied'],
    by: ['provider_head', 'platform'],
    zh: '协商一致',
  },
  escalate: {
    from: ['negotiating'],
    to: ['coordinating'],
    by: ['either_party', 'platform'],
    zh: '提请平台管理部门协调',
  },
  escalate_upper: {
    from: ['coordinating'],
    to: ['upper_coordinating'],
    by: ['platform'],
    zh: '提请共同上级平台管理部门协调',
  },
  refer_to_government: {
    from: ['coordinating', 'upper_coordinating'],
    to: ['awaiting_decision'],
    by: ['platform'],
    zh: '报请政府决定',
  },
  decide: { from: ['awaiting_decision'], to: ['decided', 'closed'], by: ['platform'], zh: '登记政府决定' },
  supply: {
    from: ['approved', 'decided'],
    to: ['supplied'],
    by: ['provider_head', 'provider'],
    zh: '提供数据',
  },
  close: { from: ['refused'], to: ['closed'], by: ['applicant'], zh: '接受拒绝并办结' },
  withdraw: {
    from: ['draft', 'awaiting_internal', 'submitted', 'returned', 'refused', 'negotiating'],
    to: ['withdrawn'],
    by: ['applicant'],
    zh: '撤回申请',
  },
} as const satisfies Record<string, Transition>;

export type AppAction = keyof typeof TRANSITIONS;

export function allows(action: AppAction, from: AppStatus, to: AppStatus): boolean {
  const t: Transition = TRANSITIONS[action];
  return t.from.includes(from) && t.to.includes(to);
}

/** States from which nothing more happens to the application itself. */
export const FINAL: readonly AppStatus[] = ['supplied', 'closed', 'withdrawn'];
