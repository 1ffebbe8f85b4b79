/**
 * Organizations (R1.1) and their named officers (R1.2, 004 §7 §14):
 * validate (TypeBox) → authorize (auth.policy) → OrgsService → camelCase JSON.
 */
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { DomainError } from '../../kernel/errors.js';
import { pageRequest } from '../../kernel/pagination.js';
import { authorize, listScope } from '../auth/auth.policy.js';
import {
  CreateOrgBody,
  IdParams,
  LatePage,
  LateQuery,
  OfficerChangeBody,
  OfficerSchema,
  OrgListQuery,
  OrgOfficersResponse,
  OrgPage,
  OrgSavedSchema,
  OrgSchema,
  OrgTreeResponse,
  PublishedOfficersResponse,
  UpdateOrgBody,
} from './orgs.schema.js';
import { STRUCTURAL_FIELDS } from './orgs.service.js';

const SECURITY = [{ session: [] }];
const CHANGE_SECURITY = [{ session: [], csrf: [] }];

export const orgsRoutes: RoutesPlugin = async (app, { services }) => {
  const { orgs } = services;

  app.get(
    '/orgs',
    {
      schema: {
        tags: ['orgs'],
        summary: '单位列表 Organizations',
        description: 'A flat, paged list; filter by kind, parent, division code, status or a name fragment.',
        security: SECURITY,
        querystring: OrgListQuery,
        response: { 200: OrgPage },
      },
    },
    async (req) => {
      authorize(req.actor, 'orgs.read');
      const { page, pageSize, ...filter } = req.query;
      return orgs.list(filter, pageRequest(page, pageSize));
    },
  );

  app.get(
    '/orgs/tree',
    {
      schema: {
        tags: ['orgs'],
        summary: '单位树 The organization tree',
        description: 'Every organization, nested under its parent; the platform office is the root.',
        security: SECURITY,
        response: { 200: OrgTreeResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'orgs.read');
      return orgs.tree();
    },
  );

  app.get(
    '/orgs/:id',
    {
      schema: {
        tags: ['orgs'],
        summary: '单位详情 An organization',
        security: SECURITY,
        params: IdParams,
        response: { 200: OrgSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'orgs.read', req.params.id);
      return orgs.get(req.params.id);
    },
  );

  app.post(
    '/orgs',
    {
      schema: {
        tags: ['orgs'],
        summary: '新增单位 Add an organization (platform office)',
        description:
          'Checks the credit code (GB 32100) and division code (GB/T 2260) and reports every problem at once; ' +
          'a credit code already registered answers 409.',
        security: CHANGE_SECURITY,
        body: CreateOrgBody,
        response: { 201: OrgSavedSchema },
      },
    },
    async (req, reply) => {
      authorize(req.actor, 'orgs.create');
      const saved = await orgs.create(metaOf(req), req.body);
      return reply.status(201).send(saved);
    },
  );

  app.patch(
    '/orgs/:id',
    {
      schema: {
        tags: ['orgs'],
        summary: '修改单位 Change an organization',
        description:
          'The platform office changes any organization; a department administrator only its own names and ' +
          'credit code.',
        security: CHANGE_SECURITY,
        params: IdParams,
        body: UpdateOrgBody,
        response: { 200: OrgSavedSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'orgs.update', req.params.id);
      if (listScope(actor, 'orgs.update') !== null) {
        const structural = STRUCTURAL_FIELDS.filter((f) => req.body[f] !== undefined);
        if (structural.length > 0) {
          throw DomainError.forbidden({
            zh: `单位的类型、层级、行政区划、上级单位和状态由平台主管部门维护，不能修改：${structural.join('、')}`,
            en: `Kind, level, division code, parent and status are kept by the platform office; cannot change: ${structural.join(', ')}`,
          });
        }
      }
      return orgs.update(metaOf(req), req.params.id, req.body);
    },
  );

  // ── officers ──

  app.get(
    '/orgs/:id/officers',
    {
      schema: {
        tags: ['officers'],
        summary: '单位责任人 An organization’s officers',
        description:
          'The current holder of each of the four duties, the duties nobody holds, and the full history.',
        security: SECURITY,
        params: IdParams,
        response: { 200: OrgOfficersResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'officers.read', req.params.id);
      return orgs.officersOf(req.params.id);
    },
  );

  app.post(
    '/orgs/:id/officers',
    {
      schema: {
        tags: ['officers'],
        summary: '登记责任人变更 Record a change of officer',
        description:
          'Closes the current holder of the duty the day before effectiveFrom and records the new one. ' +
          'The report is due within the working days the active policy sets (004 §14: 5); a later report is ' +
          'marked late. Only the platform office may give reportedOn, to enter a paper report after the fact.',
        security: CHANGE_SECURITY,
        params: IdParams,
        body: OfficerChangeBody,
        response: { 201: OfficerSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'officers.write', req.params.id);
      if (req.body.reportedOn !== undefined && listScope(actor, 'officers.write') !== null) {
        throw DomainError.forbidden({
          zh: '只有平台主管部门可以补录报备日期',
          en: 'Only the platform office may set reportedOn',
        });
      }
      const officer = await orgs.recordOfficerChange(metaOf(req), req.params.id, req.body);
      return reply.status(201).send(officer);
    },
  );

  app.get(
    '/officers',
    {
      schema: {
        tags: ['officers'],
        summary: '责任人名单 The published list of officers',
        description:
          'What the platform publishes (004 §14): for every active organization, its current principal, ' +
          'leader in charge, sharing officer and technical officer with their contacts.',
        security: SECURITY,
        response: { 200: PublishedOfficersResponse },
      },
    },
    async (req) => {
      authorize(req.actor, 'officers.read');
      return orgs.publishedOfficers();
    },
  );

  app.get(
    '/officers/late',
    {
      schema: {
        tags: ['officers'],
        summary: '逾期报备 Changes reported late',
        description: 'Officer changes reported after their due day, newest report first.',
        security: SECURITY,
        querystring: LateQuery,
        response: { 200: LatePage },
      },
    },
    async (req) => {
      authorize(req.actor, 'officers.read', req.query.orgId ?? null);
      return orgs.lateReports({ orgId: req.query.orgId }, pageRequest(req.query.page, req.query.pageSize));
    },
  );
};
