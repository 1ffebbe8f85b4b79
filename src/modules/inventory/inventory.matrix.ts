/**
 * The inventory's rows of the authorization matrix (test/authz-matrix.test.ts): every endpoint, aimed at
 * the demo inventory's systems and flags of 市公安局 (ga) and, for the cross-department check, 市民政局 (mz).
 */
import type { Action } from '../auth/auth.policy.js';
import { demoSystemId } from './inventory.demo.js';
import { flagId, stableUuid } from './inventory.model.js';

interface MatrixCtx {
  gaOrg: string;
  mzOrg: string;
}

interface MatrixReq {
  url: string;
  payload?: Record<string, unknown>;
}

export interface InventoryMatrixCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  action: Action;
  /** The service checks the actor's part (here: the finance bureau the campaign names). */
  partyChecked?: boolean;
  /** The target may be gone (deleted by an earlier permitted role): 404 is as good a refusal as 403. */
  hidden?: boolean;
  req: (c: MatrixCtx) => MatrixReq;
  other?: (c: MatrixCtx) => MatrixReq;
}

function system(orgId: string, name: string): Record<string, unknown> {
  return {
    orgId,
    internalUnit: null,
    name,
    functionDescription: '授权矩阵测试系统的功能描述',
    scopeOfUse: '本单位',
    frequencyOfUse: '每日',
    approvingDepartment: '咸宁市发展和改革委员会',
    approvalDate: '2020-01-01',
    fundingSource: '市级财政预算',
    network: 'extranet',
    builder: '矩阵',
    investmentWan: 1,
    omCostWan: 1,
    fundingChannel: '部门预算',
    dataResources: '矩阵测试台账',
    catalogEntryIds: [],
    protectionLevel: 1,
    protectionFilingNo: null,
    classified: false,
    classifiedFilingNo: null,
    deployment: 'gov_cloud',
    monthlyActiveUsers: 50,
    monthlyTransactions: 500,
    lastMaintenanceOn: '2026-10-01',
    utilizationPct: 50,
    businessLink: true,
    replacedById: null,
    mustConnect: false,
    connected: false,
  };
}

/** The demo campaign (src/demo/selfcheck-demo.ts derives the same id). */
const campaign = (rest: string) =>
  `/api/v1/inventory/campaigns/${stableUuid('inventory-demo-campaign|2026')}${rest}`;
const NO_ITEM = '00000000-0000-4000-8000-000000000000';
const sys = (code: string) => `/api/v1/inventory/systems/${demoSystemId(code)}`;
const flag = (rule: string, code: string) => `/api/v1/inventory/flags/${flagId(rule, [demoSystemId(code)])}`;

