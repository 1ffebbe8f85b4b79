/** The shapes the projects pages read, from the server's TypeBox schemas (type-only imports). */
import type { Static } from '@fastify/type-provider-typebox';
import type {
  DecisionBody,
  ExpertPageSchema,
  ExpertSchema,
  ProjectPageSchema,
  ProjectViewSchema,
  StepBody,
} from '../../../../src/modules/projects/projects.schema.js';

export type ProjectPage = Static<typeof ProjectPageSchema>;
export type ProjectSummary = ProjectPage['items'][number];
export type Project = Static<typeof ProjectViewSchema>;
export type Stage = Project['stage'];
export type ProjectAction = Project['next'][number]['action'];
export type DocKind = Project['documents'][number]['kind'];
export type ProjectKind = Project['kind'];
export type Expert = Static<typeof ExpertSchema>;
export type ExpertPage = Static<typeof ExpertPageSchema>;
export type ExpertField = Expert['field'];
export type StepBodyT = Static<typeof StepBody>;
export type DecisionBodyT = Static<typeof DecisionBody>;

export const STAGES: Stage[] = [
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
];

export const KINDS: ProjectKind[] = ['new', 'continued', 'upgrade', 'om', 'service'];

export const DOC_KINDS: DocKind[] = [
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
];

export const EXPERT_FIELDS: ExpertField[] = [
  'software',
  'network',
  'security',
  'data',
  'finance',
  'law',
  'management',
];
