/**
 * The projects' rows of the authorization matrix (test/authz-matrix.test.ts): every endpoint, aimed at
 * the demo projects of 市公安局 (ga) and, for the cross-department check, 市民政局 (mz).
 */
import { demoProjectId } from '../../demo/projects-demo.js';
import type { Action } from '../auth/auth.policy.js';

interface MatrixCtx {
  gaOrg: string;
  mzOrg: string;
}

interface MatrixReq {
  url: string;
  payload?: Record<string, unknown>;
}

export interface ProjectsMatrixCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  action: Action;
  req: (c: MatrixCtx) => MatrixReq;
  other?: (c: MatrixCtx) => MatrixReq;
}

const GA = `/api/v1/projects/${demoProjectId('GA-P2')}`;
const MZ = `/api/v1/projects/${demoProjectId('MZ-P1')}`;
const NOBODY = '00000000-0000-4000-8000-000000000000';

function filing(name: string): Record<string, unknown> {
  return {
    name,
    kind: 'new',
    summary: '授权矩阵测试项目',
    needsBudgetYuan: 100_000,
    omCostYuan: 10_000,
    fundingChannel: '部门预算',
    dataResources: '矩阵测试数据',
    systemIds: [],
    protectionLevel: null,
    protectionFilingNo: null,
    classifiedFilingNo: null,
  };
}

const expert = { name: '矩阵专家', field: 'software', title: '工程师', orgName: '矩阵单位', orgId: null };
const document = { name: '需求方案.pdf', kind: 'needs_proposal', reference: '矩阵〔2026〕1号' };

export const PROJECTS_MATRIX_CASES: ProjectsMatrixCase[] = [
  {
    method: 'GET',
    path: '/api/v1/projects',
    action: 'projects.read',
    req: (c) => ({ url: `/api/v1/projects?orgId=${c.gaOrg}` }),
    other: (c) => ({ url: `/api/v1/projects?orgId=${c.mzOrg}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/projects',
    action: 'projects.write',
    req: (c) => ({ url: '/api/v1/projects', payload: { orgId: c.gaOrg, ...filing('矩阵项目') } }),
    other: (c) => ({ url: '/api/v1/projects', payload: { orgId: c.mzOrg, ...filing('越权项目') } }),
  },
  {
    method: 'GET',
    path: '/api/v1/projects/experts',
    action: 'projects.read',
    req: () => ({ url: '/api/v1/projects/experts' }),
  },
  {
    method: 'POST',
    path: '/api/v1/projects/experts',
    action: 'projects.experts',
    req: () => ({ url: '/api/v1/projects/experts', payload: expert }),
  },
  {
    method: 'PUT',
    path: '/api/v1/projects/experts/{id}',
    action: 'projects.experts',
    req: () => ({ url: `/api/v1/projects/experts/${NOBODY}`, payload: expert }),
  },
  {
    method: 'GET',
    path: '/api/v1/projects/{id}',
    action: 'projects.read',
    req: () => ({ url: GA }),
    other: () => ({ url: MZ }),
  },
  {
    method: 'PUT',
    path: '/api/v1/projects/{id}/filing',
    action: 'projects.write',
    req: () => ({ url: `${GA}/filing`, payload: filing('咸宁市公安局视频图像信息共享平台扩容项目') }),
    other: () => ({ url: `${MZ}/filing`, payload: filing('越权修改') }),
  },
  {
    method: 'POST',
    path: '/api/v1/projects/{id}/documents',
    action: 'projects.write',
    req: () => ({ url: `${GA}/documents`, payload: document }),
    other: () => ({ url: `${MZ}/documents`, payload: document }),
  },
  {
    method: 'POST',
    path: '/api/v1/projects/{id}/catalog-links',
    action: 'projects.write',
    req: () => ({ url: `${GA}/catalog-links`, payload: { entryId: NOBODY } }),
    other: () => ({ url: `${MZ}/catalog-links`, payload: { entryId: NOBODY } }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/projects/{id}/catalog-links/{entryId}',
    action: 'projects.write',
    req: () => ({ url: `${GA}/catalog-links/${NOBODY}` }),
    other: () => ({ url: `${MZ}/catalog-links/${NOBODY}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/projects/{id}/steps',
    action: 'projects.write',
    req: () => ({ url: `${GA}/steps`, payload: { action: 'submit_needs' } }),
    other: () => ({ url: `${MZ}/steps`, payload: { action: 'submit_needs' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/projects/{id}/decisions',
    action: 'projects.review',
    req: () => ({ url: `${MZ}/decisions`, payload: { action: 'return', reason: '矩阵' } }),
  },
];
