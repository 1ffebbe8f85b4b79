/** The projects API under /api/v1/projects: projects, their steps and decisions, documents, catalog links, experts. */
import { metaOf } from '../../http/context.js';
import type { RoutesPlugin } from '../../http/plugin.js';
import { pageRequest } from '../../kernel/pagination.js';
import { authorize, listScope } from '../auth/auth.policy.js';
import {
  DecisionBody,
  DocumentBody,
  ExpertInputSchema,
  ExpertListQuery,
  ExpertPageSchema,
  ExpertSchema,
  FilingSchema,
  IdParams,
  LinkBody,
  LinkParams,
  ProjectInputSchema,
  ProjectListQuery,
  ProjectPageSchema,
  ProjectViewSchema,
  StepBody,
} from './projects.schema.js';

const TAGS = ['projects'];
/** A document travels as base64 inside JSON: up to about 20 MB of file. */
const DOCUMENT_BODY_LIMIT = 28_500_000;

export const projectsRoutes: RoutesPlugin = async (app, { services }) => {
  const { projects } = services;

  app.get(
    '/projects',
    {
      schema: {
        tags: TAGS,
        summary: '电子政务项目 Projects, paged (filter by stage, department, name)',
        description:
          "A department sees its own projects; the platform office and auditors see every department's.",
        querystring: ProjectListQuery,
        response: { 200: ProjectPageSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'projects.read', req.query.orgId ?? null);
      const orgId = req.query.orgId ?? listScope(actor, 'projects.read');
      const page = await projects.list(
        { orgId, stages: req.query.stage ?? [], q: req.query.q?.trim() || null },
        pageRequest(req.query.page, req.query.pageSize),
      );
      await services.audit.record({
        ...metaOf(req),
        action: 'project.list',
        objectType: 'project',
        detail: { orgId, stages: req.query.stage ?? [], total: page.total },
      });
      return page;
    },
  );

  app.post(
    '/projects',
    {
      schema: {
        tags: TAGS,
        summary: '申报项目 Register a project with its full-scope filing (全口径备案)',
        body: ProjectInputSchema,
        response: { 201: ProjectViewSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'projects.write', req.body.orgId);
      return reply.status(201).send(await projects.create(metaOf(req), actor, req.body));
    },
  );

  app.get(
    '/projects/experts',
    {
      schema: {
        tags: TAGS,
        summary: '项目咨询专家库 The expert pool (004 §7), paged',
        querystring: ExpertListQuery,
        response: { 200: ExpertPageSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'projects.read');
      return projects.listExperts(
        {
          field: req.query.field ?? null,
          activeOnly: req.query.activeOnly === true,
          q: req.query.q?.trim() || null,
        },
        pageRequest(req.query.page, req.query.pageSize),
      );
    },
  );

  app.post(
    '/projects/experts',
    {
      schema: {
        tags: TAGS,
        summary: '专家入库 Add an expert to the pool',
        body: ExpertInputSchema,
        response: { 201: ExpertSchema },
      },
    },
    async (req, reply) => {
      authorize(req.actor, 'projects.experts');
      return reply.status(201).send(await projects.createExpert(metaOf(req), req.body));
    },
  );

  app.put(
    '/projects/experts/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改专家信息或停用 Update or deactivate an expert',
        params: IdParams,
        body: ExpertInputSchema,
        response: { 200: ExpertSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'projects.experts');
      return projects.updateExpert(metaOf(req), req.params.id, req.body);
    },
  );

  app.get(
    '/projects/:id',
    {
      schema: {
        tags: TAGS,
        summary: '项目详情 One project: stages, steps, documents, catalog gates, next actions',
        params: IdParams,
        response: { 200: ProjectViewSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'projects.read', await projects.ownerOf(req.params.id));
      const view = await projects.get(req.params.id);
      await services.audit.record({
        ...metaOf(req),
        action: 'project.read',
        objectType: 'project',
        objectId: view.id,
      });
      return view;
    },
  );

  app.put(
    '/projects/:id/filing',
    {
      schema: {
        tags: TAGS,
        summary: '更新全口径备案信息 Update the full-scope filing',
        params: IdParams,
        body: FilingSchema,
        response: { 200: ProjectViewSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'projects.write', await projects.ownerOf(req.params.id));
      return projects.updateFiling(metaOf(req), req.params.id, req.body);
    },
  );

  app.post(
    '/projects/:id/documents',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags: TAGS,
        summary: '登记本阶段文件 File a document of the current stage (SM3 of the file, or a reference)',
        params: IdParams,
        body: DocumentBody,
        response: { 201: ProjectViewSchema },
      },
    },
    async (req, reply) => {
      const actor = authorize(req.actor, 'projects.write', await projects.ownerOf(req.params.id));
      return reply.status(201).send(await projects.addDocument(metaOf(req), actor, req.params.id, req.body));
    },
  );

  app.post(
    '/projects/:id/catalog-links',
    {
      schema: {
        tags: TAGS,
        summary: '关联预编目录条目 Link a catalog entry of the project’s pre-compiled catalog',
        params: IdParams,
        body: LinkBody,
        response: { 201: ProjectViewSchema },
      },
    },
    async (req, reply) => {
      authorize(req.actor, 'projects.write', await projects.ownerOf(req.params.id));
      return reply.status(201).send(await projects.linkEntry(metaOf(req), req.params.id, req.body.entryId));
    },
  );

  app.delete(
    '/projects/:id/catalog-links/:entryId',
    {
      schema: {
        tags: TAGS,
        summary: '取消目录关联 Unlink a catalog entry',
        params: LinkParams,
        response: { 200: ProjectViewSchema },
      },
    },
    async (req) => {
      authorize(req.actor, 'projects.write', await projects.ownerOf(req.params.id));
      return projects.unlinkEntry(metaOf(req), req.params.id, req.params.entryId);
    },
  );

  app.post(
    '/projects/:id/steps',
    {
      schema: {
        tags: TAGS,
        summary: '建设单位办理步骤 A step of the building department (submit, file, apply)',
        params: IdParams,
        body: StepBody,
        response: { 200: ProjectViewSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'projects.write', await projects.ownerOf(req.params.id));
      return projects.act(metaOf(req), actor, req.params.id, req.body, 'department');
    },
  );

  app.post(
    '/projects/:id/decisions',
    {
      schema: {
        tags: TAGS,
        summary: '市政务办决定 A decision of the platform office (pass, return, evaluate)',
        params: IdParams,
        body: DecisionBody,
        response: { 200: ProjectViewSchema },
      },
    },
    async (req) => {
      const actor = authorize(req.actor, 'projects.review', await projects.ownerOf(req.params.id));
      return projects.act(metaOf(req), actor, req.params.id, req.body, 'platform');
    },
  );
};