export const INVENTORY_MATRIX_CASES: InventoryMatrixCase[] = [
  {
    method: 'GET',
    path: '/api/v1/inventory/systems',
    action: 'inventory.read',
    req: (c) => ({ url: `/api/v1/inventory/systems?orgId=${c.gaOrg}` }),
    other: (c) => ({ url: `/api/v1/inventory/systems?orgId=${c.mzOrg}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/inventory/systems',
    action: 'inventory.write',
    req: (c) => ({ url: '/api/v1/inventory/systems', payload: system(c.gaOrg, '矩阵系统') }),
    other: (c) => ({ url: '/api/v1/inventory/systems', payload: system(c.mzOrg, '越权系统') }),
  },
  {
    method: 'GET',
    path: '/api/v1/inventory/systems/{id}',
    action: 'inventory.read',
    req: () => ({ url: sys('GA-01') }),
    other: () => ({ url: sys('MZ-01') }),
  },
  {
    method: 'PUT',
    path: '/api/v1/inventory/systems/{id}',
    action: 'inventory.write',
    req: (c) => ({ url: sys('GA-05'), payload: system(c.gaOrg, '出入境证件受理系统') }),
    other: (c) => ({ url: sys('MZ-04'), payload: system(c.mzOrg, '越权') }),
  },
  {
    method: 'PUT',
    path: '/api/v1/inventory/systems/{id}/disposition',
    action: 'inventory.dispose',
    req: () => ({
      url: `${sys('GA-03')}/disposition`,
      payload: { kind: 'migrate_cloud', targetOn: '2027-06-30', note: '迁移至市政务云' },
    }),
    other: () => ({
      url: `${sys('MZ-05')}/disposition`,
      payload: { kind: 'retire', targetOn: '2027-06-30', note: '越权', assetWriteOffNote: '越权' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/inventory/flags',
    action: 'inventory.read',
    req: (c) => ({ url: `/api/v1/inventory/flags?orgId=${c.gaOrg}` }),
    other: (c) => ({ url: `/api/v1/inventory/flags?orgId=${c.mzOrg}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/inventory/flags/{id}/confirm',
    action: 'inventory.review',
    req: () => ({ url: `${flag('zombie.idle', 'GA-06')}/confirm`, payload: { reason: '矩阵确认' } }),
    other: () => ({ url: `${flag('zombie.detached', 'MZ-03')}/confirm`, payload: { reason: '越权' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/inventory/flags/{id}/dismiss',
    action: 'inventory.review',
    req: () => ({ url: `${flag('zombie.low_use', 'GA-06')}/dismiss`, payload: { reason: '矩阵排除' } }),
    other: () => ({ url: `${flag('single_unit', 'MZ-03')}/dismiss`, payload: { reason: '越权' } }),
  },
  {
    method: 'GET',
    path: '/api/v1/inventory/export.xlsx',
    action: 'inventory.read',
    req: (c) => ({ url: `/api/v1/inventory/export.xlsx?orgId=${c.gaOrg}` }),
    other: (c) => ({ url: `/api/v1/inventory/export.xlsx?orgId=${c.mzOrg}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/inventory/import',
    action: 'inventory.write',
    // A JSON body is not a workbook: past authorization it is refused with 400, and nothing is written.
    req: (c) => ({ url: `/api/v1/inventory/import?orgId=${c.gaOrg}`, payload: {} }),
    other: (c) => ({ url: `/api/v1/inventory/import?orgId=${c.mzOrg}`, payload: {} }),
  },
  {
    method: 'GET',
    path: '/api/v1/inventory/funding-list',
    action: 'finance.read',
    req: () => ({ url: '/api/v1/inventory/funding-list' }),
  },
  // The register's page, the chart's numbers, deleting a system; the self-check campaign (R2.2), on the
  // demo campaign (its id is stable). Verifying: the platform office, audit, and the head of the finance
  // bureau the campaign names — 市公安局's head is a dept_admin but not that bureau: refused by the party check.
  {
    method: 'GET',
    path: '/api/v1/inventory/register',
    action: 'inventory.read',
    req: (c) => ({ url: `/api/v1/inventory/register?orgId=${c.gaOrg}&flag=any` }),
    other: (c) => ({ url: `/api/v1/inventory/register?orgId=${c.mzOrg}` }),
  },
  {
    method: 'GET',
    path: '/api/v1/inventory/stats',
    action: 'inventory.read',
    req: (c) => ({ url: `/api/v1/inventory/stats?orgId=${c.gaOrg}` }),
    other: (c) => ({ url: `/api/v1/inventory/stats?orgId=${c.mzOrg}` }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/inventory/systems/{id}',
    action: 'inventory.write',
    hidden: true,
    req: () => ({ url: sys('GA-04') }),
    other: () => ({ url: sys('MZ-02') }),
  },
  {
    method: 'GET',
    path: '/api/v1/inventory/campaigns',
    action: 'inventory.campaign.read',
    req: () => ({ url: '/api/v1/inventory/campaigns?page=1&pageSize=5' }),
  },
  {
    method: 'POST',
    path: '/api/v1/inventory/campaigns',
    action: 'inventory.campaign.manage',
    req: () => ({ url: '/api/v1/inventory/campaigns', payload: { title: '矩阵自查', workingDays: 10 } }),
  },
  {
    method: 'GET',
    path: '/api/v1/inventory/campaigns/{id}',
    action: 'inventory.campaign.read',
    req: () => ({ url: campaign('') }),
  },
  {
    method: 'GET',
    path: '/api/v1/inventory/campaigns/{id}/reports/{orgId}',
    action: 'inventory.campaign.read',
    req: (c) => ({ url: campaign(`/reports/${c.gaOrg}`) }),
    other: (c) => ({ url: campaign(`/reports/${c.mzOrg}`) }),
  },
  {
    method: 'POST',
    path: '/api/v1/inventory/campaigns/{id}/reports/{orgId}/submit',
    action: 'inventory.selfcheck.submit',
    req: (c) => ({ url: campaign(`/reports/${c.gaOrg}/submit`), payload: { statement: '矩阵自查说明' } }),
    other: (c) => ({ url: campaign(`/reports/${c.mzOrg}/submit`), payload: { statement: '越权' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/inventory/campaigns/{id}/reports/{orgId}/verify',
    action: 'inventory.selfcheck.verify',
    partyChecked: true,
    req: (c) => ({ url: campaign(`/reports/${c.gaOrg}/verify`) }),
    other: (c) => ({ url: campaign(`/reports/${c.mzOrg}/verify`) }),
  },
  {
    method: 'POST',
    path: '/api/v1/inventory/campaigns/{id}/reports/{orgId}/items/{itemId}/verify',
    action: 'inventory.selfcheck.verify',
    partyChecked: true,
    req: (c) => ({ url: campaign(`/reports/${c.gaOrg}/items/${NO_ITEM}/verify`) }),
    other: (c) => ({ url: campaign(`/reports/${c.mzOrg}/items/${NO_ITEM}/verify`) }),
  },
  {
    method: 'POST',
    path: '/api/v1/inventory/campaigns/{id}/reports/{orgId}/items/{itemId}/return',
    action: 'inventory.selfcheck.verify',
    partyChecked: true,
    req: (c) => ({
      url: campaign(`/reports/${c.gaOrg}/items/${NO_ITEM}/return`),
      payload: { reason: '矩阵' },
    }),
    other: (c) => ({
      url: campaign(`/reports/${c.mzOrg}/items/${NO_ITEM}/return`),
      payload: { reason: '越权' },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/inventory/campaigns/{id}/close',
    action: 'inventory.campaign.manage',
    req: () => ({ url: campaign('/close') }),
  },
];
