/**
 * The shapes the console reads, taken from the server's own TypeBox schemas (type-only imports: nothing
 * of the server is bundled). A schema change that breaks the console fails `npm run typecheck`.
 * Endpoints without a response schema are described here by hand; keep them in step with the service.
 */
import type { Static } from '@fastify/type-provider-typebox';
import type { MeSchema, UserSchema } from '../../src/modules/auth/auth.schema.js';
import type {
  DiffSchema,
  EntryViewSchema,
  HistorySchema,
  ItemViewSchema,
  SearchResultSchema,
} from '../../src/modules/catalog/catalog.schema.js';
import type { OrgPage, OrgSchema } from '../../src/modules/orgs/orgs.schema.js';
import type { ApplicationPage, ApplicationSchema } from '../../src/modules/sharing/sharing.schema.js';

export type Me = Static<typeof MeSchema>;
export type User = Static<typeof UserSchema>;
export type Role = User['role'];
export type Org = Static<typeof OrgSchema>;
export type OrgPageT = Static<typeof OrgPage>;

export type Entry = Static<typeof EntryViewSchema>;
export type EntryItem = Static<typeof ItemViewSchema>;
export type SearchResult = Static<typeof SearchResultSchema>;
export type FacetName = keyof SearchResult['facets'];
export type History = Static<typeof HistorySchema>;
export type Diff = Static<typeof DiffSchema>;

export type Application = Static<typeof ApplicationSchema>;
export type ApplicationPageT = Static<typeof ApplicationPage>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /sharing/reminders (no response schema on the server; see SharingService.reminders). */
export interface Reminder {
  id: string;
  orgId: string;
  kind: string;
  objectType: string;
  objectId: string;
  dueOn: string | null;
  message: { zh: string; en: string };
  createdAt: string;
  readAt: string | null;
}

/** GET /catalog/value-sets: each set maps an identifier to its Chinese label (catalog.values.ts). */
export interface ValueSets {
  categories: Record<string, string>;
  formatCategories: Record<string, string>;
  formatTypes: Record<string, string[]>;
  modesForFormat: Record<string, string[]>;
  formatsRequiringItems: string[];
  shareTypes: Record<string, string>;
  shareModes: Record<string, string>;
  openTypes: Record<string, string>;
  updateCycles: Record<string, string>;
  basicLibraries: Record<string, string>;
  basisKinds: Record<string, string>;
  acceptedBasisKinds: unknown;
  dataGrades: Record<string, string>;
  dataTypes: Record<string, string>;
  sensitivities: Record<string, string>;
  maskings: Record<string, string>;
  statuses: Record<string, string>;
}
